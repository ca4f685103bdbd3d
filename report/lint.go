package report

import (
	"fmt"

	"github.com/vpcreach/vpcreach/lint"
)

// lintSecurity is how much each lint rule that is about exposure matters
// as a security problem, on GitHub's scale (see Rule.SecuritySeverity).
// The other rules are about correctness, cost or hygiene.
var lintSecurity = map[string]struct {
	severity float64
	tags     []string
}{
	// Anyone on the internet opens a connection to a database or admin
	// port: critical.
	"sensitive-port-exposed": {9.0, []string{"security", "exposure"}},
	// Any AWS account gets a private path to the service, accepted at once.
	"endpoint-service-open-without-acceptance": {6.5, []string{"security", "exposure"}},
	// Every network that routes to an internal resource is admitted, now
	// and after the next peering.
	"nlb-security-group-open-to-world": {5.0, []string{"security", "exposure"}},
	// A default group that admits traffic connects resources by accident
	// (CIS AWS Foundations Benchmark).
	"default-security-group-allows-traffic": {3.0, []string{"security", "exposure"}},
}

// LintRules returns lint's rules as report rules, with the security
// severity and tags of the rules that are about exposure.
func LintRules() []Rule {
	var out []Rule
	for _, r := range lint.Rules() {
		rule := Rule{ID: r.ID, Title: r.Title, Description: r.Description, Help: r.Fix, Level: r.Severity}
		if s, ok := lintSecurity[r.ID]; ok {
			rule.SecuritySeverity, rule.Tags = s.severity, s.tags
		}
		out = append(out, rule)
	}
	return out
}

// LintItems returns lint findings as report items, one per finding,
// grouped in JUnit by rule.
func LintItems(findings []lint.Finding) []Item {
	out := make([]Item, 0, len(findings))
	for _, f := range findings {
		out = append(out, Item{Rule: f.Rule, Level: f.Severity, Message: f.Message, Pos: f.Pos, Component: string(f.Component),
			Name: fmt.Sprintf("%s %s %s", f.Rule, f.Component, f.Pos)})
	}
	return out
}
