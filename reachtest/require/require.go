package require

import (
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/reachtest"
	"github.com/vpcreach/vpcreach/solver"
)

// TestingT is what the fatal assertions need of a test: testify's
// require.TestingT. *testing.T, *testing.B, *testing.F and
// *assert.CollectT fit. When t also has Helper, as testing.TB does, a
// failure names the line of the caller's test.
type TestingT interface {
	Errorf(format string, args ...any)
	FailNow()
}

// tHelper is the optional Helper method of TestingT.
type tHelper interface{ Helper() }

// Reachable is reachtest.Reachable, and stops the test when q is not
// reachable (reachable with warnings counts as reachable).
func Reachable(t TestingT, s *solver.Solver, q solver.Query) {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	if !reachtest.Reachable(t, s, q) {
		t.FailNow()
	}
}

// ReachableWithoutWarnings is reachtest.ReachableWithoutWarnings, and
// stops the test when q is not reachable or has warnings.
func ReachableWithoutWarnings(t TestingT, s *solver.Solver, q solver.Query) {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	if !reachtest.ReachableWithoutWarnings(t, s, q) {
		t.FailNow()
	}
}

// Unreachable is reachtest.Unreachable, and stops the test when q is
// reachable or invalid.
func Unreachable(t TestingT, s *solver.Solver, q solver.Query) {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	if !reachtest.Unreachable(t, s, q) {
		t.FailNow()
	}
}

// BlockedByCode is reachtest.BlockedByCode, and stops the test unless q is
// unreachable with a blocker of the code.
func BlockedByCode(t TestingT, s *solver.Solver, q solver.Query, code solver.Code) {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	if !reachtest.BlockedByCode(t, s, q, code) {
		t.FailNow()
	}
}

// BlockedByComponent is reachtest.BlockedByComponent, and stops the test
// unless q is unreachable and the component blocks it.
func BlockedByComponent(t TestingT, s *solver.Solver, q solver.Query, id model.ID) {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	if !reachtest.BlockedByComponent(t, s, q, id) {
		t.FailNow()
	}
}

// PassesThrough is reachtest.PassesThrough, and stops the test unless a
// path of q passes the component.
func PassesThrough(t TestingT, s *solver.Solver, q solver.Query, id model.ID) {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	if !reachtest.PassesThrough(t, s, q, id) {
		t.FailNow()
	}
}

// ExpectationsHold is reachtest.ExpectationsHold: it reports every
// expectation of the topology that fails, then stops the test if any did.
func ExpectationsHold(t TestingT, s *solver.Solver) {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	if !reachtest.ExpectationsHold(t, s) {
		t.FailNow()
	}
}

// OpensNothing is reachtest.OpensNothing, and stops the test when the
// change opens a flow, exposes a destination or breaks an expectation.
func OpensNothing(t TestingT, old, new *solver.Solver) {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	if !reachtest.OpensNothing(t, old, new) {
		t.FailNow()
	}
}

// ChangesNothing is reachtest.ChangesNothing, and stops the test when the
// change changes any reachability.
func ChangesNothing(t TestingT, old, new *solver.Solver) {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	if !reachtest.ChangesNothing(t, old, new) {
		t.FailNow()
	}
}
