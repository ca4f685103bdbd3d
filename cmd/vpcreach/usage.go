package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// streams is the output of a command's flag set: the flag package writes
// its errors to errOut through it, and parseArgs finds in it where help
// goes (out: help was asked for) and the command's argument synopsis.
type streams struct {
	out, errOut io.Writer
	args        string
}

// Write writes to standard error, where the flag package's errors go.
func (s *streams) Write(p []byte) (int, error) { return s.errOut.Write(p) }

// printUsage writes a command's usage: its synopsis, then its flags as
// the README writes them, with two dashes ("--port N"), each followed by
// its description and default. Every command prints its usage through it
// (fs.Usage, -h and --help).
func printUsage(w io.Writer, fs *flag.FlagSet) {
	args := ""
	if s, ok := fs.Output().(*streams); ok {
		args = s.args
	}
	fmt.Fprintln(w, strings.TrimSpace(fmt.Sprintf("Usage: vpcreach %s [flags] %s", fs.Name(), args)))
	fmt.Fprintln(w, "\nFlags:")
	fs.VisitAll(func(f *flag.Flag) {
		fmt.Fprintf(w, "  %s\n", flagSynopsis(f))
		_, text := flag.UnquoteUsage(f)
		if def := defaultText(f); def != "" {
			text += " (default " + def + ")"
		}
		fmt.Fprintf(w, "        %s\n", text)
	})
	fmt.Fprintln(w, "  -h, --help\n        show this help")
}

// flagSynopsis returns "--name VALUE": the flag with two dashes and, unless
// it is a boolean, the name of its value in capitals (the word in
// backquotes in its usage, else VALUE).
func flagSynopsis(f *flag.Flag) string {
	if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
		return "--" + f.Name
	}
	name, _ := flag.UnquoteUsage(f)
	if !strings.Contains(f.Usage, "`") {
		name = "value"
	}
	return "--" + f.Name + " " + strings.ToUpper(name)
}

// defaultText is the default to show after a flag's description: its
// default value unless that is the zero value (empty, 0 or false).
func defaultText(f *flag.Flag) string {
	switch f.DefValue {
	case "", "0", "false", "[]":
		return ""
	}
	return f.DefValue
}

// parseFlags runs fs.Parse on args, printing errors and usage as the
// README writes flags: on -h or --help, the usage on standard output
// (flag.ErrHelp is returned); on a bad flag, the error with the flag
// written "--name", then the usage, on standard error.
func parseFlags(fs *flag.FlagSet, args []string) error {
	s, _ := fs.Output().(*streams)
	usage := fs.Usage
	fs.Usage = func() {}
	if s != nil {
		fs.SetOutput(io.Discard)
	}
	err := fs.Parse(args)
	fs.Usage = usage
	if s == nil {
		return err
	}
	fs.SetOutput(s)
	switch {
	case errors.Is(err, flag.ErrHelp):
		printUsage(s.out, fs)
	case err != nil:
		fmt.Fprintln(s.errOut, dashes(err.Error()))
		printUsage(s.errOut, fs)
	}
	return err
}

// dashes rewrites the flag package's "-name" in its error messages as
// "--name".
func dashes(msg string) string {
	for _, p := range []string{"for flag -", "not defined: -", "needs an argument: -", "for -"} {
		if i := strings.Index(msg, p); i >= 0 && !strings.HasPrefix(msg[i+len(p):], "-") {
			return msg[:i+len(p)] + "-" + msg[i+len(p):]
		}
	}
	return msg
}
