package reachtest

import (
	"fmt"
	"slices"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// Reachable reports a test error unless q's source reaches its
// destination: the request arrives and the response returns. Reachable
// with warnings counts (see ReachableWithoutWarnings). It returns whether
// the assertion held; the test goes on either way.
func Reachable(t TestingT, s *solver.Solver, q solver.Query) bool {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	return report(t, checkReachable(s, q))
}

// ReachableWithoutWarnings is Reachable, except that reachable with
// warnings (a return path open for only part of the ephemeral range, an
// address of a load balancer that fails, ...) fails it.
func ReachableWithoutWarnings(t TestingT, s *solver.Solver, q solver.Query) bool {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	return report(t, checkReachableWithoutWarnings(s, q))
}

// Unreachable reports a test error, with the path that lets the flow
// through, unless q's request or its response is blocked. An invalid query
// (an unknown id, tcp without a port) fails it: it is not a "no".
func Unreachable(t TestingT, s *solver.Solver, q solver.Query) bool {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	return report(t, checkUnreachable(s, q))
}

// BlockedByCode reports a test error unless q is unreachable and one of
// its blockers has the code, such as solver.NoRouteToDestination or
// solver.SubnetACLRestriction. Other blockers may be present too. Warning
// codes are not blockers.
func BlockedByCode(t TestingT, s *solver.Solver, q solver.Query, code solver.Code) bool {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	return report(t, checkBlockedByCode(s, q, code))
}

// BlockedByComponent reports a test error unless q is unreachable and the
// component with the id blocks it: a blocker names it, or a hop at it
// denies or drops the packet. A security group denial is written on the
// interface (the blocker) and on its first group (the hop).
func BlockedByComponent(t TestingT, s *solver.Solver, q solver.Query, id model.ID) bool {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	return report(t, checkBlockedByComponent(s, q, id))
}

// PassesThrough reports a test error unless the forward or the return
// path of q passes the component with the id (a NAT gateway, a transit
// gateway, a firewall's interface, a peering connection, a route table...)
// without being denied or dropped there. It does not check the verdict:
// after a block the walk goes on as if the packet had passed, so pair it
// with Reachable.
func PassesThrough(t TestingT, s *solver.Solver, q solver.Query, id model.ID) bool {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	return report(t, checkPassesThrough(s, q, id))
}

// ExpectationsHold checks every expectation written in the topology (its
// expectations: section) and reports one test error for each that fails,
// with its name, where it is written, and why. It returns whether all
// held.
func ExpectationsHold(t TestingT, s *solver.Solver) bool {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	if s == nil {
		return report(t, noSolver)
	}
	held := true
	for _, o := range s.Check() {
		held = report(t, outcomeFailure(o)) && held
	}
	return held
}

// The checks: each returns "" when the assertion holds, else the failure
// message.

const noSolver = "reachtest: no solver (did Load fail?)"

// run answers q, or says why it cannot be answered.
func run(s *solver.Solver, q solver.Query) (solver.Result, string) {
	if s == nil {
		return solver.Result{}, noSolver
	}
	r := s.Reach(q)
	if r.Verdict == solver.VerdictInvalidQuery {
		return r, fmt.Sprintf("Reach(%s): invalid query: %v", q, r.Err)
	}
	return r, ""
}

func checkReachable(s *solver.Solver, q solver.Query) string {
	r, bad := run(s, q)
	switch {
	case bad != "":
		return bad
	case r.Reachable():
		return ""
	}
	return failure(r, "reachable")
}

func checkReachableWithoutWarnings(s *solver.Solver, q solver.Query) string {
	r, bad := run(s, q)
	switch {
	case bad != "":
		return bad
	case r.Verdict == solver.VerdictReachable:
		return ""
	}
	return failure(r, "reachable without warnings")
}

func checkUnreachable(s *solver.Solver, q solver.Query) string {
	r, bad := run(s, q)
	switch {
	case bad != "":
		return bad
	case r.Verdict == solver.VerdictUnreachable:
		return ""
	}
	return failure(r, "unreachable")
}

func checkBlockedByCode(s *solver.Solver, q solver.Query, code solver.Code) string {
	if code == solver.CodeUnknown {
		return "reachtest: BlockedByCode needs a code, such as solver.NoRouteToDestination"
	}
	r, bad := run(s, q)
	switch {
	case bad != "":
		return bad
	case r.Verdict == solver.VerdictUnreachable && slices.ContainsFunc(r.Blockers, func(b solver.Blocker) bool { return b.Code == code }):
		return ""
	}
	return failure(r, "unreachable, blocked by "+code.String())
}

func checkBlockedByComponent(s *solver.Solver, q solver.Query, id model.ID) string {
	r, bad := run(s, q)
	switch {
	case bad != "":
		return bad
	case r.Verdict == solver.VerdictUnreachable && blocks(r, id):
		return ""
	}
	return failure(r, "unreachable, blocked at "+string(id))
}

// blocks reports whether a blocker of r names id or a hop at id denies or
// drops the packet.
func blocks(r solver.Result, id model.ID) bool {
	if slices.ContainsFunc(r.Blockers, func(b solver.Blocker) bool { return b.Component == id }) {
		return true
	}
	at := func(h solver.Hop) bool { return h.Component == id && stops(h) }
	return slices.ContainsFunc(r.Forward, at) || slices.ContainsFunc(r.Return, at)
}

func checkPassesThrough(s *solver.Solver, q solver.Query, id model.ID) string {
	r, bad := run(s, q)
	if bad != "" {
		return bad
	}
	through := func(h solver.Hop) bool { return h.Component == id && !stops(h) }
	if slices.ContainsFunc(r.Forward, through) || slices.ContainsFunc(r.Return, through) {
		return ""
	}
	return failure(r, "a path through "+string(id))
}

// stops reports whether a hop denies or drops the packet.
func stops(h solver.Hop) bool {
	return h.Decision == solver.DecisionDeny || h.Decision == solver.DecisionDrop
}

// outcomeFailure says why an expectation of the topology failed, or ""
// when it held.
func outcomeFailure(o solver.Outcome) string {
	if o.Held {
		return ""
	}
	head := fmt.Sprintf("expectation %q at %s: ", o.Title(), o.Expectation.Source.Position)
	if o.Result.Verdict == solver.VerdictInvalidQuery {
		return head + fmt.Sprintf("Reach(%s): invalid query: %v", o.Result.Query, o.Result.Err)
	}
	return head + failure(o.Result, o.Expectation.Expect.String())
}
