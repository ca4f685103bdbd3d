package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Exit codes: a public contract, documented in the README.
const (
	exitOK       = 0 // clean
	exitFindings = 1 // findings at or above the threshold
	exitInvalid  = 2 // invalid input or usage
)

// command is one subcommand.
type command struct {
	name, args, summary string
	// run parses its own flags and returns the exit code.
	run func(args []string, out, errOut io.Writer) int
}

func commands() []command {
	return []command{
		{"validate", "FILE...", "check topology files against the format and AWS's rules", runValidate},
		{"reach", "FILE... --from A --to B", "can A reach B? both paths hop by hop, and every blocker", runReach},
		{"check", "FILE...", "check the topology's expectations (CI: exit 1 when one fails)", runCheck},
		{"lint", "FILE...", "flag risky, broken or wasteful choices (CI: exit 1 on findings)", runLint},
		{"who-can-reach", "FILE... --to X", "every source that reaches X: instances by class, internet and external ranges", runWhoCanReach},
		{"exposure", "FILE...", "everything reachable from the internet, by destination and port (exit 1 if any)", runExposure},
		{"matrix", "FILE... --port N", "which subnets (or instances) reach which (--ports all: with every protocol and port)", runMatrix},
		{"overlaps", "FILE...", "list overlapping CIDRs and classify how each pair is connected", runOverlaps},
		{"draw", "FILE...", "a picture of the topology: Mermaid (GitHub renders it) or Graphviz DOT", runDraw},
		{"diff", "OLD NEW | PLAN", "what a change opens and breaks: flows on every port, exposure, expectations (CI: exit 1)", runDiff},
		{"import", "aws DIR|FILE", "read an AWS snapshot (AWS CLI JSON) and write it as a topology file", runImport},
		{"import", "terraform FILE", "read a Terraform plan or state (terraform show -json) and write it as a topology file", runImport},
		{"generate", "--vpcs N --seed S", "write a synthetic enterprise topology (for benchmarks)", runGenerate},
		{"example", "", "print an example topology to start from", runExample},
		{"prices", "", "print the embedded price table (the format --prices reads)", runPrices},
		{"schema", "", "print the JSON Schema of the topology format (for editors)", runSchema},
		{"version", "", "print the version", runVersion},
	}
}

func run(args []string, out, errOut io.Writer) int {
	if len(args) == 0 {
		usage(errOut)
		return exitInvalid
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		usage(out)
		return exitOK
	case "--version", "-version":
		return runVersion(args[1:], out, errOut)
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(args[1:], out, errOut)
		}
	}
	fmt.Fprintf(errOut, "vpcreach: unknown command %q\n\n", name)
	usage(errOut)
	return exitInvalid
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "vpcreach checks AWS VPC network topologies offline.")
	fmt.Fprintln(w, "\nUsage:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  vpcreach %-32s %s\n", strings.TrimSpace(c.name+" "+c.args), c.summary)
	}
	fmt.Fprintf(w, "  vpcreach %-32s %s\n", "--version", "print the version (as vpcreach version)")
	fmt.Fprintln(w, "\nRun 'vpcreach COMMAND --help' for a command's flags.")
	fmt.Fprintln(w, "Exit codes: 0 clean, 1 findings, 2 invalid input or usage.")
}

// outputFlag is the --output flag shared by every command with a result.
type outputFlag string

func (o *outputFlag) String() string { return string(*o) }

func (o *outputFlag) Set(s string) error {
	switch s {
	case "text", "json":
		*o = outputFlag(s)
		return nil
	}
	return fmt.Errorf("must be text or json")
}

// newFlags returns a flag set for a command, with --output when output is
// not nil. args is the synopsis of its arguments ("FILE..."), for its
// usage; help goes to out, errors and usage after an error to errOut.
func newFlags(name, args string, out, errOut io.Writer, output *outputFlag) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	s := &streams{out: out, errOut: errOut, args: args}
	fs.SetOutput(s)
	fs.Usage = func() { printUsage(errOut, fs) }
	if output != nil {
		*output = "text"
		fs.Var(output, "output", "output `format`: text or json")
	}
	return fs
}

// parseArgs parses flags wherever they stand among the arguments, so that
// both "validate --output json a.yaml" and "validate a.yaml --output json"
// work, and returns the positional arguments. "--" ends the flags. A flag
// given twice is an error (checkRepeats), unless it is repeatable.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	if err := checkRepeats(fs, args); err != nil {
		fmt.Fprintf(fs.Output(), "vpcreach %s: %s\n", fs.Name(), err)
		return nil, err
	}
	var pos []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > 0 && len(rest) < len(args) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// parseCommand parses a command's arguments and reports usage errors. ok is
// false when the caller should return code.
func parseCommand(fs *flag.FlagSet, args []string, minPos, maxPos int) (pos []string, code int, ok bool) {
	pos, err := parseArgs(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil, exitOK, false
	}
	if err != nil {
		return nil, exitInvalid, false
	}
	if len(pos) < minPos || (maxPos >= 0 && len(pos) > maxPos) {
		if minPos > 0 && len(pos) < minPos {
			fmt.Fprintf(fs.Output(), "vpcreach %s: missing FILE argument\n", fs.Name())
		} else {
			fmt.Fprintf(fs.Output(), "vpcreach %s: unexpected argument %q\n", fs.Name(), pos[maxPos])
		}
		fs.Usage()
		return nil, exitInvalid, false
	}
	return pos, exitOK, true
}

// writeJSON prints v as indented JSON.
func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}
