package oracle_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/oracle"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// TestOracleFollowsTheRules checks the oracle's answers on the small
// topologies of testdata/rules, each about a few rules of
// aws-semantics.md. An expectation's name ends with "=> " and the answer
// the rules give; its expect field says the same. The engine must give
// the same answer, or differ in a known class.
func TestOracleFollowsTheRules(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "rules", "*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			m, _, err := model.LoadFiles(f)
			require.NoError(t, err)
			o, err := oracle.New(m, oracle.Options{})
			require.NoError(t, err)
			s, err := solver.New(m)
			require.NoError(t, err)
			for _, e := range m.Expectations {
				rule, want, ok := strings.Cut(e.Name, " => ")
				require.True(t, ok, "expectation %q names no answer", e.Name)
				q := expectationQuery(e)
				got := oracleOutcome(o.Reach(q))
				require.Equal(t, want, got.String(), "%s: %s -> %s", rule, e.From, e.To)
				require.Equal(t, e.Expect == model.ExpectReachable, got.verdict != "unreachable", "%s: expect field", rule)
				if engine := engineOutcome(s.Reach(toSolver(q))); !engine.equal(got) {
					cls := classify(t, m, q, engine)
					require.NotEmpty(t, cls, "%s: engine %s, oracle %s", rule, engine, got)
					t.Logf("%s: engine %s (known class %s)", rule, engine, cls)
				}
			}
		})
	}
}
