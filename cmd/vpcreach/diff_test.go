package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	eksBefore = "../../testdata/diff/eks-before.yaml"
	eksAfter  = "../../testdata/diff/eks-after.yaml"
)

func TestDiffGolden(t *testing.T) {
	tests := []struct {
		name string
		code int
		args []string
	}{
		{"diff-eks", exitFindings, []string{"diff", eksBefore, eksAfter}},
		{"diff-eks-json", exitFindings, []string{"diff", eksBefore, eksAfter, "--output", "json"}},
		{"diff-eks-markdown", exitFindings, []string{"diff", eksBefore, eksAfter, "--output", "markdown", "--max-entries", "3"}},
		{"diff-eks-mermaid", exitFindings, []string{"diff", eksBefore, eksAfter, "--output", "mermaid"}},
		{"diff-eks-sarif", exitFindings, []string{"diff", eksBefore, eksAfter, "--output", "sarif", "--base-dir", "../.."}},
		{"diff-eks-reverse", exitOK, []string{"diff", eksAfter, eksBefore}},
		{"diff-same", exitOK, []string{"diff", eksBefore, eksBefore}},
		{"diff-plan", exitOK, []string{"diff", "../../tfimport/testdata/seeds/seed001-peering-endpoints.change.json"}},
		{"diff-one-yaml", exitInvalid, []string{"diff", eksBefore}},
		{"diff-three-args", exitInvalid, []string{"diff", eksBefore, eksAfter, eksAfter}},
		{"diff-invalid-side", exitInvalid, []string{"diff", eksBefore, "../../testdata/invalid/five-mistakes.yaml"}},
		{"diff-bad-fail-on", exitInvalid, []string{"diff", eksBefore, eksAfter, "--fail-on", "everything"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { golden(t, tc.name, tc.code, tc.args...) })
	}
}

func TestDiffFailOn(t *testing.T) {
	for _, tc := range []struct {
		failOn string
		old    string
		new    string
		code   int
	}{
		{"any", eksAfter, eksBefore, exitFindings}, // the reverse loses flows
		{"lost", eksAfter, eksBefore, exitFindings},
		{"gained", eksAfter, eksBefore, exitOK},
		{"expectations", eksAfter, eksBefore, exitOK}, // it fixes one
		{"expectations-fixed", eksAfter, eksBefore, exitFindings},
		{"none", eksBefore, eksAfter, exitOK},
		{"gained,lost", eksBefore, eksAfter, exitFindings},
		{"any", eksBefore, eksBefore, exitOK},
	} {
		code, _, errOut := runCLI("diff", tc.old, tc.new, "--fail-on", tc.failOn)
		assert.Equal(t, tc.code, code, "--fail-on %s %s %s: %s", tc.failOn, tc.old, tc.new, errOut)
	}
}

// The JSON keys of the issue are a public contract.
func TestDiffJSONKeys(t *testing.T) {
	_, out, _ := runCLI("diff", eksBefore, eksAfter, "--output", "json")
	var doc map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	for _, k := range []string{"gained", "lost", "changed", "exposure_gained", "exposure_lost", "expectations_broken",
		"expectations_fixed", "overlaps_added", "overlaps_removed", "summary"} {
		assert.Contains(t, doc, k)
	}
	var flows []map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(doc["gained"], &flows))
	require.NotEmpty(t, flows)
	for _, k := range []string{"from", "to", "protocol", "ports", "cause"} {
		assert.Contains(t, flows[0], k)
	}
}

// Output is the same bytes on every run.
func TestDiffIsDeterministic(t *testing.T) {
	for _, output := range []string{"text", "json", "markdown", "mermaid"} {
		_, first, _ := runCLI("diff", eksBefore, eksAfter, "--output", output)
		for range 3 {
			_, again, _ := runCLI("diff", eksBefore, eksAfter, "--output", output)
			require.Equal(t, first, again, output)
		}
	}
}

// An AWS snapshot directory is a side too.
func TestDiffSnapshotSide(t *testing.T) {
	dir := snapshotDir(t)
	code, out, errOut := runCLI("diff", dir, dir)
	require.Equal(t, exitOK, code, errOut)
	assert.True(t, strings.HasPrefix(out, "no reachability change"), out)
	yaml := filepath.Join(t.TempDir(), "net.yaml")
	code, _, errOut = runCLI("import", "aws", dir, "--file", yaml)
	require.Equal(t, exitOK, code, errOut)
	code, out, errOut = runCLI("diff", dir, yaml)
	require.Equal(t, exitOK, code, errOut)
	_, err := os.Stat(yaml)
	require.NoError(t, err)
	assert.Contains(t, out, "no reachability change", "a snapshot and its import reach alike")
}
