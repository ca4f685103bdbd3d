package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
)

// TestMaxInputSize: a topology file above --max-input-size is refused with
// one error that says how to raise the limit; the limit applies to the
// command it is given to only.
func TestMaxInputSize(t *testing.T) {
	var b strings.Builder
	b.WriteString("version: 1\nvpcs:\n  - {id: vpc-a, region: eu-west-1, cidr_blocks: [10.0.0.0/16]}\n")
	for b.Len() < 1536 {
		b.WriteString("# padding to pass 1 KiB\n")
	}
	path := filepath.Join(t.TempDir(), "net.yaml")
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o600))

	for _, tt := range []struct {
		args     []string
		code     int
		contains string
	}{
		{[]string{"validate", "--max-input-size", "1KiB", path}, exitInvalid,
			path + ": the file is 1.5 KiB, above the 1 KiB limit on a topology file; it is not read (raise the limit with --max-input-size)\n"},
		{[]string{"validate", path}, exitOK, ""},
		{[]string{"validate", "--max-input-size", "2k", path}, exitOK, ""},
		{[]string{"lint", "--max-input-size=1024", path}, exitInvalid, "above the 1 KiB limit"},
		{[]string{"validate", "--max-input-size", "0", path}, exitInvalid, "invalid value \"0\" for flag --max-input-size: not a size"},
		{[]string{"validate", "--max-input-size", "12XB", path}, exitInvalid, "not a size"},
	} {
		var out, errOut bytes.Buffer
		code := run(tt.args, &out, &errOut)
		assert.Equal(t, tt.code, code, "%v: %s", tt.args, errOut.String())
		assert.Contains(t, errOut.String(), tt.contains, "%v", tt.args)
	}
}

// TestMaxInputSizeScalesTheNodeBudget: the YAML node budget grows with
// --max-input-size, one node per 8 bytes.
func TestMaxInputSizeScalesTheNodeBudget(t *testing.T) {
	t.Cleanup(func() { inputLimits = model.LoadOptions{} })
	opts := inputSizeFlag{&inputLimits}
	require.NoError(t, opts.Set("512MiB"))
	assert.Equal(t, int64(512<<20), inputLimits.MaxFileSize)
	assert.Equal(t, 64<<20, inputLimits.MaxNodes)
}
