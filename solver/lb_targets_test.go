package solver_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// lbTopology: an internal network load balancer in one subnet with two
// instance targets; TARGETS, SG_T2 and the health are filled in per test.
const lbTopology = `version: 1
vpcs:
  - id: vpc-a
    region: us-east-1
    cidr_blocks: [10.0.0.0/16]
    subnets:
      - {id: sn-a1, az: us-east-1a, cidr_block: 10.0.1.0/24}
    security_groups:
      - {id: sg-t1, description: t1, ingress: [{protocol: tcp, ports: 9000, sources: [10.0.0.0/16]}]}
      - {id: sg-t2, description: t2, ingress: [{protocol: tcp, ports: SG_T2, sources: [10.0.0.0/16]}]}
      - {id: sg-client, description: client}
      - {id: sg-lb, description: load balancer, ingress: [{protocol: tcp, ports: 80, sources: [10.0.0.0/16]}]}
    instances:
      - {id: i-client, subnet: sn-a1, private_ip: 10.0.1.20, security_groups: [sg-client]}
      - {id: i-t1, subnet: sn-a1, private_ip: 10.0.1.10, security_groups: [sg-t1]}
      - {id: i-t2, subnet: sn-a1, private_ip: 10.0.1.11, security_groups: [sg-t2]}
    load_balancers:
      - id: lb
        type: TYPE
        scheme: internal
        subnets: [sn-a1]
        private_ips: [10.0.1.5]
        security_groups: [sg-lb]
        listeners: [{protocol: PROTO, port: 80, target_group: tg}]
    target_groups:
      - id: tg
        target_type: instance
        protocol: PROTO
        port: 8080
        targets: [TARGETS]
`

func lbNet(t *testing.T, lbType, targets, sgT2 string) string {
	proto := "tcp"
	if lbType == "application" {
		proto = "http"
	}
	return strings.NewReplacer("TYPE", lbType, "PROTO", proto, "TARGETS", targets, "SG_T2", sgT2).Replace(lbTopology)
}

func TestTargetsGetTheirOwnPorts(t *testing.T) {
	// S-81: each registered target receives traffic on its own port, the
	// group's port unless the registration overrides it.
	targets := "{id: i-t1, port: 9000}, {id: i-t2}"
	r := load(t, lbNet(t, "network", targets, "8080")).Reach(tcp("i-client", "lb", 80))
	assert.Equal(t, reachable, r.Verdict, explain(r))

	r = load(t, lbNet(t, "network", targets, "9000")).Reach(tcp("i-client", "lb", 80))
	assert.Equal(t, warned, r.Verdict, explain(r))
	assert.Equal(t, []string{"warning:ELBV2_TARGET_UNREACHABLE"}, codes(r))
	assert.Contains(t, r.Warnings[0].Message, "port 8080")
}

func TestLoadBalancersFailOpen(t *testing.T) {
	// S-81: with every target unhealthy, network and application load
	// balancers alike send to all of them (ELB guides, health checks).
	for _, lbType := range []string{"network", "application"} {
		targets := "{id: i-t1, port: 9000, health: unhealthy}"
		r := load(t, lbNet(t, lbType, targets, "8080")).Reach(tcp("i-client", "lb", 80))
		assert.Equal(t, warned, r.Verdict, explain(r))
		assert.Equal(t, []string{"warning:ELBV2_NO_HEALTHY_TARGETS"}, codes(r), lbType)
	}
}

func TestClientIPPreservationHairpin(t *testing.T) {
	// S-81: a target that connects to its own network load balancer, with
	// client IP preservation (instance targets over TCP), times out when
	// sent back to itself; other targets still answer.
	r := load(t, lbNet(t, "network", "{id: i-t1, port: 9000}", "8080")).Reach(tcp("i-t1", "lb", 80))
	assert.Equal(t, unreachable, r.Verdict, explain(r))
	assert.Equal(t, []string{"forward:ELBV2_HAIRPIN_NOT_SUPPORTED"}, codes(r))

	r = load(t, lbNet(t, "network", "{id: i-t1, port: 9000}, {id: i-t2}", "8080")).Reach(tcp("i-t1", "lb", 80))
	assert.Equal(t, warned, r.Verdict, explain(r))
	assert.Equal(t, []string{"warning:ELBV2_HAIRPIN_NOT_SUPPORTED"}, codes(r))

	// An application load balancer connects to targets from its own
	// address: no hairpin problem.
	r = load(t, lbNet(t, "application", "{id: i-t1, port: 9000}", "8080")).Reach(tcp("i-t1", "lb", 80))
	assert.Equal(t, reachable, r.Verdict, explain(r))
}

func TestNLBDNSFailover(t *testing.T) {
	// S-81: with cross-zone load balancing off, a node whose zone has no
	// healthy target is taken out of the load balancer's DNS name while
	// another zone has one: clients using the name never get it.
	text := strings.NewReplacer(
		"      - {id: sn-a1, az: us-east-1a, cidr_block: 10.0.1.0/24}\n",
		"      - {id: sn-a1, az: us-east-1a, cidr_block: 10.0.1.0/24}\n      - {id: sn-a2, az: us-east-1b, cidr_block: 10.0.2.0/24}\n",
		"subnets: [sn-a1]\n        private_ips: [10.0.1.5]", "subnets: [sn-a1, sn-a2]\n        private_ips: [10.0.1.5, 10.0.2.5]",
		"{id: i-t2, subnet: sn-a1, private_ip: 10.0.1.11", "{id: i-t2, subnet: sn-a2, private_ip: 10.0.2.11",
	).Replace(lbNet(t, "network", "{id: i-t1, port: 9000}, {id: i-t2, health: unhealthy}", "8080"))
	s := load(t, text)
	r := s.Reach(tcp("i-client", "lb", 80))
	assert.Equal(t, reachable, r.Verdict, explain(r))
	// The node's own address still fails, and says why.
	r = s.Reach(tcp("i-client", "10.0.2.5", 80))
	assert.Equal(t, []string{"forward:ELBV2_NO_TARGETS_IN_AZ"}, codes(r), explain(r))
}
