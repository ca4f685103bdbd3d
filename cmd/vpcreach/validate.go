package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

// diagnosticJSON is the JSON form of a model.Diagnostic.
type diagnosticJSON struct {
	Severity string `json:"severity"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Path     string `json:"path,omitempty"`
	Message  string `json:"message"`
	Rule     string `json:"rule,omitempty"`
}

func toDiagnosticsJSON(ds model.Diagnostics) []diagnosticJSON {
	out := make([]diagnosticJSON, 0, len(ds))
	for _, d := range ds {
		out = append(out, diagnosticJSON{d.Severity.String(), d.Pos.File, d.Pos.Line, d.Pos.Column, d.Path, d.Message, d.Rule})
	}
	return out
}

// summaryJSON counts what a model holds.
type summaryJSON struct {
	Accounts           int `json:"accounts"`
	VPCs               int `json:"vpcs"`
	Subnets            int `json:"subnets"`
	Instances          int `json:"instances"`
	NetworkInterfaces  int `json:"network_interfaces"`
	PeeringConnections int `json:"peering_connections"`
	TransitGateways    int `json:"transit_gateways"`
	EndpointServices   int `json:"endpoint_services"`
	HostedZones        int `json:"hosted_zones"`
	ExternalNetworks   int `json:"external_networks"`
	Expectations       int `json:"expectations"`
}

func summarize(m *model.Model) summaryJSON {
	s := summaryJSON{
		Accounts: len(m.Accounts), VPCs: len(m.VPCs), PeeringConnections: len(m.PeeringConnections),
		TransitGateways: len(m.TransitGateways), EndpointServices: len(m.EndpointServices),
		HostedZones: len(m.HostedZones), ExternalNetworks: len(m.ExternalNetworks), Expectations: len(m.Expectations),
	}
	for _, v := range m.VPCs {
		s.Subnets += len(v.Subnets)
		s.Instances += len(v.Instances)
		s.NetworkInterfaces += len(v.NetworkInterfaces)
	}
	return s
}

type validateJSON struct {
	Valid    bool             `json:"valid"`
	Files    []string         `json:"files"`
	Errors   []diagnosticJSON `json:"errors"`
	Warnings []diagnosticJSON `json:"warnings"`
	// Notes are the AWS importer's notes (skipped files, inferences);
	// topology files give none.
	Notes   []diagnosticJSON `json:"notes,omitempty"`
	Summary *summaryJSON     `json:"summary,omitempty"`
	// Inputs holds the validation of each input, with --each (Summary is
	// then in each of them).
	Inputs []validateInputJSON `json:"inputs,omitempty"`
}

// validateInputJSON is the validation of one input, with --each.
type validateInputJSON struct {
	Input    string           `json:"input"`
	Valid    bool             `json:"valid"`
	Errors   []diagnosticJSON `json:"errors"`
	Warnings []diagnosticJSON `json:"warnings"`
	Summary  *summaryJSON     `json:"summary,omitempty"`
}

func runValidate(args []string, out, errOut io.Writer) int {
	var output outputFlag
	fs := newFlags("validate", "FILE...", out, errOut, &output)
	each := addEach(fs, "validate it alone (ids need be unique only within it)")
	files, fromAWS, code, ok := parseInputs(fs, args)
	if !ok {
		return code
	}
	res := validateJSON{Valid: true, Files: append(files, fromAWS...), Errors: []diagnosticJSON{}, Warnings: []diagnosticJSON{}}
	invalid := 0
	for _, n := range networksOf(files, fromAWS, *each) {
		m, diags := readInputs(n.files, n.fromAWS)
		errs, warns := diags.Errors(), diags.Warnings()
		valid := len(errs) == 0 && m != nil
		res.Valid = res.Valid && valid
		res.Errors = append(res.Errors, toDiagnosticsJSON(errs)...)
		res.Warnings = append(res.Warnings, toDiagnosticsJSON(warns)...)
		res.Notes = append(res.Notes, toDiagnosticsJSON(notes(diags))...)
		var s *summaryJSON
		if valid {
			sum := summarize(m)
			s = &sum
		}
		if *each {
			res.Inputs = append(res.Inputs, validateInputJSON{Input: n.input, Valid: valid, Errors: toDiagnosticsJSON(errs), Warnings: toDiagnosticsJSON(warns), Summary: s})
		} else {
			res.Summary = s
		}
		if output != "json" {
			for _, d := range diags {
				fmt.Fprintln(errOut, diagText(d))
			}
			if valid {
				fmt.Fprintf(out, "%svalid: %s, %s, %s, %s, %s, %s; %s\n", inputPrefix(n),
					plural(s.VPCs, "VPC"), plural(s.Subnets, "subnet"), plural(s.Instances, "instance"),
					plural(s.PeeringConnections, "peering connection"), plural(s.TransitGateways, "transit gateway"),
					plural(s.Expectations, "expectation"), plural(len(warns), "warning"))
			}
		}
		if !valid {
			invalid++
			fmt.Fprintf(errOut, "vpcreach validate: %s%s\n", inputPrefix(n), plural(len(errs), "error"))
		}
	}
	if output == "json" {
		writeJSON(out, res)
	} else if *each {
		fmt.Fprintln(out, eachSummary(len(res.Inputs), 0, fmt.Sprintf("%d valid, %d invalid", len(res.Inputs)-invalid, invalid)))
	}
	if !res.Valid {
		return exitInvalid
	}
	return exitOK
}

// plural returns "1 warning", "2 warnings": the count and the noun, in
// the plural unless the count is 1 ("class" becomes "classes").
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	for _, end := range []string{"s", "x", "ch", "sh"} {
		if strings.HasSuffix(word, end) {
			return fmt.Sprintf("%d %ses", n, word)
		}
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// severityCounts returns "0 errors, 1 warning, 2 notes".
func severityCounts(errs, warns, notes int) string {
	return plural(errs, "error") + ", " + plural(warns, "warning") + ", " + plural(notes, "note")
}
