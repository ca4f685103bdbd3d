package overlap_test

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/overlap"
)

// classesTopology plants one overlap of each class.
const classesTopology = `version: 1
vpcs:
  - {id: vpc-peer-a, region: eu-west-1, cidr_blocks: [10.1.0.0/16]}
  - {id: vpc-peer-b, region: eu-west-1, cidr_blocks: [10.1.0.0/20]}
  - id: vpc-tgw-a
    region: eu-west-1
    cidr_blocks: [10.2.0.0/16]
    subnets: [{id: sn-tgw-a, az: eu-west-1a, cidr_block: 10.2.0.0/24}]
  - id: vpc-tgw-b
    region: eu-west-1
    cidr_blocks: [10.2.0.0/16]
    subnets: [{id: sn-tgw-b, az: eu-west-1a, cidr_block: 10.2.0.0/24}]
  - id: vpc-hop-a
    region: eu-west-1
    cidr_blocks: [10.3.0.0/16]
    subnets: [{id: sn-hop-a, az: eu-west-1a, cidr_block: 10.3.0.0/24}]
  - id: vpc-hop-b
    region: us-east-1
    cidr_blocks: [10.3.128.0/17]
    subnets: [{id: sn-hop-b, az: us-east-1a, cidr_block: 10.3.128.0/24}]
  - id: vpc-consumer
    region: eu-west-1
    cidr_blocks: [10.4.0.0/16]
    subnets: [{id: sn-consumer, az: eu-west-1a, cidr_block: 10.4.0.0/24}]
    endpoints:
      - {id: vpce-consumer, type: interface, service: vpce-svc-provider, subnets: [sn-consumer]}
  - id: vpc-provider
    region: eu-west-1
    cidr_blocks: [10.4.0.0/16]
    subnets: [{id: sn-provider, az: eu-west-1a, cidr_block: 10.4.0.0/24}]
    load_balancers: [{id: nlb-provider, type: network, scheme: internal, subnets: [sn-provider]}]
  - {id: vpc-lonely-a, region: eu-west-1, cidr_blocks: [10.5.0.0/16]}
  - {id: vpc-lonely-b, region: eu-west-1, cidr_blocks: [10.5.0.0/16]}
  - {id: vpc-vpn, region: eu-west-1, cidr_blocks: [192.168.0.0/16], vpn_gateway: vgw-1}
external_networks:
  - {id: onprem, cidrs: [192.168.10.0/24], via: vgw-1}
peering_connections:
  - {id: pcx-bad, requester: vpc-peer-a, accepter: vpc-peer-b}
endpoint_services:
  - {id: vpce-svc-provider, region: eu-west-1, load_balancers: [nlb-provider]}
transit_gateways:
  - id: tgw-1
    region: eu-west-1
    route_tables: [{id: tgw-rtb-shared}, {id: tgw-rtb-a}]
    attachments:
      - {id: att-a, type: vpc, vpc: vpc-tgw-a, subnets: [sn-tgw-a], association: tgw-rtb-shared, propagations: [tgw-rtb-shared]}
      - {id: att-b, type: vpc, vpc: vpc-tgw-b, subnets: [sn-tgw-b], association: tgw-rtb-shared, propagations: [tgw-rtb-shared]}
      - {id: att-hop-a, type: vpc, vpc: vpc-hop-a, subnets: [sn-hop-a], association: tgw-rtb-a, propagations: [tgw-rtb-a]}
      - {id: att-peer-1, type: peering, peer: att-peer-2, association: tgw-rtb-a}
  - id: tgw-2
    region: us-east-1
    route_tables: [{id: tgw2-rtb}]
    attachments:
      - {id: att-hop-b, type: vpc, vpc: vpc-hop-b, subnets: [sn-hop-b], association: tgw2-rtb, propagations: [tgw2-rtb]}
      - {id: att-peer-2, type: peering, peer: att-peer-1, association: tgw2-rtb}
`

func TestOverlapClasses(t *testing.T) {
	// Parse only: the peering of overlapping VPCs is a validation error
	// (S-41), and the analysis must still classify it.
	m, err := model.Parse("classes.yaml", []byte(classesTopology))
	require.NoError(t, err)
	got := map[string]overlap.Overlap{}
	for _, o := range overlap.Find(m) {
		got[string(o.A.ID)+"~"+string(o.B.ID)] = o
	}
	tests := []struct {
		pair  string
		class overlap.Class
		sev   model.Severity
		via   []model.ID
		rule  string
	}{
		{"vpc-peer-a~vpc-peer-b", overlap.Peered, model.SeverityError, []model.ID{"pcx-bad"}, "S-41"},
		{"vpc-tgw-a~vpc-tgw-b", overlap.TGWRouteTable, model.SeverityWarning, []model.ID{"tgw-rtb-shared"}, "S-55"},
		{"vpc-hop-a~vpc-hop-b", overlap.Routed, model.SeverityWarning, []model.ID{"tgw-1", "tgw-2"}, ""},
		{"onprem~vpc-vpn", overlap.Routed, model.SeverityWarning, []model.ID{"vgw-1"}, ""},
		{"vpc-consumer~vpc-provider", overlap.PrivateLink, model.SeverityNote, []model.ID{"vpce-consumer"}, "S-74"},
		{"vpc-lonely-a~vpc-lonely-b", overlap.Unconnected, model.SeverityNote, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.pair, func(t *testing.T) {
			o, ok := got[tt.pair]
			require.True(t, ok, "overlap %s not found", tt.pair)
			assert.Equal(t, tt.class, o.Class, o.Message)
			assert.Equal(t, tt.sev, o.Severity())
			assert.Equal(t, tt.via, o.Via)
			assert.Equal(t, tt.rule, o.Rule)
		})
	}
	assert.Len(t, got, len(tests), "no overlap beyond the planted ones")
}

func TestOverlapThroughACommonRouter(t *testing.T) {
	// vpc-x is peered with vpc-y; vpc-y and vpc-z share a transit gateway.
	// Peering is not transitive (S-42), so x and z cannot talk, but vpc-y's
	// route tables need a route to each of them: ambiguous.
	m, err := model.Parse("t.yaml", []byte(`version: 1
vpcs:
  - {id: vpc-x, region: eu-west-1, cidr_blocks: [10.9.0.0/16]}
  - id: vpc-y
    region: eu-west-1
    cidr_blocks: [10.8.0.0/16]
    subnets: [{id: sn-y, az: eu-west-1a, cidr_block: 10.8.0.0/24}]
  - id: vpc-z
    region: eu-west-1
    cidr_blocks: [10.9.0.0/16]
    subnets: [{id: sn-z, az: eu-west-1a, cidr_block: 10.9.0.0/24}]
peering_connections: [{id: pcx-xy, requester: vpc-x, accepter: vpc-y}]
transit_gateways:
  - id: tgw
    region: eu-west-1
    route_tables: [{id: rtb-y}, {id: rtb-z}]
    attachments:
      - {id: att-y, type: vpc, vpc: vpc-y, subnets: [sn-y], association: rtb-y, propagations: [rtb-y]}
      - {id: att-z, type: vpc, vpc: vpc-z, subnets: [sn-z], association: rtb-z, propagations: [rtb-z]}
`))
	require.NoError(t, err)
	os := overlap.Find(m)
	require.Len(t, os, 1)
	assert.Equal(t, overlap.Routed, os[0].Class, os[0].Message)
	assert.Equal(t, []model.ID{"pcx-xy", "vpc-y", "tgw"}, os[0].Via)
}

func TestOverlapNotSeenByOneRouter(t *testing.T) {
	// x peered with y, z peered with w, y and w share a transit gateway:
	// y sees x and the transit side, w sees z; no router sees both x and
	// z, because peering is not transitive (S-42).
	m, err := model.Parse("t.yaml", []byte(`version: 1
vpcs:
  - {id: vpc-x, region: eu-west-1, cidr_blocks: [10.9.0.0/16]}
  - {id: vpc-z, region: eu-west-1, cidr_blocks: [10.9.0.0/16]}
  - id: vpc-y
    region: eu-west-1
    cidr_blocks: [10.8.0.0/16]
    subnets: [{id: sn-y, az: eu-west-1a, cidr_block: 10.8.0.0/24}]
  - id: vpc-w
    region: eu-west-1
    cidr_blocks: [10.7.0.0/16]
    subnets: [{id: sn-w, az: eu-west-1a, cidr_block: 10.7.0.0/24}]
peering_connections:
  - {id: pcx-xy, requester: vpc-x, accepter: vpc-y}
  - {id: pcx-zw, requester: vpc-z, accepter: vpc-w}
transit_gateways:
  - id: tgw
    region: eu-west-1
    route_tables: [{id: rtb}]
    attachments:
      - {id: att-y, type: vpc, vpc: vpc-y, subnets: [sn-y], association: rtb, propagations: [rtb]}
      - {id: att-w, type: vpc, vpc: vpc-w, subnets: [sn-w], association: rtb, propagations: [rtb]}
`))
	require.NoError(t, err)
	os := overlap.Find(m)
	require.Len(t, os, 1)
	assert.Equal(t, overlap.Unconnected, os[0].Class, os[0].Message)
}

func TestOverlapHubPeeredWithBoth(t *testing.T) {
	m, err := model.Parse("t.yaml", []byte(`version: 1
vpcs:
  - {id: vpc-hub, region: eu-west-1, cidr_blocks: [10.0.0.0/16]}
  - {id: vpc-a, region: eu-west-1, cidr_blocks: [10.1.0.0/16]}
  - {id: vpc-b, region: eu-west-1, cidr_blocks: [10.1.0.0/16]}
peering_connections:
  - {id: pcx-a, requester: vpc-hub, accepter: vpc-a}
  - {id: pcx-b, requester: vpc-hub, accepter: vpc-b}
`))
	require.NoError(t, err)
	os := overlap.Find(m)
	require.Len(t, os, 1)
	assert.Equal(t, overlap.Routed, os[0].Class, os[0].Message)
	assert.Equal(t, []model.ID{"pcx-a", "vpc-hub", "pcx-b"}, os[0].Via)
}

func TestOverlapsSweepMatchesAllPairs(t *testing.T) {
	// The sweep must find exactly the pairs a quadratic check finds.
	for seed := uint64(1); seed <= 20; seed++ {
		m := randomSpaces(seed, 60)
		want := map[string]bool{}
		for i, a := range m.VPCs {
			for j, b := range m.VPCs {
				if i < j && a.CIDRBlocks[0].Overlaps(b.CIDRBlocks[0]) {
					x, y := min(a.ID, b.ID), max(a.ID, b.ID)
					want[string(x)+"~"+string(y)] = true
				}
			}
		}
		got := map[string]bool{}
		for _, o := range overlap.Find(m) {
			got[string(o.A.ID)+"~"+string(o.B.ID)] = true
		}
		assert.Equal(t, want, got, "seed %d", seed)
	}
}

// randomSpaces returns n unconnected VPCs with random small-space CIDRs, so
// that many overlap.
func randomSpaces(seed uint64, n int) *model.Model {
	x := seed*0x9E3779B97F4A7C15 + 1
	next := func() uint64 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x }
	m := &model.Model{Version: 1}
	for i := range n {
		bits := 16 + int(next()%9)
		addr := netip.AddrFrom4([4]byte{10, byte(next() % 4), byte(next()), 0})
		p := netip.PrefixFrom(addr, bits).Masked()
		m.VPCs = append(m.VPCs, model.VPC{ID: model.ID(fmt.Sprintf("vpc-%03d", i)), Region: "r", CIDRBlocks: []netip.Prefix{p}})
	}
	return m
}

func TestOverlapsDeterministic(t *testing.T) {
	m := syntheticOrg(2000)
	first := fmt.Sprint(overlap.Find(m))
	for range 3 {
		assert.Equal(t, first, fmt.Sprint(overlap.Find(m)))
	}
}

// syntheticOrg builds n VPCs with distinct /22 blocks of 10.0.0.0/8 (in a
// scrambled order), except that every 100th VPC reuses its predecessor's
// block; groups of 1,000 VPCs share a transit gateway route table, and every
// 50th VPC is peered with the next.
func syntheticOrg(n int) *model.Model {
	m := &model.Model{Version: 1}
	slot := func(i int) int { return (i * 7919) % 16384 }
	for i := range n {
		s := slot(i)
		if i%100 == 99 {
			s = slot(i - 1)
		}
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(s >> 6), byte(s&63) << 2, 0}), 22)
		m.VPCs = append(m.VPCs, model.VPC{ID: model.ID(fmt.Sprintf("vpc-%05d", i)), Region: "eu-west-1", CIDRBlocks: []netip.Prefix{p}})
	}
	for g := 0; g*1000 < n; g++ {
		t := model.TransitGateway{ID: model.ID(fmt.Sprintf("tgw-%d", g)), Region: "eu-west-1",
			RouteTables: []model.TGWRouteTable{{ID: model.ID(fmt.Sprintf("tgw-rtb-%d", g))}}}
		for i := g * 1000; i < min(n, (g+1)*1000); i++ {
			t.Attachments = append(t.Attachments, model.TGWAttachment{ID: model.ID(fmt.Sprintf("att-%05d", i)), Type: model.AttachmentVPC,
				VPC: m.VPCs[i].ID, Propagations: []model.ID{t.RouteTables[0].ID}})
		}
		m.TransitGateways = append(m.TransitGateways, t)
	}
	for i := 0; i+1 < n; i += 50 {
		m.PeeringConnections = append(m.PeeringConnections, model.PeeringConnection{ID: model.ID(fmt.Sprintf("pcx-%05d", i)), Requester: m.VPCs[i].ID, Accepter: m.VPCs[i+1].ID})
	}
	return m
}

func BenchmarkOverlaps(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		m := syntheticOrg(n)
		b.Run(fmt.Sprintf("vpcs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var found int
			for b.Loop() {
				found = len(overlap.Find(m))
			}
			b.ReportMetric(float64(found), "overlaps")
		})
	}
}

// denseOrg builds n VPCs with random /16 blocks of 10.0.0.0/8 and
// 172.16.0.0/12 (272 blocks: about n²/544 overlapping pairs), attached in
// turn to two peered transit gateways without propagations, so that
// every overlap is routed.
func denseOrg(n int) *model.Model {
	x := uint64(0x9E3779B97F4A7C15)
	next := func() uint64 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x }
	m := &model.Model{Version: 1}
	tgws := []model.TransitGateway{{ID: "tgw-0", Region: "eu-west-1"}, {ID: "tgw-1", Region: "eu-west-1"}}
	for i := range n {
		var p netip.Prefix
		if k := next() % 272; k < 256 {
			p = netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(k), 0, 0}), 16)
		} else {
			p = netip.PrefixFrom(netip.AddrFrom4([4]byte{172, byte(16 + k - 256), 0, 0}), 16)
		}
		v := model.VPC{ID: model.ID(fmt.Sprintf("vpc-%05d", i)), Region: "eu-west-1", CIDRBlocks: []netip.Prefix{p}}
		m.VPCs = append(m.VPCs, v)
		t := &tgws[i%2]
		t.Attachments = append(t.Attachments, model.TGWAttachment{ID: model.ID(fmt.Sprintf("att-%05d", i)), Type: model.AttachmentVPC, VPC: v.ID})
	}
	tgws[0].Attachments = append(tgws[0].Attachments, model.TGWAttachment{ID: "tgw-attach-peer-0", Type: model.AttachmentPeering, Peer: "tgw-attach-peer-1"})
	tgws[1].Attachments = append(tgws[1].Attachments, model.TGWAttachment{ID: "tgw-attach-peer-1", Type: model.AttachmentPeering, Peer: "tgw-attach-peer-0"})
	m.TransitGateways = tgws
	return m
}

// BenchmarkOverlapsDense is issue 17's case: 10,000 VPCs whose blocks
// overlap in about 180,000 pairs, all routed through two transit
// gateways.
func BenchmarkOverlapsDense(b *testing.B) {
	m := denseOrg(10000)
	b.ReportAllocs()
	var found int
	for b.Loop() {
		found = len(overlap.Find(m))
	}
	b.ReportMetric(float64(found), "overlaps")
}
