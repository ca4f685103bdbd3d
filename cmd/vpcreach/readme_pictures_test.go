package main

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestREADMEPicturesAreTheCommandsOutput keeps the README's rendered
// pictures true: each ```mermaid block that follows a comment
// "<!-- vpcreach ARGS -->" must be exactly what the command prints.
func TestREADMEPicturesAreTheCommandsOutput(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	t.Chdir("../..")
	blocks := regexp.MustCompile("(?s)<!-- vpcreach ([^\\n]*?) -->\\n```mermaid\\n(.*?)```\\n").FindAllStringSubmatch(string(data), -1)
	require.GreaterOrEqual(t, len(blocks), 2, "the README shows a topology and a path")
	for _, b := range blocks {
		t.Run(b[1], func(t *testing.T) {
			var out, errOut bytes.Buffer
			run(strings.Fields(b[1]), &out, &errOut)
			assert.Equal(t, b[2], out.String(), "README picture for vpcreach %s", b[1])
			assert.Empty(t, errOut.String())
		})
	}
}
