package main

import (
	"fmt"
	"io"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/report"
	"github.com/vpcreach/vpcreach/solver"
)

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
	fs := newFlags("check", "FILE...", out, errOut, nil)
	output := formatFlag("text")
	fs.Var(&output, "output", "output `format`: text, json, sarif or junit")
	failOn := severityFlag{model.SeverityError}
	fs.Var(&failOn, "fail-on", "exit 1 when an outcome is at least this `severity`: error (an expectation fails), warning or note (one also holds with warnings)")
	baseDir := addBaseDir(fs)
	files, fromAWS, code, ok := parseInputs(fs, args)
	if !ok {
		return code
	}
	s, code := loadSolverFrom(files, fromAWS, errOut, "check")
	if s == nil {
		return code
	}
	outcomes := s.Check()
	failed, warned := 0, 0
	for _, o := range outcomes {
		switch report.OutcomeLevel(o) {
		case model.SeverityError:
			failed++
		case model.SeverityWarning:
			warned++
		}
	}
	rep := report.Report{Tool: tool(), Suite: "vpcreach.check", Empty: "no expectations", Rules: report.CheckRules(),
		Items: report.CheckItems(outcomes), FailOn: failOn.s}
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
		var err error
		if rep.BaseDir, err = sarifBase(*baseDir); err == nil {
			err = rep.WriteSARIF(out)
		}
		if err != nil {
			fmt.Fprintf(errOut, "vpcreach check: %s\n", err)
			return exitInvalid
		}
	case "junit":
		if err := rep.WriteJUnit(out); err != nil {
			fmt.Fprintf(errOut, "vpcreach check: %s\n", err)
			return exitInvalid
		}
	default:
		for _, o := range outcomes {
			if !o.Held {
				fmt.Fprintf(out, "FAIL  %s: %s\n", safe(o.Expectation.Source.Position.String()), o.Explain())
				continue
			}
			fmt.Fprintf(out, "ok    %s (%s)\n", safe(o.Title()), o.Result.Verdict)
			for _, w := range o.Result.Warnings {
				fmt.Fprintf(out, "      warning: %s at %s (%s): %s\n", w.Code, safe(string(w.Component)), w.Leg, safe(w.Message))
			}
		}
		held := agree(len(outcomes)-failed, "holds", "hold")
		if warned > 0 {
			held += fmt.Sprintf(" (%d with warnings)", warned)
		}
		fmt.Fprintf(out, "%s: %s, %s\n", plural(len(outcomes), "expectation"), held, agree(failed, "fails", "fail"))
	}
	if rep.Failed() > 0 {
		return exitFindings
	}
	return exitOK
}

// agree returns "1 holds" or "2 hold": a count and a verb that agrees
// with it.
func agree(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
