package solver_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
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

// middleboxTopology routes sn-a <-> sn-b both ways through appliance
// i-fw; sn-c is reached directly. sg-b admits tcp 9000 from sg-a by
// reference and tcp 9001 from sn-a's CIDR; sg-a sends tcp 7000 only to
// sg-b, by reference.
const middleboxTopology = `version: 1
vpcs:
  - id: vpc-1
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    subnets:
      - {id: sn-a, az: eu-west-1a, cidr_block: 10.0.1.0/24, route_table: rt-a}
      - {id: sn-b, az: eu-west-1a, cidr_block: 10.0.2.0/24, route_table: rt-b}
      - {id: sn-c, az: eu-west-1a, cidr_block: 10.0.4.0/24}
      - {id: sn-fw, az: eu-west-1a, cidr_block: 10.0.3.0/24}
    route_tables:
      - {id: rt-main, main: true}
      - {id: rt-a, routes: [{destination: 10.0.2.0/24, target: i-fw}]}
      - {id: rt-b, routes: [{destination: 10.0.1.0/24, target: i-fw}]}
    security_groups:
      - id: sg-a
        description: a
        egress:
          - {protocol: tcp, ports: 9000-9001, destinations: [0.0.0.0/0]}
          - {protocol: tcp, ports: 7000, destinations: [sg-b]}
      - id: sg-b
        description: b
        ingress:
          - {protocol: tcp, ports: 9000, sources: [sg-a]}
          - {protocol: tcp, ports: 9001, sources: [10.0.1.0/24]}
          - {protocol: tcp, ports: 7000, sources: [10.0.0.0/16]}
      - id: sg-fw
        description: appliance
        ingress: [{protocol: all, sources: [10.0.0.0/16]}]
    instances:
      - {id: i-a, subnet: sn-a, private_ip: 10.0.1.10, security_groups: [sg-a]}
      - {id: i-b, subnet: sn-b, private_ip: 10.0.2.10, security_groups: [sg-b]}
      - {id: i-c, subnet: sn-c, private_ip: 10.0.4.10, security_groups: [sg-b]}
      - {id: i-fw, subnet: sn-fw, private_ip: 10.0.3.10, source_dest_check: false, security_groups: [sg-fw]}
`

func TestS18ReferenceDoesNotAdmitTrafficThroughAMiddlebox(t *testing.T) {
	// S-18: behind a middlebox the destination's groups see forwarded
	// traffic: a rule referencing the source's group does not admit it; a
	// CIDR rule covering the source's address does. The source's own
	// outbound rules see the packet as it sends it: a reference to the
	// destination's group matches it whatever forwards it on the way
	// (AWS documents the exception for references "as the source" only).
	s := load(t, middleboxTopology)
	runReachCases(t, s, []reachCase{
		{"S-18", "inbound reference, direct", tcp("i-a", "i-c", 9000), reachable, nil},
		{"S-18", "inbound reference, through the appliance", tcp("i-a", "i-b", 9000), unreachable, []string{"forward:SG_REFERENCES_NOT_PRESERVED"}},
		{"S-18", "CIDR rule, through the appliance", tcp("i-a", "i-b", 9001), reachable, nil},
		{"S-18", "outbound reference, direct", tcp("i-a", "i-c", 7000), reachable, nil},
		{"S-18", "outbound reference, through the appliance", tcp("i-a", "i-b", 7000), reachable, nil},
	})
	r := s.Reach(tcp("i-a", "i-b", 9000))
	require.NotEmpty(t, r.Blockers)
	assert.Contains(t, r.Blockers[0].Message, "appliance i-fw forwards the traffic")
}

func TestS18AppliesBeyondTheApplianceNotToIt(t *testing.T) {
	// S-18 concerns the interfaces behind an appliance. The appliance's
	// own inbound rules see the source directly: a reference to the
	// source's group matches it where the path carries references (a
	// transit gateway with referencing on), and where it does not the
	// transit gateway is the reason (S-22), not an appliance.
	topo := strings.NewReplacer("TARGET_X", "tgw", "REGION_Y", "eu-west-1",
		"    subnets: [{id: sn-y, az: REGION_Ya, cidr_block: 10.20.1.0/24}]\n", `    subnets:
      - {id: sn-y, az: eu-west-1a, cidr_block: 10.20.1.0/24}
      - {id: sn-z, az: eu-west-1a, cidr_block: 10.20.2.0/24, route_table: rtb-z}
      - {id: sn-fw, az: eu-west-1a, cidr_block: 10.20.3.0/24, route_table: rtb-fw}
`,
		"    route_tables: [{id: rtb-y, main: true, routes: [{destination: 10.10.0.0/16, target: TARGET_Y}]}]\n", `    route_tables:
      - {id: rtb-y, main: true, routes: [{destination: 10.10.0.0/16, target: tgw}, {destination: 10.20.2.0/24, target: i-fw}]}
      - {id: rtb-z, routes: [{destination: 10.10.0.0/16, target: i-fw}]}
      - {id: rtb-fw, routes: [{destination: 10.10.0.0/16, target: tgw}]}
`,
		"    instances: [{id: i-y, subnet: sn-y, private_ip: 10.20.1.10, security_groups: [sg-y]}]\n", `      - {id: sg-fw, description: appliance, ingress: [{protocol: tcp, ports: 9000, sources: [sg-x]}]}
      - {id: sg-z, description: z, ingress: [{protocol: tcp, ports: 9000, sources: [10.10.0.0/16]}]}
    instances:
      - {id: i-fw, subnet: sn-fw, private_ip: 10.20.3.10, source_dest_check: false, security_groups: [sg-fw]}
      - {id: i-z, subnet: sn-z, private_ip: 10.20.2.10, security_groups: [sg-z]}
`).Replace(refsTopology)
	runReachCases(t, load(t, topo+strings.ReplaceAll(refsTGW, "REFS", "true")), []reachCase{
		{"S-18", "the appliance's reference to the source's group, referencing on", tcp("i-x", "i-z", 9000), reachable, nil},
	})
	off := load(t, topo+strings.ReplaceAll(refsTGW, "REFS", "false"))
	runReachCases(t, off, []reachCase{
		{"S-22", "the appliance's reference to the source's group, referencing off", tcp("i-x", "i-z", 9000), unreachable, []string{"forward:SG_REFERENCING_SUPPORT"}},
	})
	r := off.Reach(tcp("i-x", "i-z", 9000))
	require.NotEmpty(t, r.Blockers)
	assert.NotContains(t, r.Blockers[0].Message, "S-18", explain(r))
}

func TestS15RouteToDetachedInterfaceIsBlackhole(t *testing.T) {
	// S-15: the interface a route targets must be attached to a running
	// instance; a route to a detached interface, or to a stopped
	// instance (or an interface of one), is a blackhole.
	for _, c := range []struct {
		name, target, extra string
	}{
		{"detached network interface", "eni-loose", ""},
		{"stopped instance", "i-fw", "state: stopped"},
		{"interface of a stopped instance", "eni-fw2", "state: stopped"},
	} {
		t.Run("S-15 "+c.name, func(t *testing.T) {
			topo := strings.NewReplacer("routes: [{destination: 10.0.2.0/24, target: i-fw}]", "routes: [{destination: 10.0.2.0/24, target: "+c.target+"}]",
				"source_dest_check: false, security_groups: [sg-fw]}", "source_dest_check: false, security_groups: [sg-fw], "+c.extra+"}").Replace(middleboxTopology)
			topo += `    network_interfaces:
      - {id: eni-loose, subnet: sn-fw, private_ip: 10.0.3.20, source_dest_check: false, security_groups: [sg-fw]}
      - {id: eni-fw2, instance: i-fw, subnet: sn-fw, private_ip: 10.0.3.21, source_dest_check: false, security_groups: [sg-fw]}
`
			s := load(t, topo)
			r := s.Reach(tcp("i-a", "i-b", 9001))
			require.NoError(t, r.Err)
			assert.Equal(t, []string{"forward:BAD_STATE_ROUTE"}, codes(r), explain(r))
			require.NotEmpty(t, r.Blockers)
			assert.Contains(t, r.Blockers[0].Message, "(S-15)")
		})
	}
	// The same routes to a running instance and its attached interface
	// deliver.
	running := load(t, middleboxTopology+`    network_interfaces:
      - {id: eni-fw2, instance: i-fw, subnet: sn-fw, private_ip: 10.0.3.21, source_dest_check: false, security_groups: [sg-fw]}
`)
	r := running.Reach(tcp("i-a", "i-b", 9001))
	assert.Equal(t, reachable, r.Verdict, explain(r))
}

// sameSubnetTopology: sn-a and sn-b share rt-a, which sends each one's own
// CIDR to appliance i-fw; i-fw admits ssh only.
const sameSubnetTopology = `version: 1
vpcs:
  - id: vpc-1
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    subnets:
      - {id: sn-a, az: eu-west-1a, cidr_block: 10.0.1.0/24, route_table: rt-a}
      - {id: sn-b, az: eu-west-1a, cidr_block: 10.0.2.0/24, route_table: rt-a}
      - {id: sn-fw, az: eu-west-1a, cidr_block: 10.0.3.0/24}
    route_tables:
      - {id: rt-main, main: true}
      - id: rt-a
        routes:
          - {destination: 10.0.1.0/24, target: i-fw}
          - {destination: 10.0.2.0/24, target: i-fw}
    security_groups:
      - {id: sg-open, description: hosts, ingress: [{protocol: all, sources: [10.0.0.0/16]}]}
      - {id: sg-fw, description: appliance, ingress: [{protocol: tcp, ports: 22, sources: [10.0.0.0/16]}]}
    instances:
      - {id: i-a1, subnet: sn-a, private_ip: 10.0.1.10, security_groups: [sg-open]}
      - {id: i-a2, subnet: sn-a, private_ip: 10.0.1.11, security_groups: [sg-open]}
      - {id: i-b, subnet: sn-b, private_ip: 10.0.2.10, security_groups: [sg-open]}
      - {id: i-fw, subnet: sn-fw, private_ip: 10.0.3.10, source_dest_check: false, security_groups: [sg-fw]}
`

func TestS16SameSubnetTrafficIgnoresTheRouteTable(t *testing.T) {
	// S-16: between two interfaces of one subnet the packet is delivered
	// at layer 2, even when the subnet's table routes the subnet's own
	// CIDR to an appliance; traffic leaving the subnet follows the table.
	m, _, err := model.LoadBytes("t.yaml", []byte(sameSubnetTopology))
	require.NoError(t, err)
	s, err := solver.New(m)
	require.NoError(t, err)
	runReachCases(t, s, []reachCase{
		{"S-16", "same subnet, past the route to the appliance", tcp("i-a1", "i-a2", 443), reachable, nil},
		{"S-16", "another subnet of the same table goes through the appliance", tcp("i-b", "i-a1", 443), unreachable, []string{"forward:ENI_SG_RULES_MISMATCH"}},
		{"S-16", "through the appliance where it admits the traffic", tcp("i-b", "i-a1", 22), reachable, nil},
	})
	r := s.Reach(tcp("i-a1", "i-a2", 443))
	var kinds []string
	for _, h := range append(r.Forward, r.Return...) {
		kinds = append(kinds, h.Kind.String()+" "+string(h.Component))
	}
	assert.Contains(t, kinds, "subnet sn-a", explain(r))
	assert.NotContains(t, kinds, "route-table rt-a", explain(r))
	assert.NotContains(t, kinds, "instance i-fw", explain(r))
	// The whole-network analyses agree with the point queries: subnets
	// that share a table no longer route alike.
	for _, port := range []uint16{443, 22} {
		checkMatrixByBruteForce(t, m, s, tcp("", "", port))
	}
}

func TestS16MatrixTellsSubnetsOfOneTableApart(t *testing.T) {
	// S-16: a blackhole route (whose deleted target AWS no longer checks)
	// covers both subnets of one table: each subnet still reaches its own
	// interfaces at layer 2, and the other's not at all. The whole-network
	// analyses, which share walks between subnets of one table, agree.
	topo := `version: 1
vpcs:
  - id: vpc-1
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    subnets:
      - {id: sn-x, az: eu-west-1a, cidr_block: 10.0.0.0/24, route_table: rt-a}
      - {id: sn-y, az: eu-west-1a, cidr_block: 10.0.1.0/24, route_table: rt-a}
    route_tables:
      - {id: rt-main, main: true}
      - {id: rt-a, routes: [{destination: 10.0.0.0/23, target: nat-deleted, state: blackhole}]}
    security_groups:
      - {id: sg-open, description: hosts, ingress: [{protocol: all, sources: [10.0.0.0/16]}]}
    instances:
      - {id: i-x1, subnet: sn-x, private_ip: 10.0.0.10, security_groups: [sg-open]}
      - {id: i-x2, subnet: sn-x, private_ip: 10.0.0.11, security_groups: [sg-open]}
      - {id: i-y1, subnet: sn-y, private_ip: 10.0.1.10, security_groups: [sg-open]}
      - {id: i-y2, subnet: sn-y, private_ip: 10.0.1.11, security_groups: [sg-open]}
`
	m, _, err := model.LoadBytes("t.yaml", []byte(topo))
	require.NoError(t, err)
	s, err := solver.New(m)
	require.NoError(t, err)
	runReachCases(t, s, []reachCase{
		{"S-16", "within sn-x", tcp("i-x1", "i-x2", 443), reachable, nil},
		{"S-16", "within sn-y", tcp("i-y1", "i-y2", 443), reachable, nil},
		{"S-16", "sn-x to sn-y meets the blackhole", tcp("i-x1", "i-y1", 443), unreachable, []string{"forward:BAD_STATE_ROUTE"}},
	})
	checkMatrixByBruteForce(t, m, s, tcp("", "", 443))
}

func TestS52StaticAndPrefixListRoutesAreNotAmbiguous(t *testing.T) {
	// S-52: a static route and a prefix-list reference route for the same
	// CIDR in a transit gateway table: the static one wins, by AWS's fixed
	// order, and no ambiguity is reported.
	topo := strings.NewReplacer("TARGET_X", "tgw", "TARGET_Y", "tgw", "REGION_Y", "eu-west-1").Replace(refsTopology) +
		strings.NewReplacer("REFS", "true", "route_tables: [{id: rtb}]",
			"route_tables: [{id: rtb, routes: [{destination: 10.20.0.0/16, attachment: att-y}, {destination: pl-y, attachment: att-x}]}]").Replace(refsTGW) + `prefix_lists:
  - {id: pl-y, cidrs: [10.20.0.0/16]}
`
	s := load(t, topo)
	runReachCases(t, s, []reachCase{
		{"S-52", "static route before the prefix-list reference, no warning", tcp("i-x", "i-y", 9000), reachable, nil},
	})
}

func TestNATGatewayCarriesOnlyTCPUDPAndICMP(t *testing.T) {
	// VPC user guide, "NAT gateway basics": a NAT gateway supports TCP,
	// UDP and ICMP. Other protocols (GRE, ESP) do not pass.
	s := load(t, natTopology)
	runReachCases(t, s, []reachCase{
		{"S-61", "tcp through the NAT gateway", tcp("i-app", "internet", 443), reachable, nil},
		{"S-61", "udp through the NAT gateway", solver.Query{From: "i-app", To: "internet", Protocol: model.ProtocolUDP, Port: 123}, reachable, nil},
		{"S-61", "icmp through the NAT gateway", solver.Query{From: "i-app", To: "internet", Protocol: model.ProtocolICMP}, reachable, nil},
		{"S-61", "gre is not translated", solver.Query{From: "i-app", To: "internet", Protocol: model.Protocol(47)}, unreachable, []string{"forward:NGW_PROTOCOL_RESTRICTION"}},
		{"S-61", "esp is not translated", solver.Query{From: "i-app", To: "internet", Protocol: model.Protocol(50)}, unreachable, []string{"forward:NGW_PROTOCOL_RESTRICTION"}},
		{"S-61", "all traffic is not translated", solver.Query{From: "i-app", To: "internet", Protocol: model.ProtocolAll}, unreachable, []string{"forward:NGW_PROTOCOL_RESTRICTION"}},
		{"S-60", "esp straight through the internet gateway", solver.Query{From: "i-web", To: "internet", Protocol: model.Protocol(50)}, reachable, nil},
	})
}

// natTopology: a private subnet behind NAT gateway nat-1 and a public one
// with an internet gateway; every filter open.
const natTopology = `version: 1
vpcs:
  - id: vpc-1
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    internet_gateway: igw-1
    subnets:
      - {id: sn-public, az: eu-west-1a, cidr_block: 10.0.0.0/24, route_table: rt-public}
      - {id: sn-app, az: eu-west-1a, cidr_block: 10.0.1.0/24, route_table: rt-app}
    route_tables:
      - {id: rt-main, main: true}
      - {id: rt-public, routes: [{destination: 0.0.0.0/0, target: igw-1}]}
      - {id: rt-app, routes: [{destination: 0.0.0.0/0, target: nat-1}]}
    security_groups:
      - {id: sg-open, description: hosts, ingress: [{protocol: all, sources: [0.0.0.0/0]}]}
    nat_gateways:
      - {id: nat-1, subnet: sn-public, private_ip: 10.0.0.5, public_ip: 203.0.113.5}
    instances:
      - {id: i-app, subnet: sn-app, private_ip: 10.0.1.10, secondary_ips: [10.0.1.20], security_groups: [sg-open]}
      - {id: i-web, subnet: sn-public, private_ip: 10.0.0.10, secondary_ips: [10.0.0.20], public_ip: 198.51.100.10, security_groups: [sg-open]}
`

func TestS60InternetGatewayTranslatesOnlyTheAssociatedAddress(t *testing.T) {
	// S-60: a public IPv4 or Elastic IP is associated with one private
	// address of an interface (EC2 API, AssociateAddress: the primary one
	// unless another is named); the model's public_ip and elastic_ip are
	// the primary address's. Traffic from a secondary address has no
	// public address to be translated to, and the internet gateway drops
	// it.
	s := load(t, natTopology)
	runReachCases(t, s, []reachCase{
		{"S-60", "from the primary address", tcp("10.0.0.10", "internet", 443), reachable, nil},
		{"S-60", "from a secondary address", tcp("10.0.0.20", "internet", 443), unreachable, []string{"forward:IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"}},
		{"S-61", "a secondary address behind the NAT gateway", tcp("10.0.1.20", "internet", 443), reachable, nil},
	})
}

func TestLocalRouteTargetReplacedByAnAppliance(t *testing.T) {
	// VPC user guide, "Replace or restore the target for a local route":
	// rt-a sends the whole VPC block to appliance i-fw in place of the
	// local route, so traffic leaving sn-a for sn-b passes i-fw (which
	// admits ssh only); within sn-a it does not (S-16).
	topo := strings.NewReplacer(
		"      - {id: rt-a, routes: [{destination: 10.0.2.0/24, target: i-fw}]}\n", "      - {id: rt-a, routes: [{destination: 10.0.0.0/16, target: i-fw}]}\n",
		"      - {id: rt-b, routes: [{destination: 10.0.1.0/24, target: i-fw}]}\n", "      - {id: rt-b}\n",
		"ingress: [{protocol: all, sources: [10.0.0.0/16]}]", "ingress: [{protocol: tcp, ports: 22, sources: [10.0.0.0/16]}]",
		"          - {protocol: tcp, ports: 9000-9001, destinations: [0.0.0.0/0]}", "          - {protocol: all, destinations: [0.0.0.0/0]}",
		"          - {protocol: tcp, ports: 7000, sources: [10.0.0.0/16]}", "          - {protocol: all, sources: [10.0.0.0/16]}",
	).Replace(middleboxTopology) + `      - {id: i-a2, subnet: sn-a, private_ip: 10.0.1.11, security_groups: [sg-b]}
`
	m, _, err := model.LoadBytes("t.yaml", []byte(topo))
	require.NoError(t, err)
	s, err := solver.New(m)
	require.NoError(t, err)
	runReachCases(t, s, []reachCase{
		{"", "leaving sn-a, through the appliance, which drops https", tcp("i-a", "i-b", 443), unreachable, []string{"forward:ENI_SG_RULES_MISMATCH"}},
		{"", "leaving sn-a, through the appliance, which passes ssh", tcp("i-a", "i-b", 22), reachable, nil},
		{"S-16", "within sn-a, no appliance", tcp("i-a", "i-a2", 443), reachable, nil},
		{"", "from sn-b, whose table keeps the local route", tcp("i-b", "i-c", 443), reachable, nil},
	})
	for _, port := range []uint16{443, 22} {
		checkMatrixByBruteForce(t, m, s, tcp("", "", port))
	}
}

func TestS15PacketForTheApplianceItselfArrives(t *testing.T) {
	// S-15: an appliance forwards, and is routed again from, traffic that
	// is not addressed to it. A packet that a route sends to the
	// interface holding its destination has arrived: no forwarding, so
	// neither the appliance's outbound rules (it accepts a connection,
	// S-23) nor a second lookup (no loop) apply.
	topo := `version: 1
vpcs:
  - id: vpc-1
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    subnets:
      - {id: sn-a, az: eu-west-1a, cidr_block: 10.0.1.0/24, route_table: rt-a}
      - {id: sn-fw, az: eu-west-1a, cidr_block: 10.0.3.0/24}
    route_tables:
      - {id: rt-main, main: true}
      - {id: rt-a, routes: [{destination: 10.0.3.0/24, target: i-fw}]}
    security_groups:
      - {id: sg-open, description: hosts, ingress: [{protocol: all, sources: [10.0.0.0/16]}]}
      - id: sg-fw
        description: appliance
        ingress: [{protocol: tcp, ports: 22, sources: [10.0.1.0/24]}]
        egress: [{protocol: tcp, ports: 22, destinations: [10.0.1.0/24]}]
    instances:
      - {id: i-a, subnet: sn-a, private_ip: 10.0.1.10, security_groups: [sg-open]}
      - {id: i-fw, subnet: sn-fw, private_ip: 10.0.3.10, secondary_ips: [10.0.3.11], source_dest_check: false, security_groups: [sg-fw]}
      - {id: i-b, subnet: sn-fw, private_ip: 10.0.3.20, security_groups: [sg-open]}
`
	s := load(t, topo)
	runReachCases(t, s, []reachCase{
		{"S-15", "ssh to the appliance itself", tcp("i-a", "i-fw", 22), reachable, nil},
		{"S-15", "ssh to a secondary address of the appliance", tcp("i-a", "10.0.3.11", 22), reachable, nil},
		{"S-15", "its inbound rules still apply", tcp("i-a", "i-fw", 443), unreachable, []string{"forward:ENI_SG_RULES_MISMATCH"}},
		{"S-15", "traffic it forwards meets its outbound rules", tcp("i-a", "i-b", 22), unreachable, []string{"forward:ENI_SG_RULES_MISMATCH"}},
		{"S-15", "the response to the appliance's own connection arrives", tcp("i-fw", "i-a", 22), reachable, nil},
	})
	for _, q := range []solver.Query{tcp("i-a", "i-fw", 22), tcp("i-fw", "i-a", 22)} {
		r := s.Reach(q)
		for _, h := range append(r.Forward, r.Return...) {
			assert.False(t, h.Component == "i-fw" && h.Decision == solver.DecisionForward, "i-fw forwards its own traffic%s", explain(r))
		}
	}
}

func TestS60InternetCarriesNoPrivateDestination(t *testing.T) {
	// S-60: from the internet a VPC's interfaces are reached at their
	// public addresses only, and the internet routes no private address:
	// an internet host reaches no private (RFC 1918) or shared address,
	// whether an interface holds it or not.
	s := load(t, natTopology)
	runReachCases(t, s, []reachCase{
		{"S-60", "an unheld address of a subnet", tcp("internet", "10.0.1.250", 443), unreachable, []string{"forward:DESTINATION_NOT_FOUND"}},
		{"S-60", "a private address in no VPC", tcp("203.0.113.9", "10.9.9.9", 443), unreachable, []string{"forward:DESTINATION_NOT_FOUND"}},
		{"S-60", "a shared address", tcp("internet", "100.64.0.1", 443), unreachable, []string{"forward:DESTINATION_NOT_FOUND"}},
		{"S-60", "the private address of an interface with a public one", tcp("internet", "10.0.0.10", 443), unreachable, []string{"forward:DESTINATION_NOT_FOUND"}},
		{"S-60", "its public address", tcp("internet", "198.51.100.10", 443), reachable, nil},
	})
}

// natReferenceTopology: i-app reaches sn-db through private NAT gateway
// nat-1. sg-app sends tcp 5432-6432 to sg-db only, by reference; sg-db
// admits 5432 from the VPC's block and 6432 from sg-app by reference.
const natReferenceTopology = `version: 1
vpcs:
  - id: vpc-1
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    subnets:
      - {id: sn-app, az: eu-west-1a, cidr_block: 10.0.1.0/24, route_table: rt-app}
      - {id: sn-nat, az: eu-west-1a, cidr_block: 10.0.2.0/24}
      - {id: sn-db, az: eu-west-1a, cidr_block: 10.0.3.0/24}
    route_tables:
      - {id: rt-main, main: true}
      - {id: rt-app, routes: [{destination: 10.0.3.0/24, target: nat-1}]}
    security_groups:
      - id: sg-app
        description: app
        egress: [{protocol: tcp, ports: 5432-6432, destinations: [sg-db]}]
      - id: sg-db
        description: db
        ingress:
          - {protocol: tcp, ports: 5432, sources: [10.0.0.0/16]}
          - {protocol: tcp, ports: 6432, sources: [sg-app]}
    nat_gateways:
      - {id: nat-1, subnet: sn-nat, connectivity: private, private_ip: 10.0.2.5}
    instances:
      - {id: i-app, subnet: sn-app, private_ip: 10.0.1.10, security_groups: [sg-app]}
      - {id: i-db, subnet: sn-db, private_ip: 10.0.3.10, security_groups: [sg-db]}
`

func TestS22OutboundReferenceSurvivesNATAndAppliances(t *testing.T) {
	// S-22, S-61: an outbound rule sees the packet as its interface sends
	// it, and a reference matches its destination, a private address of
	// an interface holding the group. A NAT gateway further on rewrites
	// the source, not the destination: the source's outbound reference
	// still matches, while the destination's inbound reference no longer
	// sees the source's address.
	s := load(t, natReferenceTopology)
	runReachCases(t, s, []reachCase{
		{"S-22", "outbound reference, through a NAT gateway", tcp("i-app", "i-db", 5432), reachable, nil},
		{"S-22", "inbound reference, through a NAT gateway", tcp("i-app", "i-db", 6432), unreachable, []string{"forward:ENI_SG_RULES_MISMATCH"}},
	})
	// S-22, S-18: an appliance's own outbound rules match references to
	// the destination's groups like any interface's; S-18 is about the
	// destination's inbound rules only.
	appliance := strings.NewReplacer(
		"        ingress: [{protocol: all, sources: [10.0.0.0/16]}]\n",
		"        ingress: [{protocol: all, sources: [10.0.0.0/16]}]\n        egress: [{protocol: tcp, ports: 7000-9000, destinations: [sg-b]}]\n",
	).Replace(middleboxTopology)
	runReachCases(t, load(t, appliance), []reachCase{
		{"S-22", "the appliance's outbound reference matches the destination", tcp("i-a", "i-b", 7000), reachable, nil},
		{"S-22", "the appliance's outbound rules still filter", tcp("i-a", "i-b", 9001), unreachable, []string{"forward:ENI_SG_RULES_MISMATCH"}},
	})
}

func TestS22ApplianceOnTheResponsePathMatchesReferences(t *testing.T) {
	// S-22, S-23: an appliance that did not see the request checks the
	// response as new traffic, with references like any packet: inbound
	// ones to the interface that answers, outbound ones to the client. A
	// stateful appliance would still drop it (a warning).
	base := strings.NewReplacer(
		"      - {id: rt-a, routes: [{destination: 10.0.2.0/24, target: i-fw}]}\n", "      - {id: rt-a}\n",
	).Replace(middleboxTopology)
	refs := strings.NewReplacer(
		"        ingress: [{protocol: all, sources: [10.0.0.0/16]}]\n",
		"        ingress: [{protocol: tcp, ports: all, sources: [sg-b]}]\n        egress: [{protocol: tcp, ports: all, destinations: [sg-a]}]\n",
	).Replace(base)
	wrong := strings.NewReplacer(
		"        ingress: [{protocol: all, sources: [10.0.0.0/16]}]\n",
		"        ingress: [{protocol: tcp, ports: all, sources: [sg-a]}]\n",
	).Replace(base)
	runReachCases(t, load(t, refs), []reachCase{
		{"S-22", "references to the responder and the client", tcp("i-a", "i-b", 9001), warned, []string{"warning:APPLIANCE_ASYMMETRIC_ROUTING"}},
	})
	runReachCases(t, load(t, wrong), []reachCase{
		{"S-22", "the response does not come from the client's group", tcp("i-a", "i-b", 9001), unreachable, []string{"return:ENI_SG_RULES_MISMATCH", "warning:APPLIANCE_ASYMMETRIC_ROUTING"}},
	})
}
