package solver_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// Classes are family-aware: an interface's IPv6 addresses join its key by
// their IPv6 atoms, so a dual-stack generated network, whose IPv6 plan
// mirrors the IPv4 one, has the classes of the IPv4-only network of the
// same options, not one class per interface.
func TestDualStackClassesAreTheIPv4Ones(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		o := gen.Options{VPCs: 12, Seed: seed, InstancesPerVPC: 12, OverlapEvery: 5}
		s4, err := solver.New(gen.Generate(o))
		require.NoError(t, err)
		o.DualStack = true
		s6, err := solver.New(gen.Generate(o))
		require.NoError(t, err)
		c4, c6 := s4.Classes(), s6.Classes()
		require.Len(t, c6, len(c4), "seed %d", seed)
		for i := range c4 {
			assert.Equal(t, c4[i].Members, c6[i].Members)
		}
	}
}

// famReach returns the answer of each family of a point query.
func famReach(s *solver.Solver, q solver.Query) map[string]bool {
	r := s.Reach(q)
	out := map[string]bool{}
	if len(r.Families) == 0 {
		out[r.Family] = r.Reachable()
	}
	for _, f := range r.Families {
		out[f.Family] = f.Reachable()
	}
	return out
}

// TestDualStackAnalysesAgreeWithPointQueries checks the class-based
// analyses against point queries on dual-stack generated networks: the
// instance matrix on sampled pairs (a pair reaches by either family),
// who-can-reach on sampled sources and the internet, and exposure on
// every instance, per family (an IPv6 exposure is reported as such).
func TestDualStackAnalysesAgreeWithPointQueries(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			m := gen.Generate(gen.Options{VPCs: 10, Seed: seed, InstancesPerVPC: 16, DualStack: true})
			s, err := solver.New(m)
			require.NoError(t, err)
			ids := allInstances(m)
			r := rand.New(rand.NewPCG(seed, 66))
			for _, q := range []solver.Query{
				{Protocol: model.ProtocolTCP, Port: 443},
				{Protocol: model.ProtocolTCP, Port: 5432},
				{Protocol: model.ProtocolTCP, Port: 8080},
				{Protocol: model.ProtocolICMPv6},
			} {
				mx := s.Matrix(q, solver.LevelInstance, solver.AnalysisOptions{})
				index := map[model.ID]int{}
				for i, id := range mx.Nodes {
					index[id] = i
				}
				for range 200 {
					a, b := ids[r.IntN(len(ids))], ids[r.IntN(len(ids))]
					if a == b {
						continue
					}
					pq := q
					pq.From, pq.To = string(a), string(b)
					point := s.Reach(pq)
					_, inMatrix := slices.BinarySearch(mx.Reach[index[a]], index[b])
					require.Equal(t, point.Reachable(), inMatrix, "matrix vs Reach(%s -> %s %s/%d)%s", a, b, q.Protocol, q.Port, explain(point))
				}
				dst := ids[r.IntN(len(ids))]
				wq := q
				wq.To = string(dst)
				who, err := s.WhoCanReach(wq, solver.AnalysisOptions{})
				require.NoError(t, err)
				reaching := who.Instances()
				for range 80 {
					a := ids[r.IntN(len(ids))]
					if a == dst {
						continue
					}
					pq := wq
					pq.From = string(a)
					_, in := slices.BinarySearch(reaching, a)
					require.Equal(t, s.Reach(pq).Reachable(), in, "who-can-reach vs Reach(%s -> %s %s/%d)", a, dst, q.Protocol, q.Port)
				}
				pq := wq
				pq.From = "internet"
				assert.Equal(t, s.Reach(pq).Reachable(), len(who.Internet) > 0, "who-can-reach internet vs Reach(internet -> %s)", dst)
			}
			// Exposure on every instance, per family.
			exposed := map[string]bool{}
			for _, e := range s.Exposure([]model.Protocol{model.ProtocolTCP}, []model.PortRange{{First: 20, Last: 25}, {First: 443, Last: 443}, {First: 5432, Last: 5432}}, solver.AnalysisOptions{}) {
				for _, id := range append([]model.ID{e.Destination}, e.Members...) {
					for _, ep := range e.Ports {
						for port := uint32(ep.Ports.First); port <= uint32(ep.Ports.Last); port++ {
							exposed[fmt.Sprintf("%s/%s/%d", e.Family, id, port)] = true
						}
					}
				}
			}
			six := 0
			for _, id := range ids {
				for _, port := range []uint16{22, 443, 5432} {
					for fam, ok := range famReach(s, solver.Query{From: "internet", To: string(id), Protocol: model.ProtocolTCP, Port: port}) {
						k := fmt.Sprintf("%s/%s/%d", fam, id, port)
						assert.Equal(t, ok, exposed[k], "exposure vs Reach(internet -> %s tcp/%d) over %s", id, port, fam)
						if ok && fam == solver.FamilyIPv6 {
							six++
						}
					}
				}
			}
			assert.Positive(t, six, "some instances are exposed over IPv6")
		})
	}
}
