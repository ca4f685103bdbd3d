package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/diff"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/report"
	"github.com/vpcreach/vpcreach/solver"
)

// diffOutputFlag is diff's --output.
type diffOutputFlag string

func (o *diffOutputFlag) String() string { return string(*o) }

func (o *diffOutputFlag) Set(s string) error {
	switch s {
	case "text", "json", "markdown", "sarif", "mermaid":
		*o = diffOutputFlag(s)
		return nil
	}
	return fmt.Errorf("must be text, json, markdown, sarif or mermaid")
}

// failOnKinds are the sections --fail-on may name, with what each counts.
var failOnKinds = []string{"gained", "lost", "changed", "exposure", "exposure-lost", "expectations", "expectations-fixed", "overlaps", "overlaps-removed", "any", "none"}

// failOnFlag is diff's --fail-on: a comma-separated list of sections.
type failOnFlag struct{ kinds []string }

func (f *failOnFlag) String() string { return strings.Join(f.kinds, ",") }

func (f *failOnFlag) Set(s string) error {
	f.kinds = nil
	for _, k := range strings.Split(s, ",") {
		k = strings.TrimSpace(k)
		if !slices.Contains(failOnKinds, k) {
			return fmt.Errorf("%q is not one of %s", k, strings.Join(failOnKinds, ", "))
		}
		f.kinds = append(f.kinds, k)
	}
	return nil
}

// matches reports whether the report has an entry in a section f names.
func (f *failOnFlag) matches(r *diff.Report) bool {
	s := r.Summary
	for _, k := range f.kinds {
		n := 0
		switch k {
		case "any":
			n = s.Gained + s.Lost + s.Changed + s.ExposureGained + s.ExposureLost + s.ExpectationsBroken +
				s.ExpectationsFixed + s.OverlapsAdded + s.OverlapsRemoved
		case "gained":
			n = s.Gained
		case "lost":
			n = s.Lost
		case "changed":
			n = s.Changed
		case "exposure":
			n = s.ExposureGained
		case "exposure-lost":
			n = s.ExposureLost
		case "expectations":
			n = s.ExpectationsBroken
		case "expectations-fixed":
			n = s.ExpectationsFixed
		case "overlaps":
			n = s.OverlapsAdded
		case "overlaps-removed":
			n = s.OverlapsRemoved
		}
		if n > 0 {
			return true
		}
	}
	return false
}

func runDiff(args []string, out, errOut io.Writer) int {
	fs := newFlags("diff", "OLD NEW | PLAN", out, errOut, nil)
	output := diffOutputFlag("text")
	fs.Var(&output, "output", "output `format`: text, json, markdown (a pull-request comment), sarif or mermaid")
	failOn := failOnFlag{kinds: []string{"exposure", "expectations"}}
	fs.Var(&failOn, "fail-on", "exit 1 when the change has entries in these `sections`, comma-separated: "+strings.Join(failOnKinds, ", ")+"; exposure,expectations is gained exposure or a broken expectation")
	maxEntries := countFlag{min: 1, max: 1 << 20, what: "the number of entries"}
	maxEntries.n = 10
	fs.Var(&maxEntries, "max-entries", "with --output markdown: entries shown per section before the rest fold into a collapsed block (`N`)")
	baseDir := addBaseDir(fs)
	inputLimits = model.LoadOptions{}
	fs.Var(inputSizeFlag{&inputLimits}, "max-input-size",
		"largest topology file to read, a `size` such as 512MiB (default 128MiB)")
	pos, code, ok := parseCommand(fs, args, 1, 2)
	if !ok {
		return code
	}
	old, next, replaced, ok := readDiffSides(pos, errOut)
	if !ok {
		return exitInvalid
	}
	so, err := solver.New(old)
	if err != nil {
		fmt.Fprintf(errOut, "vpcreach diff: %s: %s\n", safe(pos[0]), safe(err.Error()))
		return exitInvalid
	}
	sn, err := solver.New(next)
	if err != nil {
		fmt.Fprintf(errOut, "vpcreach diff: %s: %s\n", safe(pos[len(pos)-1]), safe(err.Error()))
		return exitInvalid
	}
	r := diff.CompareSolvers(so, sn, diff.Options{Replaced: replaced})
	switch output {
	case "json":
		writeJSON(out, r)
	case "markdown":
		err = r.Markdown(out, diff.MarkdownOptions{MaxEntries: maxEntries.n})
	case "mermaid":
		err = r.Mermaid(out)
	case "sarif":
		rep := report.Report{Tool: tool(), Suite: "vpcreach.diff", Rules: report.DiffRules(), Items: report.DiffItems(r)}
		if rep.BaseDir, err = sarifBase(*baseDir); err == nil {
			err = rep.WriteSARIF(out)
		}
	default:
		err = r.Text(out)
	}
	if err != nil {
		fmt.Fprintf(errOut, "vpcreach diff: %s\n", safe(err.Error()))
		return exitInvalid
	}
	if failOn.matches(r) {
		return exitFindings
	}
	return exitOK
}

// readDiffSides reads the two networks: OLD and NEW, each a topology
// file, an AWS snapshot or a Terraform plan or state (its planned values);
// or a plan alone, its prior state against its planned values, with the
// resources the plan replaces.
func readDiffSides(pos []string, errOut io.Writer) (old, next *model.Model, replaced []model.ID, ok bool) {
	if len(pos) == 1 {
		f := pos[0]
		if !isTerraform(f) {
			fmt.Fprintf(errOut, "vpcreach diff: %s: one argument must be a Terraform plan (terraform show -json PLANFILE); give OLD and NEW otherwise\n", safe(f))
			return nil, nil, nil, false
		}
		im, diags := readTerraformCached(f)
		if errs := diags.Errors(); len(errs) > 0 || im == nil {
			printDiffErrors(errOut, f, diags)
			return nil, nil, nil, false
		}
		old = im.Prior
		if old == nil {
			old = &model.Model{Version: 1} // a plan that creates the whole network
		}
		return old, im.Planned, im.Replaced, true
	}
	models := make([]*model.Model, 2)
	for i, f := range pos {
		m, diags := readInputs([]string{f}, nil)
		if errs := diags.Errors(); len(errs) > 0 || m == nil {
			printDiffErrors(errOut, f, diags)
			return nil, nil, nil, false
		}
		models[i] = m
	}
	return models[0], models[1], nil, true
}

func printDiffErrors(errOut io.Writer, f string, diags model.Diagnostics) {
	errs := diags.Errors()
	for _, d := range errs {
		fmt.Fprintln(errOut, diagText(d))
	}
	fmt.Fprintf(errOut, "vpcreach diff: %s: invalid input: %s\n", safe(f), plural(len(errs), "error"))
}
