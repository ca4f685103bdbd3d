package model_test

import (
	"fmt"
	"net/netip"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
)

// dualStack is a valid dual-stack VPC: IPv6 blocks on the VPC and its
// subnets, an IPv6-only subnet, IPv6 addresses on instances, IPv6 routes
// to an internet gateway and an egress-only one, IPv6 filter rules.
const dualStack = `version: 1
vpcs:
  - id: vpc-a
    region: ap-southeast-1
    cidr_blocks: [10.0.0.0/16]
    ipv6_cidr_blocks: [2600:1f18:a:c00::/56]
    internet_gateway: igw-a
    egress_only_internet_gateway: eigw-a
    subnets:
      - {id: s-web, az: ap-southeast-1a, cidr_block: 10.0.1.0/24, ipv6_cidr_block: 2600:1f18:a:c01::/64, route_table: rt-web}
      - {id: s-v6, az: ap-southeast-1a, ipv6_only: true, ipv6_cidr_block: 2600:1f18:a:c02::/64, route_table: rt-app}
    route_tables:
      - id: rt-web
        routes:
          - {destination: 0.0.0.0/0, target: igw-a}
          - {destination: "::/0", target: igw-a}
      - id: rt-app
        main: true
        routes:
          - {destination: "::/0", target: eigw-a}
          - {destination: 2600:1f18:a:c01::/64, target: i-web}
    network_acls:
      - id: acl-a
        default: true
        ingress:
          - {rule: 100, protocol: all, cidr: 0.0.0.0/0, action: allow}
          - {rule: 101, protocol: all, cidr: "::/0", action: allow}
        egress:
          - {rule: 100, protocol: all, cidr: 0.0.0.0/0, action: allow}
          - {rule: 101, protocol: icmpv6, icmp: {type: 128, code: -1}, cidr: "::/0", action: allow}
    security_groups:
      - id: sg-web
        ingress:
          - {protocol: tcp, ports: 443, sources: [0.0.0.0/0, "::/0"]}
          - {protocol: icmpv6, icmp: {type: 128}, sources: [2600:1f18:a:c00::/56]}
    instances:
      - {id: i-web, subnet: s-web, private_ip: 10.0.1.10, ipv6_addresses: [2600:1f18:a:c01::10], security_groups: [sg-web]}
      - {id: i-v6, subnet: s-v6, ipv6_addresses: ["2600:1f18:a:c02::10", "2600:1f18:a:c02::11"]}
`

// TestDualStackLoads: a dual-stack topology written as docs/format.md
// describes it loads without a diagnostic (V-01, V-02, V-03, V-07).
func TestDualStackLoads(t *testing.T) {
	m, warns, err := model.LoadBytes("t.yaml", []byte(dualStack))
	require.NoError(t, err)
	require.Empty(t, warns)
	v := m.VPCs[0]
	assert.Equal(t, "2600:1f18:a:c00::/56", v.IPv6CIDRBlocks[0].String())
	assert.Equal(t, model.ID("eigw-a"), v.EgressOnlyInternetGateway)
	assert.True(t, v.Subnets[1].IPv6Only)
	assert.False(t, v.Subnets[1].CIDRBlock.IsValid())
	assert.Equal(t, "2600:1f18:a:c02::11", v.Instances[1].IPv6Addresses[1].String())
	x, _ := model.NewIndex(m)
	assert.Equal(t, model.KindEgressOnlyInternetGateway, x.Kind("eigw-a"))
	assert.Equal(t, []string{"::/0", "2600:1f18:a:c01::/64"}, []string{v.RouteTables[1].Routes[0].Destination.String(), v.RouteTables[1].Routes[1].Destination.String()})
}

// TestPrivateIPv6Blocks: private_ipv6_cidr_blocks marks VPC IPv6 blocks
// private (private GUA); a unique local block is private unlisted, and a
// subnet's block is private as the VPC block it is in (V-01).
func TestPrivateIPv6Blocks(t *testing.T) {
	src := dualStackWith("ipv6_cidr_blocks: [2600:1f18:a:c00::/56]", "ipv6_cidr_blocks: [2600:1f18:a:c00::/56, 2600:1f18:a:d00::/56, fd80:a:a:a00::/56]\n    private_ipv6_cidr_blocks: [2600:1f18:a:c00::/56]")
	m, warns, err := model.LoadBytes("t.yaml", []byte(src))
	require.NoError(t, err)
	require.Empty(t, warns)
	assert.Equal(t, []string{"2600:1f18:a:c00::/56", "fd80:a:a:a00::/56"}, prefixStrings(m.VPCs[0].PrivateIPv6Blocks()))
	out, err := model.Encode(m)
	require.NoError(t, err)
	assert.Contains(t, string(out), "private_ipv6_cidr_blocks:")
	m2, _, err := model.LoadBytes("t.yaml", out)
	require.NoError(t, err)
	assert.Equal(t, m.VPCs[0].PrivateIPv6CIDRBlocks, m2.VPCs[0].PrivateIPv6CIDRBlocks, "V-01: private blocks survive encoding")
	m.VPCs[0].PrivateIPv6CIDRBlocks = nil
	assert.Equal(t, []string{"fd80:a:a:a00::/56"}, prefixStrings(m.VPCs[0].PrivateIPv6Blocks()), "V-01: a ULA block is private unlisted")
}

func prefixStrings[T fmt.Stringer](ps []T) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

// TestDualStackValidation: each IPv6 addressing and routing mistake is one
// positioned error naming its rule.
func TestDualStackValidation(t *testing.T) {
	tests := []struct {
		name, old, new, want string
	}{
		{"V-01 block size", "ipv6_cidr_blocks: [2600:1f18:a:c00::/56]", "ipv6_cidr_blocks: [2600:1f18::/40]",
			"t.yaml:6:24: vpcs[0].ipv6_cidr_blocks[0]: VPC IPv6 block 2600:1f18::/40 is /40; VPC IPv6 blocks are /44 to /60 (Amazon-provided ones /56) (V-01)"},
		{"V-01 overlapping blocks", "ipv6_cidr_blocks: [2600:1f18:a:c00::/56]", "ipv6_cidr_blocks: [2600:1f18:a:c00::/56, 2600:1f18:a::/48]",
			"t.yaml:6:46: vpcs[0].ipv6_cidr_blocks[1]: VPC IPv6 block 2600:1f18:a::/48 overlaps block 2600:1f18:a:c00::/56 of the same VPC (V-01)"},
		{"V-01 private block that is not a VPC block", "ipv6_cidr_blocks: [2600:1f18:a:c00::/56]", "ipv6_cidr_blocks: [2600:1f18:a:c00::/56]\n    private_ipv6_cidr_blocks: [2600:1f18:b:c00::/56]",
			"t.yaml:7:32: vpcs[0].private_ipv6_cidr_blocks[0]: private IPv6 block 2600:1f18:b:c00::/56 is not one of the ipv6_cidr_blocks of vpc-a (2600:1f18:a:c00::/56); list a block there and name it here (V-01)"},
		{"V-01 private block listed twice", "ipv6_cidr_blocks: [2600:1f18:a:c00::/56]", "ipv6_cidr_blocks: [2600:1f18:a:c00::/56]\n    private_ipv6_cidr_blocks: [2600:1f18:a:c00::/56, 2600:1f18:a:c00::/56]",
			"t.yaml:7:54: vpcs[0].private_ipv6_cidr_blocks[1]: private IPv6 block 2600:1f18:a:c00::/56 is listed twice (V-01)"},
		{"V-01 private block not a CIDR", "ipv6_cidr_blocks: [2600:1f18:a:c00::/56]", "ipv6_cidr_blocks: [2600:1f18:a:c00::/56]\n    private_ipv6_cidr_blocks: [10.0.0.0/16]",
			"t.yaml:7:32: vpcs[0].private_ipv6_cidr_blocks[0]: \"10.0.0.0/16\" is an IPv4 CIDR, not IPv6"},
		{"V-02 subnet outside the VPC's IPv6 blocks", "ipv6_cidr_block: 2600:1f18:a:c01::/64", "ipv6_cidr_block: 2600:1f18:b:c01::/64",
			"t.yaml:10:84: vpcs[0].subnets[0].ipv6_cidr_block: subnet 2600:1f18:b:c01::/64 is not inside any IPv6 block of vpc-a (2600:1f18:a:c00::/56) (V-02)"},
		{"V-02 subnet block size", "ipv6_cidr_block: 2600:1f18:a:c01::/64", "ipv6_cidr_block: 2600:1f18:a:c01::/80",
			"t.yaml:10:84: vpcs[0].subnets[0].ipv6_cidr_block: subnet IPv6 block 2600:1f18:a:c01::/80 is /80; subnet IPv6 blocks are /44 to /64 (V-02)"},
		{"V-02 overlapping subnets", "ipv6_cidr_block: 2600:1f18:a:c02::/64", "ipv6_cidr_block: 2600:1f18:a:c01::/64",
			"t.yaml:11:75: vpcs[0].subnets[1].ipv6_cidr_block: subnet s-v6 (2600:1f18:a:c01::/64) overlaps subnet s-web (2600:1f18:a:c01::/64) (V-02)"},
		{"V-02 subnet IPv6 block in an IPv4-only VPC", "    ipv6_cidr_blocks: [2600:1f18:a:c00::/56]\n", "",
			"t.yaml:9:84: vpcs[0].subnets[0].ipv6_cidr_block: subnet s-web has an IPv6 block but vpc-a has no ipv6_cidr_blocks (V-02)"},
		{"V-02 address outside the subnet", "ipv6_addresses: [2600:1f18:a:c01::10]", "ipv6_addresses: [2600:1f18:a:c03::10]",
			"t.yaml:37:76: vpcs[0].instances[0].ipv6_addresses[0]: 2600:1f18:a:c03::10 is not inside subnet s-web (2600:1f18:a:c01::/64) (V-02)"},
		{"V-02 reserved address", "ipv6_addresses: [2600:1f18:a:c01::10]", "ipv6_addresses: [2600:1f18:a:c01::3]",
			"t.yaml:37:76: vpcs[0].instances[0].ipv6_addresses[0]: 2600:1f18:a:c01::3 is reserved in subnet s-web (2600:1f18:a:c01::/64): AWS keeps the first four and the last address (V-02)"},
		{"V-02 reserved last address", "ipv6_addresses: [2600:1f18:a:c01::10]", "ipv6_addresses: [\"2600:1f18:a:c01:ffff:ffff:ffff:ffff\"]",
			"t.yaml:37:76: vpcs[0].instances[0].ipv6_addresses[0]: 2600:1f18:a:c01:ffff:ffff:ffff:ffff is reserved in subnet s-web (2600:1f18:a:c01::/64): AWS keeps the first four and the last address (V-02)"},
		{"V-02 duplicate address", "\"2600:1f18:a:c02::11\"", "\"2600:1f18:a:c02::10\"",
			"t.yaml:38:74: vpcs[0].instances[1].ipv6_addresses[1]: 2600:1f18:a:c02::10 is already used by i-v6 in vpc-a"},
		{"V-03 IPv6-only subnet with an IPv4 block", "{id: s-v6, az: ap-southeast-1a, ipv6_only: true,", "{id: s-v6, az: ap-southeast-1a, ipv6_only: true, cidr_block: 10.0.2.0/24,",
			"t.yaml:11:70: vpcs[0].subnets[1].cidr_block: subnet s-v6 is IPv6-only: it has no IPv4 cidr_block (V-03)"},
		{"V-03 IPv6-only subnet without an IPv6 block", " ipv6_cidr_block: 2600:1f18:a:c02::/64,", "",
			"t.yaml:11:9: vpcs[0].subnets[1].ipv6_cidr_block: subnet s-v6 is IPv6-only and needs an ipv6_cidr_block (V-03)"},
		{"V-03 IPv4 address in an IPv6-only subnet", "{id: i-v6, subnet: s-v6,", "{id: i-v6, subnet: s-v6, private_ip: 10.0.2.10,",
			"t.yaml:38:46: vpcs[0].instances[1].private_ip: i-v6 is in IPv6-only subnet s-v6: it has no IPv4 addresses (private_ip) (V-03)"},
		{"V-03 no IPv6 address in an IPv6-only subnet", `, ipv6_addresses: ["2600:1f18:a:c02::10", "2600:1f18:a:c02::11"]`, "",
			"t.yaml:38:9: vpcs[0].instances[1].ipv6_addresses: i-v6 is in IPv6-only subnet s-v6 and needs ipv6_addresses (V-03)"},
		{"private_ip needed outside IPv6-only subnets", "private_ip: 10.0.1.10, ", "",
			"t.yaml:37:9: vpcs[0].instances[0].private_ip: i-web needs a private_ip (only interfaces in an IPv6-only subnet have none)"},
		{"V-16 NAT gateway for an IPv6 destination outside 64:ff9b::/96", "    instances:\n", "    nat_gateways: [{id: nat-a, subnet: s-web, private_ip: 10.0.1.20, public_ip: 203.0.113.20}]\n    instances:\n",
			""},
		{"V-07 egress-only gateway for IPv4", `{destination: "::/0", target: eigw-a}`, `{destination: "0.0.0.0/0", target: eigw-a}`,
			"t.yaml:20:48: vpcs[0].route_tables[1].routes[0].target: egress-only internet gateway \"eigw-a\" carries IPv6 only; the route's destination 0.0.0.0/0 is IPv4 (V-07)"},
		{"V-07 egress-only gateway of no VPC", "    egress_only_internet_gateway: eigw-a\n", "",
			"t.yaml:19:43: vpcs[0].route_tables[1].routes[0].target: unknown route target \"eigw-a\" (did you mean \"igw-a\"?)"},
		{"S-11 IPv6 local route outside the blocks", `{destination: 2600:1f18:a:c01::/64, target: i-web}`, `{destination: 2600:1f18:b::/64, target: local}`,
			"t.yaml:21:53: vpcs[0].route_tables[1].routes[1].target: a local route's destination must lie inside the VPC's CIDR blocks (S-11)"},
		{"S-17 IPv6 route more specific than local", `{destination: 2600:1f18:a:c01::/64, target: i-web}`, `{destination: 2600:1f18:a:c01::/80, target: i-web}`,
			"t.yaml:21:27: vpcs[0].route_tables[1].routes[1].destination: route for 2600:1f18:a:c01::/80 is more specific than the local route 2600:1f18:a:c00::/56; AWS accepts such a route only for the exact CIDR of a subnet of vpc-a (did you mean 2600:1f18:a:c01::/64, the CIDR of subnet s-web?) (S-17)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Contains(t, dualStack, tt.old)
			src := dualStackWith(tt.old, tt.new)
			if tt.name == "V-16 NAT gateway for an IPv6 destination outside 64:ff9b::/96" {
				src = dualStackWith(`{destination: "::/0", target: eigw-a}`, `{destination: "::/0", target: nat-a}`)
				src = stringsReplace(src, "    instances:\n", tt.new)
				tt.want = "t.yaml:20:43: vpcs[0].route_tables[1].routes[0].target: NAT gateway \"nat-a\" translates IPv6 only to IPv4 (NAT64), for destinations inside 64:ff9b::/96; ::/0 is not inside it (V-16)"
			}
			_, _, err := model.LoadBytes("t.yaml", []byte(src))
			var got []string
			for _, d := range diagsOf(t, err) {
				got = append(got, d.Error())
			}
			// A mistake may have consequences elsewhere (an address
			// outside a moved subnet); the error named must be there.
			assert.Contains(t, got, tt.want)
		})
	}
}

// TestPeeringIPv6Overlap: VPCs whose IPv6 blocks overlap cannot be peered
// (V-13).
func TestPeeringIPv6Overlap(t *testing.T) {
	src := `version: 1
vpcs:
  - {id: vpc-a, region: r, cidr_blocks: [10.0.0.0/16], ipv6_cidr_blocks: ["2600:1f18:a:c00::/56"]}
  - {id: vpc-b, region: r, cidr_blocks: [10.1.0.0/16], ipv6_cidr_blocks: ["2600:1f18:a:c00::/56"]}
peering_connections:
  - {id: pcx-ab, requester: vpc-a, accepter: vpc-b}
`
	_, _, err := model.LoadBytes("t.yaml", []byte(src))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "t.yaml:6:5: peering_connections[0]: vpc-a (2600:1f18:a:c00::/56) and vpc-b (2600:1f18:a:c00::/56) overlap; VPCs with overlapping IPv6 blocks cannot be peered (V-13)")
}

// TestPrefixListOneFamily: a prefix list holds one address family (V-04).
func TestPrefixListOneFamily(t *testing.T) {
	src := `version: 1
prefix_lists:
  - {id: pl-a, cidrs: [10.0.0.0/8, "2600::/16"]}
`
	_, _, err := model.LoadBytes("t.yaml", []byte(src))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "t.yaml:3:36: prefix_lists[0].cidrs[1]: 2600::/16 is of another address family than 10.0.0.0/8: a prefix list holds IPv4 or IPv6 CIDRs, not both (V-04)")
}

func dualStackWith(old, new string) string { return stringsReplace(dualStack, old, new) }

// TestGatewayRouteTableIPv6: a gateway route table takes the IPv6 block of
// the VPC or of a subnet as a destination, as it takes IPv4 ones (V-24:
// "the entire IPv4 or IPv6 CIDR block" of the VPC or of a subnet), and
// refuses an IPv6 destination outside the VPC's IPv6 blocks.
func TestGatewayRouteTableIPv6(t *testing.T) {
	edge := "      - id: rt-edge\n        edge_associations: [igw-a]\n        routes:\n          - {destination: %s, target: i-web}\n      - id: rt-web\n"
	for _, tt := range []struct{ name, dst, want string }{
		{"a subnet's IPv6 block", "2600:1f18:a:c01::/64", ""},
		{"the VPC's IPv6 block", "2600:1f18:a:c00::/56", ""},
		{"outside the VPC's IPv6 blocks", "2600:1f18:b:c01::/64",
			"t.yaml:16:27: vpcs[0].route_tables[0].routes[0].destination: route for 2600:1f18:b:c01::/64 in gateway route table rt-edge: a gateway route table routes only addresses of vpc-a (10.0.0.0/16, 2600:1f18:a:c00::/56) (V-24)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := dualStackWith("      - id: rt-web\n", fmt.Sprintf(edge, tt.dst))
			_, _, err := model.LoadBytes("t.yaml", []byte(src))
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestNAT64Validation: a NAT gateway takes IPv6 routes inside
// 64:ff9b::/96 (NAT64, V-16), and no others; it is not placed in an
// IPv6-only subnet, NAT64 or not (V-16); DNS64 on a subnet without an
// IPv6 block is a warning, not an error (V-17).
func TestNAT64Validation(t *testing.T) {
	nat := "    nat_gateways: [{id: nat-a, subnet: s-web, private_ip: 10.0.1.20, public_ip: 203.0.113.20}]\n    instances:\n"
	withRoute := func(dst string) string {
		src := dualStackWith(`{destination: "::/0", target: eigw-a}`, `{destination: "`+dst+`", target: nat-a}`)
		return stringsReplace(src, "    instances:\n", nat)
	}
	for _, dst := range []string{"64:ff9b::/96", "64:ff9b::a00:0/104", "64:ff9b::c633:6407/128"} {
		_, _, err := model.LoadBytes("t.yaml", []byte(withRoute(dst)))
		assert.NoError(t, err, "a route for %s to a NAT gateway is NAT64's", dst)
	}
	for _, dst := range []string{"64:ff9b::/64", "2600::/16", "::/0"} {
		_, _, err := model.LoadBytes("t.yaml", []byte(withRoute(dst)))
		require.Error(t, err, dst)
		assert.Contains(t, err.Error(), "is not inside it (V-16)")
	}

	inV6Only := stringsReplace(dualStack, "    instances:\n", "    nat_gateways: [{id: nat-a, subnet: s-v6, private_ip: 10.0.1.20, public_ip: 203.0.113.20}]\n    instances:\n")
	_, _, err := model.LoadBytes("t.yaml", []byte(inV6Only))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "subnet s-v6 is IPv6-only: a NAT gateway has IPv4 addresses, and is placed in a subnet with an IPv4 block (for NAT64 too) (V-16)")

	on := stringsReplace(dualStack, "route_table: rt-app}", "route_table: rt-app, enable_dns64: true}")
	m, warns, err := model.LoadBytes("t.yaml", []byte(on))
	require.NoError(t, err)
	assert.True(t, m.VPCs[0].Subnets[1].EnableDNS64)
	assert.Empty(t, warns)
	noV6 := stringsReplace(dualStack, "cidr_block: 10.0.1.0/24, ipv6_cidr_block: 2600:1f18:a:c01::/64,", "cidr_block: 10.0.1.0/24, enable_dns64: true,")
	noV6 = stringsReplace(noV6, "2600:1f18:a:c01::/64", "2600:1f18:a:c03::/64")
	_, warns, err = model.LoadBytes("t.yaml", []byte(noV6))
	var got []string
	for _, w := range warns {
		got = append(got, w.Error())
	}
	if err != nil {
		t.Logf("errors besides: %v", err)
	}
	assert.Contains(t, fmt.Sprint(got), "subnet s-web has DNS64 on but no ipv6_cidr_block")
	assert.Contains(t, fmt.Sprint(got), "(V-17)")
}

// TestIPv6InstanceTargets: an ipv6 target group takes instance targets,
// reached at their primary IPv6 address, so an instance without an IPv6
// address is refused; an Application Load Balancer cannot be registered
// with it (V-34).
func TestIPv6InstanceTargets(t *testing.T) {
	raw, err := os.ReadFile("../testdata/dualstack-privatelink.yaml")
	require.NoError(t, err)
	src := string(raw)
	_, _, err = model.LoadBytes("s.yaml", raw)
	require.NoError(t, err, "i-p6-six, with an IPv6 address, is a target of the ipv6 group tg-p6-six-inst")

	noIPv6 := stringsReplace(src, "        port: 9444\n        targets: [{id: i-p6-six}]", "        port: 9444\n        targets: [{id: i-p6-web}]")
	_, _, err = model.LoadBytes("s.yaml", []byte(noIPv6))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "targets[0].id: instance i-p6-web has no IPv6 address; an instance registered with an ipv6 target group needs a primary IPv6 address, which the load balancer sends to (V-34)")

	alb := stringsReplace(src, "      - id: tg-p6-six-inst\n", "      - id: tg-p6-six-inst\n        target_type: alb\n")
	_, _, err = model.LoadBytes("s.yaml", []byte(alb))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "an ipv6 target group holds ip or instance targets, not alb targets (an Application Load Balancer cannot be registered with an IPv6 target group) (V-34)")
}

// TestListsPrivateIPv6 checks the importers' one decision of V-01: a
// block is listed as private global unicast space when its association
// says private or its source none, with values AWS writes; a unique local
// block is private unlisted, and an unknown value lists nothing.
func TestListsPrivateIPv6(t *testing.T) {
	gua, ula := netip.MustParsePrefix("2600:1f18:9:a00::/56"), netip.MustParsePrefix("fd80:9:9:900::/56")
	for _, c := range []struct {
		p                 netip.Prefix
		attribute, source string
		want              bool
	}{
		{gua, "private", "", true},
		{gua, "", "none", true},
		{gua, "public", "amazon", false},
		{gua, "", "", false},
		{gua, "public", "none", true},
		{gua, "private", "somewhere", false},
		{gua, "secret", "none", false},
		{ula, "private", "none", false},
		{ula, "public", "", false},
	} {
		require.Equal(t, c.want, model.ListsPrivateIPv6(c.p, c.attribute, c.source), "%s %q %q (V-01)", c.p, c.attribute, c.source)
	}
}
