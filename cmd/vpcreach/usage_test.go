package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHelpWritesFlagsWithTwoDashes: -h and --help, at the top level and for
// every command, print the usage on standard output and exit 0, and every
// flag is written as the README writes it, "--port", never Go's "-port".
func TestHelpWritesFlagsWithTwoDashes(t *testing.T) {
	singleDash := regexp.MustCompile(`(?m)^\s+-[a-z][a-z-]`)
	for _, help := range []string{"-h", "--help"} {
		code, stdout, stderr := runCLI(help)
		assert.Equal(t, exitOK, code)
		assert.Contains(t, stdout, "vpcreach --version")
		assert.Contains(t, stdout, "Run 'vpcreach COMMAND --help'")
		assert.Empty(t, stderr)
		for _, c := range commands() {
			t.Run(c.name+" "+help, func(t *testing.T) {
				args := []string{c.name, help}
				if c.name == "import" {
					args = []string{"import", "aws", help}
				}
				code, stdout, stderr := runCLI(args...)
				assert.Equal(t, exitOK, code, "exit code")
				assert.Empty(t, stderr, "help goes to standard output")
				require.True(t, strings.HasPrefix(stdout, "Usage: vpcreach "+c.name), "usage:\n%s", stdout)
				assert.NotRegexp(t, singleDash, stdout, "a flag written with one dash")
				assert.Contains(t, stdout, "  -h, --help\n")
			})
		}
	}
	_, stdout, _ := runCLI("reach", "--help")
	for _, f := range []string{"--from SOURCE", "--to DESTINATION", "--port PORT", "--protocol PROTOCOL", "--output FORMAT", "--from-aws DIR"} {
		assert.Contains(t, stdout, "\n  "+f+"\n", "reach --help lists %s", f)
	}
	assert.Contains(t, stdout, "(default tcp)")
}

// TestFlagErrorsWriteTwoDashes: the flag package's errors name the flag as
// the README writes it, and the usage that follows goes to standard error.
func TestFlagErrorsWriteTwoDashes(t *testing.T) {
	code, stdout, stderr := runCLI("lint", "--no-such-flag", "x.yaml")
	assert.Equal(t, exitInvalid, code)
	assert.Empty(t, stdout)
	assert.Equal(t, "flag provided but not defined: --no-such-flag", firstLine(stderr))
	assert.Contains(t, stderr, "\n  --fail-on SEVERITY\n")

	code, _, stderr = runCLI("reach", net000, "--from", "i-a-app-1", "--to", "i-b-redis-1", "--port")
	assert.Equal(t, exitInvalid, code)
	assert.Equal(t, "flag needs an argument: --port", firstLine(stderr))

	assert.Equal(t, `invalid boolean value "x" for --paths: parse error`, dashes(`invalid boolean value "x" for -paths: parse error`))
	assert.Equal(t, "flag provided but not defined: --x", dashes("flag provided but not defined: --x"), "already two dashes")
}
