package reachtest

import (
	"fmt"
	"strings"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// TestingT is what the assertions need of a test: testify's
// assert.TestingT. When it also has FailNow (as *testing.T and
// require.TestingT do), Load and LoadString stop the test on bad input.
type TestingT interface {
	Errorf(format string, args ...any)
}

type failNower interface{ FailNow() }

type helper interface{ Helper() }

func mark(t TestingT) {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
}

func fatal(t TestingT, format string, args ...any) {
	t.Errorf(format, args...)
	if f, ok := t.(failNower); ok {
		f.FailNow()
	}
}

// Load loads, validates and compiles topology files. On error it fails the
// test (and stops it, when t can) and returns nil.
func Load(t TestingT, paths ...string) *solver.Solver {
	mark(t)
	m, _, err := model.LoadFiles(paths...)
	if err != nil {
		fatal(t, "reachtest: %v", err)
		return nil
	}
	return compile(t, m)
}

// LoadString loads a topology written inline in the test.
func LoadString(t TestingT, yaml string) *solver.Solver {
	mark(t)
	m, _, err := model.LoadBytes("inline.yaml", []byte(yaml))
	if err != nil {
		fatal(t, "reachtest: %v", err)
		return nil
	}
	return compile(t, m)
}

func compile(t TestingT, m *model.Model) *solver.Solver {
	s, err := solver.New(m)
	if err != nil {
		fatal(t, "reachtest: %v", err)
		return nil
	}
	return s
}

// query builds a query from the assertion's words; port is the tcp or udp
// port, or the ICMP type for icmp.
func query(t TestingT, from, to, protocol string, port uint16) (solver.Query, bool) {
	p, err := model.ParseProtocol(protocol)
	if err != nil {
		t.Errorf("reachtest: %v", err)
		return solver.Query{}, false
	}
	q := solver.Query{From: from, To: to, Protocol: p}
	switch {
	case p.HasPorts():
		q.Port = port
	case p.IsICMP():
		q.ICMP = &model.ICMPMatch{Type: int(port), Code: 0}
	}
	return q, true
}

// AssertReachable reports a test error, with the path and every blocker,
// unless from reaches to on the protocol and port (the ICMP type for icmp:
// 8 is echo). It returns whether the assertion held. Reachable with
// warnings counts as reachable.
func AssertReachable(t TestingT, s *solver.Solver, from, to, protocol string, port uint16) bool {
	mark(t)
	return assertVerdict(t, s, from, to, protocol, port, true)
}

// AssertUnreachable reports a test error, with the path that lets the flow
// through, unless from cannot reach to on the protocol and port.
func AssertUnreachable(t TestingT, s *solver.Solver, from, to, protocol string, port uint16) bool {
	mark(t)
	return assertVerdict(t, s, from, to, protocol, port, false)
}

func assertVerdict(t TestingT, s *solver.Solver, from, to, protocol string, port uint16, want bool) bool {
	if s == nil {
		t.Errorf("reachtest: no solver (did Load fail?)")
		return false
	}
	q, ok := query(t, from, to, protocol, port)
	if !ok {
		return false
	}
	r := s.Reach(q)
	if r.Verdict == solver.VerdictInvalidQuery {
		t.Errorf("reachtest: Reach(%s): %v", q, r.Err)
		return false
	}
	if r.Reachable() == want {
		return true
	}
	wantWord := "reachable"
	if !want {
		wantWord = "unreachable"
	}
	t.Errorf("Reach(%s) = %s %s, want %s\n%s", q, r.Verdict, codesOf(r), wantWord, indent(r.Text()))
	return false
}

func codesOf(r solver.Result) string {
	var cs []string
	for _, b := range r.Blockers {
		cs = append(cs, b.Code.String())
	}
	if len(cs) == 0 {
		return ""
	}
	return "[" + strings.Join(cs, " ") + "]"
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}

// AssertExpectations checks every expectation written in the topology and
// reports each that fails, with its explanation. It returns whether all
// held.
func AssertExpectations(t TestingT, s *solver.Solver) bool {
	mark(t)
	if s == nil {
		t.Errorf("reachtest: no solver (did Load fail?)")
		return false
	}
	ok := true
	for _, o := range s.Check() {
		if !o.Held {
			ok = false
			t.Errorf("expectation %s\n%s", fmt.Sprintf("%q at %s", o.Title(), o.Expectation.Source.Position), indent(o.Explain()))
		}
	}
	return ok
}
