package solver_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// nat64File is the NAT64 and DNS64 scenario; its comments name the AWS
// page that decides each query.
const nat64File = "../testdata/nat64-dns64.yaml"

// TestNAT64Scenario answers the scenario's queries, each as the VPC user
// guide's "DNS64 and NAT64" page decides it (V-16, V-17).
func TestNAT64Scenario(t *testing.T) {
	s := loadFile(t, nat64File)
	runReachCases(t, s, []reachCase{
		{"V-16", "public NAT gateway, then the internet gateway", tcp("i-six-app", "64:ff9b::198.51.100.7", 443), reachable, nil},
		{"V-16", "the same address written in hex", tcp("i-six-app", "64:ff9b::c633:6407", 443), reachable, nil},
		{"V-16", "to an IPv4-only instance of the VPC by the local route", tcp("i-six-app", "64:ff9b::10.60.4.10", 5432), reachable, nil},
		{"V-16", "the server sees the private NAT gateway's IPv4 address", tcp("i-six-nodns", "64:ff9b::10.60.4.10", 5432), unreachable, []string{"forward:ENI_SG_RULES_MISMATCH"}},
		{"V-16", "a private NAT gateway's subnet has no route to the internet", tcp("i-six-nodns", "64:ff9b::198.51.100.7", 443), unreachable, []string{"forward:NO_ROUTE_TO_DESTINATION"}},
		{"V-17", "DNS64 synthesises the AAAA record", tcp("i-six-app", "legacy.corp.internal", 5432), reachable, nil},
		{"V-17", "no DNS64, no AAAA record: no address the client can use", tcp("i-six-nodns", "legacy.corp.internal", 5432), unreachable, []string{"forward:DESTINATION_NOT_FOUND"}},
	})
}

// TestNAT64ByID: ends that share no family, an IPv6-only client and an
// IPv4-only server named by id or by IPv4 address, are answered over
// IPv6 through NAT64, to 64:ff9b::<IPv4> (V-03, V-16); where DNS64 is off
// on the client's subnet, with a warning (V-17). A dual-stack client uses
// IPv4; nothing IPv4 reaches an IPv6-only end, NAT64 being outbound only.
func TestNAT64ByID(t *testing.T) {
	s := loadFile(t, nat64File)
	runReachCases(t, s, []reachCase{
		{"V-16", "by id, through the public NAT gateway and the local route", tcp("i-six-app", "i-six-legacy", 5432), reachable, nil},
		{"V-16", "by its IPv4 address", tcp("i-six-app", "10.60.4.10", 5432), reachable, nil},
		{"V-16", "an IPv4 internet host, through the internet gateway", tcp("i-six-app", "198.51.100.7", 443), reachable, nil},
		{"V-17", "through the private NAT gateway, DNS64 off: warned", tcp("i-six-nodns", "i-six-report", 8443), warned, []string{"warning:DNS64_DISABLED"}},
		{"V-16", "the server sees the private NAT gateway's address", tcp("i-six-nodns", "i-six-legacy", 5432), unreachable, []string{"forward:ENI_SG_RULES_MISMATCH", "warning:DNS64_DISABLED"}},
		{"V-16", "a private NAT gateway's subnet has no route to the internet", tcp("i-six-nodns", "198.51.100.7", 443), unreachable, []string{"forward:NO_ROUTE_TO_DESTINATION", "warning:DNS64_DISABLED"}},
		{"V-16", "no route for 64:ff9b::/96: the egress-only gateway drops it", tcp("i-six-noroute", "i-six-legacy", 5432), unreachable, []string{"forward:IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"}},
		{"V-03", "a dual-stack client uses IPv4, refused", tcp("i-six-dual", "i-six-legacy", 5432), unreachable, []string{"forward:ENI_SG_RULES_MISMATCH"}},
		{"V-16", "NAT64 is outbound only: IPv4-only to IPv6-only", tcp("i-six-legacy", "i-six-app", 5432), unreachable, []string{"forward:DESTINATION_NOT_FOUND"}},
		{"V-11", "icmp is IPv4's: no NAT64 for it", solver.Query{From: "i-six-app", To: "i-six-legacy", Protocol: model.ProtocolICMP}, unreachable, []string{"forward:DESTINATION_NOT_FOUND"}},
		{"V-16", "icmpv6 echo through NAT64, refused as ICMP by the server", solver.Query{From: "i-six-app", To: "i-six-legacy", Protocol: model.ProtocolICMPv6}, unreachable, []string{"forward:ENI_SG_RULES_MISMATCH"}},
		{"V-03", "an IPv4 query asks for a family the client lacks", solver.Query{From: "i-six-app", To: "i-six-legacy", Protocol: model.ProtocolTCP, Port: 5432, Family: solver.FamilyIPv4}, unreachable, []string{"forward:DESTINATION_NOT_FOUND"}},
		{"V-06", "from the internet to an IPv6-only client: over IPv6, not NAT64; its group and the egress-only gateway refuse it", tcp("internet", "i-six-app", 443), unreachable, []string{"forward:ENI_SG_RULES_MISMATCH", "return:RETURN_ROUTE_MISSING"}},
	})

	r := s.Reach(tcp("i-six-app", "i-six-legacy", 5432))
	assert.Equal(t, solver.FamilyIPv6, r.Family)
	assert.Equal(t, solver.TranslationNAT64, r.Translation)
	assert.Contains(t, r.Text(), "forward path (IPv6, NAT64 to IPv4)")
	assert.Contains(t, r.Text(), "to 64:ff9b::a3c:40a")

	r = s.Reach(tcp("i-six-nodns", "i-six-report", 8443))
	require.Len(t, r.Warnings, 1)
	assert.Equal(t, model.ID("sn-six-nodns"), r.Warnings[0].Component)
	assert.Equal(t, "i-six-nodns is IPv6-only and i-six-report IPv4-only (V-03): the answer is through NAT64, to 64:ff9b::a3c:414 (V-16); DNS64 is off on subnet sn-six-nodns, so the client must get that address some other way (V-17)", r.Warnings[0].Message)

	// A failing path keeps the no-family explanation (V-03).
	r = s.Reach(tcp("i-six-noroute", "i-six-legacy", 5432))
	require.NotEmpty(t, r.Blockers)
	assert.Contains(t, r.Blockers[0].Message, "i-six-noroute and i-six-legacy have no address family in common, one IPv6 only, the other IPv4 only (V-03): this is the path through NAT64, to 64:ff9b::a3c:40a (V-16)")
	r = s.Reach(tcp("i-six-legacy", "i-six-app", 5432))
	assert.Contains(t, r.Blockers[0].Message, "NAT64 carries only connections an IPv6 client starts towards IPv4, never the reverse (V-16)")
	r = s.Reach(solver.Query{From: "i-six-app", To: "i-six-legacy", Protocol: model.ProtocolICMP})
	assert.Contains(t, r.Blockers[0].Message, "through NAT64, i-six-app would send to 64:ff9b::a3c:40a with icmpv6 (V-11) (V-16)")

	// An external network named by id, reached over the VPN gateway from
	// the private NAT gateway's subnet (V-16).
	x := loadFile(t, nat64File,
		"    egress_only_internet_gateway: eigw-six\n", "    egress_only_internet_gateway: eigw-six\n    vpn_gateway: vgw-six\n",
		"      - id: rtb-six-main\n        main: true\n", "      - id: rtb-six-main\n        main: true\n        routes:\n          - {destination: 192.168.0.0/16, target: vgw-six}\n",
		"hosted_zones:\n", "external_networks:\n  - {id: onprem, cidrs: [192.168.0.0/16], via: vgw-six}\nhosted_zones:\n")
	runReachCases(t, x, []reachCase{
		{"V-16", "an external network by id, through the private NAT gateway", tcp("i-six-nodns", "onprem", 443), warned, []string{"warning:DNS64_DISABLED"}},
		{"V-16", "an external network's address", tcp("i-six-nodns", "192.168.7.7", 443), warned, []string{"warning:DNS64_DISABLED"}},
	})
	assert.Equal(t, solver.TranslationNAT64, x.Reach(tcp("i-six-nodns", "onprem", 443)).Translation)

	// A name is what its records say: without DNS64, no NAT64 (V-17).
	r = s.Reach(tcp("i-six-nodns", "legacy.corp.internal", 5432))
	assert.Empty(t, r.Translation)
	assert.Equal(t, []string{"forward:DESTINATION_NOT_FOUND"}, codes(r))
}

// TestNAT64Translation: the answer says it went through NAT64 (V-16):
// Result.Translation, the path titles and the JSON; the NAT gateway hop
// translates both addresses and the response comes back from the
// synthesised address, by the local route.
func TestNAT64Translation(t *testing.T) {
	s := loadFile(t, nat64File)
	r := s.Reach(tcp("i-six-app", "64:ff9b::198.51.100.7", 443))
	require.True(t, r.Reachable(), "%s", r.Text())
	assert.Equal(t, solver.FamilyIPv6, r.Family)
	assert.Equal(t, solver.TranslationNAT64, r.Translation)
	assert.Contains(t, r.Text(), "forward path (IPv6, NAT64 to IPv4)")
	assert.Contains(t, r.Text(), "NAT64: source to 10.60.0.10, destination to 198.51.100.7 (V-16)")
	assert.Contains(t, r.Text(), "source to public address 203.0.113.60")
	assert.Contains(t, r.Text(), "NAT64 back to IPv6 (V-16): source to 64:ff9b::c633:6407, destination to 2600:1f18:60:601::10")
	var j struct {
		Family, Translation string
	}
	data, err := json.Marshal(r)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &j))
	assert.Equal(t, "ipv6", j.Family)
	assert.Equal(t, "nat64", j.Translation)

	// An answer over IPv6 end to end says no translation.
	r = s.Reach(tcp("i-six-app", "internet", 443))
	assert.Equal(t, solver.FamilyIPv6, r.Family)
	assert.Empty(t, r.Translation)
}

// TestDNS64DualStack: a dual-stack client in a subnet with DNS64 gets the
// name's A record and the synthesised AAAA record, and is answered per
// family: IPv4 end to end, IPv6 through NAT64 (V-17, V-16).
func TestDNS64DualStack(t *testing.T) {
	s := loadFile(t, nat64File)
	r := s.Reach(tcp("i-six-dual", "legacy.corp.internal", 5432))
	require.Len(t, r.Families, 2, "%s", r.Text())
	v4, v6 := r.Families[0], r.Families[1]
	assert.Equal(t, solver.FamilyIPv4, v4.Family)
	assert.Empty(t, v4.Translation)
	assert.False(t, v4.Reachable(), "the legacy server admits the public NAT gateway's subnet only")
	assert.Equal(t, solver.FamilyIPv6, v6.Family)
	assert.Equal(t, solver.TranslationNAT64, v6.Translation)
	assert.True(t, v6.Reachable(), "%s", v6.Text())
	assert.True(t, r.Reachable(), "reachable by either family")
	assert.Contains(t, r.Text(), "IPv6 (NAT64): reachable")
	assert.Contains(t, v6.Text(), "DNS64 (subnet sn-six-dual): legacy.corp.internal has no AAAA record; the Resolver synthesises 64:ff9b::a3c:40a (V-17)")
	assert.NotContains(t, v4.Text(), "DNS64")
}

// TestDNS64KeepsRealAAAA: a name with an AAAA record is answered as it
// is: DNS64 synthesises only for names without one (V-17).
func TestDNS64KeepsRealAAAA(t *testing.T) {
	s := loadFile(t, nat64File, "      - {name: legacy, type: A, values: [10.60.4.10]}\n",
		"      - {name: legacy, type: A, values: [10.60.4.10]}\n      - {name: both, type: A, values: [10.60.4.10]}\n      - {name: both, type: AAAA, values: [\"2600:1f18:60:602::20\"]}\n")
	r := s.Reach(tcp("i-six-app", "both.corp.internal", 22))
	assert.Empty(t, r.Translation, "%s", r.Text())
	assert.NotContains(t, r.Text(), "DNS64")
	assert.Contains(t, r.Text(), "2600:1f18:60:602::20")
}

// TestNAT64Protocols: NAT64 carries tcp, udp and ICMPv6 echo, which
// leaves as an ICMP echo and comes back as an ICMPv6 echo reply; other
// traffic it does not translate (V-16, as S-61 for IPv4).
func TestNAT64Protocols(t *testing.T) {
	s := loadFile(t, nat64File)
	r := s.Reach(solver.Query{From: "i-six-app", To: "64:ff9b::198.51.100.7", Protocol: model.ProtocolICMPv6})
	require.True(t, r.Reachable(), "%s", r.Text())
	assert.Equal(t, solver.TranslationNAT64, r.Translation)
	r = s.Reach(solver.Query{From: "i-six-app", To: "64:ff9b::198.51.100.7", Protocol: model.ProtocolUDP, Port: 53})
	assert.True(t, r.Reachable(), "%s", r.Text())
	r = s.Reach(solver.Query{From: "i-six-app", To: "64:ff9b::198.51.100.7", Protocol: model.ProtocolAll})
	assert.False(t, r.Reachable())
	assert.Contains(t, codes(r), "forward:NGW_PROTOCOL_RESTRICTION")
	r = s.Reach(solver.Query{From: "i-six-app", To: "64:ff9b::198.51.100.7", Protocol: model.ProtocolICMPv6, ICMP: &model.ICMPMatch{Type: 135}})
	assert.False(t, r.Reachable())
	assert.Contains(t, codes(r), "forward:NGW_PROTOCOL_RESTRICTION")

	// The server's security group sees ICMP, not ICMPv6.
	s = loadFile(t, nat64File, "          - {protocol: tcp, ports: 5432, sources: [10.60.0.0/24]}\n",
		"          - {protocol: tcp, ports: 5432, sources: [10.60.0.0/24]}\n          - {protocol: icmp, sources: [10.60.0.0/24]}\n")
	r = s.Reach(solver.Query{From: "i-six-app", To: "64:ff9b::10.60.4.10", Protocol: model.ProtocolICMPv6})
	assert.True(t, r.Reachable(), "%s", r.Text())
}

// TestNAT64NotOnTheInternet: 64:ff9b::/96 is no internet address: routed
// to an internet gateway it is dropped, and NAT64 starts at the inside,
// as NAT for IPv4: nothing reaches a client through the NAT gateway from
// the internet (V-16, S-61).
func TestNAT64NotOnTheInternet(t *testing.T) {
	s := loadFile(t, nat64File, `{destination: "64:ff9b::/96", target: nat-six-public}`, `{destination: "64:ff9b::/96", target: igw-six}`)
	r := s.Reach(tcp("i-six-app", "64:ff9b::198.51.100.7", 443))
	assert.False(t, r.Reachable())
	assert.Equal(t, []string{"forward:IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"}, codes(r))
	assert.Contains(t, r.Text(), "NAT64's prefix, which the internet does not route")

	s = loadFile(t, nat64File)
	r = s.Reach(tcp("internet", "203.0.113.60", 443))
	assert.False(t, r.Reachable())
	assert.Contains(t, codes(r), "forward:NGW_INBOUND_NOT_ALLOWED")
}

// TestNAT64NetworkACLs: the NAT gateway's subnet's network ACL sees the
// IPv6 packet coming in and the IPv4 one going out (V-16, S-32): a custom
// ACL with IPv4 rules only drops NAT64 traffic.
func TestNAT64NetworkACLs(t *testing.T) {
	s := loadFile(t, nat64File, "      - {id: sn-six-public, az: eu-west-1a, cidr_block: 10.60.0.0/24, ipv6_cidr_block: \"2600:1f18:60:600::/64\", route_table: rtb-six-public}\n",
		"      - {id: sn-six-public, az: eu-west-1a, cidr_block: 10.60.0.0/24, ipv6_cidr_block: \"2600:1f18:60:600::/64\", route_table: rtb-six-public, network_acl: acl-six-v4}\n",
		"    route_tables:\n",
		"    network_acls:\n      - id: acl-six-v4\n        ingress: [{rule: 100, protocol: all, cidr: 0.0.0.0/0, action: allow}]\n        egress: [{rule: 100, protocol: all, cidr: 0.0.0.0/0, action: allow}]\n    route_tables:\n")
	r := s.Reach(tcp("i-six-app", "64:ff9b::198.51.100.7", 443))
	assert.False(t, r.Reachable())
	assert.Equal(t, []string{"forward:SUBNET_ACL_RESTRICTION", "return:SUBNET_ACL_RESTRICTION"}, codes(r), "%s", r.Text())
}
