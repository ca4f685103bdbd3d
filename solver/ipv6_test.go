package solver_test

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// dualStackWeb is a dual-stack web tier: a public subnet with an internet
// gateway for both families; a private app subnet that goes out through a
// NAT gateway (IPv4) and an egress-only internet gateway (IPv6); an
// IPv6-only subnet; an instance open to ::/0 on 22 only. The default
// network ACL is implicit (it allows both families, V-12).
const dualStackWeb = `version: 1
vpcs:
  - id: vpc-a
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    ipv6_cidr_blocks: [2600:1f18:a:c00::/56]
    internet_gateway: igw-a
    egress_only_internet_gateway: eigw-a
    subnets:
      - {id: s-web, az: eu-west-1a, cidr_block: 10.0.1.0/24, ipv6_cidr_block: 2600:1f18:a:c01::/64, route_table: rt-public}
      - {id: s-app, az: eu-west-1a, cidr_block: 10.0.2.0/24, ipv6_cidr_block: 2600:1f18:a:c02::/64, route_table: rt-private}
      - {id: s-v6, az: eu-west-1a, ipv6_only: true, ipv6_cidr_block: 2600:1f18:a:c03::/64, route_table: rt-private}
    route_tables:
      - id: rt-public
        main: true
        routes:
          - {destination: 0.0.0.0/0, target: igw-a}
          - {destination: "::/0", target: igw-a}
      - id: rt-private
        routes:
          - {destination: 0.0.0.0/0, target: nat-a}
          - {destination: "::/0", target: eigw-a}
    security_groups:
      - id: sg-web
        ingress:
          - {protocol: tcp, ports: 443, sources: [0.0.0.0/0, "::/0"]}
      - id: sg-ssh6
        ingress:
          - {protocol: tcp, ports: 22, sources: ["::/0"]}
      - id: sg-app
        ingress:
          - {protocol: tcp, ports: 8080, sources: [sg-web]}
          - {protocol: tcp, ports: 22, sources: ["::/0"]}
          - {protocol: icmpv6, icmp: {type: 128}, sources: [2600:1f18:a:c00::/56]}
    nat_gateways:
      - {id: nat-a, subnet: s-web, private_ip: 10.0.1.5, public_ip: 203.0.113.5}
    instances:
      - {id: i-web, subnet: s-web, private_ip: 10.0.1.10, public_ip: 203.0.113.10, ipv6_addresses: [2600:1f18:a:c01::10], security_groups: [sg-web]}
      - {id: i-bastion, subnet: s-web, private_ip: 10.0.1.20, public_ip: 203.0.113.20, ipv6_addresses: [2600:1f18:a:c01::20], security_groups: [sg-ssh6]}
      - {id: i-app, subnet: s-app, private_ip: 10.0.2.10, ipv6_addresses: [2600:1f18:a:c02::10], security_groups: [sg-app]}
      - {id: i-v6, subnet: s-v6, ipv6_addresses: [2600:1f18:a:c03::10], security_groups: [sg-app]}
`

func tcpq(from, to string, port uint16) solver.Query {
	return solver.Query{From: from, To: to, Protocol: model.ProtocolTCP, Port: port}
}

func blockerCodes(r solver.Result) []string {
	var out []string
	for _, b := range r.Blockers {
		out = append(out, b.Code.String())
	}
	return out
}

// V-06: an instance open to ::/0 on 22 behind an internet gateway is
// exposed over IPv6, though its IPv4 groups admit nothing on 22: the
// answer is reachable, by the IPv6 family.
func TestIPv6OnlyExposureIsReachable(t *testing.T) {
	s := load(t, dualStackWeb)
	r := s.Reach(tcpq("internet", "i-bastion", 22))
	require.True(t, r.Reachable(), "%s", r.Text())
	assert.Equal(t, solver.FamilyIPv6, r.Family)
	require.Len(t, r.Families, 2)
	assert.Equal(t, solver.FamilyIPv4, r.Families[0].Family)
	assert.False(t, r.Families[0].Reachable(), "V-09: ::/0 admits no IPv4 packet")
	assert.Equal(t, []string{"ENI_SG_RULES_MISMATCH"}, blockerCodes(r.Families[0]))
	assert.True(t, r.Families[1].Reachable())
	// No translation at the internet gateway: the packet arrives at the
	// instance's own IPv6 address.
	assert.Contains(t, r.Text(), "2600:1f18:a:c01::20")
	assert.Contains(t, r.Text(), "no translation (V-06)")
}

// V-09: a rule for 0.0.0.0/0 does not admit IPv6, nor ::/0 IPv4; asked at
// an IPv6 address, only the IPv6 family is answered.
func TestRuleFamilies(t *testing.T) {
	s := load(t, dualStackWeb)
	r := s.Reach(tcpq("internet", "2600:1f18:a:c01::20", 22))
	assert.True(t, r.Reachable(), "%s", r.Text())
	assert.Equal(t, solver.FamilyIPv6, r.Family)
	assert.Nil(t, r.Families)
	r = s.Reach(tcpq("internet", "203.0.113.20", 22))
	assert.False(t, r.Reachable())
	assert.Equal(t, solver.FamilyIPv4, r.Family)
	assert.Equal(t, []string{"ENI_SG_RULES_MISMATCH"}, blockerCodes(r))
}

// V-07: behind an egress-only internet gateway, the app instance reaches
// the internet over IPv6 (and over IPv4 through the NAT gateway), and
// the responses come back; the internet cannot start a connection to it,
// although its group admits ::/0 on 22.
func TestEgressOnlyGateway(t *testing.T) {
	s := load(t, dualStackWeb)
	out := s.Reach(tcpq("i-app", "internet", 443))
	require.True(t, out.Reachable(), "%s", out.Text())
	require.Len(t, out.Families, 2)
	assert.True(t, out.Families[0].Reachable(), "IPv4 through the NAT gateway")
	v6 := out.Families[1]
	assert.True(t, v6.Reachable(), "%s", v6.Text())
	var kinds []string
	for _, h := range v6.Forward {
		kinds = append(kinds, h.Kind.String())
	}
	assert.Contains(t, kinds, "egress-only-internet-gateway")
	assert.NotContains(t, kinds, "nat-gateway")

	in := s.Reach(tcpq("internet", "i-app", 22))
	assert.False(t, in.Reachable(), "%s", in.Text())
	require.Len(t, in.Families, 2)
	assert.Equal(t, []string{"NO_PUBLIC_ADDRESS"}, blockerCodes(in.Families[0]))
	// The VPC has an internet gateway too: the request comes in through
	// it (inbound traffic follows the local routes), but the response is
	// routed to the egress-only gateway, which keeps no state for a
	// connection the internet started.
	assert.Equal(t, []string{"RETURN_ROUTE_MISSING"}, blockerCodes(in.Families[1]))
	assert.Contains(t, in.Families[1].Text(), "(V-07)")

	// In a VPC with only an egress-only gateway, nothing comes in.
	eo := load(t, `version: 1
vpcs:
  - id: vpc-b
    region: eu-west-1
    cidr_blocks: [10.1.0.0/16]
    ipv6_cidr_blocks: [2600:1f18:b:c00::/56]
    egress_only_internet_gateway: eigw-b
    subnets:
      - {id: s-b, az: eu-west-1a, ipv6_only: true, ipv6_cidr_block: 2600:1f18:b:c01::/64}
    route_tables:
      - {id: rt-b, main: true, routes: [{destination: "::/0", target: eigw-b}]}
    security_groups:
      - {id: sg-b, ingress: [{protocol: tcp, ports: 22, sources: ["::/0"]}]}
    instances:
      - {id: i-b, subnet: s-b, ipv6_addresses: [2600:1f18:b:c01::10], security_groups: [sg-b]}
`)
	in = eo.Reach(tcpq("internet", "i-b", 22))
	assert.False(t, in.Reachable())
	assert.Equal(t, []string{"NO_INTERNET_GATEWAY"}, blockerCodes(in))
	assert.Contains(t, in.Text(), "lets in no connection started from the internet (V-07)")
	out = eo.Reach(tcpq("i-b", "internet", 443))
	assert.True(t, out.Reachable(), "%s", out.Text())
}

// V-03: an IPv6-only instance reaches the internet over IPv6 and a
// dual-stack instance of its VPC over the IPv6 local route (V-04); with
// an IPv4-only end it shares no family, and is answered through NAT64
// (V-16): here no route takes 64:ff9b::/96 to a NAT gateway, and the
// internet gateway drops it, the no-family explanation in the message.
func TestIPv6OnlySubnet(t *testing.T) {
	s := load(t, dualStackWeb)
	r := s.Reach(tcpq("i-v6", "internet", 443))
	require.True(t, r.Reachable(), "%s", r.Text())
	assert.Equal(t, solver.FamilyIPv6, r.Family)
	assert.Nil(t, r.Families)

	r = s.Reach(tcpq("i-v6", "i-app", 22))
	require.True(t, r.Reachable(), "%s", r.Text())
	assert.Equal(t, solver.FamilyIPv6, r.Family)
	assert.Contains(t, r.Text(), "local")

	r = s.Reach(tcpq("i-v6", "10.0.2.10", 22))
	assert.False(t, r.Reachable())
	assert.Equal(t, solver.TranslationNAT64, r.Translation)
	assert.Equal(t, []string{"IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"}, blockerCodes(r))
	assert.Contains(t, r.Text(), "have no address family in common, one IPv6 only, the other IPv4 only (V-03): this is the path through NAT64, to 64:ff9b::a00:20a (V-16)")
}

// V-10: a group reference admits the members' IPv6 addresses too.
func TestGroupReferenceMatchesIPv6(t *testing.T) {
	s := load(t, dualStackWeb)
	r := s.Reach(tcpq("i-web", "i-app", 8080))
	require.True(t, r.Reachable(), "%s", r.Text())
	require.Len(t, r.Families, 2)
	assert.True(t, r.Families[0].Reachable())
	assert.True(t, r.Families[1].Reachable(), "%s", r.Families[1].Text())
	r = s.Reach(tcpq("2600:1f18:a:c01::10", "2600:1f18:a:c02::10", 8080))
	assert.True(t, r.Reachable(), "%s", r.Text())
}

// V-11: icmpv6 echo requests (type 128) match icmpv6 rules, and the echo
// reply (129) returns through the stateful group.
func TestICMPv6(t *testing.T) {
	s := load(t, dualStackWeb)
	r := s.Reach(solver.Query{From: "i-web", To: "i-app", Protocol: model.ProtocolICMPv6})
	require.True(t, r.Reachable(), "%s", r.Text())
	assert.Equal(t, solver.FamilyIPv6, r.Family)
	r = s.Reach(solver.Query{From: "i-web", To: "i-app", Protocol: model.ProtocolICMPv6, ICMP: &model.ICMPMatch{Type: 135}})
	assert.False(t, r.Reachable(), "only type 128 is admitted")
	r = s.Reach(solver.Query{From: "i-web", To: "i-app", Protocol: model.ProtocolICMP})
	assert.False(t, r.Reachable(), "an icmpv6 rule does not admit icmp")
}

// twoVPCsV6: vpc-x and vpc-y, dual-stack, joined by a peering connection
// (IPv6 routes to it) and a transit gateway (vpc-z). vpc-y's custom
// network ACL has IPv4 rules only.
const twoVPCsV6 = `version: 1
vpcs:
  - id: vpc-x
    region: eu-west-1
    cidr_blocks: [10.10.0.0/16]
    ipv6_cidr_blocks: [2600:1f18:10:100::/56]
    subnets:
      - {id: s-x, az: eu-west-1a, cidr_block: 10.10.1.0/24, ipv6_cidr_block: 2600:1f18:10:101::/64}
    route_tables:
      - id: rt-x
        main: true
        routes:
          - {destination: 10.20.0.0/16, target: pcx-xy}
          - {destination: 2600:1f18:20:200::/56, target: pcx-xy}
          - {destination: 2600:1f18:30:300::/56, target: tgw-1}
    security_groups:
      - {id: sg-x, egress: []}
    instances:
      - {id: i-x, subnet: s-x, private_ip: 10.10.1.10, ipv6_addresses: [2600:1f18:10:101::10]}
      - {id: i-x-closed, subnet: s-x, private_ip: 10.10.1.11, ipv6_addresses: [2600:1f18:10:101::11], security_groups: [sg-x]}
  - id: vpc-y
    region: eu-west-1
    cidr_blocks: [10.20.0.0/16]
    ipv6_cidr_blocks: [2600:1f18:20:200::/56]
    subnets:
      - {id: s-y, az: eu-west-1a, cidr_block: 10.20.1.0/24, ipv6_cidr_block: 2600:1f18:20:201::/64, network_acl: acl-y}
    route_tables:
      - id: rt-y
        main: true
        routes:
          - {destination: 10.10.0.0/16, target: pcx-xy}
          - {destination: 2600:1f18:10:100::/56, target: pcx-xy}
    network_acls:
      - id: acl-y
        ingress: [{rule: 100, protocol: all, cidr: 0.0.0.0/0, action: allow}]
        egress: [{rule: 100, protocol: all, cidr: 0.0.0.0/0, action: allow}]
    security_groups:
      - id: sg-y
        ingress: [{protocol: tcp, ports: 443, sources: [sg-x-any]}]
      - id: sg-x-any
        ingress: [{protocol: all, sources: [0.0.0.0/0, "::/0"]}]
    instances:
      - {id: i-y, subnet: s-y, private_ip: 10.20.1.10, ipv6_addresses: [2600:1f18:20:201::10], security_groups: [sg-x-any]}
  - id: vpc-z
    region: eu-west-1
    cidr_blocks: [10.30.0.0/16]
    ipv6_cidr_blocks: [2600:1f18:30:300::/56]
    subnets:
      - {id: s-z, az: eu-west-1a, cidr_block: 10.30.1.0/24, ipv6_cidr_block: 2600:1f18:30:301::/64}
    route_tables:
      - id: rt-z
        main: true
        routes:
          - {destination: "::/0", target: tgw-1}
    security_groups:
      - id: sg-z
        default: true
        ingress: [{protocol: all, sources: ["::/0"]}]
    instances:
      - {id: i-z, subnet: s-z, private_ip: 10.30.1.10, ipv6_addresses: [2600:1f18:30:301::10]}
peering_connections:
  - {id: pcx-xy, requester: vpc-x, accepter: vpc-y}
transit_gateways:
  - id: tgw-1
    region: eu-west-1
    default_association_route_table: tgw-rtb
    default_propagation_route_table: tgw-rtb
    route_tables: [{id: tgw-rtb}]
    attachments:
      - {id: att-x, type: vpc, vpc: vpc-x, subnets: [s-x], ipv6_support: true}
      - {id: att-z, type: vpc, vpc: vpc-z, subnets: [s-z], ipv6_support: true}
`

// V-12: a network ACL written with IPv4 rules only denies IPv6 (its *
// rule); the implicit default ACL of a VPC with an IPv6 block allows it
// (rule 101). V-13: IPv6 crosses a peering connection routed for the
// peer's IPv6 block.
func TestIPv6PeeringAndACLs(t *testing.T) {
	s := load(t, twoVPCsV6)
	r := s.Reach(tcpq("i-x", "i-y", 443))
	require.Len(t, r.Families, 2)
	assert.True(t, r.Families[0].Reachable(), "%s", r.Families[0].Text())
	v6 := r.Families[1]
	assert.False(t, v6.Reachable())
	assert.Contains(t, blockerCodes(v6), "SUBNET_ACL_RESTRICTION")
	assert.Contains(t, v6.Text(), "pcx-xy")
	assert.Contains(t, r.Text(), "IPv6: unreachable")
	assert.Contains(t, r.Text(), "forward path (IPv6):")

	// The implicit default ACL of vpc-x lets IPv6 through (rule 101).
	r = s.Reach(tcpq("i-y", "i-x", 443))
	require.Len(t, r.Families, 2)
	assert.Contains(t, r.Families[1].Text(), "rule 101 allow all traffic (implicit default ACL)")
}

// V-08: a group written without egress rules allows all outbound IPv6
// (::/0) as well as IPv4; one written with egress: [] allows none.
func TestDefaultEgressIPv6(t *testing.T) {
	s := load(t, twoVPCsV6)
	r := s.Reach(tcpq("2600:1f18:10:101::10", "2600:1f18:30:301::10", 22))
	require.True(t, r.Reachable(), "%s", r.Text())
	assert.Contains(t, r.Text(), "default rule: allow all traffic to ::/0 (V-08)")
	r = s.Reach(tcpq("2600:1f18:10:101::11", "2600:1f18:30:301::10", 22))
	assert.Equal(t, []string{"ENI_SG_RULES_MISMATCH"}, blockerCodes(r))
}

// V-14: a VPC attachment propagates the VPC's IPv6 blocks into the
// transit gateway's route table, which routes IPv6 between the VPCs.
func TestIPv6TransitGateway(t *testing.T) {
	s := load(t, twoVPCsV6)
	r := s.Reach(tcpq("i-x", "i-z", 22))
	require.Equal(t, solver.FamilyIPv6, r.Family, "vpc-x routes only IPv6 to the transit gateway: %s", r.Text())
	require.True(t, r.Reachable(), "%s", r.Text())
	assert.Equal(t, []string{"NO_ROUTE_TO_DESTINATION"}, blockerCodes(r.Families[0]))
	assert.Contains(t, r.Text(), "tgw-rtb")
	assert.Contains(t, r.Text(), "2600:1f18:10:100::/56")
}

// V-14: an attachment's IPv6 support is off unless turned on, as AWS
// creates attachments: then the VPC's IPv6 blocks do not propagate, and
// the transit gateway has no route back to vpc-x; the option filters no
// traffic, so a static IPv6 route to the attachment carries it.
func TestIPv6SupportOfAttachments(t *testing.T) {
	off := strings.Replace(twoVPCsV6, "subnets: [s-x], ipv6_support: true}", "subnets: [s-x]}", 1)
	r := load(t, off).Reach(tcpq("i-x", "i-z", 22))
	require.False(t, r.Reachable(), "%s", r.Text())
	v6 := r.Families[1]
	assert.Equal(t, []string{"TGW_RTB_CANNOT_ROUTE"}, blockerCodes(v6), "%s", v6.Text())
	assert.Contains(t, v6.Blockers[0].Message, "att-x has IPv6 support off: the IPv6 blocks of vpc-x do not propagate (V-14)")
	assert.Equal(t, solver.LegReturn, v6.Blockers[0].Leg)

	static := strings.Replace(off, "route_tables: [{id: tgw-rtb}]", "route_tables: [{id: tgw-rtb, routes: [{destination: \"2600:1f18:10:100::/56\", attachment: att-x}]}]", 1)
	r = load(t, static).Reach(tcpq("i-x", "i-z", 22))
	assert.True(t, r.Reachable(), "V-14: a static route carries IPv6 whatever the option: %s", r.Text())
}

// The JSON answer names the family of each per-family answer.
func TestFamiliesJSON(t *testing.T) {
	s := load(t, dualStackWeb)
	j, err := s.Reach(tcpq("internet", "i-bastion", 22)).MarshalJSON()
	require.NoError(t, err)
	assert.Contains(t, string(j), `"family":"ipv6","families":[{`)
	assert.Contains(t, string(j), `"family":"ipv4"}`)
}

// V-06, V-09: exposure reports what the internet reaches over IPv6, as
// such: the instance open to ::/0 on 22 only is exposed over IPv6 and not
// over IPv4; the web instance over both on 443; the app instance behind
// the egress-only gateway not at all (V-07).
func TestIPv6Exposure(t *testing.T) {
	s := load(t, dualStackWeb)
	got := map[string][]string{}
	for _, e := range s.Exposure([]model.Protocol{model.ProtocolTCP}, nil, solver.AnalysisOptions{}) {
		for _, p := range e.Ports {
			got[string(e.Destination)] = append(got[string(e.Destination)], e.Family+":"+p.Ports.String())
		}
	}
	assert.Equal(t, []string{"ipv6:22"}, got["i-bastion"], "%v", got)
	assert.ElementsMatch(t, []string{"ipv4:443", "ipv6:443"}, got["i-web"], "%v", got)
	assert.Empty(t, got["i-app"])
	assert.Empty(t, got["i-v6"])
}

// who-can-reach covers both families: the IPv6 internet reaches i-bastion
// on 22, the IPv4 internet does not.
func TestIPv6WhoCanReach(t *testing.T) {
	s := load(t, dualStackWeb)
	r, err := s.WhoCanReach(tcpq("", "i-bastion", 22), solver.AnalysisOptions{})
	require.NoError(t, err)
	require.NotEmpty(t, r.Internet)
	for _, p := range r.Internet {
		assert.True(t, p.Addr().Is6(), "only IPv6 ranges reach: %v", r.Internet)
	}
}

// The whole-network analyses run on a dual-stack model with an IPv6-only
// interface: the matrix counts a pair reachable over either family.
func TestIPv6Matrix(t *testing.T) {
	s := load(t, dualStackWeb)
	m := s.Matrix(tcpq("", "", 22), solver.LevelInstance, solver.AnalysisOptions{})
	require.NotEmpty(t, m.Nodes)
	pm := s.PortMatrix(solver.LevelInstance, solver.AnalysisOptions{})
	require.NotEmpty(t, pm.Nodes)
	// i-v6 (IPv6 only) reaches i-app on 22 over IPv6 (Reach says so);
	// the matrix agrees.
	require.True(t, s.Reach(tcpq("i-v6", "i-app", 22)).Reachable())
	node := func(id string) int { return slices.Index(m.Nodes, model.ID(id)) }
	assert.Contains(t, m.Reach[node("i-v6")], node("i-app"), "%v", m)
	sm := s.Matrix(tcpq("", "", 22), solver.LevelSubnet, solver.AnalysisOptions{})
	snode := func(id string) int { return slices.Index(sm.Nodes, model.ID(id)) }
	assert.Contains(t, sm.Reach[snode("s-v6")], snode("s-app"), "%v", sm)
}

// V-03: Query.Family restricts an answer to one family: a dual-stack
// destination named by id is then answered for that family alone; an end
// without it is DESTINATION_NOT_FOUND; icmp belongs to IPv4 and icmpv6 to
// IPv6 (V-11), and any other family is an invalid query.
func TestQueryFamily(t *testing.T) {
	s := load(t, dualStackWeb)
	q := tcpq("internet", "i-bastion", 22)
	q.Family = solver.FamilyIPv4
	r := s.Reach(q)
	assert.False(t, r.Reachable(), "over IPv4 the bastion admits nothing on 22: %s", r.Text())
	assert.Equal(t, solver.FamilyIPv4, r.Family)
	assert.Nil(t, r.Families)
	assert.Equal(t, []string{"ENI_SG_RULES_MISMATCH"}, blockerCodes(r))
	q.Family = solver.FamilyIPv6
	r = s.Reach(q)
	assert.True(t, r.Reachable(), "%s", r.Text())
	assert.Equal(t, solver.FamilyIPv6, r.Family)
	assert.Nil(t, r.Families)

	q = tcpq("i-v6", "i-app", 22)
	q.Family = solver.FamilyIPv4
	r = s.Reach(q)
	assert.False(t, r.Reachable())
	assert.Equal(t, []string{"DESTINATION_NOT_FOUND"}, blockerCodes(r))
	assert.Contains(t, r.Blockers[0].Message, "do not both have IPv4 addresses")

	for _, bad := range []solver.Query{
		{From: "i-web", To: "i-app", Protocol: model.ProtocolTCP, Port: 80, Family: "ip6"},
		{From: "i-web", To: "i-app", Protocol: model.ProtocolICMP, Family: solver.FamilyIPv6},
		{From: "i-web", To: "i-app", Protocol: model.ProtocolICMPv6, Family: solver.FamilyIPv4},
	} {
		r := s.Reach(bad)
		assert.Equal(t, solver.VerdictInvalidQuery, r.Verdict, "%+v", bad)
		assert.ErrorIs(t, r.Err, solver.ErrInvalidQuery)
	}
}

// V-06: the IPv6 internet of exposure is the global unicast space but the
// model's VPC blocks (VPC addresses are no internet hosts): an instance
// open to ::/0 is exposed from anywhere; one open to a /48 is exposed from
// that /48, and Except names IPv6 ranges only, none inside a VPC block.
func TestIPv6ExposureRanges(t *testing.T) {
	s := load(t, dualStackWeb)
	var bastion, partial *solver.Exposed
	for _, e := range s.Exposure([]model.Protocol{model.ProtocolTCP}, []model.PortRange{{First: 22, Last: 22}}, solver.AnalysisOptions{}) {
		if e.Destination == "i-bastion" && e.Family == solver.FamilyIPv6 {
			bastion = &e
		}
	}
	require.NotNil(t, bastion)
	require.Len(t, bastion.Ports, 1)
	assert.True(t, bastion.Ports[0].Anywhere, "%v", bastion.Ports[0].From)
	assert.Nil(t, bastion.Ports[0].Except())

	narrow := strings.Replace(dualStackWeb, `ports: 22, sources: ["::/0"]}
      - id: sg-app`, `ports: 22, sources: ["2001:db8:1::/48"]}
      - id: sg-app`, 1)
	require.NotEqual(t, dualStackWeb, narrow)
	s = load(t, narrow)
	for _, e := range s.Exposure([]model.Protocol{model.ProtocolTCP}, []model.PortRange{{First: 22, Last: 22}}, solver.AnalysisOptions{}) {
		if e.Destination == "i-bastion" && e.Family == solver.FamilyIPv6 {
			partial = &e
		}
	}
	require.NotNil(t, partial)
	require.Len(t, partial.Ports, 1)
	p := partial.Ports[0]
	assert.False(t, p.Anywhere)
	assert.Equal(t, []netip.Prefix{netip.MustParsePrefix("2001:db8:1::/48")}, p.From)
	except := p.Except()
	require.NotEmpty(t, except)
	vpcBlock := netip.MustParsePrefix("2600:1f18:a:c00::/56")
	for _, x := range except {
		assert.True(t, x.Addr().Is6(), "%s", x)
		assert.False(t, x.Overlaps(vpcBlock), "%s is the VPC's own block", x)
		assert.False(t, x.Overlaps(p.From[0]), "%s reaches", x)
	}
}

// V-06: "internet" over IPv6 is never an address of a VPC block (a
// Terraform plan's assumed blocks come from 2001:db8::/32, where the
// first candidate host lies): a VPC whose block holds 2001:db8::1 is
// reached from another host.
func TestInternetHost6AvoidsVPCBlocks(t *testing.T) {
	doc := strings.ReplaceAll(dualStackWeb, "2600:1f18:a:c", "2001:db8:0:")
	// No rule may name the VPC's block: only the block keeps the host out.
	doc = strings.Replace(doc, "          - {protocol: icmpv6, icmp: {type: 128}, sources: [2001:db8:0:00::/56]}\n", "", 1)
	require.NotContains(t, doc, "sources: [2001:db8:0:00::/56]")
	s := load(t, doc)
	r := s.Reach(tcpq("internet", "i-bastion", 22))
	require.True(t, r.Reachable(), "%s", r.Text())
	assert.Equal(t, solver.FamilyIPv6, r.Family)
	assert.NotContains(t, r.Text(), "from 2001:db8::1 ", "2001:db8::1 is in the VPC's block 2001:db8::/56")
}

// V-12: the implicit default network ACL has rule 101 for IPv6 only in a
// VPC with an IPv6 block, so the matrix, which shares ACL checks between
// ACLs with the same rules, must not share them between the implicit
// ACLs of VPCs with and without IPv6: here the IPv4-only vpc-0 comes
// first, and the matrix said its ACL (no rule 101) for vpc-a's IPv6
// pairs. Found by the oracle.
func TestImplicitDefaultACLsDifferByFamily(t *testing.T) {
	doc := strings.Replace(dualStackWeb, "vpcs:\n", `vpcs:
  - id: vpc-0
    region: eu-west-1
    cidr_blocks: [10.9.0.0/16]
    subnets:
      - {id: s-0, az: eu-west-1a, cidr_block: 10.9.0.0/24}
    instances:
      - {id: i-0, subnet: s-0, private_ip: 10.9.0.10}
`, 1)
	s := load(t, doc)
	q := solver.Query{Protocol: model.ProtocolTCP, Port: 22}
	mx := s.Matrix(q, solver.LevelInstance, solver.AnalysisOptions{})
	got := map[[2]model.ID]bool{}
	for a, row := range mx.Reach {
		for _, b := range row {
			got[[2]model.ID{mx.Nodes[a], mx.Nodes[b]}] = true
		}
	}
	for _, a := range mx.Nodes {
		for _, b := range mx.Nodes {
			if a == b {
				continue
			}
			q.From, q.To = string(a), string(b)
			assert.Equal(t, s.Reach(q).Reachable(), got[[2]model.ID{a, b}], "%s -> %s", a, b)
		}
	}
	assert.True(t, got[[2]model.ID{"i-v6", "i-app"}], "the IPv6-only instance reaches i-app on 22 over IPv6")
}

// TestPrivateIPv6ULA: a VPC IPv6 block in unique local space (fc00::/7;
// AWS allocates private IPv6 ULA ranges from IPAM, under fd80::/9) is
// private: the internet gateway drops its traffic and the internet does
// not reach it, while a global block in the same VPC goes out (V-01; VPC
// user guide, private IPv6 addresses: "automatically dropped at the
// internet gateway edge").
func TestPrivateIPv6ULA(t *testing.T) {
	s := load(t, ulaTopology)
	runReachCases(t, s, []reachCase{
		{"V-01", "a ULA source is dropped at the internet gateway", six(tcp("i-ula", "internet", 443)), unreachable, []string{"forward:IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"}},
		{"V-01", "a global one goes out", six(tcp("i-gua", "internet", 443)), reachable, nil},
		{"V-01", "the internet does not reach a ULA address", tcp("internet", "fd80:9:9:901::10", 443), unreachable, []string{"forward:NO_PUBLIC_ADDRESS"}},
		{"V-01", "it reaches a global one", tcp("internet", "2600:1f18:9:902::10", 443), reachable, nil},
		{"V-01", "inside the VPC, ULA addresses are reached", tcp("i-gua", "fd80:9:9:901::10", 443), reachable, nil},
	})
	// Through an egress-only internet gateway too.
	s = load(t, strings.Replace(strings.Replace(ulaTopology, "internet_gateway: igw-u", "egress_only_internet_gateway: eigw-u", 1), "target: igw-u", "target: eigw-u", 1))
	runReachCases(t, s, []reachCase{
		{"V-01", "a ULA source is dropped at the egress-only internet gateway", six(tcp("i-ula", "internet", 443)), unreachable, []string{"forward:IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"}},
		{"V-07", "a global one goes out", six(tcp("i-gua", "internet", 443)), reachable, nil},
	})
}

// ulaTopology is a VPC with a unique local IPv6 block and a global one,
// and an internet gateway (TestPrivateIPv6ULA).
const ulaTopology = `
version: 1
vpcs:
  - id: vpc-u
    region: eu-west-1
    cidr_blocks: [10.9.0.0/16]
    ipv6_cidr_blocks: ["fd80:9:9:900::/56", "2600:1f18:9:900::/56"]
    internet_gateway: igw-u
    subnets:
      - {id: sn-ula, az: eu-west-1a, cidr_block: 10.9.1.0/24, ipv6_cidr_block: "fd80:9:9:901::/64"}
      - {id: sn-gua, az: eu-west-1a, cidr_block: 10.9.2.0/24, ipv6_cidr_block: "2600:1f18:9:902::/64"}
    route_tables:
      - id: rtb-u
        main: true
        routes:
          - {destination: "::/0", target: igw-u}
    security_groups:
      - id: sg-u
        description: open both ways
        ingress: [{protocol: all, sources: ["::/0"]}]
    instances:
      - {id: i-ula, subnet: sn-ula, private_ip: 10.9.1.10, ipv6_addresses: ["fd80:9:9:901::10"], security_groups: [sg-u]}
      - {id: i-gua, subnet: sn-gua, private_ip: 10.9.2.10, ipv6_addresses: ["2600:1f18:9:902::10"], security_groups: [sg-u]}
`

// TestPrivateIPv6GUA: a VPC IPv6 block of global unicast space that IPAM
// provides as private (private_ipv6_cidr_blocks, Ipv6AddressAttribute
// private) is private as a unique local one is: the internet gateway and
// the egress-only internet gateway drop its traffic both ways, the
// internet does not reach it and exposure leaves it out, while a public
// block in the same VPC goes out; a subnet's block is private as the VPC
// block it is in (V-01; VPC user guide, private IPv6 addresses: "not
// reachable via the internet", "automatically dropped at the internet
// gateway edge").
func TestPrivateIPv6GUA(t *testing.T) {
	s := load(t, privateGUATopology)
	runReachCases(t, s, []reachCase{
		{"V-01", "a private GUA source is dropped at the internet gateway", six(tcp("i-priv", "internet", 443)), unreachable, []string{"forward:IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"}},
		{"V-01", "a public one goes out", six(tcp("i-pub", "internet", 443)), reachable, nil},
		{"V-01", "the internet does not reach a private GUA address", tcp("internet", "2600:1f18:9:a01::10", 443), unreachable, []string{"forward:NO_PUBLIC_ADDRESS"}},
		{"V-01", "it reaches a public one", tcp("internet", "2600:1f18:9:b02::10", 443), reachable, nil},
		{"V-01", "an internet address next to the private block is public", tcp("i-pub", "2600:1f18:9:c00::1", 443), reachable, nil},
		{"V-01", "inside the VPC, private GUA addresses are reached", tcp("i-pub", "2600:1f18:9:a01::10", 443), reachable, nil},
		{"V-01", "another VPC's private GUA address is not a global destination for the internet gateway", tcp("i-pub", "2600:1f18:7:a01::10", 443), unreachable, []string{"forward:IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"}},
	})
	// The blockers name the private block.
	for _, q := range []solver.Query{six(tcp("i-priv", "internet", 443)), tcp("internet", "2600:1f18:9:a01::10", 443), tcp("i-pub", "2600:1f18:7:a01::10", 443)} {
		r := s.Reach(q)
		if assert.Len(t, r.Blockers, 1, "%s -> %s", q.From, q.To) {
			assert.Contains(t, r.Blockers[0].Message, "is a private IPv6 block, which AWS does not advertise (V-01)", "%s -> %s", q.From, q.To)
		}
	}
	got := map[string]bool{}
	for _, e := range s.Exposure([]model.Protocol{model.ProtocolTCP}, nil, solver.AnalysisOptions{}) {
		got[string(e.Destination)+"/"+e.Family] = true
	}
	assert.True(t, got["i-pub/"+solver.FamilyIPv6], "V-01: i-pub's public IPv6 address is exposed: %v", got)
	assert.False(t, got["i-priv/"+solver.FamilyIPv6], "V-01: i-priv's private GUA address is not exposed: %v", got)
	// Through an egress-only internet gateway too.
	s = load(t, strings.Replace(strings.Replace(privateGUATopology, "internet_gateway: igw-p", "egress_only_internet_gateway: eigw-p", 1), "target: igw-p", "target: eigw-p", 1))
	runReachCases(t, s, []reachCase{
		{"V-01", "a private GUA source is dropped at the egress-only internet gateway", six(tcp("i-priv", "internet", 443)), unreachable, []string{"forward:IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"}},
		{"V-07", "a public one goes out", six(tcp("i-pub", "internet", 443)), reachable, nil},
	})
	// Unmarked, the same block is public (the control).
	s = load(t, strings.Replace(privateGUATopology, `    private_ipv6_cidr_blocks: ["2600:1f18:9:a00::/56"]`+"\n", "", 1))
	runReachCases(t, s, []reachCase{
		{"V-06", "an unmarked block goes out", six(tcp("i-priv", "internet", 443)), reachable, nil},
		{"V-06", "and is reached from the internet", tcp("internet", "2600:1f18:9:a01::10", 443), reachable, nil},
	})
}

// privateGUATopology is a VPC with a private GUA block and a public one,
// an internet gateway, and a second VPC with a private GUA block
// (TestPrivateIPv6GUA).
const privateGUATopology = `
version: 1
vpcs:
  - id: vpc-p
    region: eu-west-1
    cidr_blocks: [10.9.0.0/16]
    ipv6_cidr_blocks: ["2600:1f18:9:a00::/56", "2600:1f18:9:b00::/56"]
    private_ipv6_cidr_blocks: ["2600:1f18:9:a00::/56"]
    internet_gateway: igw-p
    subnets:
      - {id: sn-priv, az: eu-west-1a, cidr_block: 10.9.1.0/24, ipv6_cidr_block: "2600:1f18:9:a01::/64"}
      - {id: sn-pub, az: eu-west-1a, cidr_block: 10.9.2.0/24, ipv6_cidr_block: "2600:1f18:9:b02::/64"}
    route_tables:
      - id: rtb-p
        main: true
        routes:
          - {destination: "::/0", target: igw-p}
    security_groups:
      - id: sg-p
        description: open both ways
        ingress: [{protocol: all, sources: ["::/0"]}]
    instances:
      - {id: i-priv, subnet: sn-priv, private_ip: 10.9.1.10, ipv6_addresses: ["2600:1f18:9:a01::10"], security_groups: [sg-p]}
      - {id: i-pub, subnet: sn-pub, private_ip: 10.9.2.10, ipv6_addresses: ["2600:1f18:9:b02::10"], security_groups: [sg-p]}
  - id: vpc-q
    region: eu-west-1
    cidr_blocks: [10.7.0.0/16]
    ipv6_cidr_blocks: ["2600:1f18:7:a00::/56"]
    private_ipv6_cidr_blocks: ["2600:1f18:7:a00::/56"]
    subnets:
      - {id: sn-q, az: eu-west-1a, cidr_block: 10.7.1.0/24, ipv6_cidr_block: "2600:1f18:7:a01::/64"}
    security_groups:
      - id: sg-q
        description: open both ways
        ingress: [{protocol: all, sources: ["::/0"]}]
    instances:
      - {id: i-q, subnet: sn-q, private_ip: 10.7.1.10, ipv6_addresses: ["2600:1f18:7:a01::10"], security_groups: [sg-q]}
`
