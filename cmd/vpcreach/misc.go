package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/vpcreach/vpcreach/model"
)

func runExample(args []string, out, errOut io.Writer) int {
	fs := newFlags("example", "", errOut, nil)
	if _, code, ok := parseCommand(fs, args, 0, 0); !ok {
		return code
	}
	_, _ = out.Write(model.ExampleTopology())
	return exitOK
}

func runSchema(args []string, out, errOut io.Writer) int {
	fs := newFlags("schema", "", errOut, nil)
	if _, code, ok := parseCommand(fs, args, 0, 0); !ok {
		return code
	}
	_, _ = out.Write(model.JSONSchema())
	return exitOK
}

// version is the release version, set at build time with
// -ldflags "-X main.version=v1.2.3"; otherwise the module version.
var version = ""

func currentVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

func runVersion(args []string, out, errOut io.Writer) int {
	var output outputFlag
	fs := newFlags("version", "", errOut, &output)
	if _, code, ok := parseCommand(fs, args, 0, 0); !ok {
		return code
	}
	if output == "json" {
		writeJSON(out, map[string]any{"version": currentVersion(), "format_version": model.FormatVersion, "go": runtime.Version()})
		return exitOK
	}
	fmt.Fprintf(out, "vpcreach %s (topology format %d, %s)\n", currentVersion(), model.FormatVersion, runtime.Version())
	return exitOK
}
