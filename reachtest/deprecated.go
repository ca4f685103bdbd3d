package reachtest

import (
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// AssertReachable is Reachable with the protocol as a word ("tcp", "udp",
// "icmp", "all" or a number) and the port standing for the ICMP type when
// the protocol is icmp (code 0).
//
// Deprecated: use Reachable with a typed query, such as
// Reachable(t, s, TCP(from, to, port)) or Reachable(t, s, ICMP(from, to, 8, 0)).
func AssertReachable(t TestingT, s *solver.Solver, from, to, protocol string, port uint16) bool {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	q, bad := wordsQuery(from, to, protocol, port)
	if bad == "" {
		bad = checkReachable(s, q)
	}
	return report(t, bad)
}

// AssertUnreachable is Unreachable with the protocol as a word and the
// port standing for the ICMP type, as in AssertReachable.
//
// Deprecated: use Unreachable with a typed query, such as
// Unreachable(t, s, TCP(from, to, port)).
func AssertUnreachable(t TestingT, s *solver.Solver, from, to, protocol string, port uint16) bool {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	q, bad := wordsQuery(from, to, protocol, port)
	if bad == "" {
		bad = checkUnreachable(s, q)
	}
	return report(t, bad)
}

// AssertExpectations checks every expectation written in the topology.
//
// Deprecated: use ExpectationsHold, which does the same and matches the
// fatal require.ExpectationsHold.
func AssertExpectations(t TestingT, s *solver.Solver) bool {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	return ExpectationsHold(t, s)
}

// wordsQuery builds the query of the deprecated assertions: port is the
// tcp or udp port, or the ICMP type for icmp.
func wordsQuery(from, to, protocol string, port uint16) (solver.Query, string) {
	p, err := model.ParseProtocol(protocol)
	if err != nil {
		return solver.Query{}, "reachtest: " + err.Error()
	}
	q := solver.Query{From: from, To: to, Protocol: p}
	switch {
	case p.HasPorts():
		q.Port = port
	case p.IsICMP():
		q.ICMP = &model.ICMPMatch{Type: int(port), Code: 0}
	}
	return q, ""
}
