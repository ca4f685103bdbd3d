package reachtest_test

import (
	"fmt"
	"strings"

	"github.com/vpcreach/vpcreach/reachtest"
	"github.com/vpcreach/vpcreach/solver"
)

// goTest stands in, for this example, for the *testing.T that go test
// passes to func TestShop(t *testing.T). It prints the first line of each
// failure; go test prints it after the file:line of the failing assertion,
// followed by both paths hop by hop and every blocker.
type goTest struct{}

func (goTest) Helper() {}

func (goTest) Errorf(format string, args ...any) {
	msg, _, _ := strings.Cut(fmt.Sprintf(format, args...), "\n")
	fmt.Println("FAIL:", msg)
}

func Example() {
	// In a _test.go file this is the body of
	//
	//	func TestShop(t *testing.T) {
	//
	// with go test's t.
	t := goTest{}
	s := reachtest.LoadString(t, `version: 1
vpcs:
  - id: vpc-shop
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    internet_gateway: igw-shop
    subnets:
      - {id: sn-web, az: eu-west-1a, cidr_block: 10.0.0.0/24, route_table: rtb-public}
      - {id: sn-app, az: eu-west-1a, cidr_block: 10.0.1.0/24, route_table: rtb-app}
    route_tables:
      - {id: rtb-main, main: true}
      - {id: rtb-public, routes: [{destination: 0.0.0.0/0, target: igw-shop}]}
      - {id: rtb-app, routes: [{destination: 0.0.0.0/0, target: nat-shop}]}
    security_groups:
      - {id: sg-web, description: web, ingress: [{protocol: tcp, ports: 443, sources: [0.0.0.0/0]}]}
      - {id: sg-app, description: app, ingress: [{protocol: tcp, ports: 8080, sources: [sg-web]}]}
    nat_gateways:
      - {id: nat-shop, subnet: sn-web, private_ip: 10.0.0.5, public_ip: 203.0.113.5}
    instances:
      - {id: i-web, subnet: sn-web, private_ip: 10.0.0.10, public_ip: 203.0.113.10, security_groups: [sg-web]}
      - {id: i-app, subnet: sn-app, private_ip: 10.0.1.10, security_groups: [sg-app]}
expectations:
  - {name: the app is not on the internet, from: internet, to: i-app, protocol: tcp, port: 8080, expect: unreachable}
`)
	reachtest.Reachable(t, s, reachtest.TCP("internet", "i-web", 443))
	reachtest.ReachableWithoutWarnings(t, s, reachtest.TCP("i-web", "i-app", 8080))
	reachtest.Unreachable(t, s, reachtest.TCP("i-web", "i-app", 22))
	reachtest.BlockedByCode(t, s, reachtest.TCP("i-web", "i-app", 22), solver.ENISGRulesMismatch)
	reachtest.BlockedByComponent(t, s, reachtest.TCP("i-web", "i-app", 22), "sg-app")
	reachtest.PassesThrough(t, s, reachtest.TCP("i-app", "internet", 443), "nat-shop")
	reachtest.ExpectationsHold(t, s)

	// The non-fatal assertions return whether they held, and the test
	// goes on after a failure.
	if !reachtest.Reachable(t, s, reachtest.ICMP("i-web", "i-app", 8, 0)) {
		fmt.Println("the test goes on")
	}
	reachtest.PassesThrough(t, s, reachtest.TCP("i-web", "internet", 443), "nat-shop")
	// Output:
	// FAIL: Reach(i-web -> i-app icmp type 8 code 0) = unreachable [ENI_SG_RULES_MISMATCH: i-app], want reachable
	// the test goes on
	// FAIL: Reach(i-web -> internet tcp/443) = reachable, want a path through nat-shop
}
