package diff

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// An omitted list and an empty one mean different things for a transit
// gateway attachment's propagations (the default table, or none) and a
// security group's egress (AWS's default rules, or none): a change from
// one to the other is a change, and its flows are found. The first pair
// came from the oracle's generator: the diff saw no lost flow when
// tgw-attach-b went from default propagation to "propagations: []".
func TestAbsentAndEmptyListsDiffer(t *testing.T) {
	load := func(path string) *solver.Solver {
		m, _, err := model.LoadFiles(path)
		require.NoError(t, err)
		s, err := solver.New(m)
		require.NoError(t, err)
		return s
	}
	so, sn := load("testdata/absent-propagations-old.yaml"), load("testdata/absent-propagations-new.yaml")
	r := CompareSolvers(so, sn, Options{})
	gained, lost := bruteForce(so, sn)
	bruteForceOutside(so, sn, gained, lost)
	require.NotEmpty(t, lost, "the change loses flows")
	requireSameFlows(t, "gained", gained, expand(r.Gained), nil)
	requireSameFlows(t, "lost", lost, expand(r.Lost), nil)
	var kinds []string
	for _, res := range r.Resources {
		kinds = append(kinds, string(res.ID)+" "+string(res.Change))
	}
	require.Contains(t, kinds, "tgw-attach-b modified")

	// egress omitted (all outbound) -> egress: [] (none).
	m, _, err := model.LoadFiles("testdata/web-old.yaml")
	require.NoError(t, err)
	so, err = solver.New(m)
	require.NoError(t, err)
	m2, _, err := model.LoadFiles("testdata/web-old.yaml")
	require.NoError(t, err)
	emptied := false
	for vi := range m2.VPCs {
		for gi := range m2.VPCs[vi].SecurityGroups {
			if g := &m2.VPCs[vi].SecurityGroups[gi]; g.Egress == nil && !emptied {
				g.Egress, emptied = []model.EgressRule{}, true
			}
		}
	}
	require.True(t, emptied, "web-old.yaml has a group with its egress omitted")
	sn, err = solver.New(m2)
	require.NoError(t, err)
	r = CompareSolvers(so, sn, Options{})
	gained, lost = bruteForce(so, sn)
	bruteForceOutside(so, sn, gained, lost)
	require.NotEmpty(t, lost)
	requireSameFlows(t, "lost", lost, expand(r.Lost), nil)
	requireSameFlows(t, "gained", gained, expand(r.Gained), nil)
}
