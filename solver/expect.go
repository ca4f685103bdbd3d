package solver

import (
	"fmt"

	"github.com/vpcreach/vpcreach/internal/termtext"
	"github.com/vpcreach/vpcreach/model"
)

// Outcome is the result of checking one expectation of the model.
type Outcome struct {
	Expectation *model.Expectation
	Result      Result
	// Held reports whether the verdict is the one expected. An
	// expectation whose query is invalid never holds.
	Held bool
}

// QueryOf returns the query an expectation asks.
func QueryOf(e *model.Expectation) Query {
	q := Query{From: e.From, To: e.To, Protocol: e.Protocol, ICMP: e.ICMP, Family: e.Family}
	if e.Port != nil {
		q.Port = *e.Port
	}
	return q
}

// Model returns the model the solver was built from.
func (s *Solver) Model() *model.Model { return s.m }

// Check evaluates every expectation of the model, in order.
func (s *Solver) Check() []Outcome {
	out := make([]Outcome, 0, len(s.m.Expectations))
	for i := range s.m.Expectations {
		out = append(out, s.CheckExpectation(&s.m.Expectations[i]))
	}
	return out
}

// CheckExpectation evaluates one expectation.
func (s *Solver) CheckExpectation(e *model.Expectation) Outcome {
	r := s.Reach(QueryOf(e))
	held := r.Verdict != VerdictInvalidQuery && r.Reachable() == (e.Expect == model.ExpectReachable)
	return Outcome{Expectation: e, Result: r, Held: held}
}

// Title names an outcome: the expectation's name, or its query.
func (o Outcome) Title() string {
	if o.Expectation.Name != "" {
		return o.Expectation.Name
	}
	return o.Result.Query.String()
}

// Explain says why an expectation failed, in words: what was expected,
// what the engine found, and the path (with every blocker, or the path
// that lets an unexpected flow through). Like Result.Text, it escapes
// characters unsafe on a terminal in the name, ids and messages.
func (o Outcome) Explain() string {
	title := termtext.Escape(o.Title())
	if o.Held {
		return fmt.Sprintf("%s: holds (%s)", title, o.Result.Verdict)
	}
	if o.Result.Verdict == VerdictInvalidQuery {
		return fmt.Sprintf("%s: invalid query: %s", title, termtext.Escape(fmt.Sprint(o.Result.Err)))
	}
	return fmt.Sprintf("%s: expected %s, but it is %s\n%s", title, o.Expectation.Expect, o.Result.Verdict, o.Result.Text())
}
