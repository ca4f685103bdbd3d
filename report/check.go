package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// The rules that expectation outcomes are reported under.
const (
	// RuleExpectationFailed: a flow that must be reachable is not, or
	// the expectation's query is invalid.
	RuleExpectationFailed = "expectation-failed"
	// RuleExpectationUnexpectedlyReachable: a flow that must be
	// unreachable gets through, an exposure.
	RuleExpectationUnexpectedlyReachable = "expectation-unexpectedly-reachable"
	// RuleExpectationWarnings: an expectation holds, but its answer comes
	// with warnings.
	RuleExpectationWarnings = "expectation-holds-with-warnings"
)

// Security severity of an expectation that a flow be unreachable and that
// does not hold: critical when the flow comes from the internet or a
// network outside AWS, high within the network.
const (
	exposureFromOutside = 9.0
	exposureWithin      = 7.0
)

// CheckRules returns the rules expectation outcomes are reported under.
func CheckRules() []Rule {
	return []Rule{
		{ID: RuleExpectationFailed, Title: "expected flow is not reachable",
			Description: "A flow the topology's expectations say must be reachable is blocked (or the expectation's query names something the topology lacks): the path, hop by hop, and every blocker with its code say where and why.",
			Help:        "Fix the rule or route the blockers name, or correct the expectation.",
			Level:       model.SeverityError, Tags: []string{"correctness"}},
		{ID: RuleExpectationUnexpectedlyReachable, Title: "flow that must be unreachable gets through",
			Description: "A flow the topology's expectations say must be unreachable is reachable: the network is open where it is meant to be closed. The path, hop by hop, shows every rule and route that lets it through.",
			Help:        "Close the security group rule, network ACL rule or route the path shows, or correct the expectation.",
			Level:       model.SeverityError, SecuritySeverity: (exposureFromOutside + exposureWithin) / 2, Tags: []string{"security", "exposure"}},
		{ID: RuleExpectationWarnings, Title: "expectation holds with warnings",
			Description: "An expectation holds, but the answer comes with warnings, such as some of a load balancer's addresses being unreachable or a return path open for part of the ephemeral ports only.",
			Help:        "Read the warnings: fix what they name, or accept them.",
			Level:       model.SeverityWarning, Tags: []string{"correctness"}},
	}
}

// OutcomeLevel is how bad an outcome is: an error when the expectation
// does not hold, a warning when it holds with warnings, zero when it holds
// cleanly.
func OutcomeLevel(o solver.Outcome) model.Severity {
	switch {
	case !o.Held:
		return model.SeverityError
	case len(o.Result.Warnings) > 0 || o.Result.Verdict == solver.VerdictReachableWithWarnings:
		return model.SeverityWarning
	}
	return 0
}

// CheckItems returns expectation outcomes as report items, one per
// expectation, grouped in JUnit by the expectation's name. A failed one
// carries its blocking codes, its path as flows (the request and the
// response, hop by hop) and its blockers as related locations; one that
// holds with warnings carries its warnings the same way.
func CheckItems(outcomes []solver.Outcome) []Item {
	out := make([]Item, 0, len(outcomes))
	for _, o := range outcomes {
		e, res := o.Expectation, o.Result
		it := Item{Rule: RuleExpectationFailed, Level: OutcomeLevel(o), Pos: e.Source.Position,
			Class: o.Title(), Name: fmt.Sprintf("%s: expect %s", res.Query, e.Expect), Component: o.Title()}
		if e.Expect == model.ExpectUnreachable {
			it.Rule = RuleExpectationUnexpectedlyReachable
		}
		switch it.Level {
		case 0:
			it.Passed, it.Level = true, model.SeverityNote
			it.Message = fmt.Sprintf("%s: holds (%s)", o.Title(), res.Verdict)
			out = append(out, it)
			continue
		case model.SeverityWarning:
			it.Rule = RuleExpectationWarnings
			for _, w := range res.Warnings {
				it.Codes = appendNew(it.Codes, w.Code.String())
				it.Related = append(it.Related, Location{Pos: w.Pos, Message: fmt.Sprintf("%s at %s (%s): %s", w.Code, w.Component, w.Leg, w.Message)})
			}
			it.Message = fmt.Sprintf("%s: holds (%s), with warnings %s", o.Title(), res.Verdict, strings.Join(it.Codes, ", "))
			it.Detail = res.Text()
		default:
			for _, b := range res.Blockers {
				it.Codes = appendNew(it.Codes, b.Code.String())
				it.Related = append(it.Related, Location{Pos: b.Pos, Message: fmt.Sprintf("%s at %s (%s): %s", b.Code, b.Component, b.Leg, b.Message)})
			}
			it.Message = fmt.Sprintf("%s: expected %s, got %s", o.Title(), e.Expect, res.Verdict)
			if len(it.Codes) > 0 {
				it.Message += " (" + strings.Join(it.Codes, ", ") + ")"
			}
			it.Detail = o.Explain()
			if it.Rule == RuleExpectationUnexpectedlyReachable {
				it.SecuritySeverity = exposureWithin
				if len(res.Forward) > 0 && (res.Forward[0].Kind == solver.HopInternet || res.Forward[0].Kind == solver.HopExternalNetwork) {
					it.SecuritySeverity = exposureFromOutside
				}
			}
		}
		if res.Verdict == solver.VerdictInvalidQuery {
			it.Rule, it.SecuritySeverity = RuleExpectationFailed, 0
		}
		it.Flows = flows(res)
		out = append(out, it)
	}
	return out
}

// flows returns a result's paths as report flows, one location per hop.
func flows(r solver.Result) []Flow {
	var out []Flow
	for _, leg := range []struct {
		name string
		hops []solver.Hop
	}{{"forward path (the request)", r.Forward}, {"return path (the response)", r.Return}} {
		if len(leg.hops) == 0 {
			continue
		}
		f := Flow{Message: leg.name}
		for _, h := range leg.hops {
			kind := h.Kind.String()
			if h.Direction != "" {
				kind += " " + h.Direction
			}
			f.Steps = append(f.Steps, Location{Pos: h.Pos, Message: fmt.Sprintf("%s %s: %s: %s", kind, h.Component, h.Decision, h.Rule)})
		}
		out = append(out, f)
	}
	return out
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
