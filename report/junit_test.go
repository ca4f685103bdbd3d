package report_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/report"
)

// junitCounts are the counts a JUnit document states, after checking
// that they agree with its test cases.
type junitCounts struct {
	Tests, Failures, Errors, Skipped int
	// Classnames by test case name.
	Classnames map[string]string
	// Outcome by test case name: "passed", "failure" or "skipped".
	Outcome map[string]string
}

// junitElement is an XML element, as the checker reads it.
type junitElement struct {
	XMLName  xml.Name
	Attrs    []xml.Attr     `xml:",any,attr"`
	Children []junitElement `xml:",any"`
	Text     string         `xml:",chardata"`
}

func (e junitElement) attr(name string) (string, bool) {
	for _, a := range e.Attrs {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

// checkJUnit checks that data is well-formed XML in the common JUnit shape
// (the Jenkins and Ant schemas): a testsuites root holding testsuite
// elements holding testcase elements, each with at most one failure, error
// or skipped; name, tests, failures, errors and skipped on both suite
// levels, counts that agree with the cases, and name and classname on
// every case.
func checkJUnit(data []byte) (junitCounts, error) {
	c := junitCounts{Classnames: map[string]string{}, Outcome: map[string]string{}}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	for { // well-formed: the whole document tokenizes
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			return c, fmt.Errorf("not well-formed XML: %w", err)
		}
	}
	var root junitElement
	if err := xml.Unmarshal(data, &root); err != nil {
		return c, err
	}
	if root.XMLName.Local != "testsuites" {
		return c, fmt.Errorf("root element is %q, want testsuites", root.XMLName.Local)
	}
	counts := func(e junitElement) (map[string]int, error) {
		out := map[string]int{}
		if _, ok := e.attr("name"); !ok {
			return nil, fmt.Errorf("<%s> without name", e.XMLName.Local)
		}
		for _, k := range []string{"tests", "failures", "errors", "skipped"} {
			v, ok := e.attr(k)
			if !ok {
				return nil, fmt.Errorf("<%s> without %s", e.XMLName.Local, k)
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return nil, fmt.Errorf("<%s %s=%q>: not a count", e.XMLName.Local, k, v)
			}
			out[k] = n
		}
		return out, nil
	}
	want, err := counts(root)
	if err != nil {
		return c, err
	}
	total := map[string]int{}
	for _, s := range root.Children {
		if s.XMLName.Local != "testsuite" {
			return c, fmt.Errorf("<testsuites> holds <%s>", s.XMLName.Local)
		}
		sc, err := counts(s)
		if err != nil {
			return c, err
		}
		got := map[string]int{}
		for _, tc := range s.Children {
			switch tc.XMLName.Local {
			case "properties", "system-out", "system-err":
				continue
			case "testcase":
			default:
				return c, fmt.Errorf("<testsuite> holds <%s>", tc.XMLName.Local)
			}
			name, ok := tc.attr("name")
			if !ok {
				return c, fmt.Errorf("<testcase> without name")
			}
			class, ok := tc.attr("classname")
			if !ok {
				return c, fmt.Errorf("<testcase name=%q> without classname", name)
			}
			c.Classnames[name] = class
			got["tests"]++
			outcome := "passed"
			for _, r := range tc.Children {
				var key string
				switch r.XMLName.Local {
				case "failure":
					key = "failures"
				case "error":
					key = "errors"
				case "skipped":
					key = "skipped"
				case "system-out", "system-err", "properties":
					continue
				default:
					return c, fmt.Errorf("<testcase name=%q> holds <%s>", name, r.XMLName.Local)
				}
				if outcome != "passed" {
					return c, fmt.Errorf("<testcase name=%q> has both %s and %s", name, outcome, r.XMLName.Local)
				}
				if _, ok := r.attr("message"); !ok && key != "skipped" {
					return c, fmt.Errorf("<%s> of %q without message", r.XMLName.Local, name)
				}
				outcome = r.XMLName.Local
				got[key]++
			}
			c.Outcome[name] = outcome
		}
		for _, k := range []string{"tests", "failures", "errors", "skipped"} {
			if got[k] != sc[k] {
				return c, fmt.Errorf("<testsuite> says %s=%d, its cases have %d", k, sc[k], got[k])
			}
			total[k] += got[k]
		}
	}
	for _, k := range []string{"tests", "failures", "errors", "skipped"} {
		if total[k] != want[k] {
			return c, fmt.Errorf("<testsuites> says %s=%d, its suites have %d", k, want[k], total[k])
		}
	}
	c.Tests, c.Failures, c.Errors, c.Skipped = want["tests"], want["failures"], want["errors"], want["skipped"]
	return c, nil
}

func TestJUnitCheckerCatchesBrokenReports(t *testing.T) {
	for name, doc := range map[string]string{
		"not XML":          `<testsuites name="x" tests="1"`,
		"counts disagree":  `<testsuites name="x" tests="1" failures="1" errors="0" skipped="0"><testsuite name="s" tests="1" failures="0" errors="0" skipped="0"><testcase name="a" classname="c"><failure message="m"/></testcase></testsuite></testsuites>`,
		"no classname":     `<testsuites name="x" tests="1" failures="0" errors="0" skipped="0"><testsuite name="s" tests="1" failures="0" errors="0" skipped="0"><testcase name="a"/></testsuite></testsuites>`,
		"failure and skip": `<testsuites name="x" tests="1" failures="1" errors="0" skipped="1"><testsuite name="s" tests="1" failures="1" errors="0" skipped="1"><testcase name="a" classname="c"><failure message="m"/><skipped/></testcase></testsuite></testsuites>`,
		"wrong root":       `<testsuite name="s" tests="0" failures="0" errors="0" skipped="0"/>`,
	} {
		_, err := checkJUnit([]byte(doc))
		assert.Error(t, err, "the checker must reject a report with %s", name)
	}
}

// TestJUnitBelowFailOnIsSkipped: a run that fails on errors only reports
// its warnings and notes as skipped cases, not failures, so a run that
// exits 0 shows no failure; the counts agree with the cases and the exit
// decision (Report.Failed).
func TestJUnitBelowFailOnIsSkipped(t *testing.T) {
	items := []report.Item{
		{Rule: "sensitive-port-exposed", Level: model.SeverityError, Message: "tcp/22 open", Name: "e", Pos: model.Position{File: "a.yaml", Line: 3, Column: 1}},
		{Rule: "sg-missing-description", Level: model.SeverityWarning, Message: "no description", Name: "w"},
		{Rule: "unused-security-group", Level: model.SeverityNote, Message: "unused", Name: "n", Detail: "more ]]> text"},
	}
	tests := []struct {
		failOn                     model.Severity
		failures, skipped          int
		errorCase, warnCase, notes string
	}{
		{model.SeverityError, 1, 2, "failure", "skipped", "skipped"},
		{model.SeverityWarning, 2, 1, "failure", "failure", "skipped"},
		{model.SeverityNote, 3, 0, "failure", "failure", "failure"},
		{0, 3, 0, "failure", "failure", "failure"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("fail-on-%s", tt.failOn), func(t *testing.T) {
			rep := report.Report{Suite: "vpcreach.lint", Items: items, FailOn: tt.failOn}
			var buf bytes.Buffer
			require.NoError(t, rep.WriteJUnit(&buf))
			c, err := checkJUnit(buf.Bytes())
			require.NoError(t, err, buf.String())
			assert.Equal(t, 3, c.Tests)
			assert.Equal(t, tt.failures, c.Failures, "failures")
			assert.Equal(t, tt.skipped, c.Skipped, "skipped")
			assert.Equal(t, rep.Failed(), c.Failures, "the JUnit failures are the items that fail the run")
			assert.Equal(t, map[string]string{"e": tt.errorCase, "w": tt.warnCase, "n": tt.notes}, c.Outcome)
			assert.Contains(t, buf.String(), "more ]]", "detail text survives CDATA")
		})
	}

	// Only warnings, failing on errors: exit 0, and no failure reported.
	rep := report.Report{Suite: "vpcreach.lint", Items: items[1:], FailOn: model.SeverityError}
	var buf bytes.Buffer
	require.NoError(t, rep.WriteJUnit(&buf))
	c, err := checkJUnit(buf.Bytes())
	require.NoError(t, err)
	assert.Zero(t, rep.Failed())
	assert.Zero(t, c.Failures, "a run that exits 0 reports no failure:\n%s", buf.String())
	assert.Contains(t, buf.String(), `<skipped message="warning below the failing level (error): no description">`)
}

// TestJUnitClassnames: lint cases are grouped by rule, check cases by
// expectation; a passing case never carries a failure's class.
func TestJUnitClassnames(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, report.JUnit(&buf, "vpcreach.lint", testItems))
	c, err := checkJUnit(buf.Bytes())
	require.NoError(t, err, buf.String())
	assert.Equal(t, "vpcreach.lint.sg-missing-description", c.Classnames["sg-missing-description net/a.yaml:12:9"])
	assert.Equal(t, "vpcreach.lint.sensitive-port-exposed", c.Classnames["sensitive-port-exposed net/a.yaml:40:7"])

	outcomes := checkOutcomes(t)
	buf.Reset()
	rep := report.Report{Suite: "vpcreach.check", Rules: report.CheckRules(), Items: report.CheckItems(outcomes), FailOn: model.SeverityError}
	require.NoError(t, rep.WriteJUnit(&buf))
	c, err = checkJUnit(buf.Bytes())
	require.NoError(t, err, buf.String())
	assert.Equal(t, map[string]string{
		"i-app -> i-db tcp/5432: expect reachable":      "vpcreach.check.app reaches the database",
		"i-app -> i-db tcp/22: expect reachable":        "vpcreach.check.app reaches the database on ssh",
		"i-app -> i-db tcp/8080: expect unreachable":    "vpcreach.check.nothing else reaches the database",
		"internet -> i-db tcp/5432: expect unreachable": "vpcreach.check.internet -> i-db tcp/5432",
		"internet -> i-web tcp/443: expect unreachable": "vpcreach.check.the web server is not public yet",
	}, c.Classnames)
	assert.Equal(t, map[string]string{
		"i-app -> i-db tcp/5432: expect reachable":      "passed",
		"i-app -> i-db tcp/22: expect reachable":        "failure",
		"i-app -> i-db tcp/8080: expect unreachable":    "failure",
		"internet -> i-db tcp/5432: expect unreachable": "passed",
		"internet -> i-web tcp/443: expect unreachable": "failure",
	}, c.Outcome)
	assert.NotContains(t, buf.String(), "expectation-failed", "no case is classed as a failure by name")
}

func TestJUnitEmpty(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, report.Report{Suite: "vpcreach.check", Empty: "no expectations"}.WriteJUnit(&buf))
	c, err := checkJUnit(buf.Bytes())
	require.NoError(t, err, buf.String())
	assert.Equal(t, map[string]string{"no expectations": "passed"}, c.Outcome)
	assert.True(t, strings.HasPrefix(buf.String(), xml.Header))
}
