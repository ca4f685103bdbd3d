package lint_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/lint"
	"github.com/vpcreach/vpcreach/model"
)

// engineRuleIDs are the rules of rules_exposure.go and rules_engine.go,
// which ask the reachability engine.
var engineRuleIDs = []string{
	"sensitive-port-exposed", "missing-return-route", "s3-through-nat", "private-subnet-missing-eks-endpoints",
	"connected-overlapping-cidrs", "acl-blocks-response", "internet-route-without-public-address",
	"nlb-security-group-open-to-world",
}

// TestEngineRulesOnSeeds runs the engine-decided rules on the seed
// topologies and logs what they find, for review (go test -v -run
// TestEngineRulesOnSeeds ./lint). The seeds are working networks from blog
// posts: none of them exposes a sensitive port or has a broken path, so no
// finding may be an error.
func TestEngineRulesOnSeeds(t *testing.T) {
	seeds, err := filepath.Glob("../testdata/seed*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, seeds)
	for _, path := range seeds {
		t.Run(filepath.Base(path), func(t *testing.T) {
			m, _, err := model.LoadFiles(path)
			require.NoError(t, err)
			fs, err := lint.Run(m, lint.Options{Only: engineRuleIDs})
			require.NoError(t, err)
			for _, f := range fs {
				t.Log(f)
				assert.NotEqual(t, model.SeverityError, f.Severity, "%s", f)
			}
		})
	}
}

// BenchmarkEngineRulesGenerated runs the engine-decided rules on a
// generated estate of 1,000 VPCs (about 60,000 instances, three regional
// transit gateways with 334 attachments each), solver compilation included.
func BenchmarkEngineRulesGenerated(b *testing.B) {
	m := gen.Generate(gen.Options{VPCs: 1000, Seed: 1})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := lint.Run(m, lint.Options{Only: engineRuleIDs}); err != nil {
			b.Fatal(err)
		}
	}
}
