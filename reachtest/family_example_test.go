package reachtest_test

import (
	"github.com/vpcreach/vpcreach/reachtest"
)

// An instance of a dual-stack VPC whose group admits ssh from ::/0 only:
// the internet reaches it over IPv6 though not over IPv4, so without a
// family the flow is reachable (exposure is exposure in any family), and
// OverIPv4 / OverIPv6 assert each family on its own.
func ExampleOverIPv6() {
	t := goTest{}
	s := reachtest.LoadString(t, `version: 1
vpcs:
  - id: vpc-a
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    ipv6_cidr_blocks: ["2600:1f18:a:c00::/56"]
    internet_gateway: igw-a
    subnets:
      - {id: sn-public, az: eu-west-1a, cidr_block: 10.0.1.0/24, ipv6_cidr_block: "2600:1f18:a:c01::/64", route_table: rtb-public}
    route_tables:
      - id: rtb-public
        main: true
        routes:
          - {destination: 0.0.0.0/0, target: igw-a}
          - {destination: "::/0", target: igw-a}
    security_groups:
      - {id: sg-bastion, description: bastion, ingress: [{protocol: tcp, ports: 22, sources: ["::/0"]}]}
    instances:
      - {id: i-bastion, subnet: sn-public, private_ip: 10.0.1.20, public_ip: 203.0.113.20, ipv6_addresses: ["2600:1f18:a:c01::20"], security_groups: [sg-bastion]}
`)
	ssh := reachtest.TCP("internet", "i-bastion", 22)
	reachtest.Reachable(t, s, ssh)
	reachtest.Unreachable(t, s, reachtest.OverIPv4(ssh))
	reachtest.Reachable(t, s, reachtest.OverIPv6(ssh))
	reachtest.Unreachable(t, s, reachtest.OverIPv6(ssh)) // fails: open over IPv6
	// Output:
	// FAIL: Reach(internet -> i-bastion tcp/22 over IPv6) = reachable, want unreachable
}
