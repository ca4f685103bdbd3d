package solver_test

import (
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

var (
	servicesOnce   sync.Once
	servicesSolver *solver.Solver
)

func servicesNet(t testing.TB) *solver.Solver {
	servicesOnce.Do(func() {
		m, _, err := model.LoadFiles("testdata/services.yaml")
		if err != nil {
			panic(err)
		}
		if servicesSolver, err = solver.New(m); err != nil {
			panic(err)
		}
	})
	return servicesSolver
}

func TestLoadBalancerRules(t *testing.T) {
	runReachCases(t, servicesNet(t), []reachCase{
		{"S-80", "internal NLB over a peering, its group allows the client", tcp("i-c", "10.30.1.5", 443), reachable, nil},
		{"S-80", "no listener on the port", tcp("i-c", "10.30.1.5", 80), unreachable, []string{"forward:ENI_SG_RULES_MISMATCH", "forward:ELBV2_LISTENERS_MISMATCH"}},
		{"S-81", "cross-zone: the node without a healthy target in its zone sends to the other zone", tcp("i-c-1b", "10.30.2.5", 443), reachable, nil},
		{"S-81", "some load balancer nodes fail: reachable, with a warning", tcp("i-c", "nlb-sick", 443), unreachable, []string{"forward:ELBV2_NO_TARGETS_IN_AZ"}},
		{"S-81", "the node whose zone has no healthy target, cross-zone off", tcp("i-c", "10.30.1.6", 443), unreachable, []string{"forward:ELBV2_NO_TARGETS_IN_AZ"}},
		{"S-81", "a rule referencing the NLB's group admits its traffic with the client's address preserved", tcp("i-c", "10.30.1.5", 443), reachable, nil},
		{"S-81", "targets that trust only the NLB's subnets see the client's address", tcp("i-c", "nlb-cidr", 443), unreachable, []string{"forward:ELBV2_SOURCE_ADDRESS_PRESERVATION"}},
		{"S-82", "internet-facing NLB from the internet", tcp("internet", "nlb-pub", 443), reachable, nil},
		{"S-82", "internet-facing NLB by its DNS name", tcp("internet", "nlb-pub.elb.eu-west-1.amazonaws.com", 443), reachable, nil},
		{"S-82", "internal NLB is not on the internet", tcp("internet", "nlb-int", 443), unreachable, []string{"forward:NO_PUBLIC_ADDRESS"}},
	})
}

func TestPrivateLinkRules(t *testing.T) {
	runReachCases(t, servicesNet(t), []reachCase{
		{"S-73", "consumer through its endpoint", tcp("i-c", "vpce-c-api", 443), reachable, nil},
		{"S-72", "endpoint service's private DNS name inside the consumer VPC", tcp("i-c", "api.partner.example", 443), reachable, nil},
		{"S-75", "consumer in a region the service does not support", tcp("i-r", "vpce-r-api", 443), unreachable, []string{"forward:VPCE_SERVICE_REGION_NOT_SUPPORTED"}},
		{"S-74", "the endpoint interface in the other zone", tcp("i-c-1b", "vpce-c-api", 443), reachable, nil},
	})
}

func TestPrivateLinkSecurityGroupEnforcement(t *testing.T) {
	// S-80: the NLB's group sees the consumer's private address on
	// PrivateLink traffic, when enforcement is on (the default).
	data, err := os.ReadFile("testdata/services.yaml")
	require.NoError(t, err)
	narrow := strings.Replace(string(data), "{protocol: tcp, ports: 443, sources: [10.0.0.0/8]}", "{protocol: tcp, ports: 443, sources: [10.30.0.0/16]}", 1)
	r := load(t, narrow).Reach(tcp("i-c", "vpce-c-api", 443))
	assert.Equal(t, unreachable, r.Verdict, explain(r))
	assert.Contains(t, codes(r), "forward:ENI_SG_RULES_MISMATCH")
	off := strings.Replace(narrow, "cross_zone: true", "cross_zone: true\n        enforce_security_group_inbound_rules_on_private_link_traffic: false", 1)
	r = load(t, off).Reach(tcp("i-c", "vpce-c-api", 443))
	assert.Equal(t, reachable, r.Verdict, explain(r))
}

func TestDNSRules(t *testing.T) {
	runReachCases(t, servicesNet(t), []reachCase{
		{"S-91", "A record in a private zone", tcp("i-c", "app.corp.example", 8443), unreachable, []string{"forward:ENI_SG_RULES_MISMATCH"}},
		{"S-91", "ALIAS to a load balancer", tcp("i-c", "lb.corp.example", 443), reachable, nil},
		{"S-91", "CNAME, relative record name, then ALIAS", tcp("i-c", "www.corp.example", 443), reachable, nil},
		{"S-91", "CNAME loop", tcp("i-c", "loop-a.corp.example", 443), unreachable, []string{"forward:DNS_RESOLUTION_LOOP"}},
		{"S-90", "most specific zone wins and has no record: NXDOMAIN, no fallback", tcp("i-c", "x.db.corp.example", 443), unreachable, []string{"forward:DNS_NAME_NOT_FOUND"}},
		{"S-90", "a zone not associated with the VPC does not answer", tcp("i-c", "svc.other.example", 443), unreachable, []string{"forward:DNS_NAME_NOT_FOUND", "warning:DNS_PRIVATE_ZONE_NOT_ASSOCIATED"}},
		{"S-90", "no DNS support in the source VPC", tcp("i-n", "nlb-int.elb.eu-west-1.amazonaws.com", 443), unreachable, []string{"forward:DNS_SUPPORT_DISABLED"}},
		{"S-72", "private DNS answers only in the endpoint's own VPC", tcp("i-t1", "api.partner.example", 443), unreachable, []string{"forward:DNS_NAME_NOT_FOUND"}},
		{"S-92", "a public service name needs an internet path", tcp("i-c", "sts.eu-west-1.amazonaws.com", 443), unreachable, []string{"forward:NO_ROUTE_TO_DESTINATION"}},
	})
}

func TestResolutionHopsLeadThePath(t *testing.T) {
	r := servicesNet(t).Reach(tcp("i-c", "www.corp.example", 443))
	require.Equal(t, solver.VerdictReachable, r.Verdict, explain(r))
	require.GreaterOrEqual(t, len(r.Forward), 2)
	assert.Equal(t, solver.HopDNS, r.Forward[0].Kind)
	assert.Equal(t, "www.corp.example CNAME lb.corp.example (private zone corp.example)", r.Forward[0].Rule)
	assert.Equal(t, "lb.corp.example ALIAS nlb-int (private zone corp.example)", r.Forward[1].Rule)
}

func TestInternetFacingLoadBalancerWithoutWrittenAddresses(t *testing.T) {
	// S-82: AWS gives every node of an internet-facing load balancer a
	// public address; a topology need not write them.
	data, err := os.ReadFile("testdata/services.yaml")
	require.NoError(t, err)
	text := strings.Replace(string(data), "        public_ips: [203.0.113.80]\n", "", 1)
	require.NotEqual(t, string(data), text)
	r := load(t, text).Reach(tcp("internet", "nlb-pub", 443))
	assert.Equal(t, reachable, r.Verdict, explain(r))
}

func TestInternetIsAnArbitraryHost(t *testing.T) {
	// A topology may trust the documentation range InternetHost lies in;
	// "internet" must then stand for another, untrusted address.
	s := load(t, `version: 1
vpcs:
  - id: vpc-a
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    internet_gateway: igw-a
    subnets: [{id: sn, az: eu-west-1a, cidr_block: 10.0.0.0/24}]
    route_tables: [{id: rtb, main: true, routes: [{destination: 0.0.0.0/0, target: igw-a}]}]
    security_groups:
      - {id: sg, description: bastion, ingress: [{protocol: tcp, ports: 22, sources: [198.51.100.0/24]}]}
    instances: [{id: i-bastion, subnet: sn, private_ip: 10.0.0.10, public_ip: 52.1.1.1, security_groups: [sg]}]
`)
	assert.Equal(t, unreachable, s.Reach(tcp("internet", "i-bastion", 22)).Verdict)
	assert.Equal(t, reachable, s.Reach(tcp("198.51.100.7", "i-bastion", 22)).Verdict)
}

const preservedACL = `version: 1
vpcs:
  - id: vpc-a
    account: "111111111111"
    region: us-east-1
    cidr_blocks: [10.0.0.0/16]
    internet_gateway: igw-a
    subnets:
      - {id: sn-pub, az: us-east-1a, cidr_block: 10.0.1.0/24, route_table: rt-pub}
      - {id: sn-app, az: us-east-1a, cidr_block: 10.0.2.0/24, network_acl: acl-app}
    route_tables:
      - {id: rt-main, main: true, routes: [{destination: 0.0.0.0/0, target: igw-a}]}
      - {id: rt-pub, routes: [{destination: 0.0.0.0/0, target: igw-a}]}
    network_acls:
      - id: acl-app
        ingress: [{rule: 100, action: allow, protocol: all, cidr: 0.0.0.0/0}]
        egress:  [{rule: 100, action: allow, protocol: all, cidr: EGRESS}]
    security_groups:
      - {id: sg-app, description: app, ingress: [{protocol: tcp, ports: 80, sources: [0.0.0.0/0]}]}
    load_balancers:
      - {id: nlb, type: network, scheme: internet-facing, subnets: [sn-pub], listeners: [{protocol: tcp, port: 80, target_group: tg}]}
    target_groups:
      - {id: tg, target_type: instance, protocol: tcp, port: 80, targets: [{id: i-app, health: HEALTH}]}
    instances:
      - {id: i-app, subnet: sn-app, private_ip: 10.0.2.10, security_groups: [sg-app]}
`

func TestPreservedClientAddressMeetsTheTargetACL(t *testing.T) {
	// S-81, S-33: with client IP preservation the target answers the
	// client's address, so its subnet's ACL must let the response out to
	// the client, not just to the load balancer.
	closed := load(t, strings.NewReplacer("EGRESS", "10.0.0.0/16", "HEALTH", "healthy").Replace(preservedACL))
	r := closed.Reach(tcp("internet", "nlb", 80))
	assert.Equal(t, unreachable, r.Verdict, explain(r))
	assert.Equal(t, []string{"return:SUBNET_ACL_RESTRICTION"}, codes(r))
	open := load(t, strings.NewReplacer("EGRESS", "0.0.0.0/0", "HEALTH", "healthy").Replace(preservedACL))
	assert.Equal(t, reachable, open.Reach(tcp("internet", "nlb", 80)).Verdict)
}

func TestNLBFailsOpen(t *testing.T) {
	// When every target is unhealthy a network load balancer sends to all
	// of them (ELB guide, health checks): reachable, with a warning.
	s := load(t, strings.NewReplacer("EGRESS", "0.0.0.0/0", "HEALTH", "unhealthy").Replace(preservedACL))
	r := s.Reach(tcp("internet", "nlb", 80))
	assert.Equal(t, warned, r.Verdict, explain(r))
	assert.Equal(t, []string{"warning:ELBV2_NO_HEALTHY_TARGETS"}, codes(r))
}

func TestResponsesBeyondANATUseItsPorts(t *testing.T) {
	// S-33: beyond a NAT gateway the response returns to the gateway's
	// ports (1024-65535), whatever the client's range.
	s := load(t, `version: 1
vpcs:
  - id: vpc-a
    region: us-east-1
    cidr_blocks: [10.0.0.0/16]
    internet_gateway: igw-a
    subnets:
      - {id: sn-pub, az: us-east-1a, cidr_block: 10.0.1.0/24, route_table: rt-pub, network_acl: acl-pub}
      - {id: sn-app, az: us-east-1a, cidr_block: 10.0.2.0/24, route_table: rt-app}
    route_tables:
      - {id: rt-main, main: true}
      - {id: rt-pub, routes: [{destination: 0.0.0.0/0, target: igw-a}]}
      - {id: rt-app, routes: [{destination: 0.0.0.0/0, target: nat-a}]}
    network_acls:
      - id: acl-pub
        ingress:
          - {rule: 100, protocol: tcp, ports: 443, cidr: 10.0.0.0/16, action: allow}
          - {rule: 110, protocol: tcp, ports: 32768-60999, cidr: 0.0.0.0/0, action: allow}
          - {rule: 120, protocol: all, cidr: 10.0.0.0/16, action: allow}
        egress:
          - {rule: 100, protocol: all, cidr: 0.0.0.0/0, action: allow}
    nat_gateways: [{id: nat-a, subnet: sn-pub, private_ip: 10.0.1.10, public_ip: 203.0.113.10}]
    instances: [{id: i-app, subnet: sn-app, private_ip: 10.0.2.10}]
`)
	r := s.Reach(solver.Query{From: "i-app", To: "198.51.100.7", Protocol: model.ProtocolTCP, Port: 443, Ephemeral: model.PortRange{First: 32768, Last: 60999}})
	assert.Equal(t, warned, r.Verdict, explain(r))
	assert.Equal(t, []string{"warning:ACL_PARTIAL_RETURN"}, codes(r))
}

func TestEndpointPrivateDNSCompetesWithPrivateZones(t *testing.T) {
	// S-90, S-72: endpoint private DNS is a zone AWS manages in the VPC; it
	// competes with the VPC's private hosted zones by specificity, so a
	// broader zone does not shadow it (Route 53 "overlapping namespaces").
	data, err := os.ReadFile("testdata/services.yaml")
	require.NoError(t, err)
	zone := func(name string) string {
		return strings.Replace(string(data), "hosted_zones:\n", "hosted_zones:\n  - id: Z-partner\n    name: "+name+"\n    vpcs: [vpc-c]\n", 1)
	}
	r := load(t, zone("partner.example")).Reach(tcp("i-c", "api.partner.example", 443))
	assert.Equal(t, reachable, r.Verdict, explain(r))
	assert.Equal(t, model.ID("vpce-c-api"), r.Forward[0].Component, explain(r))

	r = load(t, zone("api.partner.example")).Reach(tcp("i-c", "api.partner.example", 443))
	assert.Equal(t, unreachable, r.Verdict, explain(r))
	assert.Contains(t, codes(r), "forward:DNS_NAME_NOT_FOUND")
}

func TestPrivateLinkZonesAcrossAccountsByName(t *testing.T) {
	// S-74: AZ names map to different physical zones in each account, so
	// matching a consumer's zone to a provider's by name is a guess; the
	// answer says so.
	data, err := os.ReadFile("testdata/services.yaml")
	require.NoError(t, err)
	text := strings.Replace(string(data), "{id: sn-c-1a, az: eu-west-1a, az_id: euw1-az1,", "{id: sn-c-1a, az: eu-west-1a,", 1)
	r := load(t, text).Reach(tcp("i-c", "vpce-c-api", 443))
	assert.Equal(t, warned, r.Verdict, explain(r))
	assert.Contains(t, codes(r), "warning:ZONE_MATCHED_BY_NAME")

	r = servicesNet(t).Reach(tcp("i-c", "vpce-c-api", 443))
	assert.NotContains(t, codes(r), "warning:ZONE_MATCHED_BY_NAME", explain(r))
}

func TestPrivateZoneInVPCWithoutDNSHostnames(t *testing.T) {
	// S-90: AWS documents that private hosted zones need DNS support and
	// DNS hostnames; with hostnames off the answer is given, with a warning.
	data, err := os.ReadFile("testdata/services.yaml")
	require.NoError(t, err)
	lines := strings.Split(string(data), "\n")
	// vpc-c's dns line.
	require.Equal(t, "    dns: {support: true, hostnames: true}", lines[69])
	lines[69] = "    dns: {support: true, hostnames: false}"
	r := load(t, strings.Join(lines, "\n")).Reach(tcp("i-c", "lb.corp.example", 443))
	assert.Equal(t, warned, r.Verdict, explain(r))
	assert.Contains(t, codes(r), "warning:DNS_HOSTNAMES_DISABLED")
	assert.NotContains(t, codes(servicesNet(t).Reach(tcp("i-c", "lb.corp.example", 443))), "warning:DNS_HOSTNAMES_DISABLED")
}
