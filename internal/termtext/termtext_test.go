package termtext_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/vpcreach/vpcreach/internal/termtext"
)

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"i-0a1b2c3d4e5f60001":          "i-0a1b2c3d4e5f60001",
		"vpc-a/default-acl":            "vpc-a/default-acl",
		`C:\topologies\net.yaml`:       `C:\topologies\net.yaml`,
		"café-ünïcode ✓":               "café-ünïcode ✓",
		"i-a\x1b[31mred\x1b[0m":        `i-a\x1b[31mred\x1b[0m`,
		"i-a\nreachable: forged":       `i-a\nreachable: forged`,
		"tab\there\rreturn\x00nul\x7f": `tab\there\rreturn\x00nul\x7f`,
		"csi\u009b31m":                 `csi\u009b31m`,
		"evil\u202egnp.exe":            `evil\u202egnp.exe`,
		"iso\u2066x\u2069 sep\u2028":   `iso\u2066x\u2069 sep\u2028`,
		"bad\xffbyte\xc3":              `bad\xffbyte\xc3`,
		"":                             "",
	} {
		assert.Equal(t, want, termtext.Escape(in), "Escape(%q)", in)
	}
}

func TestEscapeDoesNotAllocateForSafeText(t *testing.T) {
	s := "i-0a1b2c3d4e5f60001 -> 10.0.1.5 tcp/443 (net.yaml:12:7)"
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = termtext.Escape(s) }))
}
