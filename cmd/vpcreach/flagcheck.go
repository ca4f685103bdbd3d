package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

// repeatable marks the flag.Values that may be given more than once
// (--from-aws, --disable, --ports): each use adds to a list. Every other
// flag given twice is a usage error (checkRepeats), not "the last one
// wins".
type repeatable interface{ repeatable() }

func (*awsFlag) repeatable()  {}
func (*listFlag) repeatable() {}

// checkRepeats refuses a flag that is not repeatable and is given more
// than once among args. It reads args as the flag package does: "-name"
// or "--name", "=value" or, for flags that are not booleans, the next
// argument as the value; "--" ends the flags; unknown flags are left to
// the flag package to refuse.
func checkRepeats(fs *flag.FlagSet, args []string) error {
	seen := map[string]bool{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return nil
		}
		if len(a) < 2 || a[0] != '-' {
			continue
		}
		name := strings.TrimPrefix(a[1:], "-")
		name, _, hasValue := strings.Cut(name, "=")
		f := fs.Lookup(name)
		if name == "" || f == nil {
			continue
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); !hasValue && !(ok && b.IsBoolFlag()) {
			i++ // the value
		}
		if _, ok := f.Value.(repeatable); ok {
			continue
		}
		if seen[name] {
			return fmt.Errorf("--%s is given twice; give it once", name)
		}
		seen[name] = true
	}
	return nil
}

// given reports whether a flag was set on the command line.
func given(fs *flag.FlagSet, name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}

// checkProtocolFlags refuses the flags that do not apply to the protocol,
// instead of ignoring them: --port and --ephemeral apply to tcp and udp,
// --icmp-type and --icmp-code to icmp.
func checkProtocolFlags(fs *flag.FlagSet, p model.Protocol) error {
	for _, name := range []string{"port", "ephemeral"} {
		if given(fs, name) && !p.HasPorts() {
			return fmt.Errorf("--%s applies to tcp and udp, not %s", name, p)
		}
	}
	for _, name := range []string{"icmp-type", "icmp-code"} {
		if given(fs, name) && !p.IsICMP() {
			return fmt.Errorf("--%s applies to icmp, not %s", name, p)
		}
	}
	return nil
}
