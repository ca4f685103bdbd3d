package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/vpcreach/vpcreach/internal/outfile"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/tfimport"
)

// isTerraform reports whether an input file is Terraform's JSON output (a
// plan or a state), recognised by its content.
func isTerraform(f string) bool { return tfimport.IsTerraform(f) }

// readTerraform reads a plan or state file: the planned network, with the
// import's diagnostics.
func readTerraform(f string) (*model.Model, model.Diagnostics, *tfimport.Import) {
	im, diags := readTerraformCached(f)
	if im == nil {
		return nil, diags, nil
	}
	return im.Planned, diags, im
}

// tfCache keeps the imports of the running command, so that a plan is
// decoded once for the model and the query arguments. A file that changed
// (size or time) is read again.
var tfCache sync.Map // path -> tfCached

type tfCached struct {
	size  int64
	mtime time.Time
	im    *tfimport.Import
	diags model.Diagnostics
}

func readTerraformCached(f string) (*tfimport.Import, model.Diagnostics) {
	st, err := os.Stat(f)
	if err == nil {
		if c, ok := tfCache.Load(f); ok {
			if c := c.(tfCached); c.size == st.Size() && c.mtime.Equal(st.ModTime()) {
				return c.im, c.diags
			}
		}
	}
	im, diags := tfimport.Read(f)
	if err == nil {
		tfCache.Store(f, tfCached{st.Size(), st.ModTime(), im, diags})
	}
	return im, diags
}

// tfResolve turns an AWS id that one of the Terraform files knows into the
// address that names its resource; anything else is returned as is. Query
// arguments (--from, --to) go through it, so that addresses and ids are
// accepted alike.
func tfResolve(files []string, s string) string {
	for _, f := range files {
		if !isTerraform(f) {
			continue
		}
		if im, _ := readTerraformCached(f); im != nil {
			if t := im.Resolve(s); t != s {
				return t
			}
		}
	}
	return s
}

// runImportTerraform reads a Terraform plan or state and writes the
// equivalent topology as YAML: vpcreach import terraform FILE [--file OUT].
// A plan's planned values are written (the proposed network).
func runImportTerraform(args []string, out, errOut io.Writer) int {
	fs := newFlags("import", "terraform FILE", out, errOut, nil)
	output := fs.String("file", "", "write the YAML to this `file` instead of standard output (atomically)")
	force := fs.Bool("force", false, "with --file: replace the file if it exists")
	prior := fs.Bool("prior", false, "write a plan's prior state (the network before the change) instead of its planned values")
	pos, code, ok := parseCommand(fs, args, 0, 1)
	if !ok {
		return code
	}
	if len(pos) < 1 {
		fmt.Fprintln(errOut, "vpcreach import terraform: missing FILE argument (terraform show -json PLANFILE > plan.json)")
		fs.Usage()
		return exitInvalid
	}
	src := pos[0]
	dest := outfile.Options{Inputs: []string{src}}
	if *force {
		dest.Replace = outfile.Always
	}
	if *force && *output == "" {
		fmt.Fprintln(errOut, "vpcreach import terraform: --force applies to --file (standard output replaces nothing)")
		return exitInvalid
	}
	if *output != "" {
		if _, err := outfile.Check(*output, dest); err != nil {
			fmt.Fprintf(errOut, "vpcreach import terraform: --file %s%s\n", safe(err.Error()), forceHint(err, *force))
			return exitInvalid
		}
	}
	im, diags := tfimport.Read(src)
	var m *model.Model
	if im != nil {
		m = im.Planned
		if *prior {
			if im.Prior == nil {
				fmt.Fprintf(errOut, "vpcreach import terraform: --prior: %s has no prior state (a %s of a new configuration?)\n", safe(src), im.Kind)
				return exitInvalid
			}
			m, diags = im.Prior, im.PriorDiagnostics
		}
		diags = append(diags, model.Validate(m)...)
		diags.Sort()
	}
	if errs := diags.Errors(); len(errs) > 0 || m == nil {
		for _, d := range errs {
			fmt.Fprintln(errOut, diagText(d))
		}
		fmt.Fprintf(errOut, "vpcreach import terraform: invalid input: %s\n", plural(len(errs), "error"))
		return exitInvalid
	}
	data, err := model.Encode(m)
	if err != nil {
		fmt.Fprintf(errOut, "vpcreach import terraform: %s\n", err)
		return exitInvalid
	}
	warns := diags.Warnings()
	what := "planned values"
	if im.Kind == tfimport.KindState {
		what = "state"
	} else if *prior {
		what = "prior state"
	}
	header := fmt.Sprintf("# Imported by vpcreach import terraform %s (the %s %s).\n", safe(src), im.Kind, what)
	if im.Kind == tfimport.KindState {
		header = fmt.Sprintf("# Imported by vpcreach import terraform %s (a state).\n", safe(src))
	}
	if len(warns) > 0 {
		header += fmt.Sprintf("# %s: values unknown until apply were assumed, or references left out (vpcreach validate %s lists them).\n", plural(len(warns), "warning"), safe(src))
	}
	data = append([]byte(header), data...)
	if *output != "" {
		if err := outfile.WriteFile(*output, data, dest); err != nil {
			fmt.Fprintf(errOut, "vpcreach import terraform: --file %s%s\n", err, forceHint(err, *force))
			return exitInvalid
		}
	} else {
		_, _ = out.Write(data)
	}
	for _, d := range diags {
		fmt.Fprintln(errOut, diagText(d))
	}
	s := summarize(m)
	fmt.Fprintf(errOut, "vpcreach import terraform: %s, %s, %s, %s, %s; %s, %s\n",
		plural(s.VPCs, "VPC"), plural(s.Subnets, "subnet"), plural(s.Instances, "instance"),
		plural(s.PeeringConnections, "peering connection"), plural(s.TransitGateways, "transit gateway"),
		plural(len(warns), "warning"), plural(len(notes(diags)), "note"))
	return exitOK
}
