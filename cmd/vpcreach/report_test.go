package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
)

// TestCheckFailOn: check's --fail-on means what lint's does: a failed
// expectation is an error, one that holds with warnings a warning, and the
// run exits 1 when an outcome is at least as severe as the flag.
func TestCheckFailOn(t *testing.T) {
	const warned = "../../testdata/seed001-peering-endpoints.yaml" // one expectation holds with ALTERNATE_ADDRESS_UNREACHABLE
	const broken = "testdata/broken-expectations.yaml"
	tests := []struct {
		file   string
		failOn []string
		want   int
	}{
		{warned, nil, exitOK},
		{warned, []string{"--fail-on", "error"}, exitOK},
		{warned, []string{"--fail-on", "warning"}, exitFindings},
		{warned, []string{"--fail-on", "note"}, exitFindings},
		{broken, nil, exitFindings},
		{broken, []string{"--fail-on", "error"}, exitFindings},
		{broken, []string{"--fail-on", "nonsense"}, exitInvalid},
	}
	for _, tt := range tests {
		args := append([]string{"check", tt.file}, tt.failOn...)
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			assert.Equal(t, tt.want, run(args, &out, &errOut), "exit code\n%s%s", out.String(), errOut.String())
		})
	}

	var out, errOut bytes.Buffer
	run([]string{"check", warned, "--fail-on", "warning"}, &out, &errOut)
	assert.Contains(t, out.String(), "      warning: ALTERNATE_ADDRESS_UNREACHABLE at ", "the text says which warning fails the run")
	assert.Contains(t, out.String(), "(1 with warnings)")

	out.Reset()
	errOut.Reset()
	run([]string{"check", "-h"}, &out, &errOut)
	assert.Regexp(t, `--fail-on SEVERITY\s+exit 1 when an outcome is at least this severity`, out.String(), "check's help documents --fail-on")
}

// TestJUnitAgreesWithTheExitCode: for lint and check, at every --fail-on,
// the JUnit report has failures exactly when the command exits 1, and as
// many failures as findings at least that severe.
func TestJUnitAgreesWithTheExitCode(t *testing.T) {
	runs := [][]string{
		{"lint", "../../testdata/seed000-peering-nlb.yaml"},
		{"lint", "../../testdata/seed000-peering-nlb.yaml", "--disable", "transitive-peering"},
		{"lint", "../../solver/testdata/network.yaml"},
		{"check", "../../testdata/seed001-peering-endpoints.yaml"},
		{"check", "testdata/broken-expectations.yaml"},
	}
	for _, args := range runs {
		for _, failOn := range []string{"error", "warning", "note"} {
			cmd := append(append([]string{}, args...), "--fail-on", failOn)
			t.Run(strings.Join(cmd, " "), func(t *testing.T) {
				var out, errOut bytes.Buffer
				code := run(append(cmd, "--output", "junit"), &out, &errOut)
				require.NotEqual(t, exitInvalid, code, errOut.String())
				var doc struct {
					Tests    int `xml:"tests,attr"`
					Failures int `xml:"failures,attr"`
					Skipped  int `xml:"skipped,attr"`
				}
				require.NoError(t, xml.Unmarshal(out.Bytes(), &doc), out.String())
				assert.Equal(t, code == exitFindings, doc.Failures > 0, "exit %d with %d JUnit failures", code, doc.Failures)

				// The JSON counts say how many are at least as severe.
				out.Reset()
				run(append(cmd, "--output", "json"), &out, &errOut)
				var res struct {
					Counts map[string]int `json:"counts"`
				}
				require.NoError(t, json.Unmarshal(out.Bytes(), &res))
				want := 0
				if args[0] == "check" {
					want = res.Counts["failed"] // warnings are counted apart below
				} else {
					for _, sev := range []string{"error", "warning", "note"} {
						want += res.Counts[sev]
						if sev == failOn {
							break
						}
					}
				}
				if args[0] == "lint" || failOn == "error" {
					assert.Equal(t, want, doc.Failures, "failures")
				} else {
					assert.GreaterOrEqual(t, doc.Failures, want, "failures")
				}
			})
		}
	}
}

// TestSARIFBaseDir: SARIF artifact URIs are relative to the repository
// root by default, and to --base-dir when given, with the uriBaseId
// %SRCROOT%.
func TestSARIFBaseDir(t *testing.T) {
	uri := func(args ...string) (string, string) {
		t.Helper()
		var out, errOut bytes.Buffer
		code := run(args, &out, &errOut)
		require.NotEqual(t, exitInvalid, code, errOut.String())
		var log struct {
			Runs []struct {
				Results []struct {
					Locations []struct {
						PhysicalLocation struct {
							ArtifactLocation struct {
								URI       string `json:"uri"`
								URIBaseID string `json:"uriBaseId"`
							} `json:"artifactLocation"`
						} `json:"physicalLocation"`
					} `json:"locations"`
				} `json:"results"`
			} `json:"runs"`
		}
		require.NoError(t, json.Unmarshal(out.Bytes(), &log), out.String())
		a := log.Runs[0].Results[0].Locations[0].PhysicalLocation.ArtifactLocation
		return a.URI, a.URIBaseID
	}
	u, base := uri("lint", "../../testdata/seed000-peering-nlb.yaml", "--output", "sarif")
	assert.Equal(t, "testdata/seed000-peering-nlb.yaml", u, "relative to the repository root")
	assert.Equal(t, "%SRCROOT%", base)
	u, _ = uri("lint", "../../testdata/seed000-peering-nlb.yaml", "--output", "sarif", "--base-dir", "../../testdata")
	assert.Equal(t, "seed000-peering-nlb.yaml", u)
	u, _ = uri("check", "testdata/broken-expectations.yaml", "--output", "sarif", "--base-dir", ".")
	assert.Equal(t, "testdata/broken-expectations.yaml", u)

	var out, errOut bytes.Buffer
	assert.Equal(t, exitInvalid, run([]string{"lint", "../../testdata/seed000-peering-nlb.yaml", "--output", "sarif", "--base-dir", "no-such-dir"}, &out, &errOut))
	assert.Contains(t, errOut.String(), "--base-dir no-such-dir: not a directory")
}

// countWords are nouns and verbs the CLI counts in its text output.
var (
	singularAfterOne = regexp.MustCompile(`(?m)(^|[^\d.\-/])1 (errors|warnings|notes|findings|expectations|overlaps|destinations|instances|subnets|files|classes|equivalence classes|fail|hold)\b`)
	pluralAfterMany  = regexp.MustCompile(`(?m)(^|[^\d.\-/])(0|[2-9]|\d{2,}) (error|warning|note|finding|expectation|overlap|destination|file|equivalence class|fails|holds)\b`)
)

// TestCountsArePluralised: every count in the CLI's text output (the
// golden files, the README's examples) agrees with its noun or verb: "1
// warning", "2 warnings", "1 fails".
func TestCountsArePluralised(t *testing.T) {
	assert.Equal(t, "1 warning", plural(1, "warning"))
	assert.Equal(t, "0 warnings", plural(0, "warning"))
	assert.Equal(t, "3 equivalence classes", plural(3, "equivalence class"))
	assert.Equal(t, "0 errors, 1 warning, 2 notes", severityCounts(0, 1, 2))
	assert.Equal(t, "1 fails", agree(1, "fails", "fail"))

	files, err := filepath.Glob("testdata/golden/*.golden")
	require.NoError(t, err)
	files = append(files, "../../README.md")
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		for i, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(line, "Exit codes:") { // "1 findings" is the exit code's meaning
				continue
			}
			for _, re := range []*regexp.Regexp{singularAfterOne, pluralAfterMany} {
				if m := re.FindString(line); m != "" {
					t.Errorf("%s:%d: %q does not agree: %s", f, i+1, strings.TrimSpace(m), line)
				}
			}
		}
	}
}

// TestExampleIsLintClean: the topology `vpcreach example` prints has no
// lint finding at any severity, so a user who starts from it starts clean.
func TestExampleIsLintClean(t *testing.T) {
	path := filepath.Join(t.TempDir(), "net.yaml")
	require.NoError(t, os.WriteFile(path, model.ExampleTopology(), 0o644))
	var out, errOut bytes.Buffer
	code := run([]string{"lint", path, "--fail-on", "note"}, &out, &errOut)
	assert.Equal(t, exitOK, code, "lint of the example:\n%s%s", out.String(), errOut.String())
	assert.Equal(t, "0 findings: 0 errors, 0 warnings, 0 notes\n", out.String())
	assert.Empty(t, errOut.String(), "no validation warning either")
}
