package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/vpcreach/vpcreach/model"
)

// version is the release version, set at build time with
// -ldflags "-X main.version=v1.2.3"; otherwise the module version from
// the build information.
var version = ""

// develVersion is the version of a build whose version is unknown: built
// from a work tree without version control information, as Go writes it.
const develVersion = "(devel)"

// buildVersion says what the running binary is.
type buildVersion struct {
	// Version is the release version: -ldflags, else the main module's
	// version (v1.2.3 when installed from a tagged module, a
	// pseudo-version such as v0.0.0-20250101120000-0123456789ab when
	// built in a clone), else "(devel)".
	Version string
	// Revision and Modified are the version control revision the binary
	// was built from and whether the work tree had changes (Go's
	// vcs.revision and vcs.modified build settings), given when Version
	// is "(devel)" and Go recorded them.
	Revision string
	Modified bool
	// Go is the Go version that built the binary.
	Go string
}

// versionOf reads the version from the -ldflags version and the build
// information (ok false: none).
func versionOf(ldflags string, bi *debug.BuildInfo, ok bool) buildVersion {
	v := buildVersion{Version: ldflags, Go: runtime.Version()}
	if ok && bi.GoVersion != "" {
		v.Go = bi.GoVersion
	}
	if v.Version != "" {
		return v
	}
	if ok && bi.Main.Version != "" && bi.Main.Version != develVersion {
		v.Version = bi.Main.Version
		return v
	}
	v.Version = develVersion
	if ok {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				v.Revision = s.Value
			case "vcs.modified":
				v.Modified = s.Value == "true"
			}
		}
	}
	return v
}

// currentVersion is the running binary's version, as SARIF's tool
// version and `vpcreach version` give it.
func currentVersion() string { return running().Version }

func running() buildVersion {
	bi, ok := debug.ReadBuildInfo()
	return versionOf(version, bi, ok)
}

// String renders the version as `vpcreach version` prints it, without the
// program's name: "v1.2.3", or "(devel) revision 0123abc, modified".
func (v buildVersion) String() string {
	s := v.Version
	if v.Revision != "" {
		s += " revision " + v.Revision
	}
	if v.Modified {
		s += ", modified"
	}
	return s
}

func runVersion(args []string, out, errOut io.Writer) int {
	var output outputFlag
	fs := newFlags("version", "", out, errOut, &output)
	if _, code, ok := parseCommand(fs, args, 0, 0); !ok {
		return code
	}
	v := running()
	if output == "json" {
		doc := map[string]any{"version": v.Version, "format_version": model.FormatVersion, "go": v.Go}
		if v.Revision != "" {
			doc["revision"] = v.Revision
		}
		if v.Modified {
			doc["modified"] = true
		}
		writeJSON(out, doc)
		return exitOK
	}
	fmt.Fprintf(out, "vpcreach %s (topology format %d, %s)\n", v, model.FormatVersion, v.Go)
	return exitOK
}
