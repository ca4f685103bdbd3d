package require_test

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/vpcreach/vpcreach/reachtest"
	"github.com/vpcreach/vpcreach/reachtest/require"
)

// goTest stands in, for this example, for the *testing.T that go test
// passes to func TestShop(t *testing.T). It prints the first line of each
// failure (go test prints it after the file:line of the failing assertion,
// followed by the paths), and FailNow ends the test's goroutine, as
// testing.T's does.
type goTest struct{}

func (goTest) Helper() {}

func (goTest) Errorf(format string, args ...any) {
	msg, _, _ := strings.Cut(fmt.Sprintf(format, args...), "\n")
	fmt.Println("FAIL:", msg)
}

func (goTest) FailNow() {
	fmt.Println("test stopped")
	runtime.Goexit()
}

// runTest runs a test function in its own goroutine, as go test does.
func runTest(test func(t goTest)) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		test(goTest{})
	}()
	<-done
}

func Example() {
	// In a _test.go file, the function below is
	//
	//	func TestShop(t *testing.T) { ... }
	runTest(func(t goTest) {
		s := reachtest.LoadString(t, `version: 1
vpcs:
  - id: vpc-shop
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    subnets:
      - {id: sn-app, az: eu-west-1a, cidr_block: 10.0.1.0/24}
      - {id: sn-db, az: eu-west-1a, cidr_block: 10.0.2.0/24}
    route_tables:
      - {id: rtb-main, main: true}
    security_groups:
      - {id: sg-app, description: app}
      - {id: sg-db, description: db, ingress: [{protocol: tcp, ports: 5432, sources: [sg-app]}]}
    instances:
      - {id: i-app, subnet: sn-app, private_ip: 10.0.1.10, security_groups: [sg-app]}
      - {id: i-db, subnet: sn-db, private_ip: 10.0.2.10, security_groups: [sg-db]}
`)
		require.Reachable(t, s, reachtest.TCP("i-app", "i-db", 5432))
		fmt.Println("i-app reaches the database")
		require.Reachable(t, s, reachtest.TCP("i-app", "i-db", 3306))
		fmt.Println("not printed: the test stopped")
	})
	// Output:
	// i-app reaches the database
	// FAIL: Reach(i-app -> i-db tcp/3306) = unreachable [ENI_SG_RULES_MISMATCH: i-db], want reachable
	// test stopped
}
