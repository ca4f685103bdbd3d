package newcomer

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// network is the newcomer's topology: a web server and a database, whose
// group admits only the web tier on 5432; the instances carry Name tags.
const network = `version: 1
vpcs:
  - id: vpc-shop
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    subnets:
      - {id: sn-web, az: eu-west-1a, cidr_block: 10.0.0.0/24}
      - {id: sn-db, az: eu-west-1a, cidr_block: 10.0.1.0/24}
    security_groups:
      - {id: sg-web, description: web}
      - {id: sg-db, description: db, ingress: [{protocol: tcp, ports: 5432, sources: [sg-web]}]}
    instances:
      - {id: i-web, name: shop-web, subnet: sn-web, private_ip: 10.0.0.10, security_groups: [sg-web]}
      - {id: i-db, name: shop-db, subnet: sn-db, private_ip: 10.0.1.10, security_groups: [sg-db]}
expectations:
  - {name: web reaches the database, from: shop-web, to: shop-db, protocol: tcp, port: 5432, expect: reachable}
`

// networkTest is the newcomer's test file, written as the README shows.
// The lines marked FAILS-HERE hold the failing assertions.
const networkTest = `package shop_test

import (
	"testing"

	"github.com/vpcreach/vpcreach/reachtest"
	reachrequire "github.com/vpcreach/vpcreach/reachtest/require"
	"github.com/vpcreach/vpcreach/solver"
)

func TestShopHolds(t *testing.T) {
	s := reachtest.Load(t, "network/shop.yaml")
	reachrequire.Reachable(t, s, reachtest.TCP("i-web", "i-db", 5432))
	reachtest.Reachable(t, s, reachtest.TCP("shop-web", "shop-db", 5432))
	reachtest.Unreachable(t, s, reachtest.TCP("i-web", "i-db", 22))
	reachtest.BlockedByCode(t, s, reachtest.TCP("i-web", "i-db", 22), solver.ENISGRulesMismatch)
	reachtest.ExpectationsHold(t, s)
}

func TestShopSSHFails(t *testing.T) {
	s := reachtest.Load(t, "network/shop.yaml")
	reachtest.Reachable(t, s, reachtest.TCP("i-web", "i-db", 22)) // FAILS-HERE
	reachrequire.Reachable(t, s, reachtest.TCP("shop-web", "shop-db", 22)) // FAILS-HERE
	t.Error("reachrequire.Reachable did not stop the test")
}
`

// TestNewcomerModule runs go test in a module of its own that uses
// vpcreach through reachtest, as the README shows: the passing test
// passes, and the failing one fails at the newcomer's own file:line.
func TestNewcomerModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a separate Go module: not in -short mode")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command on PATH: %v", err)
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	gosum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	requires, err := requirements(gomod)
	if err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var mod strings.Builder
	fmt.Fprintf(&mod, "module example.com/shop\n\ngo 1.24.0\n\nrequire (\n\tgithub.com/vpcreach/vpcreach v0.0.0\n")
	for _, r := range requires {
		fmt.Fprintf(&mod, "\t%s\n", r)
	}
	fmt.Fprintf(&mod, ")\n\nreplace github.com/vpcreach/vpcreach => %s\n", quoteModPath(root))
	write("go.mod", mod.String())
	write("go.sum", string(gosum))
	write("network/shop.yaml", network)
	write("shop_test.go", networkTest)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goTool, "test", "-v", "-count=1", ".")
	cmd.Dir = dir
	cmd.Env = append(environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	t.Logf("go test in %s took %s", dir, time.Since(start).Round(time.Millisecond))
	if ctx.Err() != nil {
		t.Fatalf("go test did not finish in time:\n%s", out)
	}
	if missing := missingModule(out); missing != "" {
		t.Skipf("the module cache lacks a dependency of vpcreach, and GOPROXY=off forbids downloading it (%s); run go mod download in the repository first", missing)
	}
	text := string(out)
	if err == nil {
		t.Fatalf("go test passed, but TestShopSSHFails must fail:\n%s", text)
	}
	if !strings.Contains(text, "--- PASS: TestShopHolds") {
		t.Errorf("TestShopHolds did not pass:\n%s", text)
	}
	if !strings.Contains(text, "--- FAIL: TestShopSSHFails") {
		t.Fatalf("TestShopSSHFails did not fail:\n%s", text)
	}
	if strings.Contains(text, "did not stop the test") {
		t.Errorf("reachtest/require did not stop the test:\n%s", text)
	}
	for _, line := range markedLines(networkTest, "FAILS-HERE") {
		want := regexp.MustCompile(`(?m)^\s+shop_test\.go:` + fmt.Sprint(line) + `: Reach\(`)
		if !want.MatchString(text) {
			t.Errorf("the failure is not reported at shop_test.go:%d, the line of the assertion:\n%s", line, text)
		}
	}
	if strings.Contains(text, "assert.go:") || strings.Contains(text, "require.go:") {
		t.Errorf("a failure is reported inside reachtest, not at the newcomer's line:\n%s", text)
	}
}

// requirements returns the module requirements of a go.mod ("path
// version"), from its require lines and blocks.
func requirements(gomod []byte) ([]string, error) {
	var out []string
	block := false
	sc := bufio.NewScanner(bytes.NewReader(gomod))
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "//")
		line = strings.TrimSpace(line)
		switch {
		case line == "require (":
			block = true
		case block && line == ")":
			block = false
		case block && line != "":
			out = append(out, line)
		case strings.HasPrefix(line, "require "):
			out = append(out, strings.TrimSpace(strings.TrimPrefix(line, "require ")))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("go.mod of the repository requires nothing: not the file expected")
	}
	return out, sc.Err()
}

// quoteModPath quotes a directory for a replace directive when it holds
// space.
func quoteModPath(p string) string {
	if strings.ContainsAny(p, " \t\"") {
		return fmt.Sprintf("%q", p)
	}
	return p
}

// environ is the environment without the variables the test sets, and
// without GOFLAGS and GOPATH-style settings of the caller's go test that
// would change the child's build.
func environ() []string {
	var out []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "GOFLAGS", "GOPROXY", "GOWORK", "GOTOOLCHAIN", "GONOPROXY", "GOPRIVATE":
			continue
		}
		out = append(out, kv)
	}
	return out
}

// missingModule returns the line of go's output that says a module could
// not be found offline, or "".
func missingModule(out []byte) string {
	for _, l := range strings.Split(string(out), "\n") {
		for _, sign := range []string{"GOPROXY=off", "missing go.sum entry", "cannot find module providing", "no required module provides"} {
			if strings.Contains(l, sign) {
				return strings.TrimSpace(l)
			}
		}
	}
	return ""
}

// markedLines returns the 1-based numbers of the lines of text that hold
// mark.
func markedLines(text, mark string) []int {
	var out []int
	for i, l := range strings.Split(text, "\n") {
		if strings.Contains(l, mark) {
			out = append(out, i+1)
		}
	}
	return out
}
