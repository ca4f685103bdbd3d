package solver

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/sgeval"
)

// TestMatrixEngineAgreesWithReach checks the matrix engine's factored
// verdict against a verdict-only Reach for every pair of classes, on
// generated topologies with and without planted overlaps, and that the
// engine answers most pairs itself (plain or blocked skeletons).
func TestMatrixEngineAgreesWithReach(t *testing.T) {
	for _, o := range []gen.Options{
		{VPCs: 9, Seed: 1, InstancesPerVPC: 10},
		{VPCs: 12, Seed: 2, InstancesPerVPC: 8, OverlapEvery: 4},
		{VPCs: 14, Seed: 3, InstancesPerVPC: 6, Regions: []string{"eu-west-1", "us-east-1"}},
	} {
		t.Run(fmt.Sprintf("vpcs=%d,seed=%d", o.VPCs, o.Seed), func(t *testing.T) {
			s, err := New(gen.Generate(o))
			require.NoError(t, err)
			for _, q := range []Query{
				{Protocol: model.ProtocolTCP, Port: 8080},
				{Protocol: model.ProtocolTCP, Port: 5432, Ephemeral: model.PortRange{First: 32768, Last: 60999}},
				{Protocol: model.ProtocolICMP},
				{Protocol: model.ProtocolAll},
			} {
				e := s.newMatrixEngine(q)
				e.buildTable(nil)
				var buf []sgeval.PortDecision
				fast := 0
				for a := range e.classes {
					for b := range e.classes {
						if a == b && len(e.classes[a].Members) < 2 {
							continue
						}
						got := e.pair(int32(a), int32(b), &buf)
						want := e.reach(int32(a), int32(b))
						require.Equal(t, want, got, "%s -> %s %s/%d", e.classes[a].Members[0], e.classes[b].Members[0], q.Protocol, q.Port)
					}
				}
				for _, k := range e.table {
					if k.status != skelFallback {
						fast++
					}
				}
				require.Greater(t, fast*10, len(e.table)*9, "most skeletons are plain or blocked")
			}
		})
	}
}
