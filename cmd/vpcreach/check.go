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
	// Input is the input the expectation comes from, with --each.
	Input string `json:"input,omitempty"`
}

// checkResult is the check of one network's expectations.
type checkResult struct {
	network
	outcomes []solver.Outcome
	// errors are the errors of an input that could not be read; err, a
	// failure to compile it. Either makes the input invalid.
	errors model.Diagnostics
	err    string
}

func (r checkResult) valid() bool { return len(r.errors) == 0 && r.err == "" }

// checkNetwork reads a network and checks its expectations.
func checkNetwork(n network, errOut io.Writer) checkResult {
	r := checkResult{network: n}
	x, diags := readIndexed(n.files, n.fromAWS)
	reportImportWarnings(errOut, "check", n.files, n.fromAWS, diags)
	if errs := diags.Errors(); len(errs) > 0 || x == nil {
		r.errors = errs
		return r
	}
	s, err := solver.NewFromIndex(x)
	if err != nil {
		r.err = err.Error()
		return r
	}
	r.outcomes = s.Check()
	return r
}

// outcomeCounts returns how many outcomes failed (error level) and held
// with warnings.
func outcomeCounts(outcomes []solver.Outcome) (failed, warned int) {
	for _, o := range outcomes {
		switch report.OutcomeLevel(o) {
		case model.SeverityError:
			failed++
		case model.SeverityWarning:
			warned++
		}
	}
	return failed, warned
}

// outcomesSummary returns "3 expectations: 2 hold (1 with warnings), 1 fails".
func outcomesSummary(outcomes []solver.Outcome) string {
	failed, warned := outcomeCounts(outcomes)
	held := agree(len(outcomes)-failed, "holds", "hold")
	if warned > 0 {
		held += fmt.Sprintf(" (%d with warnings)", warned)
	}
	return fmt.Sprintf("%s: %s, %s", plural(len(outcomes), "expectation"), held, agree(failed, "fails", "fail"))
}

type checkCountsJSON struct {
	Held   int `json:"held"`
	Failed int `json:"failed"`
}

func runCheck(args []string, out, errOut io.Writer) int {
	fs := newFlags("check", "FILE...", out, errOut, nil)
	output := formatFlag("text")
	fs.Var(&output, "output", "output `format`: text, json, sarif or junit")
	failOn := severityFlag{model.SeverityError}
	fs.Var(&failOn, "fail-on", "exit 1 when an outcome is at least this `severity`: error (an expectation fails), warning or note (one also holds with warnings)")
	each := addEach(fs, "check its own expectations on it")
	baseDir := addBaseDir(fs)
	files, fromAWS, code, ok := parseInputs(fs, args)
	if !ok {
		return code
	}
	var results []checkResult
	var all []solver.Outcome
	for _, n := range networksOf(files, fromAWS, *each) {
		r := checkNetwork(n, errOut)
		if !r.valid() {
			printInvalid(errOut, "check", n, r.errors, r.err)
			if !*each {
				return exitInvalid
			}
			code = exitInvalid
		}
		results = append(results, r)
		all = append(all, r.outcomes...)
	}
	rep := report.Report{Tool: tool(), Suite: "vpcreach.check", Empty: "no expectations", Rules: report.CheckRules(),
		Items: report.CheckItems(all), FailOn: failOn.s}
	if err := writeCheck(out, output, results, rep, *each, *baseDir); err != nil {
		fmt.Fprintf(errOut, "vpcreach check: %s\n", err)
		return exitInvalid
	}
	if rep.Failed() > 0 {
		code = worse(code, exitFindings)
	}
	return code
}

// writeCheck prints the outcomes in the chosen format; with each, grouped
// by input.
func writeCheck(out io.Writer, output formatFlag, results []checkResult, rep report.Report, each bool, baseDir string) error {
	switch output {
	case "json":
		type inputJSON struct {
			Input  string           `json:"input"`
			Valid  bool             `json:"valid"`
			Errors []diagnosticJSON `json:"errors,omitempty"`
			Error  string           `json:"error,omitempty"`
			Counts checkCountsJSON  `json:"counts"`
		}
		res := struct {
			Expectations []expectationJSON `json:"expectations"`
			Counts       checkCountsJSON   `json:"counts"`
			Inputs       []inputJSON       `json:"inputs,omitempty"`
		}{Expectations: []expectationJSON{}}
		for _, r := range results {
			for _, o := range r.outcomes {
				e := o.Expectation
				q := solver.QueryOf(e)
				res.Expectations = append(res.Expectations, expectationJSON{Name: e.Name, From: e.From, To: e.To, Protocol: e.Protocol.String(),
					Port: q.Port, Expect: e.Expect.String(), Verdict: o.Result.Verdict.String(), Held: o.Held,
					File: e.Source.File, Line: e.Source.Line, Column: e.Source.Column, Result: o.Result, Input: r.input})
			}
			failed, _ := outcomeCounts(r.outcomes)
			res.Counts.Held += len(r.outcomes) - failed
			res.Counts.Failed += failed
			if each {
				in := inputJSON{Input: r.input, Valid: r.valid(), Error: r.err, Counts: checkCountsJSON{len(r.outcomes) - failed, failed}}
				if len(r.errors) > 0 {
					in.Errors = toDiagnosticsJSON(r.errors)
				}
				res.Inputs = append(res.Inputs, in)
			}
		}
		writeJSON(out, res)
	case "sarif":
		var err error
		if rep.BaseDir, err = sarifBase(baseDir); err != nil {
			return err
		}
		return rep.WriteSARIF(out)
	case "junit":
		if !each {
			return rep.WriteJUnit(out)
		}
		var reps []report.Report
		for _, r := range results {
			one := rep
			one.Input = r.input
			one.Items = report.CheckItems(r.outcomes)
			if !r.valid() {
				one.Items = []report.Item{invalidItem(r.network, r.errors, r.err)}
			}
			reps = append(reps, one)
		}
		return report.WriteJUnitSuites(out, reps...)
	default:
		var all []solver.Outcome
		invalid := 0
		for _, r := range results {
			all = append(all, r.outcomes...)
			for _, o := range r.outcomes {
				if !o.Held {
					fmt.Fprintf(out, "FAIL  %s: %s\n", safe(o.Expectation.Source.Position.String()), o.Explain())
					continue
				}
				fmt.Fprintf(out, "ok    %s (%s)\n", safe(o.Title()), o.Result.Verdict)
				for _, w := range o.Result.Warnings {
					fmt.Fprintf(out, "      warning: %s at %s (%s): %s\n", w.Code, safe(string(w.Component)), w.Leg, safe(w.Message))
				}
			}
			if writeInputSummary(out, each, r.network, r.valid(), "checked", outcomesSummary(r.outcomes)) {
				invalid++
			}
		}
		writeRunSummary(out, each, len(results), invalid, outcomesSummary(all))
	}
	return nil
}

// agree returns "1 holds" or "2 hold": a count and a verb that agrees
// with it.
func agree(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
