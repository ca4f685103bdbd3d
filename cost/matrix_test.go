package cost_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/cost"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// TestPriceMatrixAgreesWithPointPrices checks the class-pair pricing of
// matrices on every seed and the pricing network against pricing each
// pair's own path: at the instance level a cell's price is its pair's,
// exactly; at the subnet level every reaching pair of instances of the
// two subnets costs within the cell's range, and the range's ends are
// some pair's.
func TestPriceMatrixAgreesWithPointPrices(t *testing.T) {
	files, err := filepath.Glob("../testdata/seed*.yaml")
	require.NoError(t, err)
	files = append(files, "testdata/pricing.yaml")
	for _, f := range files {
		m, _, err := model.LoadFiles(f)
		require.NoError(t, err)
		s, err := solver.New(m)
		require.NoError(t, err)
		for _, q := range []solver.Query{{Protocol: model.ProtocolTCP, Port: 443}, {Protocol: model.ProtocolTCP, Port: 80}, {Protocol: model.ProtocolICMP}} {
			point := func(from, to model.ID) (cost.Path, bool) {
				qq := q
				qq.From, qq.To = string(from), string(to)
				res := s.Reach(qq)
				if !res.Reachable() {
					return cost.Path{}, false
				}
				return cost.PricePath(s, res, nil), true
			}
			inst := s.Matrix(q, solver.LevelInstance, solver.AnalysisOptions{})
			cells := cost.PriceMatrix(s, inst, nil)
			require.Len(t, cells, len(inst.Reach))
			subnetOf := map[model.ID]model.ID{}
			for _, c := range s.Classes() {
				for _, id := range c.Members {
					subnetOf[id] = c.Subnet
				}
			}
			for i, row := range inst.Reach {
				for k, j := range row {
					p, ok := point(inst.Nodes[i], inst.Nodes[j])
					require.True(t, ok, "%s: the matrix says %s reaches %s %s", f, inst.Nodes[i], inst.Nodes[j], q.Protocol)
					c := cells[i][k]
					assert.Equal(t, cost.Cell{RequestMin: p.Request.PerGB, RequestMax: p.Request.PerGB, ResponseMin: p.Response.PerGB, ResponseMax: p.Response.PerGB, Pairs: 1}, c,
						"%s: cost of %s -> %s %s/%d", f, inst.Nodes[i], inst.Nodes[j], q.Protocol, q.Port)
				}
			}
			sub := s.Matrix(q, solver.LevelSubnet, solver.AnalysisOptions{})
			scells := cost.PriceMatrix(s, sub, nil)
			for i, row := range sub.Reach {
				for k, j := range row {
					c := scells[i][k]
					require.Positive(t, c.Pairs, "%s: %s -> %s has a priced class pair", f, sub.Nodes[i], sub.Nodes[j])
					var reqs, resps []cost.Money
					for a, arow := range inst.Reach {
						for _, b := range arow {
							if subnetOf[inst.Nodes[a]] != sub.Nodes[i] || subnetOf[inst.Nodes[b]] != sub.Nodes[j] {
								continue
							}
							p, _ := point(inst.Nodes[a], inst.Nodes[b])
							reqs, resps = append(reqs, p.Request.PerGB), append(resps, p.Response.PerGB)
							assert.True(t, c.RequestMin <= p.Request.PerGB && p.Request.PerGB <= c.RequestMax, "%s: %s -> %s costs %s, outside %s-%s", f, inst.Nodes[a], inst.Nodes[b], p.Request.PerGB, c.RequestMin, c.RequestMax)
						}
					}
					if len(reqs) > 0 {
						assert.Contains(t, reqs, c.RequestMin)
						assert.Contains(t, reqs, c.RequestMax)
						assert.Contains(t, resps, c.ResponseMax)
					}
				}
			}
		}
	}
}
