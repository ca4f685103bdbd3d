package tfimport_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
)

var update = flag.Bool("update", false, "rewrite the seed fixtures in testdata/seeds")

// The seed topologies as Terraform files, committed for reading and for
// the CLI (testdata/seeds/SEED.{state,plan,change}.json): they are what
// TestSeedsAsTerraformAnswerAsTheYAML checks. Refresh them with -update
// and review the diff.
func TestSeedFixturesAreCurrent(t *testing.T) {
	seeds, err := filepath.Glob("../testdata/seed*.yaml")
	require.NoError(t, err)
	for _, seed := range seeds {
		m, _, err := model.LoadFiles(seed)
		require.NoError(t, err)
		base := strings.TrimSuffix(filepath.Base(seed), ".yaml")
		for _, mode := range []string{"state", "plan", "change"} {
			var data []byte
			switch mode {
			case "change":
				data, _ = exportChange(m)
			default:
				data, _ = exportTerraform(m, mode == "plan")
			}
			data = append(data, '\n')
			file := filepath.Join("testdata", "seeds", base+"."+mode+".json")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(file), 0o755))
				require.NoError(t, os.WriteFile(file, data, 0o644))
				continue
			}
			got, err := os.ReadFile(file)
			require.NoError(t, err, "run go test ./tfimport -run TestSeedFixturesAreCurrent -update")
			assert.Equal(t, string(data), string(got), "%s is stale: run with -update", file)
		}
	}
}
