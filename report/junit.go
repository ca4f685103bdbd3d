package report

import (
	"encoding/xml"
	"fmt"
	"io"

	"github.com/vpcreach/vpcreach/model"
)

// JUnit XML structure: the common shape (Ant, Jenkins, GitLab, GitHub
// test-report actions) of testsuites > testsuite > testcase > failure or
// skipped, with counts on both suite levels.
type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Skipped  int          `xml:"skipped,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name     string      `xml:"name,attr"`
		Tests    int         `xml:"tests,attr"`
		Failures int         `xml:"failures,attr"`
		Errors   int         `xml:"errors,attr"`
		Skipped  int         `xml:"skipped,attr"`
		Cases    []junitCase `xml:"testcase"`
	}
	junitCase struct {
		Name      string        `xml:"name,attr"`
		Classname string        `xml:"classname,attr"`
		File      string        `xml:"file,attr,omitempty"`
		Line      int           `xml:"line,attr,omitempty"`
		Failure   *junitFailure `xml:"failure,omitempty"`
		Skipped   *junitFailure `xml:"skipped,omitempty"`
	}
	junitFailure struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr,omitempty"`
		Text    string `xml:",cdata"`
	}
)

// WriteJUnit writes the report as a JUnit XML report: one test suite named
// Suite, one test case per item, with classname Suite.Class (or
// Suite.Rule). An item that Fails the run is a failure; an item not Passed
// but below FailOn is skipped, with its level and message, so that a run
// that exits 0 reports no failure; a Passed item passes. An empty list
// writes one passing case (named Empty), so that CI shows a suite that ran.
func (r Report) WriteJUnit(w io.Writer) error {
	return WriteJUnitSuites(w, r)
}

// WriteJUnitSuites writes several reports as one JUnit XML report, one
// test suite each, in order, as Report.WriteJUnit writes one; the counts of
// the document are the sums of the suites'. A report whose Input is set
// names its suite "Suite Input": a run that reports on several inputs
// separately (lint --each) groups their test cases by input.
func WriteJUnitSuites(w io.Writer, reports ...Report) error {
	doc := junitSuites{Name: "vpcreach"}
	for _, r := range reports {
		s := r.junitSuite()
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Skipped += s.Skipped
		doc.Suites = append(doc.Suites, s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// junitSuite is the report as one JUnit test suite.
func (r Report) junitSuite() junitSuite {
	failOn := r.FailOn
	if failOn == 0 {
		failOn = model.SeverityNote
	}
	s := junitSuite{Name: r.Suite}
	if r.Input != "" {
		s.Name += " " + r.Input
	}
	for _, it := range r.Items {
		name := it.Name
		if name == "" {
			name = fmt.Sprintf("%s %s", it.Rule, it.Pos)
		}
		class := it.Class
		if class == "" {
			class = it.Rule
		}
		c := junitCase{Name: name, Classname: r.Suite + "." + class, File: it.Pos.File, Line: it.Pos.Line}
		text := it.Message
		if it.Detail != "" {
			text += "\n\n" + it.Detail
		}
		switch {
		case it.Passed:
		case Fails(it, failOn):
			c.Failure = &junitFailure{Message: it.Message, Type: level(it.Level), Text: text}
			s.Failures++
		default:
			c.Skipped = &junitFailure{Message: fmt.Sprintf("%s below the failing level (%s): %s", level(it.Level), failOn, it.Message), Text: text}
			s.Skipped++
		}
		s.Cases = append(s.Cases, c)
	}
	if len(s.Cases) == 0 {
		empty := r.Empty
		if empty == "" {
			empty = "no findings"
		}
		s.Cases = []junitCase{{Name: empty, Classname: r.Suite}}
	}
	s.Tests = len(s.Cases)
	return s
}
