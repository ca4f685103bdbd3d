package model_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
)

// parseErrors returns the rendered errors of parsing src as t.yaml.
func parseErrors(t *testing.T, src []byte) []string {
	t.Helper()
	_, err := model.Parse("t.yaml", src)
	require.Error(t, err)
	var ds model.Diagnostics
	require.True(t, errors.As(err, &ds), "error is %T, want model.Diagnostics", err)
	var got []string
	for _, d := range ds {
		got = append(got, d.Error())
	}
	return got
}

// hundredLines is a valid topology of 99 lines, to which a test adds line
// 100.
func hundredLines() string {
	var b strings.Builder
	b.WriteString("version: 1\naccounts:\n")
	for i := 3; i < 100; i++ {
		fmt.Fprintf(&b, "  - {id: \"%012d\", name: team-%d}\n", i, i)
	}
	return b.String()
}

func TestSyntaxErrorsHaveLineAndColumn(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"control character on line 100", hundredLines() + "  - {id: \"000000000100\", name: te\x01am}\n",
			`t.yaml:100:34: YAML syntax: control character U+0001 is not allowed (write it as an escape in a double-quoted string)`},
		{"invalid UTF-8 on line 100", hundredLines() + "  - {id: \"000000000100\", name: é\xffquipe}\n",
			`t.yaml:100:33: YAML syntax: byte 0xFF is not valid UTF-8 (save the file as UTF-8)`},
		{"NUL after a CRLF line", "version: 1\r\nvpcs: [\x00]\r\n",
			`t.yaml:2:8: YAML syntax: control character U+0000 is not allowed (write it as an escape in a double-quoted string)`},
		{"tab indent", "version: 1\nvpcs:\n\t- id: a\n",
			`t.yaml:3:1: YAML syntax: found character that cannot start any token (a tab: indent with spaces)`},
		{"reserved character", "version: 1\nvpcs:\n  - id: @a\n",
			`t.yaml:3:9: YAML syntax: found character that cannot start any token`},
		{"colon in a plain value", "version: 1\nvpcs:\n  - id: a: b\n",
			`t.yaml:3:10: YAML syntax: mapping values are not allowed in this context`},
		{"unterminated string", "version: 1\nvpcs:\n  - id: \"vpc-a\n",
			`t.yaml:3:9: YAML syntax: found unexpected end of stream`},
		{"bad escape", "version: 1\nvpcs:\n  - id: \"a\\qb\"\n",
			`t.yaml:3:11: YAML syntax: found unknown escape character`},
		{"key dedented into a list", "version: 1\nvpcs:\n  - id: a\n    region: r\n   cidr_blocks: []\n",
			`t.yaml:5:4: YAML syntax: did not find expected '-' indicator`},
		{"flow mapping not closed", "version: 1\nvpcs:\n  - {id: a, region: r\n  - {id: b}\n",
			`t.yaml:3:5: YAML syntax: did not find expected ',' or '}' (in the flow collection that starts here)`},
		{"flow list not closed", "version: 1\nvpcs: [{id: a}\nexpectations: []\n",
			`t.yaml:2:7: YAML syntax: did not find expected ',' or ']' (in the flow collection that starts here)`},
		{"unknown anchor", "version: 1\nvpcs:\n  - *vpc\n",
			`t.yaml:3:5: YAML syntax: unknown anchor 'vpc' referenced`},
		{"text after a quoted value", "version: 'a' 1\n",
			`t.yaml:1:14: YAML syntax: did not find expected key`},
		{"UTF-8 byte order mark is not a column", "\xEF\xBB\xBFversion: 1\nvpcs: [@]\n",
			`t.yaml:2:8: YAML syntax: found character that cannot start any token`},
		{"UTF-16", string(utf16LE("\uFEFFversion: 1\nvpcs: [@]\n")),
			`t.yaml:2:8: YAML syntax: found character that cannot start any token`},
		{"UTF-16 broken surrogate", string(utf16LE("\uFEFFversion: 1\nvpcs: [a")) + "\x00\xD8a\x00",
			`t.yaml:2:9: YAML syntax: invalid UTF-16 surrogate pair`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, []string{tt.want}, parseErrors(t, []byte(tt.yaml)))
		})
	}
}

func utf16LE(s string) []byte {
	var out []byte
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

// TestSyntaxErrorDeepInALargeFile puts a syntax error 1.2 MB into a file:
// the column is found by parsing a chunk of the file from a line above the
// error, not the whole file again and again.
func TestSyntaxErrorDeepInALargeFile(t *testing.T) {
	var b strings.Builder
	b.WriteString("version: 1\nvpcs:\n  - id: vpc-a\n    region: r\n    cidr_blocks: [10.0.0.0/16]\n    instances:\n")
	n := 0
	for ; b.Len() < 1200<<10; n++ {
		fmt.Fprintf(&b, "      - {id: i-%d, subnet: s, private_ip: 10.0.%d.%d}\n", n, n/250, n%250+4)
	}
	b.WriteString("      - {id: i-x, subnet: s, private_ip: 10.0.0.1, name: a: b}\n")
	line := 6 + n + 1
	for _, tt := range []struct{ yaml, want string }{
		{b.String(), fmt.Sprintf("t.yaml:%d:9: YAML syntax: did not find expected ',' or '}' (in the flow collection that starts here)", line)},
		{strings.Replace(b.String(), "name: a: b", "name: @b", 1), fmt.Sprintf("t.yaml:%d:58: YAML syntax: found character that cannot start any token", line)},
	} {
		assert.Equal(t, []string{tt.want}, parseErrors(t, []byte(tt.yaml)))
	}
}
