package solver_test

import (
	"testing"
)

// secondaryTopology: i-x and i-y in one VPC, each with a secondary
// address; sg-y admits tcp 9000 only from sg-x, and sg-x sends tcp 7000
// only to sg-y, both by reference.
const secondaryTopology = `version: 1
vpcs:
  - id: vpc-1
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    subnets:
      - {id: sn-x, az: eu-west-1a, cidr_block: 10.0.1.0/24}
      - {id: sn-y, az: eu-west-1a, cidr_block: 10.0.2.0/24}
    security_groups:
      - id: sg-x
        description: x
        ingress: [{protocol: all, sources: [0.0.0.0/0]}]
        egress:
          - {protocol: tcp, ports: 9000, destinations: [0.0.0.0/0]}
          - {protocol: tcp, ports: 7000, destinations: [sg-y]}
      - {id: sg-z, description: z}
      - id: sg-y
        description: y
        ingress:
          - {protocol: tcp, ports: 9000, sources: [sg-x]}
          - {protocol: tcp, ports: 7000, sources: [0.0.0.0/0]}
    instances:
      - {id: i-x, subnet: sn-x, private_ip: 10.0.1.10, secondary_ips: [10.0.1.20], security_groups: [sg-x]}
      - {id: i-z, subnet: sn-x, private_ip: 10.0.1.30, secondary_ips: [10.0.1.40], security_groups: [sg-z]}
      - {id: i-y, subnet: sn-y, private_ip: 10.0.2.10, secondary_ips: [10.0.2.20], security_groups: [sg-y]}
`

func TestS22GroupReferenceMatchesSecondaryAddresses(t *testing.T) {
	// S-22: a security group reference matches every private address of an
	// interface holding the group, secondary ones included.
	s := load(t, secondaryTopology)
	runReachCases(t, s, []reachCase{
		{"S-22", "inbound reference, source sends from its primary address", tcp("10.0.1.10", "i-y", 9000), reachable, nil},
		{"S-22", "inbound reference, source sends from its secondary address", tcp("10.0.1.20", "i-y", 9000), reachable, nil},
		{"S-22", "outbound reference, destination's primary address", tcp("i-x", "10.0.2.10", 7000), reachable, nil},
		{"S-22", "outbound reference, destination's secondary address", tcp("i-x", "10.0.2.20", 7000), reachable, nil},
		{"S-22", "a reference admits no address outside the group", tcp("10.0.1.40", "i-y", 9000), unreachable, []string{"forward:ENI_SG_RULES_MISMATCH"}},
	})
}
