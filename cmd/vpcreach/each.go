package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/vpcreach/vpcreach/awsimport"
	"github.com/vpcreach/vpcreach/model"
)

// network is the inputs that one run of a command reads as one topology:
// every file and snapshot, merged, or with --each a single one.
type network struct {
	// input names the network with --each: its file or snapshot; empty
	// when every input is merged.
	input          string
	files, fromAWS []string
}

// addEach adds --each to a command that reads topologies (lint, check,
// validate).
func addEach(fs *flag.FlagSet, what string) *bool {
	return fs.Bool("each", false, "read each FILE (and each --from-aws snapshot) as its own network and "+what+
		", instead of merging them all into one; the exit code is the worst of all")
}

// networksOf returns the networks a command runs on: one of all the
// inputs, or with each, one per input.
func networksOf(files, fromAWS []string, each bool) []network {
	if !each {
		return []network{{files: files, fromAWS: fromAWS}}
	}
	var out []network
	for _, f := range files {
		out = append(out, network{input: f, files: []string{f}})
	}
	for _, f := range fromAWS {
		out = append(out, network{input: f, fromAWS: []string{f}})
	}
	return out
}

// topologyFiles returns the files that are topology files, not AWS
// snapshots.
func topologyFiles(files []string) []string {
	var out []string
	for _, f := range files {
		if !awsimport.IsSnapshot(f) {
			out = append(out, f)
		}
	}
	return out
}

// worse returns the worse of two exit codes: invalid input, then
// findings, then clean.
func worse(a, b int) int { return max(a, b) }

// inputPrefix returns "FILE: " for a network of --each, safe to print,
// and "" otherwise.
func inputPrefix(n network) string {
	if n.input == "" {
		return ""
	}
	return safe(n.input) + ": "
}

// invalidText renders the errors of an input that could not be read as
// one block: one line per error.
func invalidText(errs model.Diagnostics) string {
	lines := make([]string, len(errs))
	for i, d := range errs {
		lines[i] = diagLine(d)
	}
	return strings.Join(lines, "\n")
}

// eachSummary is the last line of a run with --each: "3 files, each its
// own network: " and what follows, and how many were invalid.
func eachSummary(n, invalid int, what string) string {
	s := fmt.Sprintf("%s, each its own network: %s", plural(n, "file"), what)
	if invalid > 0 {
		s += fmt.Sprintf(" (%s invalid)", plural(invalid, "file"))
	}
	return s
}

// writeInputSummary writes, with --each, the line that closes one input's
// text output: its counts, or that it was not read because it is invalid
// (verb says what was not done: "checked", "linted"). It reports whether
// the input was invalid.
func writeInputSummary(out io.Writer, each bool, n network, valid bool, verb, counts string) (invalid bool) {
	switch {
	case !each:
		return false
	case !valid:
		fmt.Fprintf(out, "%snot %s: the input is invalid (errors on standard error)\n", inputPrefix(n), verb)
		return true
	default:
		fmt.Fprintf(out, "%s%s\n", inputPrefix(n), counts)
		return false
	}
}

// writeRunSummary writes the last line of a text output: the counts over
// every input, and with --each how many inputs there were.
func writeRunSummary(out io.Writer, each bool, inputs, invalid int, counts string) {
	if each {
		fmt.Fprintln(out, eachSummary(inputs, invalid, counts))
	} else {
		fmt.Fprintln(out, counts)
	}
}
