package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/vpcreach/vpcreach/awsimport"
	"github.com/vpcreach/vpcreach/internal/outfile"
	"github.com/vpcreach/vpcreach/model"
)

// runImport reads an AWS snapshot and writes the equivalent topology as
// YAML: vpcreach import aws DIR|FILE [--file FILE]. Warnings and notes go
// to standard error, one per line, then a summary.
func runImport(args []string, out, errOut io.Writer) int {
	if len(args) > 0 && args[0] == "terraform" {
		return runImportTerraform(args[1:], out, errOut)
	}
	fs := newFlags("import", "aws DIR|FILE", out, errOut, nil)
	output := fs.String("file", "", "write the YAML to this `file` instead of standard output (atomically; never inside the snapshot)")
	force := fs.Bool("force", false, "with --file: replace the file if it exists")
	pos, code, ok := parseCommand(fs, args, 0, 2)
	if !ok {
		return code
	}
	switch {
	case len(pos) == 0 || pos[0] != "aws":
		if len(pos) == 0 {
			fmt.Fprintln(errOut, "vpcreach import: missing source: vpcreach import aws DIR|FILE")
		} else {
			fmt.Fprintf(errOut, "vpcreach import: unknown source %q (aws or terraform)\n", pos[0])
		}
		fs.Usage()
		return exitInvalid
	case len(pos) < 2:
		fmt.Fprintln(errOut, "vpcreach import aws: missing DIR argument (a snapshot directory, or a JSON file)")
		fs.Usage()
		return exitInvalid
	}
	src := pos[1]
	dest := outfile.Options{Inputs: []string{src}}
	if *force {
		dest.Replace = outfile.Always
	}
	if *force && *output == "" {
		fmt.Fprintln(errOut, "vpcreach import aws: --force applies to --file (standard output replaces nothing)")
		return exitInvalid
	}
	if *output != "" {
		if _, err := outfile.Check(*output, dest); err != nil {
			fmt.Fprintf(errOut, "vpcreach import aws: --file %s%s\n", safe(err.Error()), forceHint(err, *force))
			return exitInvalid
		}
	}
	m, diags := awsimport.Read(src)
	if m != nil {
		diags = append(diags, withoutImportedOutside(model.Validate(m), func(string) bool { return true })...)
		diags.Sort()
	}
	if errs := diags.Errors(); len(errs) > 0 || m == nil {
		for _, d := range errs {
			fmt.Fprintln(errOut, diagText(d))
		}
		fmt.Fprintf(errOut, "vpcreach import aws: invalid input: %s\n", plural(len(errs), "error"))
		return exitInvalid
	}
	data, err := model.Encode(m)
	if err != nil {
		fmt.Fprintf(errOut, "vpcreach import aws: %s\n", err)
		return exitInvalid
	}
	warns := diags.Warnings()
	header := fmt.Sprintf("# Imported by vpcreach import aws %s.\n", safe(src))
	if len(warns) > 0 {
		header += fmt.Sprintf("# %s: answers that depend on what the snapshot lacks are unknown, not \"no\" (vpcreach validate %s lists them).\n", plural(len(warns), "warning"), safe(src))
	}
	data = append([]byte(header), data...)
	if *output != "" {
		if err := outfile.WriteFile(*output, data, dest); err != nil {
			fmt.Fprintf(errOut, "vpcreach import aws: --file %s%s\n", err, forceHint(err, *force))
			return exitInvalid
		}
	} else {
		_, _ = out.Write(data)
	}
	var skipped []string
	for _, d := range diags {
		if d.Severity == model.SeverityNote && errors.Is(d, awsimport.ErrSkipped) && d.Path == "" && strings.HasPrefix(d.Message, "skipped") {
			skipped = append(skipped, fmt.Sprintf("%s (%s)", d.Pos.File, strings.TrimPrefix(d.Message, "skipped: vpcreach does not read ")))
			continue
		}
		fmt.Fprintln(errOut, diagText(d))
	}
	if len(skipped) > 0 {
		fmt.Fprintf(errOut, "vpcreach import aws: skipped %s: %s\n", plural(len(skipped), "file"), safe(strings.Join(skipped, ", ")))
	}
	s := summarize(m)
	fmt.Fprintf(errOut, "vpcreach import aws: %s, %s, %s, %s, %s; %s, %s\n",
		plural(s.VPCs, "VPC"), plural(s.Subnets, "subnet"), plural(s.Instances, "instance"),
		plural(s.PeeringConnections, "peering connection"), plural(s.TransitGateways, "transit gateway"),
		plural(len(warns), "warning"), plural(len(notes(diags)), "note"))
	return exitOK
}

// forceHint tells how to replace an existing file, when that is why it
// was refused.
func forceHint(err error, force bool) string {
	if errors.Is(err, outfile.ErrExists) && !force {
		return " (give --force to replace it)"
	}
	return ""
}
