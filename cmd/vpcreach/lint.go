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
}

type ruleJSON struct {
	ID          string   `json:"id"`
	Severity    string   `json:"severity"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Fix         string   `json:"fix"`
	Semantics   []string `json:"semantics,omitempty"`
}

func runLint(args []string, out, errOut io.Writer) int {
	fs := newFlags("lint", "FILE...", out, errOut, nil)
	output := formatFlag("text")
	fs.Var(&output, "output", "output `format`: text, json, sarif or junit")
	failOn := severityFlag{model.SeverityWarning}
	fs.Var(&failOn, "fail-on", "exit 1 when a finding is at least this `severity`: error, warning or note")
	var disable listFlag
	fs.Var(&disable, "disable", "a `rule` id not to run (repeatable, or comma-separated)")
	listRules := fs.Bool("rules", false, "list the rules and exit")
	fromAWS := addFromAWS(fs)
	baseDir := addBaseDir(fs)
	files, code, ok := parseCommand(fs, args, 0, -1)
	if !ok {
		return code
	}
	if *listRules {
		return printRules(out, output)
	}
	if len(files)+len(*fromAWS) == 0 {
		fmt.Fprintln(errOut, "vpcreach lint: missing FILE argument")
		fs.Usage()
		return exitInvalid
	}
	m, diags := readInputs(files, *fromAWS)
	if errs := diags.Errors(); len(errs) > 0 || m == nil {
		for _, d := range errs {
			fmt.Fprintln(errOut, diagText(d))
		}
		fmt.Fprintf(errOut, "vpcreach lint: invalid input: %s\n", plural(len(errs), "error"))
		return exitInvalid
	}
	findings, err := lint.Run(m, lint.Options{Disable: disable})
	if err != nil {
		fmt.Fprintf(errOut, "vpcreach lint: %s\n", safe(err.Error()))
		return exitInvalid
	}
	counts := map[model.Severity]int{}
	for _, f := range findings {
		counts[f.Severity]++
	}
	rep := report.Report{Tool: tool(), Suite: "vpcreach.lint", Rules: report.LintRules(), Items: report.LintItems(findings), FailOn: failOn.s}
	switch output {
	case "json":
		res := struct {
			Findings []findingJSON `json:"findings"`
			Counts   countsJSON    `json:"counts"`
		}{Findings: []findingJSON{}, Counts: countsJSON{counts[model.SeverityError], counts[model.SeverityWarning], counts[model.SeverityNote]}}
		for _, f := range findings {
			res.Findings = append(res.Findings, findingJSON{f.Rule, f.Severity.String(), f.Message, f.Pos.File, f.Pos.Line, f.Pos.Column, f.Path, string(f.Component)})
		}
		writeJSON(out, res)
	case "sarif":
		if rep.BaseDir, err = sarifBase(*baseDir); err == nil {
			err = rep.WriteSARIF(out)
		}
		if err != nil {
			fmt.Fprintf(errOut, "vpcreach lint: %s\n", err)
			return exitInvalid
		}
	case "junit":
		if err := rep.WriteJUnit(out); err != nil {
			fmt.Fprintf(errOut, "vpcreach lint: %s\n", err)
			return exitInvalid
		}
	default:
		for _, f := range findings {
			fmt.Fprintln(out, safe(f.String()))
		}
		fmt.Fprintf(out, "%s: %s\n", plural(len(findings), "finding"),
			severityCounts(counts[model.SeverityError], counts[model.SeverityWarning], counts[model.SeverityNote]))
	}
	// A validation warning that a finding already reports, at the same
	// place, is not repeated.
	reported := map[model.Position]bool{}
	for _, f := range findings {
		reported[f.Pos] = true
	}
	for _, w := range diags.Warnings() {
		if !reported[w.Pos] {
			fmt.Fprintln(errOut, diagText(w))
		}
	}
	if rep.Failed() > 0 {
		return exitFindings
	}
	return exitOK
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
