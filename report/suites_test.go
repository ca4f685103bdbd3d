package report_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/report"
)

// TestJUnitSuitesOnePerInput: reports on several inputs written together
// give one suite each, named after the input, and document counts that
// add up.
func TestJUnitSuitesOnePerInput(t *testing.T) {
	item := func(file string, level model.Severity) report.Item {
		return report.Item{Rule: "r", Level: level, Message: "m", Pos: model.Position{File: file, Line: 1, Column: 1}, Name: "r " + file}
	}
	a := report.Report{Suite: "vpcreach.lint", Input: "a.yaml", FailOn: model.SeverityWarning,
		Items: []report.Item{item("a.yaml", model.SeverityError), item("a2.yaml", model.SeverityNote)}}
	b := report.Report{Suite: "vpcreach.lint", Input: "b.yaml", FailOn: model.SeverityWarning}
	var buf bytes.Buffer
	require.NoError(t, report.WriteJUnitSuites(&buf, a, b))
	c, err := checkJUnit(buf.Bytes())
	require.NoError(t, err, buf.String())
	assert.Equal(t, 3, c.Tests)
	assert.Equal(t, 1, c.Failures)
	assert.Equal(t, 1, c.Skipped)
	assert.Contains(t, buf.String(), `<testsuite name="vpcreach.lint a.yaml" tests="2" failures="1" errors="0" skipped="1">`)
	assert.Contains(t, buf.String(), `<testsuite name="vpcreach.lint b.yaml" tests="1" failures="0" errors="0" skipped="0">`)
	assert.Equal(t, "vpcreach.lint.r", c.Classnames["r a.yaml"], "classnames do not change")
}
