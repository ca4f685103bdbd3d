package main

import (
	"fmt"
	"io"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/report"
	"github.com/vpcreach/vpcreach/solver"
)

// expectationRule is the single rule SARIF reports failed expectations
// under.
var expectationRule = report.Rule{ID: "expectation-failed", Title: "expectation does not hold",
	Description: "A flow the topology's expectations say must be reachable is not, or one that must not be reachable is.",
	Help:        "Read the path and blockers in the message: fix the rule or route they name, or correct the expectation.",
	Level:       model.SeverityError}

type expectationJSON struct {
	Name     string        `json:"name"`
	From     string        `json:"from"`
	To       string        `json:"to"`
	Protocol string        `json:"protocol"`
	Port     uint16        `json:"port,omitempty"`
	Expect   string        `json:"expect"`
	Verdict  string        `json:"verdict"`
	Held     bool          `json:"held"`
	File     string        `json:"file"`
	Line     int           `json:"line"`
	Column   int           `json:"column"`
	Result   solver.Result `json:"result"`
}

func runCheck(args []string, out, errOut io.Writer) int {
	fs := newFlags("check", "FILE...", errOut, nil)
	output := formatFlag("text")
	fs.Var(&output, "output", "output format: text, json, sarif or junit")
	failOn := severityFlag{model.SeverityError}
	fs.Var(&failOn, "fail-on", "accepted for symmetry with lint; a failed expectation is an error")
	files, fromAWS, code, ok := parseInputs(fs, args)
	if !ok {
		return code
	}
	s, code := loadSolverFrom(files, fromAWS, errOut, "check")
	if s == nil {
		return code
	}
	outcomes := s.Check()
	failed := 0
	var items []report.Item
	for _, o := range outcomes {
		it := report.Item{Rule: expectationRule.ID, Level: model.SeverityError, Pos: o.Expectation.Source.Position,
			Name: o.Title(), Component: o.Title(), Passed: o.Held}
		if o.Held {
			it.Message = fmt.Sprintf("%s: holds (%s)", o.Title(), o.Result.Verdict)
		} else {
			failed++
			it.Message = fmt.Sprintf("%s: expected %s, got %s", o.Title(), o.Expectation.Expect, o.Result.Verdict)
			it.Detail = o.Explain()
		}
		items = append(items, it)
	}
	switch output {
	case "json":
		res := struct {
			Expectations []expectationJSON `json:"expectations"`
			Counts       struct {
				Held   int `json:"held"`
				Failed int `json:"failed"`
			} `json:"counts"`
		}{Expectations: []expectationJSON{}}
		for _, o := range outcomes {
			e := o.Expectation
			q := solver.QueryOf(e)
			res.Expectations = append(res.Expectations, expectationJSON{Name: e.Name, From: e.From, To: e.To, Protocol: e.Protocol.String(),
				Port: q.Port, Expect: e.Expect.String(), Verdict: o.Result.Verdict.String(), Held: o.Held,
				File: e.Source.File, Line: e.Source.Line, Column: e.Source.Column, Result: o.Result})
		}
		res.Counts.Held, res.Counts.Failed = len(outcomes)-failed, failed
		writeJSON(out, res)
	case "sarif":
		if err := report.SARIF(out, tool(), []report.Rule{expectationRule}, items); err != nil {
			fmt.Fprintf(errOut, "vpcreach check: %s\n", err)
			return exitInvalid
		}
	case "junit":
		if err := report.JUnit(out, "vpcreach.check", items); err != nil {
			fmt.Fprintf(errOut, "vpcreach check: %s\n", err)
			return exitInvalid
		}
	default:
		for _, o := range outcomes {
			if o.Held {
				fmt.Fprintf(out, "ok    %s (%s)\n", safe(o.Title()), o.Result.Verdict)
				continue
			}
			fmt.Fprintf(out, "FAIL  %s: %s\n", safe(o.Expectation.Source.Position.String()), o.Explain())
		}
		fmt.Fprintf(out, "%s: %d hold, %d fail\n", plural(len(outcomes), "expectation"), len(outcomes)-failed, failed)
	}
	if failed > 0 {
		return exitFindings
	}
	return exitOK
}
