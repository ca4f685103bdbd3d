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

func generated(t testing.TB, vpcs int, seed uint64) (*model.Model, *solver.Solver) {
	m := gen.Generate(gen.Options{VPCs: vpcs, Seed: seed, InstancesPerVPC: 16})
	s, err := solver.New(m)
	require.NoError(t, err)
	return m, s
}

func allInstances(m *model.Model) []model.ID {
	var out []model.ID
	for _, v := range m.VPCs {
		for _, in := range v.Instances {
			out = append(out, in.ID)
		}
	}
	return out
}

// TestAnalysesAgreeWithPointQueries checks the class-based analyses
// against point queries on sampled pairs of generated topologies.
func TestAnalysesAgreeWithPointQueries(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			m, s := generated(t, 10, seed)
			ids := allInstances(m)
			r := rand.New(rand.NewPCG(seed, 99))
			for _, port := range []uint16{443, 5432, 8080} {
				q := solver.Query{Protocol: model.ProtocolTCP, Port: port}
				mx := s.Matrix(q, solver.LevelInstance, solver.AnalysisOptions{})
				index := map[model.ID]int{}
				for i, id := range mx.Nodes {
					index[id] = i
				}
				for range 150 {
					a, b := ids[r.IntN(len(ids))], ids[r.IntN(len(ids))]
					if a == b {
						continue
					}
					point := s.Reach(solver.Query{From: string(a), To: string(b), Protocol: model.ProtocolTCP, Port: port})
					_, inMatrix := slices.BinarySearch(mx.Reach[index[a]], index[b])
					require.Equal(t, point.Reachable(), inMatrix, "matrix vs Reach(%s -> %s tcp/%d)%s", a, b, port, explain(point))
				}
				// who-can-reach a random destination, checked on sampled sources.
				dst := ids[r.IntN(len(ids))]
				q.To = string(dst)
				who, err := s.WhoCanReach(q, solver.AnalysisOptions{})
				require.NoError(t, err)
				reaching := who.Instances()
				for range 60 {
					a := ids[r.IntN(len(ids))]
					if a == dst {
						continue
					}
					point := s.Reach(solver.Query{From: string(a), To: string(dst), Protocol: model.ProtocolTCP, Port: port})
					_, in := slices.BinarySearch(reaching, a)
					require.Equal(t, point.Reachable(), in, "who-can-reach vs Reach(%s -> %s tcp/%d)", a, dst, port)
				}
				internet := s.Reach(solver.Query{From: "internet", To: string(dst), Protocol: model.ProtocolTCP, Port: port})
				assert.Equal(t, internet.Reachable(), len(who.Internet) > 0, "who-can-reach internet vs Reach(internet -> %s)", dst)
			}
			// Exposure, checked on every public instance and a few ports.
			exposed := map[string]bool{}
			for _, e := range s.Exposure([]model.Protocol{model.ProtocolTCP}, []model.PortRange{{First: 20, Last: 25}, {First: 443, Last: 443}, {First: 5432, Last: 5432}}, solver.AnalysisOptions{}) {
				for _, id := range append([]model.ID{e.Destination}, e.Members...) {
					for _, ep := range e.Ports {
						p := ep.Ports
						for port := uint32(p.First); port <= uint32(p.Last); port++ {
							exposed[fmt.Sprintf("%s/%d", id, port)] = true
						}
					}
				}
			}
			for _, v := range m.VPCs {
				for _, in := range v.Instances {
					if !in.PublicAddress().IsValid() {
						continue
					}
					for _, port := range []uint16{22, 443, 5432} {
						point := s.Reach(solver.Query{From: "internet", To: string(in.ID), Protocol: model.ProtocolTCP, Port: port})
						assert.Equal(t, point.Reachable(), exposed[fmt.Sprintf("%s/%d", in.ID, port)], "exposure vs Reach(internet -> %s tcp/%d)", in.ID, port)
					}
				}
			}
		})
	}
}

func TestWhoCanReachOnTheTestNetwork(t *testing.T) {
	s := network(t)
	who, err := s.WhoCanReach(solver.Query{To: "i-a-web", Protocol: model.ProtocolTCP, Port: 22}, solver.AnalysisOptions{Examples: true})
	require.NoError(t, err)
	assert.Equal(t, []string{"203.0.113.0/24"}, prefixStrings(who.Internet), "only the office range reaches ssh (S-60)")
	require.NotNil(t, who.InternetExample)
	assert.True(t, who.InternetExample.Reachable())

	who, err = s.WhoCanReach(solver.Query{To: "i-a-web", Protocol: model.ProtocolTCP, Port: 443}, solver.AnalysisOptions{})
	require.NoError(t, err)
	assert.NotEmpty(t, who.Internet)
	assert.NotContains(t, prefixStrings(who.Internet), "10.0.0.0/8")
}

func prefixStrings(ps []netipPrefix) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

func TestExposureOnTheTestNetwork(t *testing.T) {
	s := network(t)
	var got []string
	for _, e := range s.Exposure([]model.Protocol{model.ProtocolTCP}, nil, solver.AnalysisOptions{}) {
		for _, p := range e.Ports {
			from := "anywhere"
			if !p.Anywhere {
				from = fmt.Sprint(p.From)
			}
			got = append(got, fmt.Sprintf("%s %s from %s", e.Destination, p.Ports, from))
		}
	}
	assert.Equal(t, []string{"i-a-web 22 from [203.0.113.0/24]", "i-a-web 443 from anywhere"}, got)
}
