package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"path/filepath"
	"strings"

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
	// Detail is the long explanation (a path and its blockers).
	Detail string
	// Component is the resource the item is about, for fingerprints.
	Component string
	// Passed marks an item that is not a problem (an expectation that
	// held): JUnit writes it as a passing test case; SARIF leaves it out.
	Passed bool
}

// Tool names the producing tool.
type Tool struct {
	Name, Version, InformationURI string
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

// SARIF 2.1.0 log structure, the parts vpcreach fills.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool    sarifTool     `json:"tool"`
		Results []sarifResult `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri,omitempty"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string       `json:"id"`
		Name                 string       `json:"name,omitempty"`
		ShortDescription     sarifText    `json:"shortDescription"`
		FullDescription      sarifText    `json:"fullDescription"`
		Help                 sarifHelp    `json:"help"`
		DefaultConfiguration sarifDefault `json:"defaultConfiguration"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifHelp struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown,omitempty"`
	}
	sarifDefault struct {
		Level string `json:"level"`
	}
	sarifResult struct {
		RuleID              string            `json:"ruleId"`
		RuleIndex           int               `json:"ruleIndex"`
		Level               string            `json:"level"`
		Message             sarifText         `json:"message"`
		Locations           []sarifLocation   `json:"locations,omitempty"`
		PartialFingerprints map[string]string `json:"partialFingerprints"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           *sarifRegion  `json:"region,omitempty"`
	}
	sarifArtifact struct {
		URI string `json:"uri"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn,omitempty"`
	}
)

// SARIF writes items as a SARIF 2.1.0 log with one run: the rules with
// their descriptions and help, and one result per item not Passed, with
// its file, line and column and a partial fingerprint that survives edits
// elsewhere in the file (rule, component and message, not the line).
func SARIF(w io.Writer, tool Tool, rules []Rule, items []Item) error {
	run := sarifRun{Tool: sarifTool{Driver: sarifDriver{Name: tool.Name, Version: tool.Version, InformationURI: tool.InformationURI,
		Rules: make([]sarifRule, 0, len(rules))}}, Results: []sarifResult{}}
	index := map[string]int{}
	for i, r := range rules {
		index[r.ID] = i
		md := fmt.Sprintf("**%s**\n\n%s\n\n**Fix:** %s", r.Title, r.Description, r.Help)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{ID: r.ID, Name: ruleName(r.ID),
			ShortDescription: sarifText{r.Title}, FullDescription: sarifText{r.Description},
			Help: sarifHelp{Text: r.Help, Markdown: md}, DefaultConfiguration: sarifDefault{level(r.Level)}})
	}
	for _, it := range items {
		if it.Passed {
			continue
		}
		ri, ok := index[it.Rule]
		if !ok {
			return fmt.Errorf("report: item of unknown rule %q", it.Rule)
		}
		res := sarifResult{RuleID: it.Rule, RuleIndex: ri, Level: level(it.Level), Message: sarifText{it.Message},
			PartialFingerprints: map[string]string{"vpcreachFingerprint/v1": fingerprint(it)}}
		if it.Pos.File != "" {
			loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: filepath.ToSlash(it.Pos.File)}}}
			if it.Pos.Line > 0 {
				loc.PhysicalLocation.Region = &sarifRegion{StartLine: it.Pos.Line, StartColumn: it.Pos.Column}
			}
			res.Locations = []sarifLocation{loc}
		}
		run.Results = append(run.Results, res)
	}
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(log)
}

// ruleName turns "sg-missing-description" into "SgMissingDescription",
// the PascalCase names SARIF viewers expect.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

func fingerprint(it Item) string {
	h := sha256.Sum256([]byte(it.Rule + "\x00" + it.Component + "\x00" + it.Message))
	return hex.EncodeToString(h[:16])
}

// JUnit XML structure.
type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name     string      `xml:"name,attr"`
		Tests    int         `xml:"tests,attr"`
		Failures int         `xml:"failures,attr"`
		Cases    []junitCase `xml:"testcase"`
	}
	junitCase struct {
		Name      string        `xml:"name,attr"`
		Classname string        `xml:"classname,attr"`
		File      string        `xml:"file,attr,omitempty"`
		Line      int           `xml:"line,attr,omitempty"`
		Failure   *junitFailure `xml:"failure,omitempty"`
	}
	junitFailure struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
)

// JUnit writes items as a JUnit XML report: one test suite, one test case
// per item, failing unless Passed. An empty list writes one passing case,
// so that CI shows a suite that ran.
func JUnit(w io.Writer, suite string, items []Item) error {
	s := junitSuite{Name: suite}
	for _, it := range items {
		name := it.Name
		if name == "" {
			name = fmt.Sprintf("%s %s", it.Rule, it.Pos)
		}
		c := junitCase{Name: name, Classname: suite + "." + it.Rule, File: it.Pos.File, Line: it.Pos.Line}
		if !it.Passed {
			text := it.Message
			if it.Detail != "" {
				text += "\n\n" + it.Detail
			}
			c.Failure = &junitFailure{Message: it.Message, Type: level(it.Level), Text: text}
			s.Failures++
		}
		s.Cases = append(s.Cases, c)
	}
	if len(s.Cases) == 0 {
		s.Cases = []junitCase{{Name: "no findings", Classname: suite}}
	}
	s.Tests = len(s.Cases)
	doc := junitSuites{Name: "vpcreach", Tests: s.Tests, Failures: s.Failures, Suites: []junitSuite{s}}
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
