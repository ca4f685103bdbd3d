package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/vpcreach/vpcreach/lint"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/report"
)

// formatFlag is --output for the CI commands: text, json, sarif or junit.
type formatFlag string

func (f *formatFlag) String() string { return string(*f) }

func (f *formatFlag) Set(s string) error {
	switch s {
	case "text", "json", "sarif", "junit":
		*f = formatFlag(s)
		return nil
	}
	return fmt.Errorf("must be text, json, sarif or junit")
}

// severityFlag is --fail-on.
type severityFlag struct{ s model.Severity }

func (f *severityFlag) String() string { return f.s.String() }

func (f *severityFlag) Set(s string) error {
	switch s {
	case "error":
		f.s = model.SeverityError
	case "warning":
		f.s = model.SeverityWarning
	case "note":
		f.s = model.SeverityNote
	default:
		return fmt.Errorf("must be error, warning or note")
	}
	return nil
}

// listFlag collects a repeatable flag; commas separate values too.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l = append(*l, v)
		}
	}
	return nil
}

func tool() report.Tool {
	return report.Tool{Name: "vpcreach", Version: currentVersion(), InformationURI: "https://github.com/vpcreach/vpcreach"}
}

type findingJSON struct {
	Rule      string `json:"rule"`
	Severity  string `json:"severity"`
	Message   string `json:"message"`
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	Path      string `json:"path,omitempty"`
	Component string `json:"component,omitempty"`
	// AWSID is the component's id in AWS, when it is named otherwise (by
	// a Terraform address).
	AWSID string `json:"aws_id,omitempty"`
	// Input is the input the finding comes from, with --each.
	Input string `json:"input,omitempty"`
}

type ruleJSON struct {
	ID          string   `json:"id"`
	Severity    string   `json:"severity"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Fix         string   `json:"fix"`
	Semantics   []string `json:"semantics,omitempty"`
}

// lintResult is the lint of one network.
type lintResult struct {
	network
	findings []lint.Finding
	// warnings are the validation warnings of the input.
	warnings model.Diagnostics
	// errors are the errors of an input that could not be read; err, a
	// failure of the lint itself. Either makes the input invalid.
	errors model.Diagnostics
	err    string
}

func (r lintResult) valid() bool { return len(r.errors) == 0 && r.err == "" }

// lintNetwork reads a network and lints it, with the vpcreach:ignore
// comments of its topology files.
func lintNetwork(n network, opts lint.Options) lintResult {
	r := lintResult{network: n}
	x, diags := readIndexed(n.files, n.fromAWS)
	if errs := diags.Errors(); len(errs) > 0 || x == nil {
		r.errors = errs
		if len(errs) == 0 {
			r.err = "invalid input: nothing to read"
		}
		return r
	}
	r.warnings = diags.Warnings()
	igs, err := lint.ReadIgnores(topologyFiles(n.files)...)
	if err != nil {
		r.err = err.Error()
		return r
	}
	opts.Ignores = igs
	if r.findings, err = lint.RunIndex(x, opts); err != nil {
		r.err = err.Error()
	}
	return r
}

// printInvalid prints on standard error why an input could not be linted
// or checked.
func printInvalid(errOut io.Writer, cmd string, n network, errs model.Diagnostics, err string) {
	for _, d := range errs {
		fmt.Fprintln(errOut, diagText(d))
	}
	if err != "" {
		fmt.Fprintf(errOut, "vpcreach %s: %s%s\n", cmd, inputPrefix(n), safe(err))
		return
	}
	fmt.Fprintf(errOut, "vpcreach %s: %sinvalid input: %s\n", cmd, inputPrefix(n), plural(len(errs), "error"))
}

// invalidItem is a JUnit test case that fails because an input could not
// be read (--each, where the other inputs still report).
func invalidItem(n network, errs model.Diagnostics, err string) report.Item {
	msg := err
	if msg == "" {
		msg = "invalid input: " + plural(len(errs), "error")
	}
	return report.Item{Rule: "invalid-input", Level: model.SeverityError, Message: msg, Detail: invalidText(errs),
		Name: "invalid input " + n.input, Pos: model.Position{File: n.input}}
}

func severityOf(findings []lint.Finding) map[model.Severity]int {
	counts := map[model.Severity]int{}
	for _, f := range findings {
		counts[f.Severity]++
	}
	return counts
}

func countsOf(c map[model.Severity]int) countsJSON {
	return countsJSON{c[model.SeverityError], c[model.SeverityWarning], c[model.SeverityNote]}
}

func runLint(args []string, out, errOut io.Writer) int {
	fs := newFlags("lint", "FILE...", out, errOut, nil)
	output := formatFlag("text")
	fs.Var(&output, "output", "output `format`: text, json, sarif or junit")
	failOn := severityFlag{model.SeverityWarning}
	fs.Var(&failOn, "fail-on", "exit 1 when a finding is at least this `severity`: error, warning or note")
	var disable, only listFlag
	fs.Var(&disable, "disable", "a `rule` id not to run (repeatable, or comma-separated)")
	fs.Var(&only, "only", "run only this `rule` (repeatable, or comma-separated)")
	listRules := fs.Bool("rules", false, "list the rules and exit")
	each := addEach(fs, "lint it alone (a directory of unrelated scenarios)")
	fromAWS := addFromAWS(fs)
	baseDir := addBaseDir(fs)
	var prices pricesFlag
	fs.Var(&prices, "prices", "a price `file` (YAML or JSON) for the savings cost rules quote, instead of the embedded us-east-1 list prices")
	files, code, ok := parseCommand(fs, args, 0, -1)
	if !ok {
		return code
	}
	if *listRules {
		return printRules(out, output)
	}
	for _, f := range []struct {
		name string
		ids  listFlag
	}{{"disable", disable}, {"only", only}} {
		if err := lint.CheckRuleIDs(f.ids...); err != nil {
			fmt.Fprintf(errOut, "vpcreach lint: --%s: %s\n", f.name, safe(err.Error()))
			return exitInvalid
		}
	}
	if len(files)+len(*fromAWS) == 0 {
		fmt.Fprintln(errOut, "vpcreach lint: missing FILE argument")
		fs.Usage()
		return exitInvalid
	}
	table, ok := prices.table(errOut, "lint")
	if !ok {
		return exitInvalid
	}
	opts := lint.Options{Disable: disable, Only: only, Prices: table}
	var results []lintResult
	code = exitOK
	for _, n := range networksOf(files, *fromAWS, *each) {
		r := lintNetwork(n, opts)
		if !r.valid() {
			printInvalid(errOut, "lint", n, r.errors, r.err)
			if !*each {
				return exitInvalid
			}
			code = exitInvalid
		}
		results = append(results, r)
	}
	var all []lint.Finding
	for _, r := range results {
		all = append(all, r.findings...)
	}
	rep := report.Report{Tool: tool(), Suite: "vpcreach.lint", Rules: report.LintRules(), Items: report.LintItems(all), FailOn: failOn.s}
	if err := writeLint(out, output, results, rep, *each, *baseDir); err != nil {
		fmt.Fprintf(errOut, "vpcreach lint: %s\n", err)
		return exitInvalid
	}
	// A validation warning that a finding already reports, at the same
	// place, is not repeated.
	for _, r := range results {
		reported := map[model.Position]bool{}
		for _, f := range r.findings {
			reported[f.Pos] = true
		}
		for _, w := range r.warnings {
			if !reported[w.Pos] {
				fmt.Fprintln(errOut, diagText(w))
			}
		}
	}
	if rep.Failed() > 0 {
		code = worse(code, exitFindings)
	}
	return code
}

// writeLint prints the findings in the chosen format; with each, grouped
// by input.
func writeLint(out io.Writer, output formatFlag, results []lintResult, rep report.Report, each bool, baseDir string) error {
	switch output {
	case "json":
		type inputJSON struct {
			Input  string           `json:"input"`
			Valid  bool             `json:"valid"`
			Errors []diagnosticJSON `json:"errors,omitempty"`
			Error  string           `json:"error,omitempty"`
			Counts countsJSON       `json:"counts"`
		}
		res := struct {
			Findings []findingJSON `json:"findings"`
			Counts   countsJSON    `json:"counts"`
			Inputs   []inputJSON   `json:"inputs,omitempty"`
		}{Findings: []findingJSON{}}
		var all []lint.Finding
		for _, r := range results {
			for _, f := range r.findings {
				res.Findings = append(res.Findings, findingJSON{f.Rule, f.Severity.String(), f.Message, f.Pos.File, f.Pos.Line, f.Pos.Column,
					f.Path, string(f.Component), string(f.AWSID), r.input})
			}
			all = append(all, r.findings...)
			if each {
				in := inputJSON{Input: r.input, Valid: r.valid(), Error: r.err, Counts: countsOf(severityOf(r.findings))}
				if len(r.errors) > 0 {
					in.Errors = toDiagnosticsJSON(r.errors)
				}
				res.Inputs = append(res.Inputs, in)
			}
		}
		res.Counts = countsOf(severityOf(all))
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
			one.Items = report.LintItems(r.findings)
			if !r.valid() {
				one.Items = []report.Item{invalidItem(r.network, r.errors, r.err)}
			}
			reps = append(reps, one)
		}
		return report.WriteJUnitSuites(out, reps...)
	default:
		var all []lint.Finding
		invalid := 0
		for _, r := range results {
			all = append(all, r.findings...)
			for _, f := range r.findings {
				fmt.Fprintln(out, safe(f.String()))
			}
			if writeInputSummary(out, each, r.network, r.valid(), "linted", findingCounts(r.findings)) {
				invalid++
			}
		}
		writeRunSummary(out, each, len(results), invalid, findingCounts(all))
	}
	return nil
}

// findingCounts returns "3 findings: 0 errors, 2 warnings, 1 note".
func findingCounts(findings []lint.Finding) string {
	c := severityOf(findings)
	return fmt.Sprintf("%s: %s", plural(len(findings), "finding"),
		severityCounts(c[model.SeverityError], c[model.SeverityWarning], c[model.SeverityNote]))
}

// addBaseDir adds --base-dir, for the commands that write SARIF.
func addBaseDir(fs *flag.FlagSet) *string {
	return fs.String("base-dir", "", "with --output sarif: the `directory` file URIs are relative to (default: the root of the git repository holding the current directory, else the current directory)")
}

// sarifBase returns the base directory of SARIF artifact URIs: dir, or
// the repository root above the current directory.
func sarifBase(dir string) (string, error) {
	if dir != "" {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return "", fmt.Errorf("--base-dir %s: not a directory", dir)
		}
		return dir, nil
	}
	return report.RepositoryRoot(".")
}

func printRules(out io.Writer, output formatFlag) int {
	if output == "json" {
		var rs []ruleJSON
		for _, r := range lint.Rules() {
			rs = append(rs, ruleJSON{r.ID, r.Severity.String(), r.Title, r.Description, r.Fix, r.Semantics})
		}
		writeJSON(out, rs)
		return exitOK
	}
	for _, r := range lint.Rules() {
		fmt.Fprintf(out, "%s (%s): %s\n  %s\n  fix: %s\n", r.ID, r.Severity, r.Title, r.Description, r.Fix)
	}
	return exitOK
}
