package solver_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/internal/oracle"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// sgHop is what EndHops promises of a security group hop: all Reach
// records of it.
func sgHop(h solver.Hop) string {
	return fmt.Sprintf("%s %s %s %s %q %s", h.Kind, h.Component, h.Decision, h.Direction, h.Rule, h.Pos)
}

// TestEndHopsAgreeWithReach checks that where EndHops calls a path plain,
// Reach answers the query with exactly its two security group hops, in
// order, and no other, over one family: on the seed topologies, the
// test networks, generated organisations (one over two regions) and the
// oracle's random networks of every kind, for every pair of a sample of
// interfaces, on ports that rules allow and deny, and ICMP echo requests
// and replies in one batch. It also requires that
// most such pairs are plain, so that it cannot pass by saying nothing.
func TestEndHopsAgreeWithReach(t *testing.T) {
	nets := testNetworks(t)
	nets = append(nets,
		namedNetwork{"generated", gen.Generate(gen.Options{VPCs: 12, Seed: 3, InstancesPerVPC: 6})},
		namedNetwork{"regions", gen.Generate(gen.Options{VPCs: 12, Seed: 3, InstancesPerVPC: 5, Regions: []string{"eu-west-1", "us-east-1"}})},
		namedNetwork{"dual-stack", gen.Generate(gen.Options{VPCs: 8, Seed: 5, DualStack: true, InstancesPerVPC: 5})})
	for seed := uint64(1); seed <= 40; seed++ {
		nets = append(nets,
			namedNetwork{fmt.Sprintf("oracle/%d", seed), oracle.Generate(seed)},
			namedNetwork{fmt.Sprintf("oracle-dual/%d", seed), oracle.GenerateDualStack(seed)},
			namedNetwork{fmt.Sprintf("oracle-inspection/%d", seed), oracle.GenerateWithInspection(seed)},
			namedNetwork{fmt.Sprintf("oracle-transit/%d", seed), oracle.GenerateInspectionVPC(seed)})
	}
	queries, plain, held := 0, 0, 0
	for _, n := range nets {
		s, err := solver.New(n.m)
		require.NoError(t, err, n.name)
		var ends []string
		for _, x := range interfaces(n.m) {
			ends = append(ends, string(x.id))
		}
		step := max(1, len(ends)/30)
		var qs []solver.Query
		for i := 0; i < len(ends); i += step {
			for j := 0; j < len(ends); j += step {
				for _, p := range []struct {
					proto model.Protocol
					port  uint16
				}{{model.ProtocolTCP, 443}, {model.ProtocolTCP, 22}, {model.ProtocolTCP, 5432}, {model.ProtocolUDP, 53}, {model.ProtocolICMP, 0}, {model.ProtocolAll, 0}} {
					qs = append(qs, solver.Query{From: ends[i], To: ends[j], Protocol: p.proto, Port: p.port})
				}
				// An echo reply written out (type and code 0) beside the
				// echo request above, in one batch: another probe.
				qs = append(qs, solver.Query{From: ends[i], To: ends[j], Protocol: model.ProtocolICMP, ICMP: &model.ICMPMatch{}})
			}
		}
		// EndHopsHolding with the groups of one VPC checks the ends that
		// hold one, and leaves the others zero.
		var groups []model.ID
		if len(n.m.VPCs) > 0 {
			for _, g := range n.m.VPCs[len(n.m.VPCs)/2].SecurityGroups {
				groups = append(groups, g.ID)
			}
		}
		holding := s.EndHopsHolding(qs, groups)
		for i, got := range s.EndHops(qs) {
			h := holding[i]
			require.Equal(t, got.Plain, h.Plain, "%s: %+v", n.name, qs[i])
			for _, end := range []struct {
				id       string
				all, got solver.Hop
			}{{qs[i].From, got.Egress, h.Egress}, {qs[i].To, got.Ingress, h.Ingress}} {
				if got.Plain && holdsOneOf(s, end.id, groups) {
					held++
					require.Equal(t, end.all, end.got, "%s: %+v", n.name, qs[i])
				} else {
					require.Zero(t, end.got, "%s: %+v", n.name, qs[i])
				}
			}
			queries++
			if !got.Plain {
				continue
			}
			plain++
			r := s.Reach(qs[i])
			require.Empty(t, r.Families, "%s: %+v is answered per family", n.name, qs[i])
			var sg []string
			for _, hops := range [][]solver.Hop{r.Forward, r.Return} {
				for _, h := range hops {
					if h.Kind == solver.HopSecurityGroup {
						sg = append(sg, sgHop(h))
					}
				}
			}
			require.Equal(t, []string{sgHop(got.Egress), sgHop(got.Ingress)}, sg, "%s: %+v", n.name, qs[i])
		}
	}
	t.Logf("%d networks, %d queries, %d on plain paths, %d ends of them checked by EndHopsHolding", len(nets), queries, plain, held)
	require.NotZero(t, held)
	require.Greater(t, plain, queries/4)
}

// holdsOneOf reports whether interface or instance id holds one of groups.
func holdsOneOf(s *solver.Solver, id string, groups []model.ID) bool {
	for _, g := range s.InterfaceGroups(model.ID(id)) {
		if slices.Contains(groups, g.ID) {
			return true
		}
	}
	return false
}

// BenchmarkEndHops asks EndHops what a diff asks when an app tier's group
// changes: a query from the first member of every class to an app
// instance of the middle VPC, and back, on a generated network of 1,000
// VPCs (tcp 2222: no rule names it).
func BenchmarkEndHops(b *testing.B) {
	m, s := generatedSolver(b, 1000)
	app := ""
	for _, in := range m.VPCs[len(m.VPCs)/2].Instances {
		if slices.ContainsFunc(in.SecurityGroups, func(g model.ID) bool { return strings.HasSuffix(string(g), "-app") }) {
			app = string(in.ID)
		}
	}
	if app == "" {
		b.Fatal("no app instance")
	}
	var qs []solver.Query
	for _, c := range s.Classes() {
		if from := string(c.Members[0]); from != app {
			qs = append(qs, solver.Query{From: from, To: app, Protocol: model.ProtocolTCP, Port: 2222},
				solver.Query{From: app, To: from, Protocol: model.ProtocolTCP, Port: 2222})
		}
	}
	plain := 0
	for _, h := range s.EndHops(qs) {
		if h.Plain {
			plain++
		}
	}
	if plain < len(qs)/2 {
		b.Fatalf("%d of %d queries plain", plain, len(qs))
	}
	b.ReportAllocs()
	for b.Loop() {
		s.EndHops(qs)
	}
}
