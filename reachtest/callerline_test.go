package reachtest_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/reachtest"
	reachrequire "github.com/vpcreach/vpcreach/reachtest/require"
	"github.com/vpcreach/vpcreach/solver"
)

// failingChildEnv makes TestFailingChild run.
const failingChildEnv = "REACHTEST_FAILING_CHILD"

// TestFailingChild fails on purpose, with a real *testing.T: the parent
// test TestGoTestNamesTheCallersLine runs it in a child process and reads
// what go test prints. Each assertion that fails carries a "// child:"
// marker on its line. Skipped unless the environment variable is set.
func TestFailingChild(t *testing.T) {
	if os.Getenv(failingChildEnv) != "1" {
		t.Skip("fails on purpose; TestGoTestNamesTheCallersLine runs it")
	}
	s := reachtest.Load(t, "testdata/shop.yaml")
	bad := reachtest.TCP("i-app", "i-db", 22)
	good := reachtest.TCP("i-app", "i-db", 5432)
	t.Run("assert", func(t *testing.T) {
		reachtest.Reachable(t, s, bad)                                      // child: Reachable
		reachtest.ReachableWithoutWarnings(t, s, bad)                       // child: ReachableWithoutWarnings
		reachtest.Unreachable(t, s, good)                                   // child: Unreachable
		reachtest.BlockedByCode(t, s, good, solver.NoRouteToDestination)    // child: BlockedByCode
		reachtest.BlockedByComponent(t, s, good, "acl-db")                  // child: BlockedByComponent
		reachtest.PassesThrough(t, s, good, "nat-shop")                     // child: PassesThrough
		reachtest.AssertReachable(t, s, "i-app", "i-db", "tcp", 22)         // child: AssertReachable
		reachtest.Reachable(t, s, reachtest.TCP("i-app", "i-nope", 1))      // child: invalid query
		reachtest.ExpectationsHold(t, reachtest.LoadString(t, expectWrong)) // child: ExpectationsHold
	})
	t.Run("require", func(t *testing.T) {
		reachrequire.Reachable(t, s, bad) // child: require.Reachable
		t.Error("require.Reachable did not stop the test")
	})
	t.Run("require.ExpectationsHold", func(t *testing.T) {
		reachrequire.ExpectationsHold(t, reachtest.LoadString(t, expectWrong)) // child: require.ExpectationsHold
		t.Error("require.ExpectationsHold did not stop the test")
	})
	t.Run("load", func(t *testing.T) {
		reachtest.LoadString(t, "version: 1\nvpcs: [{id: x}]\n") // child: LoadString
		t.Error("LoadString did not stop the test")
	})
}

// expectWrong is a topology with one expectation that fails.
const expectWrong = `version: 1
vpcs:
  - {id: vpc-x, region: eu-west-1, cidr_blocks: [10.9.0.0/16], subnets: [{id: sn-x, az: eu-west-1a, cidr_block: 10.9.0.0/24}],
     instances: [{id: i-x, subnet: sn-x, private_ip: 10.9.0.10}]}
expectations:
  - {name: x is on the internet, from: internet, to: i-x, protocol: tcp, port: 443, expect: reachable}
`

// go test attributes each failure of TestFailingChild to the line of the
// assertion in this file, never to a line of reachtest: run the test
// binary again on that test alone and read its output.
func TestGoTestNamesTheCallersLine(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the test binary again")
	}
	markers := childMarkers(t)
	require.Len(t, markers, 12)

	cmd := exec.Command(os.Args[0], "-test.run=^TestFailingChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), failingChildEnv+"=1")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "the child must fail; output:\n%s", out)
	output := string(out)

	for name, line := range markers {
		assert.Contains(t, output, fmt.Sprintf("    callerline_test.go:%d: ", line), "%s: no failure at its line; output:\n%s", name, output)
	}
	// Every reported location is a line of this file.
	located := regexp.MustCompile(`^\s+([\w.-]+\.go):(\d+): `)
	seen := 0
	for _, l := range strings.Split(output, "\n") {
		if m := located.FindStringSubmatch(l); m != nil {
			seen++
			assert.Equal(t, "callerline_test.go", m[1], "a failure is reported outside the caller's file: %q", l)
		}
	}
	assert.Equal(t, len(markers), seen, "one report per marked line; output:\n%s", output)
	assert.NotContains(t, output, "did not stop the test")
	assert.Contains(t, output, fmt.Sprintf("    callerline_test.go:%d: Reach(i-app -> i-db tcp/22) = unreachable [SUBNET_ACL_RESTRICTION: acl-db, ENI_SG_RULES_MISMATCH: i-db], want reachable\n", markers["Reachable"]))
	assert.Contains(t, output, fmt.Sprintf("    callerline_test.go:%d: expectation \"x is on the internet\" at inline.yaml:6:5: Reach(internet -> i-x tcp/443) = unreachable [NO_PUBLIC_ADDRESS: i-x], want reachable\n", markers["ExpectationsHold"]))
}

// childMarkers maps the markers of this file (a call, then a comment
// "child:" and a name) to their line numbers.
func childMarkers(t *testing.T) map[string]int {
	t.Helper()
	f, err := os.Open("callerline_test.go")
	require.NoError(t, err)
	defer f.Close()
	marker := regexp.MustCompile(`^\t+\w.*\) +// child: ([\w. ]+)$`)
	markers := map[string]int{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if m := marker.FindStringSubmatch(sc.Text()); m != nil {
			markers[m[1]] = n
		}
	}
	require.NoError(t, sc.Err())
	return markers
}
