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

var knownClasses = []knownClass{
	// A route to a stopped instance or a detached interface is a
	// blackhole; the engine forwards through it.
	{rule: "S-15", repro: "s-15-blackhole.yaml", oracle: []string{"unreachable [BAD_STATE_ROUTE]", "unreachable [BAD_STATE_ROUTE]"}},
	// A packet routed to the interface that holds its destination has
	// arrived; the engine makes the interface forward it.
	{rule: "S-15/own-address", repro: "s-15-own-address.yaml", oracle: []string{"reachable"}},
	// Same-subnet traffic is delivered at layer 2; the engine follows a
	// route for the subnet's own block.
	{rule: "S-16", repro: "s-16.yaml", oracle: []string{"reachable"}},
	// Behind an appliance, a reference to the source's group does not
	// admit the forwarded traffic; the engine matches it.
	{rule: "S-18", repro: "s-18.yaml", oracle: []string{"unreachable [SG_REFERENCES_NOT_PRESERVED]"}},
	// References match secondary private addresses; the engine matches
	// primary ones only.
	{rule: "S-22", repro: "s-22-secondary.yaml", oracle: []string{"reachable", "reachable"}},
	// A NAT gateway rewrites the source only: the source's outbound
	// references still match the destination; the engine drops them.
	{rule: "S-22/egress-after-nat", repro: "s-22-egress-after-nat.yaml", oracle: []string{"reachable"}},
	// An appliance's outbound references match the destination; the
	// engine checks its outbound rules without references.
	{rule: "S-22/appliance-egress", repro: "s-22-appliance-egress.yaml", oracle: []string{"reachable"}},
	// An appliance that did not see the request checks the response as
	// new traffic, with references like any packet; the engine matches
	// no reference there.
	{rule: "S-22/response-appliance", repro: "s-22-response-appliance.yaml", oracle: []string{"reachable-with-warnings warnings [APPLIANCE_ASYMMETRIC_ROUTING]"}},
	// Static, then prefix-list, then propagated transit gateway routes:
	// no ambiguity; the engine warns that a static and a prefix-list
	// route of equal length are ambiguous.
	{rule: "S-52", repro: "s-52.yaml", oracle: []string{"reachable"}},
	// A public address belongs to the primary private address; the
	// engine translates secondary addresses too.
	{rule: "S-60/primary-address", repro: "s-60-primary-address.yaml", oracle: []string{"unreachable [IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS]", "reachable"}},
	// The internet reaches interfaces at their public addresses only; the
	// engine lets an internet host reach a private address nobody holds.
	{rule: "S-60/private-destination", repro: "s-60-private-destination.yaml", oracle: []string{"unreachable [DESTINATION_NOT_FOUND]", "unreachable [DESTINATION_NOT_FOUND]"}},
}

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
