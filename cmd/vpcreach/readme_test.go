package main

import (
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
