package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
)

// SARIF 2.1.0 log structure, the parts vpcreach fills.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool               sarifTool                `json:"tool"`
		OriginalURIBaseIDs map[string]sarifArtifact `json:"originalUriBaseIds,omitempty"`
		Results            []sarifResult            `json:"results"`
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
		Properties           *sarifProps  `json:"properties,omitempty"`
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
	// sarifProps is a property bag with the keys GitHub code scanning
	// reads (tags, security-severity) and the result codes.
	sarifProps struct {
		Tags             []string `json:"tags,omitempty"`
		SecuritySeverity string   `json:"security-severity,omitempty"`
		Codes            []string `json:"codes,omitempty"`
	}
	sarifResult struct {
		RuleID              string            `json:"ruleId"`
		RuleIndex           int               `json:"ruleIndex"`
		Level               string            `json:"level"`
		Message             sarifText         `json:"message"`
		Locations           []sarifLocation   `json:"locations,omitempty"`
		CodeFlows           []sarifCodeFlow   `json:"codeFlows,omitempty"`
		RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
		PartialFingerprints map[string]string `json:"partialFingerprints"`
		Properties          *sarifProps       `json:"properties,omitempty"`
	}
	sarifLocation struct {
		ID               *int           `json:"id,omitempty"`
		PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
		Message          *sarifText     `json:"message,omitempty"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           *sarifRegion  `json:"region,omitempty"`
	}
	sarifArtifact struct {
		URI         string     `json:"uri"`
		URIBaseID   string     `json:"uriBaseId,omitempty"`
		Description *sarifText `json:"description,omitempty"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn,omitempty"`
	}
	sarifCodeFlow struct {
		Message     *sarifText        `json:"message,omitempty"`
		ThreadFlows []sarifThreadFlow `json:"threadFlows"`
	}
	sarifThreadFlow struct {
		Message   *sarifText            `json:"message,omitempty"`
		Locations []sarifThreadLocation `json:"locations"`
	}
	sarifThreadLocation struct {
		Location sarifLocation `json:"location"`
	}
)

// WriteSARIF writes the report as a SARIF 2.1.0 log with one run: the
// rules with their descriptions, help, tags and security severity, and one
// result per item not Passed. A result has the item's file, line and
// column, its codes, its flows as a code flow (one thread flow per path,
// one location per hop), its related locations, and a partial fingerprint
// that survives edits elsewhere in the file (rule, component and message,
// not the line). With a BaseDir, artifact URIs inside it are relative to
// it, with the uriBaseId %SRCROOT% that the run's originalUriBaseIds maps
// to BaseDir; a file outside it gets an absolute file:// URI.
func (r Report) WriteSARIF(w io.Writer) error {
	base := r.BaseDir
	if base != "" {
		abs, err := filepath.Abs(base)
		if err != nil {
			return fmt.Errorf("report: base directory: %w", err)
		}
		base = abs
	}
	run := sarifRun{Tool: sarifTool{Driver: sarifDriver{Name: r.Tool.Name, Version: r.Tool.Version, InformationURI: r.Tool.InformationURI,
		Rules: make([]sarifRule, 0, len(r.Rules))}}, Results: []sarifResult{}}
	if base != "" {
		run.OriginalURIBaseIDs = map[string]sarifArtifact{srcRoot: {URI: baseURI(base),
			Description: &sarifText{"the directory artifact URIs are relative to: the repository root, or --base-dir"}}}
	}
	index := map[string]int{}
	for i, rule := range r.Rules {
		index[rule.ID] = i
		md := fmt.Sprintf("**%s**\n\n%s\n\n**Fix:** %s", rule.Title, rule.Description, rule.Help)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{ID: rule.ID, Name: ruleName(rule.ID),
			ShortDescription: sarifText{rule.Title}, FullDescription: sarifText{rule.Description},
			Help: sarifHelp{Text: rule.Help, Markdown: md}, DefaultConfiguration: sarifDefault{level(rule.Level)},
			Properties: props(rule.Tags, rule.SecuritySeverity, nil)})
	}
	for _, it := range r.Items {
		if it.Passed {
			continue
		}
		ri, ok := index[it.Rule]
		if !ok {
			return fmt.Errorf("report: item of unknown rule %q", it.Rule)
		}
		rule := r.Rules[ri]
		res := sarifResult{RuleID: it.Rule, RuleIndex: ri, Level: level(it.Level), Message: sarifText{it.Message},
			PartialFingerprints: map[string]string{"vpcreachFingerprint/v1": fingerprint(it)}}
		if loc, ok := physical(base, Location{Pos: it.Pos}); ok {
			res.Locations = []sarifLocation{loc}
		}
		if flows := codeFlow(base, it.Flows); flows != nil {
			res.CodeFlows = []sarifCodeFlow{*flows}
		}
		for i, l := range it.Related {
			loc, _ := physical(base, l)
			id := i
			loc.ID = &id
			res.RelatedLocations = append(res.RelatedLocations, loc)
		}
		tags, sev := rule.Tags, rule.SecuritySeverity
		if len(it.Tags) > 0 {
			tags = it.Tags
		}
		if it.SecuritySeverity != 0 {
			sev = it.SecuritySeverity
		}
		res.Properties = props(tags, sev, it.Codes)
		run.Results = append(run.Results, res)
	}
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(log)
}

// props returns a property bag, nil when it would be empty.
func props(tags []string, securitySeverity float64, codes []string) *sarifProps {
	p := &sarifProps{Tags: tags, Codes: codes}
	if securitySeverity > 0 {
		p.SecuritySeverity = strconv.FormatFloat(securitySeverity, 'f', 1, 64)
	}
	if len(p.Tags) == 0 && p.SecuritySeverity == "" && len(p.Codes) == 0 {
		return nil
	}
	return p
}

// physical returns a SARIF location for l: with a physical location when
// l has a file (ok), with l's message when it has one.
func physical(base string, l Location) (loc sarifLocation, ok bool) {
	if l.Message != "" {
		loc.Message = &sarifText{l.Message}
	}
	if l.Pos.File == "" {
		return loc, false
	}
	uri, baseID := artifactURI(base, l.Pos.File)
	loc.PhysicalLocation = &sarifPhysical{ArtifactLocation: sarifArtifact{URI: uri, URIBaseID: baseID}}
	if l.Pos.Line > 0 {
		loc.PhysicalLocation.Region = &sarifRegion{StartLine: l.Pos.Line, StartColumn: l.Pos.Column}
	}
	return loc, true
}

// codeFlow returns the SARIF code flow of an item's flows, one thread flow
// per flow; nil when no flow has a step. A hop written nowhere in the
// topology (an implicit default rule) is a location with a message only.
func codeFlow(base string, flows []Flow) *sarifCodeFlow {
	var cf sarifCodeFlow
	for _, f := range flows {
		if len(f.Steps) == 0 {
			continue
		}
		tf := sarifThreadFlow{}
		if f.Message != "" {
			tf.Message = &sarifText{f.Message}
		}
		for _, s := range f.Steps {
			loc, _ := physical(base, s)
			tf.Locations = append(tf.Locations, sarifThreadLocation{Location: loc})
		}
		cf.ThreadFlows = append(cf.ThreadFlows, tf)
	}
	if len(cf.ThreadFlows) == 0 {
		return nil
	}
	return &cf
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
