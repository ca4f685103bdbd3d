package lint_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/lint"
	"github.com/vpcreach/vpcreach/model"
)

// TestSeedFindings runs every rule on the repository's seed topologies and
// logs the findings, for review (go test ./lint -run TestSeedFindings -v).
func TestSeedFindings(t *testing.T) {
	seeds, err := filepath.Glob(filepath.Join("..", "testdata", "seed*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, seeds)
	for _, path := range seeds {
		t.Run(filepath.Base(path), func(t *testing.T) {
			m, _, err := model.LoadFiles(path)
			require.NoError(t, err)
			fs, err := lint.Run(m, lint.Options{})
			require.NoError(t, err)
			for _, f := range fs {
				t.Log(f)
			}
		})
	}
}
