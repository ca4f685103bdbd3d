package solver_test

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// iface is an instance or network interface and its subnet.
type iface struct{ id, subnet model.ID }

func interfaces(m *model.Model) []iface {
	var out []iface
	for _, v := range m.VPCs {
		for _, in := range v.Instances {
			out = append(out, iface{in.ID, in.Subnet})
		}
		for _, ni := range v.NetworkInterfaces {
			out = append(out, iface{ni.ID, ni.Subnet})
		}
	}
	return out
}

// checkMatrixByBruteForce compares the subnet matrix, and the instance
// matrix, with point queries between every two interfaces.
func checkMatrixByBruteForce(t *testing.T, m *model.Model, s *solver.Solver, q solver.Query) {
	t.Helper()
	ifs := interfaces(m)
	pointSubnet := map[[2]model.ID]bool{}
	pointIface := map[[2]model.ID]bool{}
	for _, a := range ifs {
		for _, b := range ifs {
			if a.id == b.id {
				continue
			}
			pq := q
			pq.From, pq.To = string(a.id), string(b.id)
			if s.Reach(pq).Reachable() {
				pointSubnet[[2]model.ID{a.subnet, b.subnet}] = true
				pointIface[[2]model.ID{a.id, b.id}] = true
			}
		}
	}
	what := fmt.Sprintf("%s/%d", q.Protocol, q.Port)
	for _, level := range []solver.MatrixLevel{solver.LevelSubnet, solver.LevelInstance} {
		mx := s.Matrix(q, level, solver.AnalysisOptions{})
		want := pointIface
		if level == solver.LevelSubnet {
			want = pointSubnet
		}
		got := map[[2]model.ID]bool{}
		for a, row := range mx.Reach {
			require.True(t, slices.IsSorted(row))
			for _, b := range row {
				got[[2]model.ID{mx.Nodes[a], mx.Nodes[b]}] = true
			}
		}
		// MatrixRows answers alike by row, by count and by cell.
		rows := s.MatrixRows(q, level, solver.AnalysisOptions{})
		require.Equal(t, mx.Nodes, rows.Nodes)
		for a := range rows.Nodes {
			require.Equal(t, mx.Reach[a], rows.Row(a, nil), "%s row of %s", level, rows.Nodes[a])
			require.Equal(t, len(mx.Reach[a]), rows.Count(a))
			require.Equal(t, []int{-1}, rows.Row(a, []int{-1})[:1], "Row appends to dst")
			for b := range rows.Nodes {
				require.Equal(t, got[[2]model.ID{rows.Nodes[a], rows.Nodes[b]}], rows.Reaches(a, b), "%s %s -> %s", level, rows.Nodes[a], rows.Nodes[b])
			}
		}
		for k := range want {
			if !got[k] {
				t.Errorf("%s matrix %s: misses %s -> %s", level, what, k[0], k[1])
			}
		}
		for k := range got {
			if !want[k] {
				t.Errorf("%s matrix %s: has %s -> %s, which no point query reaches", level, what, k[0], k[1])
			}
		}
		if t.Failed() {
			t.FailNow()
		}
	}
}

var matrixQueries = []solver.Query{
	{Protocol: model.ProtocolTCP, Port: 8080},
	{Protocol: model.ProtocolTCP, Port: 5432},
	{Protocol: model.ProtocolTCP, Port: 443, Ephemeral: model.PortRange{First: 32768, Last: 60999}},
	{Protocol: model.ProtocolICMP},
	{Protocol: model.ProtocolICMPv6},
}

// TestSubnetMatrixByBruteForce checks the subnet and instance matrices
// against point queries between every two interfaces of small generated
// topologies, some with planted odd cases.
func TestSubnetMatrixByBruteForce(t *testing.T) {
	type tc struct {
		name string
		m    *model.Model
	}
	var cases []tc
	for seed := uint64(1); seed <= 3; seed++ {
		cases = append(cases, tc{fmt.Sprintf("generated/seed=%d", seed),
			gen.Generate(gen.Options{VPCs: 7 + 3*int(seed), Seed: seed, InstancesPerVPC: 7})})
	}
	cases = append(cases,
		tc{"overlaps", gen.Generate(gen.Options{VPCs: 10, Seed: 5, InstancesPerVPC: 6, OverlapEvery: 3})},
		tc{"planted/seed=4", plantOddCases(t, gen.Generate(gen.Options{VPCs: 12, Seed: 4, InstancesPerVPC: 8}))},
		tc{"planted/seed=6", plantOddCases(t, gen.Generate(gen.Options{VPCs: 15, Seed: 6, InstancesPerVPC: 6, Regions: []string{"eu-west-1", "us-east-1"}}))},
		// Dual-stack: pairs reach by either family (per-family skeletons).
		tc{"dual-stack/seed=1", gen.Generate(gen.Options{VPCs: 10, Seed: 1, InstancesPerVPC: 7, DualStack: true})},
		tc{"dual-stack+overlaps", gen.Generate(gen.Options{VPCs: 10, Seed: 5, InstancesPerVPC: 6, OverlapEvery: 3, DualStack: true})},
		tc{"dual-stack+planted/seed=4", plantOddCases(t, gen.Generate(gen.Options{VPCs: 12, Seed: 4, InstancesPerVPC: 8, DualStack: true}))},
	)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := solver.New(c.m)
			require.NoError(t, err)
			for _, q := range matrixQueries {
				checkMatrixByBruteForce(t, c.m, s, q)
			}
		})
	}
	t.Run("test-network", func(t *testing.T) {
		m, _, err := model.LoadFiles("testdata/network.yaml")
		require.NoError(t, err)
		s, err := solver.New(m)
		require.NoError(t, err)
		for _, q := range append(matrixQueries, solver.Query{Protocol: model.ProtocolTCP, Port: 22}, solver.Query{Protocol: model.ProtocolAll}) {
			checkMatrixByBruteForce(t, m, s, q)
		}
	})
}

// plantOddCases changes a generated topology so that the matrix meets
// what generated networks lack: network ACL rules narrower than a subnet,
// appliance routes (source/destination check off and on), a NAT gateway on
// the way between VPCs, stopped instances, security group references
// across a peering and across a transit gateway with referencing on,
// instances in transit gateway attachment subnets, and a network
// interface.
func plantOddCases(t *testing.T, m *model.Model) *model.Model {
	t.Helper()
	byID := map[model.ID]*model.VPC{}
	for i := range m.VPCs {
		byID[m.VPCs[i].ID] = &m.VPCs[i]
	}
	subnet := func(v *model.VPC, tier string, z int) *model.Subnet {
		n := 0
		for i := range v.Subnets {
			if strings.Contains(string(v.Subnets[i].ID), "-"+tier+"-") {
				if n == z {
					return &v.Subnets[i]
				}
				n++
			}
		}
		return nil
	}
	instancesIn := func(v *model.VPC, sn model.ID) []*model.Instance {
		var out []*model.Instance
		for i := range v.Instances {
			if v.Instances[i].Subnet == sn {
				out = append(out, &v.Instances[i])
			}
		}
		return out
	}
	table := func(v *model.VPC, id model.ID) *model.RouteTable {
		for i := range v.RouteTables {
			if v.RouteTables[i].ID == id {
				return &v.RouteTables[i]
			}
		}
		return nil
	}
	// Stopped instances.
	for vi := range m.VPCs {
		for ii := range m.VPCs[vi].Instances {
			if (vi+ii)%9 == 4 {
				m.VPCs[vi].Instances[ii].State = model.InstanceStopped
			}
		}
	}
	// Network ACL rules narrower than a subnet: the data ACL of VPC 1
	// denies outbound to the first /27 of VPC 2's first app subnet, and
	// inbound from the upper half of VPC 3's first app subnet.
	v1, v2, v3 := &m.VPCs[1], &m.VPCs[2], &m.VPCs[3]
	acl := &v1.NetworkACLs[0]
	app2 := subnet(v2, "app", 0).CIDRBlock
	app3 := subnet(v3, "app", 0).CIDRBlock
	acl.Egress = append(acl.Egress, model.ACLRule{Rule: 50, Protocol: model.ProtocolAll, CIDR: netip.PrefixFrom(app2.Addr(), 27), Action: model.ACLDeny})
	upper := netip.PrefixFrom(netip.AddrFrom4(func() [4]byte { b := app3.Addr().As4(); b[3] = 128; return b }()), 25)
	acl.Ingress = append(acl.Ingress, model.ACLRule{Rule: 50, Protocol: model.ProtocolTCP, Ports: &model.PortRange{First: 1, Last: 65535}, CIDR: upper, Action: model.ACLDeny})
	// Appliance routes in VPC 4's private tables: to VPC 5 through an app
	// instance with the check off, to VPC 6 through one with it on.
	v4 := &m.VPCs[4]
	apps := instancesIn(v4, subnet(v4, "app", 0).ID)
	off := false
	apps[0].SourceDestCheck = &off
	routed := map[netip.Prefix]bool{}
	for _, rt := range v4.RouteTables {
		for _, r := range rt.Routes {
			routed[r.Destination.CIDR] = true
		}
	}
	var through []netip.Prefix
	for j := 5; len(through) < 2; j++ {
		if c := m.VPCs[j].CIDRBlocks[0]; !routed[c] {
			through = append(through, c)
		}
	}
	// The appliances' own subnet keeps the original routes.
	fwSubnet := subnet(v4, "app", 0)
	fw := *table(v4, fwSubnet.RouteTable)
	fw.ID, fw.Main, fw.Routes = "rtb-planted-appliances", false, slices.Clone(fw.Routes)
	fwSubnet.RouteTable = fw.ID
	defer func() { v4.RouteTables = append(v4.RouteTables, fw) }()
	done := map[model.ID]bool{}
	for _, sn := range v4.Subnets {
		if rt := table(v4, sn.RouteTable); rt != nil && strings.Contains(string(rt.ID), "private") && !done[rt.ID] {
			done[rt.ID] = true
			rt.Routes = append(rt.Routes,
				model.Route{Destination: model.Destination{CIDR: through[0]}, Target: apps[0].ID},
				model.Route{Destination: model.Destination{CIDR: through[1]}, Target: apps[1].ID})
		}
	}
	// A NAT gateway on the way: the hub's private table sends VPC 7
	// through its NAT gateway.
	hub := &m.VPCs[0]
	for i := range hub.RouteTables {
		rt := &hub.RouteTables[i]
		if strings.Contains(string(rt.ID), "private") {
			var nat model.ID
			for _, r := range rt.Routes {
				if r.Destination.CIDR.Bits() == 0 && r.Destination.CIDR.Addr().Is4() {
					nat = r.Target
				}
			}
			rt.Routes = append(rt.Routes, model.Route{Destination: model.Destination{CIDR: m.VPCs[7].CIDRBlocks[0]}, Target: nat})
		}
	}
	// Security group references across a peering and across a transit
	// gateway with referencing on.
	require.NotEmpty(t, m.PeeringConnections)
	p := m.PeeringConnections[0]
	a, b := byID[p.Requester], byID[p.Accepter]
	for _, pair := range [][2]*model.VPC{{a, b}, {v2, v3}} {
		from, to := pair[0], pair[1]
		for gi := range to.SecurityGroups {
			g := &to.SecurityGroups[gi]
			if strings.HasSuffix(string(g.ID), "-db") {
				g.Ingress = append(g.Ingress, model.IngressRule{SGRule: model.SGRule{Protocol: model.ProtocolTCP, Ports: &model.PortRange{First: 5432, Last: 5432}},
					Sources: []model.Peer{{Ref: model.ID(strings.TrimSuffix(string(from.SecurityGroups[0].ID), "-web") + "-app")}}})
			}
		}
	}
	m.TransitGateways[0].SecurityGroupReferencing = true
	// Instances in attachment subnets, one of them a network interface.
	for k, v := range []*model.VPC{v2, v3} {
		sn := subnet(v, "tgw", 0)
		b := sn.CIDRBlock.Addr().As4()
		b[3] += 6
		addr := netip.AddrFrom4(b)
		if k == 0 {
			v.Instances = append(v.Instances, model.Instance{ID: model.ID("i-planted-" + string(v.ID)),
				Interface: model.Interface{Subnet: sn.ID, PrivateIP: addr, SecurityGroups: []model.ID{v.SecurityGroups[1].ID}}})
		} else {
			v.NetworkInterfaces = append(v.NetworkInterfaces, model.NetworkInterface{ID: model.ID("eni-planted-" + string(v.ID)),
				Interface: model.Interface{Subnet: sn.ID, PrivateIP: addr, SecurityGroups: []model.ID{v.SecurityGroups[1].ID}}})
		}
	}
	return m
}

// TestSubnetMatrixGroupsMemoTellsPathsAndAtomsApart checks the subnet
// matrix's memo of the groups check between two subnets' classes, kept by
// their group sets and security group atoms and by the two reference
// flags of the path, on subnets whose classes share their groups (S-22):
// sn-t and sn-u reach sn-y, whose group admits sg-x by reference, by a
// transit gateway with referencing on and by one with it off; sn-p and
// sn-q, whose group sends to sg-z by reference only, reach sn-z by a
// peering and by the transit gateway with referencing on, which keeps
// inbound references only; sn-a and sn-b reach sn-d, whose group admits
// sn-a's block only (S-20). Each source subnet holds two classes (the
// second's instance has sg-w too, which changes no answer), so that the
// check goes through the memo. A memo that did not tell the two of a
// pair apart would give the second subnet the first's answer.
func TestSubnetMatrixGroupsMemoTellsPathsAndAtomsApart(t *testing.T) {
	topo := `version: 1
vpcs:
  - id: vpc-x
    region: eu-west-1
    cidr_blocks: [10.10.0.0/16]
    subnets:
      - {id: sn-t, az: eu-west-1a, cidr_block: 10.10.4.0/24, route_table: rtb-t}
      - {id: sn-u, az: eu-west-1a, cidr_block: 10.10.6.0/24, route_table: rtb-u}
      - {id: sn-p, az: eu-west-1a, cidr_block: 10.10.7.0/24, route_table: rtb-p}
      - {id: sn-q, az: eu-west-1a, cidr_block: 10.10.8.0/24, route_table: rtb-t}
      - {id: sn-a, az: eu-west-1a, cidr_block: 10.10.3.0/24}
      - {id: sn-b, az: eu-west-1a, cidr_block: 10.10.5.0/24}
      - {id: sn-d, az: eu-west-1a, cidr_block: 10.10.11.0/24}
      - {id: sn-xatt, az: eu-west-1a, cidr_block: 10.10.9.0/24}
      - {id: sn-xatt2, az: eu-west-1a, cidr_block: 10.10.10.0/24}
    route_tables:
      - {id: rtb-x, main: true}
      - {id: rtb-p, routes: [{destination: 10.20.0.0/16, target: pcx}]}
      - {id: rtb-t, routes: [{destination: 10.20.0.0/16, target: tgw}]}
      - {id: rtb-u, routes: [{destination: 10.20.0.0/16, target: tgw2}]}
    security_groups:
      - {id: sg-x, description: x}
      - {id: sg-e, description: e, egress: [{protocol: tcp, ports: 9000, destinations: [sg-z]}]}
      - {id: sg-d, description: d, ingress: [{protocol: tcp, ports: 9000, sources: [10.10.3.0/24]}]}
      - {id: sg-w, description: w, egress: [{protocol: tcp, ports: 9000, destinations: [sg-z]}]}
    instances:
      - {id: i-t, subnet: sn-t, private_ip: 10.10.4.10, security_groups: [sg-x]}
      - {id: i-t2, subnet: sn-t, private_ip: 10.10.4.11, security_groups: [sg-x, sg-w]}
      - {id: i-u, subnet: sn-u, private_ip: 10.10.6.10, security_groups: [sg-x]}
      - {id: i-u2, subnet: sn-u, private_ip: 10.10.6.11, security_groups: [sg-x, sg-w]}
      - {id: i-p, subnet: sn-p, private_ip: 10.10.7.10, security_groups: [sg-e]}
      - {id: i-p2, subnet: sn-p, private_ip: 10.10.7.11, security_groups: [sg-e, sg-w]}
      - {id: i-q, subnet: sn-q, private_ip: 10.10.8.10, security_groups: [sg-e]}
      - {id: i-q2, subnet: sn-q, private_ip: 10.10.8.11, security_groups: [sg-e, sg-w]}
      - {id: i-a, subnet: sn-a, private_ip: 10.10.3.10, security_groups: [sg-x]}
      - {id: i-a2, subnet: sn-a, private_ip: 10.10.3.11, security_groups: [sg-x, sg-w]}
      - {id: i-b, subnet: sn-b, private_ip: 10.10.5.10, security_groups: [sg-x]}
      - {id: i-b2, subnet: sn-b, private_ip: 10.10.5.11, security_groups: [sg-x, sg-w]}
      - {id: i-d, subnet: sn-d, private_ip: 10.10.11.10, security_groups: [sg-d]}
  - id: vpc-y
    region: eu-west-1
    cidr_blocks: [10.20.0.0/16]
    subnets:
      - {id: sn-y, az: eu-west-1a, cidr_block: 10.20.1.0/24}
      - {id: sn-z, az: eu-west-1a, cidr_block: 10.20.2.0/24}
      - {id: sn-yatt, az: eu-west-1a, cidr_block: 10.20.9.0/24}
      - {id: sn-yatt2, az: eu-west-1a, cidr_block: 10.20.10.0/24}
    route_tables:
      - id: rtb-y
        main: true
        routes:
          - {destination: 10.10.7.0/24, target: pcx}
          - {destination: 10.10.4.0/24, target: tgw}
          - {destination: 10.10.8.0/24, target: tgw}
          - {destination: 10.10.6.0/24, target: tgw2}
    security_groups:
      - {id: sg-y, description: y, ingress: [{protocol: tcp, ports: 9000, sources: [sg-x]}]}
      - {id: sg-z, description: z, ingress: [{protocol: tcp, ports: 9000, sources: [10.10.0.0/16]}]}
    instances:
      - {id: i-y, subnet: sn-y, private_ip: 10.20.1.10, security_groups: [sg-y]}
      - {id: i-z, subnet: sn-z, private_ip: 10.20.2.10, security_groups: [sg-z]}
peering_connections: [{id: pcx, requester: vpc-x, accepter: vpc-y}]
transit_gateways:
  - id: tgw
    region: eu-west-1
    security_group_referencing: true
    route_tables: [{id: rtb}]
    attachments:
      - {id: att-x, type: vpc, vpc: vpc-x, subnets: [sn-xatt], association: rtb, propagations: [rtb]}
      - {id: att-y, type: vpc, vpc: vpc-y, subnets: [sn-yatt], association: rtb, propagations: [rtb]}
  - id: tgw2
    region: eu-west-1
    security_group_referencing: false
    route_tables: [{id: rtb2}]
    attachments:
      - {id: att-x2, type: vpc, vpc: vpc-x, subnets: [sn-xatt2], association: rtb2, propagations: [rtb2]}
      - {id: att-y2, type: vpc, vpc: vpc-y, subnets: [sn-yatt2], association: rtb2, propagations: [rtb2]}
`
	m, _, err := model.LoadBytes("t.yaml", []byte(topo))
	require.NoError(t, err)
	s, err := solver.New(m)
	require.NoError(t, err)
	q := solver.Query{Protocol: model.ProtocolTCP, Port: 9000}
	mx := s.Matrix(q, solver.LevelSubnet, solver.AnalysisOptions{})
	got := map[[2]model.ID]bool{}
	for a, row := range mx.Reach {
		for _, b := range row {
			got[[2]model.ID{mx.Nodes[a], mx.Nodes[b]}] = true
		}
	}
	for _, c := range []struct {
		from, to string
		want     bool
	}{
		{"i-t", "i-y", true}, {"i-u", "i-y", false},
		{"i-p", "i-z", true}, {"i-q", "i-z", false},
		{"i-a", "i-d", true}, {"i-b", "i-d", false},
	} {
		pq := q
		pq.From, pq.To = c.from, c.to
		require.Equal(t, c.want, s.Reach(pq).Reachable(), "Reach(%s -> %s)", c.from, c.to)
		from, to := "sn-"+c.from[2:], "sn-"+c.to[2:]
		require.Equal(t, c.want, got[[2]model.ID{model.ID(from), model.ID(to)}], "subnet matrix %s -> %s", from, to)
	}
	checkMatrixByBruteForce(t, m, s, q)
}
