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
