package report

import (
	"fmt"

	"github.com/vpcreach/vpcreach/diff"
	"github.com/vpcreach/vpcreach/model"
)

// The rules a reachability change is reported under.
const (
	// RuleDiffExposureGained: the change exposes a destination to the
	// internet on more ports, or to more of the internet.
	RuleDiffExposureGained = "diff-exposure-gained"
	// RuleDiffExpectationBroken: an expectation that held before the
	// change fails after it.
	RuleDiffExpectationBroken = "diff-expectation-broken"
)

// DiffRules returns the rules of DiffItems.
func DiffRules() []Rule {
	return []Rule{
		{ID: RuleDiffExposureGained, Title: "change exposes a destination to the internet",
			Description: "After the change, the internet reaches a destination on ports (or from addresses) it did not reach before. The result sits at the rule, route or resource that causes it.",
			Help:        "Check that the exposure is intended; otherwise narrow the rule or route the cause names.",
			Level:       model.SeverityError, SecuritySeverity: exposureFromOutside, Tags: []string{"security", "exposure"}},
		{ID: RuleDiffExpectationBroken, Title: "change breaks an expectation",
			Description: "An expectation of the topology held before the change and fails after it. The result sits at the rule, route or resource that causes it.",
			Help:        "Fix the change the cause names, or update the expectation if the change is intended.",
			Level:       model.SeverityError, Tags: []string{"correctness"}},
	}
}

// causeItemPos returns where a diff item belongs: the position of its
// first cause on the new side, else of its first cause, else fallback.
func causeItemPos(cs []diff.Cause, fallback model.Position) (model.Position, []Location) {
	var related []Location
	pos := model.Position{}
	for _, c := range cs {
		if !c.Pos.IsValid() {
			continue
		}
		related = append(related, Location{Pos: c.Pos, Message: c.String()})
		if !pos.IsValid() && c.Side == "new" {
			pos = c.Pos
		}
	}
	if !pos.IsValid() && len(related) > 0 {
		pos = related[0].Pos
	}
	if !pos.IsValid() {
		pos = fallback
	}
	return pos, related
}

// DiffItems reports a change's gained exposure and broken expectations,
// each at the position of its cause.
func DiffItems(r *diff.Report) []Item {
	var items []Item
	for _, e := range r.ExposureGained {
		pos, related := causeItemPos(e.Cause, model.Position{})
		ports := e.Service()
		items = append(items, Item{Rule: RuleDiffExposureGained, Level: model.SeverityError, Pos: pos, Related: related,
			Message:   fmt.Sprintf("the change exposes %s to the internet on %s (from %s)", e.Destination, ports, e.From),
			Component: string(e.Destination), Name: fmt.Sprintf("%s %s exposed", e.Destination, ports)})
	}
	for _, e := range r.ExpectationsBroken {
		pos, related := causeItemPos(e.Cause, e.Pos)
		items = append(items, Item{Rule: RuleDiffExpectationBroken, Level: model.SeverityError, Pos: pos, Related: related,
			Message:   fmt.Sprintf("the change breaks expectation %q: expected %s, was %s, now %s", e.Name, e.Expect, e.Old, e.New),
			Component: e.Name, Name: e.Name})
	}
	return items
}
