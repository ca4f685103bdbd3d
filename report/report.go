package report

import (
	"io"

	"github.com/vpcreach/vpcreach/model"
)

// Rule describes a kind of item, for SARIF's rule table.
type Rule struct {
	ID          string
	Title       string
	Description string
	// Help says how to fix an item of this rule.
	Help  string
	Level model.Severity
	// SecuritySeverity ranks the rule's items as a security problem, from
	// 0.1 (low) to 10.0 (critical), as GitHub code scanning reads it: 9.0
	// and up is critical, 7.0 to 8.9 high, 4.0 to 6.9 medium, below 4.0
	// low. Zero: the rule is not about security.
	SecuritySeverity float64
	// Tags classify the rule, such as "security" and "exposure"; GitHub
	// code scanning ranks a rule by SecuritySeverity only when "security"
	// is one of them.
	Tags []string
}

// Item is one reported result: a lint finding, or an expectation that
// held or failed.
type Item struct {
	Rule    string
	Level   model.Severity
	Message string
	Pos     model.Position
	// Name names the item as a test case ("app reaches db"); default: the
	// rule and position.
	Name string
	// Class groups the item's test case in JUnit (the classname, after
	// the suite's name): a lint rule, an expectation's name. Default: the
	// rule.
	Class string
	// Detail is the long explanation (a path and its blockers).
	Detail string
	// Component is the resource the item is about, for fingerprints.
	Component string
	// Passed marks an item that is not a problem (an expectation that
	// held): JUnit writes it as a passing test case; SARIF leaves it out.
	Passed bool
	// Codes are the result codes the item reports, such as the blocking
	// codes of a failed expectation.
	Codes []string
	// Flows are the paths the item is about, such as a request and its
	// response, each hop by hop: SARIF code flows.
	Flows []Flow
	// Related are other places the item involves, such as the rules that
	// block a path: SARIF related locations.
	Related []Location
	// SecuritySeverity, when not zero, ranks this item instead of its
	// rule's SecuritySeverity (an exposure to the internet rather than
	// within the network).
	SecuritySeverity float64
	// Tags, when not empty, replace the rule's tags for this item.
	Tags []string
}

// Location is a place in a topology file, with what happens there.
type Location struct {
	Pos     model.Position
	Message string
}

// Flow is a path through the network, one step per hop.
type Flow struct {
	// Message names the path, such as "forward path".
	Message string
	Steps   []Location
}

// Tool names the producing tool.
type Tool struct {
	Name, Version, InformationURI string
}

// Report is the result of one run, ready to write in the formats CI
// systems read. Its zero value reports nothing; a Report is a plain value,
// safe to copy.
type Report struct {
	Tool Tool
	// Suite names the JUnit test suite, such as "vpcreach.lint"; it also
	// prefixes each test case's classname.
	Suite string
	// Empty names the one passing JUnit test case written when Items is
	// empty, so that CI shows a suite that ran; default "no findings".
	Empty string
	Rules []Rule
	Items []Item
	// FailOn is the least severe level that fails the run: an item not
	// Passed fails when it is at least this severe, and JUnit writes the
	// others as skipped. Zero means SeverityNote: every item not Passed
	// fails.
	FailOn model.Severity
	// Input, when not empty, names the input the report is about, in a
	// run that reports on several inputs separately (lint --each): JUnit
	// names the report's suite "Suite Input".
	Input string
	// BaseDir is the directory SARIF artifact URIs are relative to, given
	// to SARIF consumers as the base %SRCROOT%: the repository root, so
	// that results map to the files of a pull request. Relative item paths
	// are taken from the current directory. Empty: URIs are the item paths
	// as they are, with no base.
	BaseDir string
}

// Fails reports whether an item fails a run that fails on failOn (zero
// meaning SeverityNote): it is not Passed and at least that severe. An
// item of unknown (zero) level always fails.
func Fails(it Item, failOn model.Severity) bool {
	if it.Passed {
		return false
	}
	if failOn == 0 {
		failOn = model.SeverityNote
	}
	return it.Level == 0 || it.Level <= failOn
}

// Failed counts the items that fail the run: a command exits 1 when it is
// not zero, and the JUnit report counts exactly these as failures.
func (r Report) Failed() int {
	n := 0
	for _, it := range r.Items {
		if Fails(it, r.FailOn) {
			n++
		}
	}
	return n
}

// SARIF writes items as a SARIF 2.1.0 log; see Report.WriteSARIF. Paths
// are written as they are.
func SARIF(w io.Writer, tool Tool, rules []Rule, items []Item) error {
	return Report{Tool: tool, Rules: rules, Items: items}.WriteSARIF(w)
}

// JUnit writes items as a JUnit XML report in which every item not Passed
// fails; see Report.WriteJUnit.
func JUnit(w io.Writer, suite string, items []Item) error {
	return Report{Suite: suite, Items: items}.WriteJUnit(w)
}

func level(s model.Severity) string {
	switch s {
	case model.SeverityError:
		return "error"
	case model.SeverityWarning:
		return "warning"
	}
	return "note"
}
