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

// hostileTopology writes seed000 with ids and an expectation name that
// hold an escape sequence, a newline that would forge a line, and a
// bidirectional override.
func hostileTopology(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(net000)
	require.NoError(t, err)
	s := strings.NewReplacer(
		"i-a-app-1", `"i-a-app\e[31m-1"`,
		"i-a-app-2", `"i-a-app-2\nreachable: forged"`,
		"sg-a-nodes", `"sg-a\u202e-nodes"`,
		"name: the nodes admit the NodePort only from the NLB's group, not from A directly", `name: "\e[2Jthe NodePort test"`,
		"port: 30379\n    expect: unreachable", "port: 30379\n    expect: reachable", // make it fail
	).Replace(string(data))
	path := filepath.Join(t.TempDir(), "hostile.yaml")
	require.NoError(t, os.WriteFile(path, []byte(s), 0o644))
	return path
}

// unsafeOutput returns the first character of out that a terminal would
// act on, or "".
func unsafeOutput(out string) string {
	for _, r := range out {
		if (r < 0x20 && r != '\n') || (r >= 0x7f && r <= 0x9f) || r == 0x202e {
			return string(r)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "reachable: forged") {
			return "a forged line"
		}
	}
	return ""
}

// Ids and names print escaped in text output, and as they are in JSON.
func TestTextOutputEscapesIds(t *testing.T) {
	topo := hostileTopology(t)
	app1 := "i-a-app\x1b[31m-1"
	for _, tt := range []struct {
		args []string
		want string // escaped text the output must show
	}{
		{[]string{"reach", topo, "--from", app1, "--to", "i-b-redis-1", "--port", "30379"}, `i-a-app\x1b[31m-1`},
		{[]string{"reach", topo, "--from", "i-b-redis-1", "--to", "i-a-app-2\nreachable: forged", "--port", "22"}, `i-a-app-2\nreachable: forged`},
		{[]string{"reach", topo, "--from", "i-a-app\x1b[31m", "--to", "i-b-redis-1", "--port", "22"}, `i-a-app\x1b[31m`},
		{[]string{"who-can-reach", topo, "--to", "i-b-redis-1", "--protocol", "icmp", "--paths"}, `i-a-app\x1b[31m-1`},
		{[]string{"matrix", topo, "--port", "6379", "--level", "instance"}, `i-a-app\x1b[31m-1`},
		{[]string{"check", topo}, `\x1b[2Jthe NodePort test`},
		{[]string{"lint", topo}, ""},
		{[]string{"exposure", topo, "--paths"}, ""},
		{[]string{"validate", topo}, ""},
		{[]string{"overlaps", topo}, ""},
	} {
		t.Run(tt.args[0], func(t *testing.T) {
			_, stdout, stderr := runCLI(tt.args...)
			all := stdout + stderr
			assert.Empty(t, unsafeOutput(all), "vpcreach %s prints an unsafe character:\n%s", tt.args[0], all)
			assert.Contains(t, all, tt.want)
		})
	}

	// JSON keeps the ids as they are.
	code, stdout, stderr := runCLI("reach", topo, "--from", app1, "--to", "i-b-redis-1", "--port", "30379", "--output", "json")
	require.Equal(t, exitFindings, code, stderr)
	var doc struct {
		Query struct{ From string } `json:"query"`
		Path  []struct {
			Component string `json:"component"`
		} `json:"forward_path"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc))
	assert.Equal(t, app1, doc.Query.From)
	assert.Equal(t, app1, doc.Path[0].Component)
	assert.Equal(t, "sg-a\u202e-nodes", doc.Path[1].Component)
}
