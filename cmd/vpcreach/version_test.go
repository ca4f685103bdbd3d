package main

import (
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestVersionFromBuildInfo: the version is the module version Go records
// (a tagged module's v1.2.3, or the pseudo-version of a clone), "(devel)"
// only when it is unknown, and then with the revision when Go recorded it.
func TestVersionFromBuildInfo(t *testing.T) {
	info := func(version string, settings ...debug.BuildSetting) *debug.BuildInfo {
		return &debug.BuildInfo{GoVersion: "go1.24.0", Main: debug.Module{Path: "github.com/vpcreach/vpcreach", Version: version}, Settings: settings}
	}
	rev := debug.BuildSetting{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"}
	dirty := debug.BuildSetting{Key: "vcs.modified", Value: "true"}
	clean := debug.BuildSetting{Key: "vcs.modified", Value: "false"}
	tests := []struct {
		name    string
		ldflags string
		bi      *debug.BuildInfo
		ok      bool
		want    string
	}{
		{"tagged module", "", info("v1.2.3", rev), true, "v1.2.3"},
		{"pseudo-version of a clone", "", info("v0.0.0-20250101120000-0123456789ab+dirty", rev, dirty), true, "v0.0.0-20250101120000-0123456789ab+dirty"},
		{"ldflags win", "v9.9.9", info("v1.2.3"), true, "v9.9.9"},
		{"devel with its revision", "", info("(devel)", rev, dirty), true, "(devel) revision 0123456789abcdef0123456789abcdef01234567, modified"},
		{"devel, clean work tree", "", info("(devel)", rev, clean), true, "(devel) revision 0123456789abcdef0123456789abcdef01234567"},
		{"devel without version control", "", info("(devel)"), true, "(devel)"},
		{"no module version", "", info(""), true, "(devel)"},
		{"no build information", "", nil, false, "(devel)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := versionOf(tt.ldflags, tt.bi, tt.ok)
			assert.Equal(t, tt.want, v.String())
			assert.NotEmpty(t, v.Go)
		})
	}
	assert.Equal(t, "go1.24.0", versionOf("", info("v1.2.3"), true).Go, "the Go version that built the binary")
}

// TestVersionFlag: "vpcreach --version" is "vpcreach version".
func TestVersionFlag(t *testing.T) {
	code, want, _ := runCLI("version")
	require.Equal(t, exitOK, code)
	for _, args := range [][]string{{"--version"}, {"-version"}} {
		code, got, stderr := runCLI(args...)
		assert.Equal(t, exitOK, code, "%v", args)
		assert.Equal(t, want, got, "%v", args)
		assert.Empty(t, stderr)
	}
	code, got, _ := runCLI("--version", "--output", "json")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, got, `"format_version": 1`)
}
