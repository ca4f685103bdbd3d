package reachtest

import (
	"fmt"
	"strings"

	"github.com/vpcreach/vpcreach/diff"
	"github.com/vpcreach/vpcreach/solver"
)

// OpensNothing reports a test error unless the change from old to new
// opens nothing: no flow between interfaces or to the outside is gained on
// any protocol or port, nothing new is exposed to the internet, and no
// expectation that held breaks. The message lists what it opens, each
// with its cause. Flows it closes are allowed (see ChangesNothing).
func OpensNothing(t TestingT, old, new *solver.Solver) bool {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	return report(t, checkDiff(old, new, false))
}

// ChangesNothing reports a test error unless the change from old to new
// changes no reachability at all: nothing gained, lost or rerouted, no
// exposure or expectation or overlap differs.
func ChangesNothing(t TestingT, old, new *solver.Solver) bool {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	return report(t, checkDiff(old, new, true))
}

func checkDiff(old, new *solver.Solver, all bool) string {
	if old == nil || new == nil {
		return noSolver
	}
	r := diff.CompareSolvers(old, new, diff.Options{NoChanged: !all})
	if all {
		if r.IsEmpty() {
			return ""
		}
		var b strings.Builder
		fmt.Fprintf(&b, "the change changes reachability: %s\n", r.Summary)
		_ = r.Text(&b)
		return strings.TrimRight(b.String(), "\n")
	}
	if len(r.Gained)+len(r.ExposureGained)+len(r.ExpectationsBroken) == 0 {
		return ""
	}
	opens := &diff.Report{Gained: r.Gained, ExposureGained: r.ExposureGained, ExpectationsBroken: r.ExpectationsBroken,
		Summary: diff.Summary{Gained: len(r.Gained), ExposureGained: len(r.ExposureGained), ExpectationsBroken: len(r.ExpectationsBroken)}}
	var b strings.Builder
	fmt.Fprintf(&b, "the change opens %d flows, exposes %d destinations and breaks %d expectations:\n",
		len(r.Gained), len(r.ExposureGained), len(r.ExpectationsBroken))
	var text strings.Builder
	_ = opens.Text(&text)
	lines := strings.Split(strings.TrimRight(text.String(), "\n"), "\n")
	b.WriteString(strings.Join(lines[:len(lines)-1], "\n")) // all but the summary
	return b.String()
}
