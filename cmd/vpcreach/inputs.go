package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/vpcreach/vpcreach/awsimport"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/tfimport"
)

// awsFlag is the repeatable --from-aws flag: AWS snapshots (directories of
// AWS CLI JSON, or a JSON file) read along with the topology files.
type awsFlag []string

func (f *awsFlag) String() string { return strings.Join(*f, ",") }

func (f *awsFlag) Set(s string) error {
	*f = append(*f, s)
	return nil
}

// addFromAWS adds the flags of the inputs to a command: --from-aws, and
// --max-input-size, which sets inputLimits.
func addFromAWS(fs *flag.FlagSet) *awsFlag {
	var f awsFlag
	fs.Var(&f, "from-aws", "an AWS snapshot to read with the files: a directory (`DIR`) of AWS CLI JSON (see 'vpcreach import aws'); repeatable")
	inputLimits = model.LoadOptions{}
	fs.Var(inputSizeFlag{&inputLimits}, "max-input-size",
		"largest topology file to read, a `size` such as 512MiB; the budget of YAML nodes grows with it, one node per 8 bytes (default 128MiB)")
	return &f
}

// inputLimits bounds the topology files the running command reads.
var inputLimits model.LoadOptions

// inputSizeFlag is --max-input-size: a whole number of bytes with an
// optional unit, B, KiB, MiB, GiB or TiB (powers of 1024; K, M, G, T and
// KB, MB, GB, TB mean the same). It sets the file size limit and a node
// budget in the proportion of the defaults.
type inputSizeFlag struct{ opts *model.LoadOptions }

func (f inputSizeFlag) String() string {
	if f.opts == nil || f.opts.MaxFileSize == 0 {
		return ""
	}
	return strconv.FormatInt(f.opts.MaxFileSize, 10)
}

func (f inputSizeFlag) Set(s string) error {
	u, err := parseSize(s, 1, "512MiB", "1 byte")
	if err != nil {
		return err
	}
	n := int64(u)
	f.opts.MaxFileSize = n
	f.opts.MaxNodes = int(max(1, n/(model.DefaultMaxFileSize/model.DefaultMaxNodes)))
	return nil
}

// withLimitHint tells how to raise a limit that an input crossed.
func withLimitHint(ds model.Diagnostics) model.Diagnostics {
	for i := range ds {
		if errors.Is(ds[i].Err, model.ErrTooLarge) {
			ds[i].Message += " (raise the limit with --max-input-size)"
		}
	}
	return ds
}

// parseInputs adds --from-aws to a command that reads topologies, parses
// its arguments, and requires files or snapshots. ok is false when the
// caller should return code.
func parseInputs(fs *flag.FlagSet, args []string) (files, fromAWS []string, code int, ok bool) {
	aws := addFromAWS(fs)
	files, code, ok = parseCommand(fs, args, 0, -1)
	if !ok {
		return nil, nil, code, false
	}
	if !requireInputs(fs, files, *aws) {
		return nil, nil, exitInvalid, false
	}
	return files, *aws, exitOK, true
}

// requireInputs reports a missing FILE argument (and prints the usage) when
// a command got neither files nor snapshots.
func requireInputs(fs *flag.FlagSet, files []string, fromAWS []string) bool {
	if len(files)+len(fromAWS) > 0 {
		return true
	}
	fmt.Fprintf(fs.Output(), "vpcreach %s: missing FILE argument\n", fs.Name())
	fs.Usage()
	return false
}

// readInputs reads topology files and AWS snapshots into one model, merged
// and validated as model.ReadFiles does: it returns the model (nil when
// nothing could be read) and every diagnostic, sorted. Among files, a
// directory, or a JSON file of AWS CLI output, is an AWS snapshot;
// fromAWS lists more snapshots (--from-aws). The diagnostics of a snapshot
// include the importer's warnings and notes (model.SeverityNote).
func readInputs(files []string, fromAWS []string) (*model.Model, model.Diagnostics) {
	x, diags := readIndexed(files, fromAWS)
	if x == nil {
		return nil, diags
	}
	return x.Model(), diags
}

// readIndexed is readInputs returning the model's index, through which
// the model was validated: solver.NewFromIndex then does not validate it
// again.
func readIndexed(files []string, fromAWS []string) (*model.Index, model.Diagnostics) {
	snapshot := func(f string) bool { return awsimport.IsSnapshot(f) }
	hasAWS := len(fromAWS) > 0
	terraform := map[string]bool{}
	for _, f := range files {
		if isTerraform(f) {
			terraform[f] = true
			hasAWS = true
			continue
		}
		hasAWS = hasAWS || snapshot(f)
	}
	if !hasAWS {
		// model.ReadFiles, validating through the index.
		models, decoding := inputLimits.ParseFiles(files...)
		if len(models) == 0 {
			decoding.Sort()
			return nil, withLimitHint(decoding)
		}
		x, _ := model.NewIndex(model.Merge(models...))
		return x, withLimitHint(x.Check(decoding))
	}
	var models []*model.Model
	var decoding, imported model.Diagnostics
	var tf []*tfimport.Import
	yamlFiles := map[string]bool{}
	read := func(f string, aws bool) {
		if terraform[f] {
			m, d, im := readTerraform(f)
			imported = append(imported, d...)
			if m != nil {
				models = append(models, m)
				tf = append(tf, im)
			}
			return
		}
		if aws {
			m, d := awsimport.Read(f)
			imported = append(imported, d...)
			if m != nil {
				models = append(models, m)
			}
			return
		}
		ms, d := inputLimits.ParseFiles(f)
		decoding = append(decoding, d...)
		yamlFiles[f] = true
		models = append(models, ms...)
	}
	for _, f := range files {
		read(f, !terraform[f] && snapshot(f))
	}
	for _, f := range fromAWS {
		read(f, true)
	}
	decoding = withLimitHint(decoding)
	if len(models) == 0 {
		all := append(decoding, imported...)
		all.Sort()
		return nil, all
	}
	m := model.Merge(models...)
	tfimport.RewriteRefs(m, tf...)
	x, _ := model.NewIndex(m)
	checked := withoutImportedOutside(x.Check(decoding), func(file string) bool { return !yamlFiles[file] })
	all := append(checked, imported...)
	all.Sort()
	return x, all
}

// withoutImportedOutside drops the warnings of model validation about
// what lies outside an AWS snapshot (model.ErrOutsideSnapshot) for places
// in files of a snapshot (fromSnapshot): the importer has already warned
// about each, in its own words. The same warnings about a YAML file, such
// as the output of vpcreach import, stay.
func withoutImportedOutside(ds model.Diagnostics, fromSnapshot func(file string) bool) model.Diagnostics {
	out := ds[:0:0]
	for _, d := range ds {
		if d.Severity == model.SeverityWarning && errors.Is(d, model.ErrOutsideSnapshot) && fromSnapshot(d.Pos.File) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// diagLine renders a diagnostic as Diagnostic.Error does, with a "note: "
// prefix for notes.
func diagLine(d model.Diagnostic) string {
	if d.Severity != model.SeverityNote {
		return d.Error()
	}
	c := d
	c.Severity = model.SeverityWarning
	return strings.Replace(c.Error(), "warning: ", "note: ", 1)
}

// notes returns the notes of a list of diagnostics.
func notes(ds model.Diagnostics) model.Diagnostics {
	var out model.Diagnostics
	for _, d := range ds {
		if d.Severity == model.SeverityNote {
			out = append(out, d)
		}
	}
	return out
}

// reportImportWarnings prints one line on standard error when AWS
// snapshots gave warnings, for the commands that print only errors.
func reportImportWarnings(errOut io.Writer, cmd string, files []string, fromAWS []string, diags model.Diagnostics) {
	hasAWS, hasTF := len(fromAWS) > 0, false
	for _, f := range files {
		if isTerraform(f) {
			hasTF = true
		} else {
			hasAWS = hasAWS || awsimport.IsSnapshot(f)
		}
	}
	if hasTF && !hasAWS {
		if n := len(diags.Warnings()); n > 0 {
			fmt.Fprintf(errOut, "vpcreach %s: the input has %s (vpcreach validate lists them): values unknown until apply were assumed, or references left out\n", cmd, plural(n, "warning"))
		}
		return
	}
	if !hasAWS {
		return
	}
	if n := len(diags.Warnings()); n > 0 {
		fmt.Fprintf(errOut, "vpcreach %s: the input has %s (vpcreach validate lists them): answers that depend on what the AWS snapshot lacks are unknown, not \"no\"\n", cmd, plural(n, "warning"))
	}
}
