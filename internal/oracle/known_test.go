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

// knownClass is a class of disagreements between the engine and the
// oracle where the AWS rules say the oracle is right and the engine is
// being fixed. A disagreement belongs to the class exactly when the
// oracle, told to leave the rule out (oracle.Options.Skip, which applies
// the engine's present reading instead), gives the engine's answer; one
// that needs several classes left out belongs to their combination
// ("S-15+S-16"). Anything else fails the tests.
type knownClass struct {
	// rule is the rule of aws-semantics.md, or the reading of it, that
	// the engine does not implement yet; it is also the Skip key.
	rule string
	// repro is the file in testdata/known/ with a minimal model whose
	// expectations are AWS's answers (vpcreach check fails on it until
	// the engine is fixed), with what each side answers in its comments.
	repro string
	// oracle holds the oracle's answer to each expectation of repro, in
	// order.
	oracle []string
}

// knownClasses is empty: the engine follows every rule the oracle does.
// The classes it used to hold were fixed in the engine (S-15 blackholes and
// own addresses, S-16, S-18, S-22 secondary addresses, outbound references
// after a NAT gateway or an appliance and appliances on the response
// path, S-52, S-60 primary addresses and private destinations); their
// minimal models are rule tests now, in testdata/rules.
var knownClasses = []knownClass{}

// expectationQuery turns a topology expectation into a query.
func expectationQuery(e model.Expectation) oracle.Query {
	q := oracle.Query{From: e.From, To: e.To, Protocol: e.Protocol, ICMP: e.ICMP}
	if e.Port != nil {
		q.Port = *e.Port
	}
	return q
}

// TestKnownDisagreementRepros checks each known class's minimal model: the
// oracle gives AWS's answer (the expectation), the class explains every
// way the engine differs, and some expectation still differs (else the
// engine is fixed and the class should go).
func TestKnownDisagreementRepros(t *testing.T) {
	// Every minimal model belongs to a class, and every class has one.
	files, err := filepath.Glob(filepath.Join("testdata", "known", "*.yaml"))
	require.NoError(t, err)
	var repros []string
	for _, f := range files {
		repros = append(repros, filepath.Base(f))
	}
	var classes []string
	for _, k := range knownClasses {
		classes = append(classes, k.repro)
	}
	require.ElementsMatch(t, classes, repros, "testdata/known holds the repro of each known class, and nothing else")
	for _, k := range knownClasses {
		t.Run(k.rule, func(t *testing.T) {
			m, _, err := model.LoadFiles(filepath.Join("testdata", "known", k.repro))
			require.NoError(t, err)
			s, err := solver.New(m)
			require.NoError(t, err)
			o, err := oracle.New(m, oracle.Options{})
			require.NoError(t, err)
			require.Len(t, m.Expectations, len(k.oracle))
			differs := false
			for i, e := range m.Expectations {
				q := expectationQuery(e)
				want := oracleOutcome(o.Reach(q))
				require.Equal(t, k.oracle[i], want.String(), "oracle on %s (%s)", q, e.Name)
				require.Equal(t, e.Expect == model.ExpectReachable, want.verdict != "unreachable", "the expectation is the oracle's answer")
				engine := engineOutcome(s.Reach(toSolver(q)))
				if engine.equal(want) {
					continue
				}
				differs = true
				require.Equal(t, k.rule, classify(t, m, q, engine), "%s: engine %s, oracle %s", q, engine, want)
				t.Logf("%s: engine %s, AWS %s", e.Name, engine, want)
			}
			if !differs {
				t.Logf("the engine now agrees with the oracle on %s: remove class %s from knownClasses", k.repro, k.rule)
			}
		})
	}
}

// TestKnownClassesAreKnownRules checks that every class names a rule of
// aws-semantics.md that the oracle can leave out.
func TestKnownClassesAreKnownRules(t *testing.T) {
	for _, k := range knownClasses {
		rule, _, _ := strings.Cut(k.rule, "/")
		require.Regexp(t, `^S-\d\d$`, rule)
	}
}
