package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	bastion    = "testdata/scenarios/bastion.yaml"  // clean; an expectation that holds
	database   = "testdata/scenarios/database.yaml" // a finding (error); an expectation that fails
	fiveErrors = "../../testdata/invalid/five-mistakes.yaml"
)

// TestEachExitCodeIsTheWorst: with --each, lint, check and validate read
// every file as its own network (the scenarios share ids, which merged
// would be an error) and exit with the worst code of all: invalid input,
// then findings, then clean.
func TestEachExitCodeIsTheWorst(t *testing.T) {
	tests := []struct {
		cmd   string
		files []string
		want  int
	}{
		{"lint", []string{bastion}, exitOK},
		{"lint", []string{bastion, database}, exitFindings},
		{"lint", []string{database, bastion}, exitFindings},
		{"lint", []string{bastion, fiveErrors}, exitInvalid},
		{"lint", []string{fiveErrors, database}, exitInvalid},
		{"check", []string{bastion}, exitOK},
		{"check", []string{bastion, database}, exitFindings},
		{"check", []string{database, fiveErrors, bastion}, exitInvalid},
		{"validate", []string{bastion, database}, exitOK},
		{"validate", []string{bastion, fiveErrors}, exitInvalid},
	}
	for _, tt := range tests {
		for _, output := range []string{"text", "json", "junit", "sarif"} {
			if output == "junit" || output == "sarif" {
				if tt.cmd == "validate" {
					continue
				}
			}
			args := append([]string{tt.cmd, "--each", "--output", output}, tt.files...)
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				code, stdout, stderr := runCLI(args...)
				assert.Equal(t, tt.want, code, "exit code\n%s%s", stdout, stderr)
			})
		}
	}
	// Merged, the scenarios are one network with duplicate ids.
	code, _, stderr := runCLI("lint", bastion, database)
	assert.Equal(t, exitInvalid, code)
	assert.Contains(t, stderr, `duplicate id "vpc-a"`)
}

// TestEachGroupsByInput: each input's findings are followed by its own
// count, and JSON says which input each finding comes from.
func TestEachGroupsByInput(t *testing.T) {
	_, stdout, _ := runCLI("lint", "--each", database, bastion)
	assert.Equal(t, []string{
		database + ":21:9: error: tcp/5432 (postgresql) on i-db is reachable from the internet at 203.0.113.20: in through igw-a, allowed by sg-db \"allow tcp 5432 from 0.0.0.0/0\" (line 19) [sensitive-port-exposed]",
		database + ": 1 finding: 1 error, 0 warnings, 0 notes",
		bastion + ": 0 findings: 0 errors, 0 warnings, 0 notes",
		"2 files, each its own network: 1 finding: 1 error, 0 warnings, 0 notes",
	}, strings.Split(strings.TrimSpace(stdout), "\n"))

	_, stdout, _ = runCLI("lint", "--each", "--output", "json", database, bastion)
	assert.Contains(t, stdout, `"input": "`+database+`"`)
	_, stdout, _ = runCLI("lint", "--output", "json", database)
	assert.NotContains(t, stdout, `"input"`, "without --each the JSON is as it was")
	assert.NotContains(t, stdout, `"inputs"`)
}

// TestLintReadsIgnoreComments: the CLI honours the vpcreach:ignore
// comments of the files it lints, and reports one that no longer applies.
func TestLintReadsIgnoreComments(t *testing.T) {
	code, stdout, _ := runCLI("lint", bastion)
	assert.Equal(t, exitOK, code, stdout)

	data, err := os.ReadFile(bastion)
	require.NoError(t, err)
	const comment = "      # vpcreach:ignore sensitive-port-exposed the bastion: SSH keys only, audited (NET-42)\n"
	require.Contains(t, string(data), comment)
	dir := t.TempDir()
	without := filepath.Join(dir, "without.yaml")
	require.NoError(t, os.WriteFile(without, []byte(strings.Replace(string(data), comment, "", 1)), 0o644))
	code, stdout, _ = runCLI("lint", without)
	assert.Equal(t, exitFindings, code)
	assert.Contains(t, stdout, "[sensitive-port-exposed]")

	// A blank line between the comment and the resource: no effect, said.
	blank := filepath.Join(dir, "blank.yaml")
	require.NoError(t, os.WriteFile(blank, []byte(strings.Replace(string(data), comment, comment+"\n", 1)), 0o644))
	code, stdout, _ = runCLI("lint", blank)
	assert.Equal(t, exitFindings, code)
	assert.Contains(t, stdout, "[sensitive-port-exposed]")
	assert.Contains(t, stdout, "is followed by no resource")

	// --only sensitive-port-exposed: the comment still applies; unused-ignore does not run.
	code, stdout, _ = runCLI("lint", bastion, "--only", "sensitive-port-exposed")
	assert.Equal(t, exitOK, code, stdout)
}
