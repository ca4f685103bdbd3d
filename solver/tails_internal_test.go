package solver

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/sgeval"
)

// tailsNet has a tail after the transit gateway that depends on the
// source (S-42): the gateway sends 10.3.0.0/16 to vpc-b's attachment,
// whose subnet's table sends it on over peering pcx-bc to vpc-c. From
// i-b (in vpc-b) the peering carries it; from i-a (in vpc-a, same route
// table of the gateway, same zone, same destination) it is transit
// traffic, which a peering does not carry. Both reach the gateway's
// table in us-east-1a for the same destination: one tail key.
const tailsNet = `version: 1
vpcs:
  - id: vpc-a
    region: us-east-1
    cidr_blocks: [10.1.0.0/16]
    subnets:
      - {id: sn-a-app, az: us-east-1a, cidr_block: 10.1.1.0/24, route_table: rtb-a}
      - {id: sn-a-tgw, az: us-east-1a, cidr_block: 10.1.255.0/28}
    route_tables:
      - {id: rtb-a-main, main: true}
      - id: rtb-a
        routes:
          - {destination: 10.0.0.0/8, target: tgw-1}
    security_groups:
      - id: sg-a
        ingress: [{protocol: all, sources: [10.0.0.0/8]}]
        egress: [{protocol: all, destinations: [0.0.0.0/0]}]
    instances:
      - {id: i-a, subnet: sn-a-app, private_ip: 10.1.1.10, security_groups: [sg-a]}
  - id: vpc-b
    region: us-east-1
    cidr_blocks: [10.2.0.0/16]
    subnets:
      - {id: sn-b-app, az: us-east-1a, cidr_block: 10.2.1.0/24, route_table: rtb-b}
      - {id: sn-b-tgw, az: us-east-1a, cidr_block: 10.2.255.0/28, route_table: rtb-b-tgw}
    route_tables:
      - {id: rtb-b-main, main: true}
      - id: rtb-b
        routes:
          - {destination: 10.1.0.0/16, target: tgw-1}
          - {destination: 10.3.0.0/16, target: tgw-1}
      - id: rtb-b-tgw
        routes:
          - {destination: 10.3.0.0/16, target: pcx-bc}
    security_groups:
      - id: sg-b
        ingress: [{protocol: all, sources: [10.0.0.0/8]}]
        egress: [{protocol: all, destinations: [0.0.0.0/0]}]
    instances:
      - {id: i-b, subnet: sn-b-app, private_ip: 10.2.1.10, security_groups: [sg-b]}
  - id: vpc-c
    region: us-east-1
    cidr_blocks: [10.3.0.0/16]
    subnets:
      - {id: sn-c-app, az: us-east-1a, cidr_block: 10.3.1.0/24, route_table: rtb-c}
      - {id: sn-c-tgw, az: us-east-1a, cidr_block: 10.3.255.0/28}
    route_tables:
      - {id: rtb-c-main, main: true}
      - id: rtb-c
        routes:
          - {destination: 10.1.0.0/16, target: tgw-1}
          - {destination: 10.2.0.0/16, target: pcx-bc}
    security_groups:
      - id: sg-c
        ingress: [{protocol: all, sources: [10.0.0.0/8]}]
        egress: [{protocol: all, destinations: [0.0.0.0/0]}]
    instances:
      - {id: i-c, subnet: sn-c-app, private_ip: 10.3.1.10, security_groups: [sg-c]}
peering_connections:
  - {id: pcx-bc, requester: vpc-b, accepter: vpc-c, status: active}
transit_gateways:
  - id: tgw-1
    region: us-east-1
    route_tables:
      - id: tgw-rtb
        routes:
          - {destination: 10.1.0.0/16, attachment: tgw-attach-a}
          - {destination: 10.2.0.0/16, attachment: tgw-attach-b}
          - {destination: 10.3.0.0/16, attachment: tgw-attach-b}
    attachments:
      - {id: tgw-attach-a, type: vpc, vpc: vpc-a, subnets: [sn-a-tgw], association: tgw-rtb}
      - {id: tgw-attach-b, type: vpc, vpc: vpc-b, subnets: [sn-b-tgw], association: tgw-rtb}
      - {id: tgw-attach-c, type: vpc, vpc: vpc-c, subnets: [sn-c-tgw], association: tgw-rtb}
`

// skeletonsOf walks every skeleton of fe, row by row (the last row first
// when reverse), sharing tails through memo (nil: none), into a new
// table; it returns the skeletons, and for those with partial middle
// sets (engines of several atoms) the sets.
func skeletonsOf(fe *famEngine, memo *tailMemo, reverse bool) ([]skel, map[int][2]uint64) {
	nR, nC := len(fe.rowSubnet), len(fe.colAddr)
	fe.table = newSkelTable(nR, nC, nil, nil, len(fe.probes) > 1, fe.colVPC, nil)
	fe.mids = make([][]uint64, nR)
	out := make([]skel, nR*nC)
	var w walker
	var rec pathRec
	var buf []sgeval.PortDecision
	var hook *tailHook
	if memo != nil {
		hook = &tailHook{memo: memo}
	}
	for i := range nR {
		r := i
		if reverse {
			r = nR - 1 - i
		}
		for c := range nC {
			out[r*nC+c] = fe.skeleton(&w, &rec, hook, int32(r), int32(c), &buf)
		}
	}
	mids := map[int][2]uint64{}
	for i, k := range out {
		if k.flags&skMidSome != 0 {
			r, c := int32(i/nC), int32(i%nC)
			mids[i] = [2]uint64{fe.midSet(r, c, false), fe.midSet(r, c, true)}
		}
	}
	return out, mids
}

// TestTailMemoSharesOnlyWhatTheSourceDoesNotChange checks the transit
// gateway tail memo (tailMemo): every skeleton equals the one walked
// without it, whichever start walks a shared tail first (rows in order,
// and in reverse), on tailsNet and on generated networks; the matrix
// engine's verdicts on tailsNet equal Reach's (i-a does not reach i-c,
// S-42; i-b does); and the check can fail: sharing tails that read the
// source address (ignoreSource) changes a skeleton of tailsNet in one of
// the two orders.
func TestTailMemoSharesOnlyWhatTheSourceDoesNotChange(t *testing.T) {
	nets := map[string]*model.Model{}
	m, _, err := model.LoadBytes("tails.yaml", []byte(tailsNet))
	require.NoError(t, err)
	nets["tailsNet"] = m
	for _, o := range []gen.Options{
		{VPCs: 9, Seed: 1, InstancesPerVPC: 10},
		{VPCs: 14, Seed: 3, InstancesPerVPC: 6, Regions: []string{"eu-west-1", "us-east-1"}},
		{VPCs: 12, Seed: 2, InstancesPerVPC: 8, OverlapEvery: 4, DualStack: true},
	} {
		nets[fmt.Sprintf("vpcs=%d,seed=%d,dual=%v", o.VPCs, o.Seed, o.DualStack)] = gen.Generate(o)
	}
	for name, m := range nets {
		t.Run(name, func(t *testing.T) {
			s, err := New(m)
			require.NoError(t, err)
			// One atom, as Matrix asks; every tcp port atom, as ClassPorts
			// does.
			var tcpAtoms []Query
			for _, a := range s.ServiceAtoms() {
				if a.Protocol == model.ProtocolTCP && len(tcpAtoms) < maxEngineAtoms {
					tcpAtoms = append(tcpAtoms, a.Query("", ""))
				}
			}
			wrongWhenShared := false
			for _, qs := range [][]Query{{{Protocol: model.ProtocolTCP, Port: 8080}}, tcpAtoms} {
				e := s.newMatrixLayout().engine(qs)
				for _, fe := range e.fe {
					if fe == nil {
						continue
					}
					want, wantMids := skeletonsOf(fe, nil, false)
					for _, reverse := range []bool{false, true} {
						memo := s.newTailMemo(len(fe.colAddr))
						got, gotMids := skeletonsOf(fe, memo, reverse)
						require.Equal(t, want, got, "skeletons with the tail memo (reverse %v, %d atoms)", reverse, len(qs))
						require.Equal(t, wantMids, gotMids, "middle sets with the tail memo (reverse %v, %d atoms)", reverse, len(qs))
						entries := 0
						for i := range memo.rows {
							if row := memo.rows[i].Load(); row != nil {
								for j := range *row {
									if (*row)[j].Load() != nil {
										entries++
									}
								}
							}
						}
						require.Positive(t, entries, "tails walked")
						require.Less(t, entries*2, len(want), "most skeleton walks share a tail")

						memo = s.newTailMemo(len(fe.colAddr))
						memo.ignoreSource = true
						got, _ = skeletonsOf(fe, memo, reverse)
						for i := range want {
							if got[i] != want[i] {
								wrongWhenShared = true
							}
						}
					}
				}
			}
			if name == "tailsNet" {
				e := s.newMatrixLayout().engine([]Query{{Protocol: model.ProtocolTCP, Port: 8080}})
				require.True(t, wrongWhenShared, "sharing the tail that reads the source address (S-42) changes a skeleton")
				e.buildTable(nil)
				var buf []sgeval.PortDecision
				for a := range e.classes {
					for b := range e.classes {
						if a != b {
							require.Equal(t, e.reach(int32(a), int32(b)), e.pair(int32(a), int32(b), &buf),
								"%s -> %s tcp/8080", e.classes[a].Members[0], e.classes[b].Members[0])
						}
					}
				}
				q := Query{From: "i-a", To: "i-c", Protocol: model.ProtocolTCP, Port: 8080}
				require.False(t, s.reachQuery(q, verdictRec{}).Reachable(), "i-a -> i-c: transit through pcx-bc (S-42)")
				q.From = "i-b"
				require.True(t, s.reachQuery(q, verdictRec{}).Reachable(), "i-b -> i-c through the gateway and pcx-bc")
			}
		})
	}
}

// TestSummarizeReadsTheColumnsInterfaceAsItsRecord checks summarize's
// shortcut for a walk delivered to its column's own interface (colENI):
// every skeleton equals the one summed up from the interface's record
// (the shortcut off), on generated networks with overlapping blocks and
// on two VPCs of one block with an instance at one address each, where a
// walk from one VPC toward the other's column delivers to its own VPC's
// interface (S-10's local route); some do, so the check can fail.
func TestSummarizeReadsTheColumnsInterfaceAsItsRecord(t *testing.T) {
	twins, _, err := model.LoadBytes("twins.yaml", []byte(`version: 1
vpcs:
  - id: vpc-a
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    subnets: [{id: sn-a, az: eu-west-1a, cidr_block: 10.0.0.0/24}]
    security_groups: [{id: sg-a, description: a, ingress: [{protocol: all, sources: [10.0.0.0/8]}]}]
    instances:
      - {id: i-a1, subnet: sn-a, private_ip: 10.0.0.10, security_groups: [sg-a]}
      - {id: i-a2, subnet: sn-a, private_ip: 10.0.0.20, security_groups: [sg-a]}
  - id: vpc-b
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    subnets: [{id: sn-b, az: eu-west-1a, cidr_block: 10.0.0.0/24}]
    security_groups: [{id: sg-b, description: b, ingress: [{protocol: all, sources: [10.0.0.0/8]}]}]
    instances:
      - {id: i-b1, subnet: sn-b, private_ip: 10.0.0.10, security_groups: [sg-b]}
      - {id: i-b3, subnet: sn-b, private_ip: 10.0.0.30, security_groups: [sg-b]}
`))
	require.NoError(t, err)
	nets := map[string]*model.Model{"twins": twins}
	for _, o := range []gen.Options{
		{VPCs: 12, Seed: 2, InstancesPerVPC: 8, OverlapEvery: 4, DualStack: true},
		{VPCs: 10, Seed: 5, InstancesPerVPC: 6, OverlapEvery: 3},
	} {
		nets[fmt.Sprintf("vpcs=%d,seed=%d", o.VPCs, o.Seed)] = gen.Generate(o)
	}
	elsewhere := 0
	for name, m := range nets {
		t.Run(name, func(t *testing.T) {
			s, err := New(m)
			require.NoError(t, err)
			e := s.newMatrixLayout().engine([]Query{{Protocol: model.ProtocolTCP, Port: 8080}})
			for _, fe := range e.fe {
				if fe == nil {
					continue
				}
				got, _ := skeletonsOf(fe, nil, false)
				ownENI := fe.colENI
				fe.colENI = make([]int32, len(ownENI))
				for c := range fe.colENI {
					fe.colENI[c] = -1 // no walk ends at its column's interface
				}
				want, _ := skeletonsOf(fe, nil, false)
				fe.colENI = ownENI
				require.Equal(t, want, got, "skeletons with the column's interface")
				for i, k := range want {
					if k.status == skelPlain && k.vpc != fe.colVPC[i%len(fe.colAddr)] {
						elsewhere++
					}
				}
			}
		})
	}
	require.Positive(t, elsewhere, "walks delivered in another VPC than their column's interface's")
}
