package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/awsimport"
	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// TestBundleAnswersAsTheTopology checks that the bundle says what the
// topology says about one VPC: vpcreach, reading the bundle as np-guard
// would be given it, answers the every-port instance matrix exactly as it
// answers the topology.
func TestBundleAnswersAsTheTopology(t *testing.T) {
	for _, o := range []gen.Options{
		{VPCs: 1, Seed: 1, InstancesPerVPC: 40},
		{VPCs: 1, Seed: 7, InstancesPerVPC: 25},
	} {
		m := gen.Generate(o)
		// Stopped instances, and a group without outbound rules.
		m.VPCs[0].Instances[3].State = model.InstanceStopped
		m.VPCs[0].SecurityGroups[2].Egress = []model.EgressRule{}
		data, err := json.Marshal(bundle(m))
		require.NoError(t, err)
		file := filepath.Join(t.TempDir(), "bundle.json")
		require.NoError(t, os.WriteFile(file, data, 0o644))
		back, _, err := awsimport.ImportBundle(file)
		require.NoError(t, err)

		text := func(m *model.Model) map[[2]model.ID]string {
			s, err := solver.New(m)
			require.NoError(t, err)
			pm := s.PortMatrix(solver.LevelInstance, solver.AnalysisOptions{})
			out := map[[2]model.ID]string{}
			for a, row := range pm.Reach {
				for _, c := range row {
					out[[2]model.ID{pm.Nodes[a], pm.Nodes[c.To]}] = c.Ports.String()
				}
			}
			return out
		}
		want, got := text(m), text(back)
		require.NotEmpty(t, want)
		require.Equal(t, want, got, "the bundle's instance matrix")
	}
}
