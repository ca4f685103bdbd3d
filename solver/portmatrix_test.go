package solver_test

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/internal/oracle"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/portset"
	"github.com/vpcreach/vpcreach/solver"
)

// checkPortMatrixByBruteForce compares the instance-level port matrix with
// point queries between every two interfaces, on every service atom: its
// probe port and a random port inside it, which must agree (an atom is a
// range no rule splits).
func checkPortMatrixByBruteForce(t *testing.T, m *model.Model, s *solver.Solver, r *rand.Rand) {
	t.Helper()
	ifs := interfaces(m)
	pm := s.PortMatrix(solver.LevelInstance, solver.AnalysisOptions{})
	got := map[[2]model.ID]portset.Set{}
	for a, row := range pm.Reach {
		for i, c := range row {
			require.False(t, c.Ports.IsEmpty(), "an empty cell is listed")
			if i > 0 {
				require.Less(t, row[i-1].To, c.To, "cells are not sorted")
			}
			got[[2]model.ID{pm.Nodes[a], pm.Nodes[c.To]}] = c.Ports
		}
	}
	atoms := s.ServiceAtoms()
	for _, a := range ifs {
		for _, b := range ifs {
			if a.id == b.id {
				continue
			}
			cell := got[[2]model.ID{a.id, b.id}]
			for _, atom := range atoms {
				q := atom.Query(string(a.id), string(b.id))
				want := s.Reach(q).Reachable()
				if atom.Protocol.HasPorts() && atom.Ports.First < atom.Ports.Last {
					q.Port = atom.Ports.First + uint16(r.IntN(int(atom.Ports.Last-atom.Ports.First)+1))
					require.Equal(t, want, s.Reach(q).Reachable(), "%s -> %s: port %d disagrees with its atom %v", a.id, b.id, q.Port, atom)
				}
				if cell.Contains(atom.Protocol, q.Port) != want {
					t.Fatalf("%s -> %s %s/%d: port matrix says %v (%v), Reach says %v", a.id, b.id, atom.Protocol, q.Port, !want, cell, want)
				}
			}
		}
	}
	// The subnet level is the instance level grouped by subnet.
	subnetOf := map[model.ID]model.ID{}
	for _, f := range ifs {
		subnetOf[f.id] = f.subnet
	}
	want := map[[2]model.ID]portset.Set{}
	for k, v := range got {
		sk := [2]model.ID{subnetOf[k[0]], subnetOf[k[1]]}
		want[sk] = want[sk].Union(v)
	}
	sm := s.PortMatrix(solver.LevelSubnet, solver.AnalysisOptions{})
	n := 0
	for a, row := range sm.Reach {
		for _, c := range row {
			k := [2]model.ID{sm.Nodes[a], sm.Nodes[c.To]}
			require.True(t, want[k].Equal(c.Ports), "subnet %s -> %s: %v, want %v", k[0], k[1], c.Ports, want[k])
			n++
		}
	}
	require.Equal(t, len(want), n, "subnet cells")
}

// portMatrixCase is a model the every-port matrix is checked on.
type portMatrixCase struct {
	name string
	m    *model.Model
}

// portMatrixCases are generated topologies (two plain, one with planted
// odd cases), the oracle's random models of seeds 1..oracleSeeds and the
// seed topologies.
func portMatrixCases(t *testing.T, oracleSeeds uint64) []portMatrixCase {
	var cases []portMatrixCase
	for seed := uint64(1); seed <= 2; seed++ {
		cases = append(cases, portMatrixCase{fmt.Sprintf("generated/seed=%d", seed),
			gen.Generate(gen.Options{VPCs: 5 + 2*int(seed), Seed: seed, InstancesPerVPC: 5})})
	}
	cases = append(cases,
		portMatrixCase{"planted/seed=4", plantOddCases(t, gen.Generate(gen.Options{VPCs: 8, Seed: 4, InstancesPerVPC: 5}))},
		portMatrixCase{"port-rules/seed=3", plantPortRules(gen.Generate(gen.Options{VPCs: 8, Seed: 3, InstancesPerVPC: 5}))},
		portMatrixCase{"port-rules+planted/seed=4", plantPortRules(plantOddCases(t, gen.Generate(gen.Options{VPCs: 8, Seed: 4, InstancesPerVPC: 5})))},
		portMatrixCase{"many-ports/seed=2", plantManyPorts(gen.Generate(gen.Options{VPCs: 5, Seed: 2, InstancesPerVPC: 4}))},
		portMatrixCase{"dual-stack/seed=1", gen.Generate(gen.Options{VPCs: 7, Seed: 1, InstancesPerVPC: 5, DualStack: true})},
		portMatrixCase{"dual-stack+port-rules+planted/seed=4", plantPortRules(plantOddCases(t, gen.Generate(gen.Options{VPCs: 8, Seed: 4, InstancesPerVPC: 5, DualStack: true})))},
	)
	for seed := uint64(1); seed <= oracleSeeds; seed++ {
		cases = append(cases, portMatrixCase{fmt.Sprintf("oracle/seed=%d", seed), oracle.Generate(seed)})
	}
	seeds, _ := filepath.Glob("../testdata/seed*.yaml")
	for _, f := range seeds {
		m, _, err := model.LoadFiles(f)
		require.NoError(t, err)
		cases = append(cases, portMatrixCase{filepath.Base(f), m})
	}
	return cases
}

// plantPortRules adds rules that tell ports and protocols apart where the
// generator's do not: a network ACL on the transit gateway attachment
// subnets of VPCs 1 to 3 and the app subnets of VPC 4 that denies some
// ports outright and others to some destinations only (so that the
// checks on a path's first, middle and last crossings pass some ports and
// not others), and security group rules for udp, icmp, ESP (protocol 50)
// and tcp ranges.
func plantPortRules(m *model.Model) *model.Model {
	all := netip.MustParsePrefix("0.0.0.0/0")
	internal := netip.MustParsePrefix("10.0.0.0/8")
	ports := func(first, last uint16) *model.PortRange { return &model.PortRange{First: first, Last: last} }
	esp := model.Protocol(50)
	acl := model.NetworkACL{ID: "acl-planted-ports",
		Ingress: []model.ACLRule{
			{Rule: 90, Protocol: model.ProtocolTCP, Ports: ports(5432, 5432), CIDR: all, Action: model.ACLDeny},
			{Rule: 95, Protocol: model.ProtocolTCP, Ports: ports(8000, 8099), CIDR: netip.PrefixFrom(m.VPCs[0].CIDRBlocks[0].Addr(), 17), Action: model.ACLDeny},
			{Rule: 100, Protocol: model.ProtocolTCP, Ports: ports(400, 9000), CIDR: internal, Action: model.ACLAllow},
			{Rule: 110, Protocol: model.ProtocolTCP, Ports: ports(49152, 65535), CIDR: all, Action: model.ACLAllow},
			{Rule: 120, Protocol: model.ProtocolUDP, Ports: ports(53, 53), CIDR: all, Action: model.ACLAllow},
			{Rule: 125, Protocol: model.ProtocolUDP, Ports: ports(49152, 65535), CIDR: all, Action: model.ACLAllow},
			{Rule: 130, Protocol: model.ProtocolICMP, CIDR: internal, Action: model.ACLAllow},
			{Rule: 140, Protocol: esp, CIDR: internal, Action: model.ACLAllow},
		},
		Egress: []model.ACLRule{
			{Rule: 90, Protocol: model.ProtocolTCP, Ports: ports(8080, 8080), CIDR: netip.PrefixFrom(m.VPCs[2].CIDRBlocks[0].Addr(), 17), Action: model.ACLDeny},
			{Rule: 95, Protocol: model.ProtocolUDP, Ports: ports(1, 65535), CIDR: netip.PrefixFrom(m.VPCs[3].CIDRBlocks[0].Addr(), 16), Action: model.ACLDeny},
			{Rule: 100, Protocol: model.ProtocolAll, CIDR: all, Action: model.ACLAllow},
		}}
	for vi := range m.VPCs {
		v := &m.VPCs[vi]
		if vi >= 1 && vi <= 4 {
			a := acl
			a.ID = model.ID(string(acl.ID) + "-" + string(v.ID))
			v.NetworkACLs = append(v.NetworkACLs, a)
			tier := "-tgw-"
			if vi == 4 {
				tier = "-app-"
			}
			for si := range v.Subnets {
				if strings.Contains(string(v.Subnets[si].ID), tier) {
					v.Subnets[si].NetworkACL = a.ID
				}
			}
		}
		for gi := range v.SecurityGroups {
			g := &v.SecurityGroups[gi]
			in := func(p model.Protocol, r *model.PortRange, src netip.Prefix) {
				g.Ingress = append(g.Ingress, model.IngressRule{SGRule: model.SGRule{Protocol: p, Ports: r}, Sources: []model.Peer{{CIDR: src}}})
			}
			switch {
			case strings.HasSuffix(string(g.ID), "-app"):
				in(model.ProtocolUDP, ports(53, 53), all)
				in(model.ProtocolICMP, nil, internal)
				in(model.ProtocolTCP, ports(8000, 8999), internal)
				in(esp, nil, internal)
			case strings.HasSuffix(string(g.ID), "-db"):
				in(model.ProtocolTCP, ports(22, 22), internal)
				in(model.ProtocolTCP, ports(5400, 5499), netip.PrefixFrom(v.CIDRBlocks[0].Addr(), 16))
			case strings.HasSuffix(string(g.ID), "-web"):
				in(model.ProtocolAll, nil, netip.PrefixFrom(v.CIDRBlocks[0].Addr(), 16))
			}
		}
	}
	return m
}

// plantManyPorts gives the app security groups rules for 50 single tcp
// ports and 40 udp ports, some from the VPC only, and the data ACLs
// denies of tcp ranges across them, so that tcp and udp have more service
// atoms than one matrix engine answers for at once.
func plantManyPorts(m *model.Model) *model.Model {
	internal := netip.MustParsePrefix("10.0.0.0/8")
	one := func(p uint16) *model.PortRange { return &model.PortRange{First: p, Last: p} }
	for vi := range m.VPCs {
		v := &m.VPCs[vi]
		for gi := range v.SecurityGroups {
			g := &v.SecurityGroups[gi]
			if !strings.HasSuffix(string(g.ID), "-app") {
				continue
			}
			for i := range 50 {
				src := internal
				if i%3 == 0 {
					src = v.CIDRBlocks[0]
				}
				g.Ingress = append(g.Ingress, model.IngressRule{SGRule: model.SGRule{Protocol: model.ProtocolTCP, Ports: one(uint16(2000 + 7*i))}, Sources: []model.Peer{{CIDR: src}}})
			}
			for i := range 40 {
				g.Ingress = append(g.Ingress, model.IngressRule{SGRule: model.SGRule{Protocol: model.ProtocolUDP, Ports: one(uint16(5000 + 3*i))}, Sources: []model.Peer{{CIDR: internal}}})
			}
		}
		for ai := range v.NetworkACLs {
			a := &v.NetworkACLs[ai]
			a.Ingress = append([]model.ACLRule{
				{Rule: 1, Protocol: model.ProtocolTCP, Ports: &model.PortRange{First: 2100, Last: 2200}, CIDR: netip.MustParsePrefix("0.0.0.0/0"), Action: model.ACLDeny},
				{Rule: 2, Protocol: model.ProtocolTCP, Ports: &model.PortRange{First: 2300, Last: 2310}, CIDR: m.VPCs[0].CIDRBlocks[0], Action: model.ACLDeny},
			}, a.Ingress...)
		}
	}
	return m
}

// plantACLPortDenies puts port denies ahead of every network ACL's rules
// (the oracle's rules are numbered from 10): ssh and dns inbound, http
// outbound, so that ACLs that pass everything or nothing pass some ports
// only, wherever a path checks them.
func plantACLPortDenies(m *model.Model) *model.Model {
	all := netip.MustParsePrefix("0.0.0.0/0")
	deny := func(n int, p model.Protocol, port uint16) model.ACLRule {
		return model.ACLRule{Rule: n, Protocol: p, Ports: &model.PortRange{First: port, Last: port}, CIDR: all, Action: model.ACLDeny}
	}
	for vi := range m.VPCs {
		for ai := range m.VPCs[vi].NetworkACLs {
			a := &m.VPCs[vi].NetworkACLs[ai]
			a.Ingress = append([]model.ACLRule{deny(1, model.ProtocolTCP, 22), deny(2, model.ProtocolUDP, 53)}, a.Ingress...)
			a.Egress = append([]model.ACLRule{deny(1, model.ProtocolTCP, 80)}, a.Egress...)
		}
	}
	return m
}

// TestPortMatrixByBruteForce checks the every-port matrix against point
// queries on generated topologies, the oracle's random models and the
// seed topologies.
func TestPortMatrixByBruteForce(t *testing.T) {
	for _, c := range portMatrixCases(t, 40) {
		t.Run(c.name, func(t *testing.T) {
			s, err := solver.New(c.m)
			require.NoError(t, err)
			checkPortMatrixByBruteForce(t, c.m, s, rand.New(rand.NewPCG(7, 11)))
		})
	}
}

// TestClassPortsEqualsOneMatrixPerAtom checks the engine of ClassPorts
// (one skeleton table per protocol, checks answering with sets of atoms)
// against the plain way (one single-port class matrix per service atom),
// cell by cell, on the cases of TestPortMatrixByBruteForce and the
// oracle's random models of seeds 1..200, as generated and with port
// denies in their network ACLs; ClassPortsTouching, for every other
// class and with a protocol no rule names (GRE) to probe as well; and
// ClassPortsBetween, for the pairs of a third and an odd class.
func TestClassPortsEqualsOneMatrixPerAtom(t *testing.T) {
	cases := portMatrixCases(t, 200)
	for seed := uint64(1); seed <= 200; seed++ {
		cases = append(cases, portMatrixCase{fmt.Sprintf("oracle+acl-port-denies/seed=%d", seed), plantACLPortDenies(oracle.Generate(seed))})
	}
	odd := func(ci int) bool { return ci%2 == 1 }
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := solver.New(c.m)
			require.NoError(t, err)
			classes := s.Classes()
			compare := func(what string, got, want [][]solver.PortCell) {
				t.Helper()
				require.Len(t, got, len(want))
				name := func(ci int) model.ID { return classes[ci].Members[0] }
				for a := range want {
					cells := map[int]portset.Set{}
					for i, cell := range got[a] {
						require.False(t, cell.Ports.IsEmpty(), "%s: class of %s: an empty cell is listed", what, name(a))
						if i > 0 {
							require.Less(t, got[a][i-1].To, cell.To, "%s: class of %s: cells are not sorted", what, name(a))
						}
						cells[cell.To] = cell.Ports
					}
					for _, w := range want[a] {
						g, ok := cells[w.To]
						if !ok || !g.Equal(w.Ports) {
							t.Fatalf("%s(class of %s -> class of %s) = %v, one matrix per atom says %v", what, name(a), name(w.To), g, w.Ports)
						}
						delete(cells, w.To)
					}
					for to, g := range cells {
						t.Fatalf("%s(class of %s -> class of %s) = %v, one matrix per atom says none", what, name(a), name(to), g)
					}
				}
			}
			compare("ClassPorts", s.ClassPorts(solver.AnalysisOptions{}), s.ClassPortsByAtom(nil, solver.AnalysisOptions{}))
			if i%4 == 0 {
				gre := model.Protocol(47)
				compare("ClassPortsTouching", s.ClassPortsTouching(odd, solver.AnalysisOptions{}, gre),
					s.ClassPortsByAtom(odd, solver.AnalysisOptions{}, gre))
			}
			if i%4 == 1 {
				// The pairs of a third and an odd class, either way round.
				third := func(ci int) bool { return ci%3 == 0 }
				all := s.ClassPortsByAtom(nil, solver.AnalysisOptions{})
				want := make([][]solver.PortCell, len(all))
				for a, row := range all {
					for _, cell := range row {
						if (third(a) && odd(cell.To)) || (odd(a) && third(cell.To)) {
							want[a] = append(want[a], cell)
						}
					}
				}
				compare("ClassPortsBetween", s.ClassPortsBetween(third, odd, solver.AnalysisOptions{}), want)
			}
		})
	}
}
