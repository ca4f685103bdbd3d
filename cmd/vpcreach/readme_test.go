package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/solver"
)

// TestREADMEDocumentsEveryCode keeps the README's code table complete.
func TestREADMEDocumentsEveryCode(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	for _, c := range solver.Codes() {
		assert.True(t, strings.Contains(string(data), "| `"+c.String()+"` | "+c.Description()+" |"), "README lacks code %s", c)
	}
}

// TestREADMEExamplesRunAsWritten runs every README example that starts
// with "$ vpcreach" from the repository root and compares what it prints
// (standard output, then standard error) with the text shown. A line "..."
// in the README stands for any number of lines.
func TestREADMEExamplesRunAsWritten(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	t.Chdir("../..")
	examples := 0
	for i, block := range strings.Split(string(data), "```")[1:] {
		if i%2 == 1 {
			continue // text between code blocks
		}
		_, body, _ := strings.Cut(block, "\n") // drop the language tag
		cmd, want, _ := strings.Cut(body, "\n")
		if !strings.HasPrefix(cmd, "$ vpcreach ") {
			continue
		}
		examples++
		t.Run(cmd, func(t *testing.T) {
			var out, errOut bytes.Buffer
			run(strings.Fields(cmd)[2:], &out, &errOut)
			got := strings.TrimRight(out.String()+errOut.String(), "\n")
			assert.True(t, linesMatch(strings.Split(strings.TrimRight(want, "\n"), "\n"), strings.Split(got, "\n")),
				"README shows:\n%s\nthe command prints:\n%s", want, got)
		})
	}
	assert.GreaterOrEqual(t, examples, 5, "README examples found")
}

// linesMatch reports whether got matches want, where a want line "..."
// matches any run of lines.
func linesMatch(want, got []string) bool {
	if len(want) == 0 {
		return len(got) == 0
	}
	if want[0] == "..." {
		for k := 0; k <= len(got); k++ {
			if linesMatch(want[1:], got[k:]) {
				return true
			}
		}
		return false
	}
	return len(got) > 0 && want[0] == got[0] && linesMatch(want[1:], got[1:])
}
