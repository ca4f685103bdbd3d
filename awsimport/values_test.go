package awsimport_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
)

// snapshotWith is one file holding a VPC, a subnet, a route table and a
// network ACL (unless lists has its own), and the top-level lists given
// (`"Key": [...]`, separated by commas).
func snapshotWith(lists string) string {
	if !strings.Contains(lists, `"RouteTables"`) {
		lists += `, "RouteTables": [{"RouteTableId": "rtb-main", "VpcId": "vpc-1", "Associations": [{"Main": true}], "Routes": []}]`
	}
	if !strings.Contains(lists, `"NetworkAcls"`) {
		lists += `, "NetworkAcls": [{"NetworkAclId": "acl-default", "VpcId": "vpc-1", "IsDefault": true, "Entries": []}]`
	}
	return `{"Vpcs": [{"VpcId": "vpc-1", "OwnerId": "111111111111", "CidrBlock": "10.0.0.0/16"}],
"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1a"}],
` + lists + `}`
}

// withRule is a snapshot whose group sg-1 has the ingress rule perm.
func withRule(perm string) string {
	return snapshotWith(`"SecurityGroups": [{"GroupId": "sg-1", "GroupName": "g", "VpcId": "vpc-1", "IpPermissionsEgress": [],
"IpPermissions": [` + perm + `]}]`)
}

// withEntry is a snapshot whose network ACL acl-1 has the entry e.
func withEntry(e string) string {
	return snapshotWith(`"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": false, "Entries": [` + e + `]}]`)
}

// withListener is a snapshot with a network load balancer whose listener
// port, target group port and target port are given.
func withListener(listener, group, target string) string {
	const lb, tg = "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/net/lb/1", "arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/tg/1"
	return snapshotWith(`"LoadBalancers": [{"LoadBalancerArn": "` + lb + `", "LoadBalancerName": "lb", "Scheme": "internal", "Type": "network", "VpcId": "vpc-1",
	"AvailabilityZones": [{"ZoneName": "us-east-1a", "SubnetId": "subnet-1"}]}],
"TargetGroups": [{"TargetGroupArn": "` + tg + `", "TargetGroupName": "tg", "Protocol": "TCP", "Port": ` + group + `, "TargetType": "ip", "VpcId": "vpc-1"}],
"LoadBalancerListeners": [{"LoadBalancerArn": "` + lb + `", "Listeners": [{"Protocol": "TCP", "Port": ` + listener + `,
	"DefaultActions": [{"Type": "forward", "TargetGroupArn": "` + tg + `"}]}]}],
"LoadBalancerTargetHealth": [{"TargetGroupArn": "` + tg + `", "TargetHealthDescriptions": [{"Target": {"Id": "10.0.1.20", "Port": ` + target + `}, "TargetHealth": {"State": "healthy"}}]}]`)
}

// withRoute is a snapshot whose main route table has the route r.
func withRoute(r string) string {
	return snapshotWith(`"InternetGateways": [{"InternetGatewayId": "igw-1", "Attachments": [{"VpcId": "vpc-1", "State": "available"}]}],
"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Associations": [{"Main": true}], "Routes": [` + r + `]}]`)
}

// A value AWS never writes is an error at the value, and never becomes a
// wider rule (a FromPort of -5 is not every port): the import fails, with
// that one error.
func TestValuesAWSNeverWritesAreErrors(t *testing.T) {
	tcp := func(from, to string) string {
		return `{"IpProtocol": "tcp", "FromPort": ` + from + `, "ToPort": ` + to + `, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}`
	}
	icmp := func(typ, code string) string {
		return `{"IpProtocol": "icmp", "FromPort": ` + typ + `, "ToPort": ` + code + `, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}`
	}
	peer := func(cidr string) string {
		return `{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": ` + cidr + `}]}`
	}
	for _, c := range []struct {
		name, text, path, want string
	}{
		// Security group rules (S-21).
		{"S-21 tcp FromPort -5", withRule(tcp(mark+"-5", "80")), "IpPermissions[0].FromPort", "port -5 is outside 0..65535"},
		{"S-21 tcp FromPort -1", withRule(tcp(mark+"-1", "22")), "IpPermissions[0].FromPort", "-1 (every port) is not a tcp port"},
		{"S-21 tcp ports -1 and -1", withRule(tcp(mark+"-1", "-1")), "IpPermissions[0].FromPort", "-1 (every port) is not a tcp port"},
		{"S-21 udp ToPort above 65535", withRule(strings.Replace(tcp("53", mark+"65536"), "tcp", "udp", 1)), "IpPermissions[0].ToPort", "port 65536 is outside 0..65535"},
		{"S-21 FromPort above ToPort", withRule(tcp(mark+"443", "80")), "IpPermissions[0].FromPort", "FromPort 443 is above ToPort 80"},
		{"S-21 tcp without ports", withRule(mark + `{"IpProtocol": "tcp", "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}`), "IpPermissions[0].FromPort", "a tcp rule has FromPort and ToPort, and this one has no FromPort"},
		{"S-21 tcp without ToPort", withRule(mark + `{"IpProtocol": "6", "FromPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}`), "IpPermissions[0].ToPort", "and this one has no ToPort"},
		{"S-21 ICMP type above 255", withRule(icmp(mark+"256", "0")), "IpPermissions[0].FromPort", "ICMP type 256 is outside -1 (any) to 255"},
		{"S-21 ICMP code below -1", withRule(icmp("3", mark+"-2")), "IpPermissions[0].ToPort", "ICMP code -2 is outside"},
		{"S-21 ICMP code without a type", withRule(icmp("-1", mark+"4")), "IpPermissions[0].ToPort", "ICMP code 4 with type -1 (any)"},
		{"S-21 ICMP without a code", withRule(mark + `{"IpProtocol": "icmp", "FromPort": 8, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}`), "IpPermissions[0].ToPort", "and this one has no ToPort"},
		{"S-21 an unknown protocol", withRule(mark + `{"IpProtocol": "tcpp", "FromPort": 22, "ToPort": 22}`), "IpPermissions[0].IpProtocol", `"tcpp" is not a protocol`},
		{"S-21 a peer with host bits", withRule(peer(mark + `"10.0.0.1/16"`)), "IpPermissions[0].IpRanges[0].CidrIp", `"10.0.0.1/16" has host bits set, which AWS never writes (it writes 10.0.0.0/16)`},
		{"S-21 a peer too long", withRule(peer(mark + `"10.0.0.0/33"`)), "IpPermissions[0].IpRanges[0].CidrIp", `"10.0.0.0/33" is not an IPv4 CIDR block`},
		{"S-21 a peer that is an address", withRule(peer(mark + `"10.0.0.1"`)), "IpPermissions[0].IpRanges[0].CidrIp", `"10.0.0.1" is an address, not a CIDR block (AWS writes 10.0.0.1/32)`},
		{"S-21 a peer without a block", withRule(mark + `{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"Description": "x"}]}`), "IpPermissions[0].IpRanges[0].CidrIp", "has a CidrIp, and this one has none"},

		// Network ACL entries (S-31).
		{"S-31 rule number 0", withEntry(`{"RuleNumber": ` + mark + `0, "Protocol": "-1", "RuleAction": "allow", "CidrBlock": "0.0.0.0/0"}`), "Entries[0].RuleNumber", "rule number 0 is outside 1..32766"},
		{"S-31 rule number 40000", withEntry(`{"RuleNumber": ` + mark + `40000, "Protocol": "-1", "RuleAction": "deny", "CidrBlock": "0.0.0.0/0"}`), "Entries[0].RuleNumber", "rule number 40000 is outside 1..32766"},
		{"S-31 a final rule that allows", withEntry(`{"RuleNumber": ` + mark + `32767, "Protocol": "-1", "RuleAction": "allow", "CidrBlock": "0.0.0.0/0"}`), "Entries[0].RuleNumber", "rule 32767 is AWS's final rule"},
		{"S-31 no rule number", withEntry(mark + `{"Protocol": "-1", "RuleAction": "allow", "CidrBlock": "0.0.0.0/0"}`), "Entries[0].RuleNumber", "has a RuleNumber, and this one has none"},
		{"S-31 tcp without a port range", withEntry(mark + `{"RuleNumber": 100, "Protocol": "6", "RuleAction": "allow", "CidrBlock": "0.0.0.0/0"}`), "Entries[0].PortRange", "a tcp rule has a PortRange, and this one has none"},
		{"S-31 a port range upside down", withEntry(`{"RuleNumber": 100, "Protocol": "17", "RuleAction": "allow", "CidrBlock": "0.0.0.0/0", "PortRange": {"From": ` + mark + `2000, "To": 1000}}`), "Entries[0].PortRange.From", "From 2000 is above To 1000"},
		{"S-31 a port range from -1", withEntry(`{"RuleNumber": 100, "Protocol": "6", "RuleAction": "deny", "CidrBlock": "0.0.0.0/0", "PortRange": {"From": ` + mark + `-1, "To": 22}}`), "Entries[0].PortRange.From", "-1 (every port) is not a tcp port"},
		{"S-31 icmp without a type and code", withEntry(mark + `{"RuleNumber": 100, "Protocol": "1", "RuleAction": "deny", "CidrBlock": "0.0.0.0/0"}`), "Entries[0].IcmpTypeCode", "an icmp rule has an IcmpTypeCode, and this one has none"},
		{"S-31 an ICMP type above 255", withEntry(`{"RuleNumber": 100, "Protocol": "1", "RuleAction": "deny", "CidrBlock": "0.0.0.0/0", "IcmpTypeCode": {"Type": ` + mark + `300, "Code": 0}}`), "Entries[0].IcmpTypeCode.Type", "ICMP type 300 is outside"},
		{"S-31 an unknown action", withEntry(mark + `{"RuleNumber": 100, "Protocol": "-1", "RuleAction": "permit", "CidrBlock": "0.0.0.0/0"}`), "Entries[0].RuleAction", `rule action "permit" is neither allow nor deny`},
		{"S-31 an unknown protocol", withEntry(mark + `{"RuleNumber": 100, "Protocol": "300", "RuleAction": "deny", "CidrBlock": "0.0.0.0/0"}`), "Entries[0].Protocol", `"300" is not a protocol`},
		{"S-31 a block with host bits", withEntry(`{"RuleNumber": 100, "Protocol": "6", "RuleAction": "allow", "CidrBlock": ` + mark + `"10.1.2.3/8", "PortRange": {"From": 22, "To": 22}}`), "Entries[0].CidrBlock", `"10.1.2.3/8" has host bits set`},
		{"S-31 no block", withEntry(mark + `{"RuleNumber": 100, "Protocol": "-1", "RuleAction": "deny"}`), "Entries[0].CidrBlock", "has a CidrBlock (or an Ipv6CidrBlock), and this one has none"},

		// Load balancers.
		{"listener port 0", withListener(mark+"0", "80", "80"), "LoadBalancerListeners[0].Listeners[0].Port", "port 0 is outside 1..65535"},
		{"listener port above 65535", withListener(mark+"65536", "80", "80"), "LoadBalancerListeners[0].Listeners[0].Port", "port 65536 is outside 1..65535"},
		{"target group port 0", withListener("80", mark+"0", "80"), "TargetGroups[0].Port", "port 0 is outside 1..65535"},
		{"target port -80", withListener("80", "80", mark+"-80"), "LoadBalancerTargetHealth[0].TargetHealthDescriptions[0].Target.Port", "port -80 is outside 1..65535"},

		// Routes, subnets, VPCs.
		{"a route to a block with host bits", withRoute(`{"DestinationCidrBlock": ` + mark + `"0.0.0.1/0", "GatewayId": "igw-1", "State": "active"}`), "RouteTables[0].Routes[0].DestinationCidrBlock", `"0.0.0.1/0" has host bits set`},
		{"a route without a destination", withRoute(mark + `{"GatewayId": "igw-1", "State": "active"}`), "RouteTables[0].Routes[0].DestinationCidrBlock", "and this one has none"},
		{"a subnet with host bits", strings.Replace(snapshotWith(`"Addresses": []`), `"CidrBlock": "10.0.1.0/24"`, `"CidrBlock": `+mark+`"10.0.1.9/24"`, 1), "Subnets[0].CidrBlock", `"10.0.1.9/24" has host bits set`},
		{"a VPC block that is no block", strings.Replace(snapshotWith(`"Addresses": []`), `"CidrBlock": "10.0.0.0/16"`, `"CidrBlock": `+mark+`"10.0.0.0"`, 1), "Vpcs[0].CidrBlock", `"10.0.0.0" is an address, not a CIDR block`},
		// IPv6 (V-01..V-07): each family under its own key.
		{"V-04 ::/0 in a rule's IpRanges", withRule(peer(mark + `"::/0"`)), "IpPermissions[0].IpRanges[0].CidrIp", `"::/0" is an IPv6 block, which AWS writes under Ipv6Ranges[].CidrIpv6, never here`},
		{"V-04 an IPv4 block in a rule's Ipv6Ranges", withRule(`{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "Ipv6Ranges": [{"CidrIpv6": ` + mark + `"10.0.0.0/8"}]}`), "IpPermissions[0].Ipv6Ranges[0].CidrIpv6", `"10.0.0.0/8" is an IPv4 block, which AWS writes under IpRanges[].CidrIp`},
		{"V-04 an IPv6 peer with host bits", withRule(`{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "Ipv6Ranges": [{"CidrIpv6": ` + mark + `"2600:1f18::1/56"}]}`), "IpPermissions[0].Ipv6Ranges[0].CidrIpv6", `"2600:1f18::1/56" has host bits set, which AWS never writes (it writes 2600:1f18::/56)`},
		{"V-04 an IPv4-mapped IPv6 peer", withRule(`{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "Ipv6Ranges": [{"CidrIpv6": ` + mark + `"::ffff:10.0.0.0/104"}]}`), "IpPermissions[0].Ipv6Ranges[0].CidrIpv6", `IPv4-mapped IPv6 block`},
		{"V-04 an IPv6 peer without a block", withRule(mark + `{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "Ipv6Ranges": [{"Description": "x"}]}`), "IpPermissions[0].Ipv6Ranges[0].CidrIpv6", "has a CidrIpv6, and this one has none"},
		{"V-04 ::/0 in an ACL entry's CidrBlock", withEntry(`{"RuleNumber": 100, "Protocol": "-1", "RuleAction": "deny", "CidrBlock": ` + mark + `"::/0"}`), "Entries[0].CidrBlock", `"::/0" is an IPv6 block, which AWS writes under Ipv6CidrBlock, never here`},
		{"V-04 an ACL entry with both blocks", withEntry(`{"RuleNumber": 100, "Protocol": "-1", "RuleAction": "deny", "CidrBlock": "0.0.0.0/0", "Ipv6CidrBlock": ` + mark + `"::/0"}`), "Entries[0].Ipv6CidrBlock", "has either a CidrBlock or an Ipv6CidrBlock, never both"},
		{"S-31 a final IPv6 rule that allows", withEntry(`{"RuleNumber": ` + mark + `32768, "Protocol": "-1", "RuleAction": "allow", "Ipv6CidrBlock": "::/0"}`), "Entries[0].RuleNumber", "rule 32768 is AWS's final IPv6 rule"},
		{"S-31 a final IPv4 rule from ::/0", withEntry(`{"RuleNumber": ` + mark + `32767, "Protocol": "-1", "RuleAction": "deny", "Ipv6CidrBlock": "::/0"}`), "Entries[0].RuleNumber", "rule 32767 is AWS's final rule"},
		{"S-31 icmpv6 of an IPv6 block without a type and code", withEntry(mark + `{"RuleNumber": 100, "Protocol": "58", "RuleAction": "allow", "Ipv6CidrBlock": "::/0"}`), "Entries[0].IcmpTypeCode", "an icmpv6 rule of an IPv6 block has an IcmpTypeCode, and this one has none"},
		{"V-04 ::/0 in a route's DestinationCidrBlock", withRoute(`{"DestinationCidrBlock": ` + mark + `"::/0", "GatewayId": "igw-1", "State": "active"}`), "Routes[0].DestinationCidrBlock", `"::/0" is an IPv6 block, which AWS writes under DestinationIpv6CidrBlock, never here`},
		{"V-04 an IPv4 block in DestinationIpv6CidrBlock", withRoute(`{"DestinationIpv6CidrBlock": ` + mark + `"0.0.0.0/0", "GatewayId": "igw-1", "State": "active"}`), "Routes[0].DestinationIpv6CidrBlock", `"0.0.0.0/0" is an IPv4 block, which AWS writes under DestinationCidrBlock`},
		{"V-04 a route with both destinations", withRoute(`{"DestinationCidrBlock": "0.0.0.0/0", "DestinationIpv6CidrBlock": ` + mark + `"::/0", "GatewayId": "igw-1", "State": "active"}`), "Routes[0].DestinationIpv6CidrBlock", "has one destination, never both"},
		{"V-07 an IPv4 route to an egress-only gateway", withRoute(mark + `{"DestinationCidrBlock": "0.0.0.0/0", "EgressOnlyInternetGatewayId": "eigw-1", "State": "active"}`), "Routes[0].EgressOnlyInternetGatewayId", "an egress-only internet gateway takes IPv6 routes only"},
		{"V-03 a subnet without a block, not IPv6-only", strings.Replace(snapshotWith(`"Addresses": []`), `{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24",`, mark+`{"SubnetId": "subnet-1", "VpcId": "vpc-1",`, 1), "Subnets[0].CidrBlock", "a subnet that is not IPv6-only (Ipv6Native) has a CidrBlock, and this one has none (subnet-1)"},
		{"V-03 an IPv6-only subnet with an IPv4 block", strings.Replace(snapshotWith(`"Addresses": []`), `"CidrBlock": "10.0.1.0/24",`, `"CidrBlock": `+mark+`"10.0.1.0/24", "Ipv6Native": true,`, 1), "Subnets[0].CidrBlock", "is IPv6-only (Ipv6Native) and has a CidrBlock"},
		{"V-03 an IPv6-only subnet without an IPv6 block", strings.Replace(snapshotWith(`"Addresses": []`), `{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24",`, mark+`{"SubnetId": "subnet-1", "VpcId": "vpc-1", "Ipv6Native": true,`, 1), "Subnets[0].Ipv6CidrBlockAssociationSet", "an IPv6-only subnet (Ipv6Native) has an associated IPv6 block (V-03), and this one has none (subnet-1)"},
		{"V-02 a subnet with two IPv6 blocks", strings.Replace(snapshotWith(`"Addresses": []`), `"CidrBlock": "10.0.1.0/24",`, `"CidrBlock": "10.0.1.0/24", "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2600:1f18:a:c01::/64", "Ipv6CidrBlockState": {"State": "associated"}}, {"Ipv6CidrBlock": `+mark+`"2600:1f18:a:c02::/64", "Ipv6CidrBlockState": {"State": "associated"}}],`, 1), "Subnets[0].Ipv6CidrBlockAssociationSet[1].Ipv6CidrBlock", "a second associated IPv6 block"},
		{"V-01 an IPv4 block in a VPC's IPv6 associations", strings.Replace(snapshotWith(`"Addresses": []`), `"CidrBlock": "10.0.0.0/16"`, `"CidrBlock": "10.0.0.0/16", "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": `+mark+`"10.1.0.0/16", "Ipv6CidrBlockState": {"State": "associated"}}]`, 1), "Vpcs[0].Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock", `"10.1.0.0/16" is an IPv4 block, which AWS writes under CidrBlockAssociationSet`},
		{"V-02 an IPv6 address that is IPv4", snapshotWith(`"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-1", "VpcId": "vpc-1", "Status": "in-use", "PrivateIpAddress": "10.0.1.5", "Ipv6Addresses": [{"Ipv6Address": ` + mark + `"10.0.1.6"}]}]`), "NetworkInterfaces[0].Ipv6Addresses[0].Ipv6Address", `"10.0.1.6" is an IPv4 address, which AWS writes under PrivateIpAddress`},
		{"V-02 an IPv6 address that is no address", snapshotWith(`"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-1", "VpcId": "vpc-1", "Status": "in-use", "PrivateIpAddress": "10.0.1.5", "Ipv6Addresses": [{"Ipv6Address": ` + mark + `"2600:1f18::/64"}]}]`), "NetworkInterfaces[0].Ipv6Addresses[0].Ipv6Address", `"2600:1f18::/64" is not an IPv6 address`},
		{"V-04 a prefix list of two families", snapshotWith(`"PrefixLists": [{"PrefixListId": "pl-1", "PrefixListName": "x", "Cidrs": ["10.1.0.0/16", ` + mark + `"2600:1f18::/40"]}]`), "PrefixLists[0].Cidrs[1]", "prefix list pl-1 is of family IPv4, and this entry 2600:1f18::/40 is IPv6"},
		{"V-04 an IPv6 entry of an IPv4 list", snapshotWith(`"PrefixLists": [{"PrefixListId": "pl-1", "PrefixListName": "x", "AddressFamily": "IPv4", "Cidrs": [` + mark + `"2600:1f18::/40"]}]`), "PrefixLists[0].Cidrs[0]", "prefix list pl-1 is of family IPv4, and this entry 2600:1f18::/40 is IPv6"},
		{"a prefix list entry with host bits", snapshotWith(`"PrefixLists": [{"PrefixListId": "pl-1", "PrefixListName": "x", "Cidrs": ["10.1.0.0/16", ` + mark + `"10.2.0.1/16"]}]`), "PrefixLists[0].Cidrs[1]", `"10.2.0.1/16" has host bits set`},
	} {
		t.Run(c.name, func(t *testing.T) {
			text, line, col := marked(t, c.text)
			name, m, diags := readOne(t, text)
			assert.Nil(t, m, "nothing is imported: no rule wider than the file's")
			sentinel := model.ErrInvalidValue
			if strings.Contains(c.want, "this one has") {
				sentinel = model.ErrMissingField
			}
			oneError(t, diags, name, line, col, sentinel, c.want)
			require.Len(t, diags.Errors(), 1)
			assert.True(t, strings.HasSuffix(diags.Errors()[0].Path, c.path), "path %s, want %s", diags.Errors()[0].Path, c.path)
			assert.Empty(t, diags.Warnings(), "one root cause, one error")
		})
	}
}

// The fixtures above are valid with the values AWS writes.
func TestValueFixturesAreValid(t *testing.T) {
	for _, text := range []string{
		withRule(`{"IpProtocol": "tcp", "FromPort": 0, "ToPort": 65535, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}`),
		withRule(`{"IpProtocol": "icmp", "FromPort": -1, "ToPort": -1, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}`),
		withRule(`{"IpProtocol": "icmp", "FromPort": 3, "ToPort": -1, "IpRanges": [{"CidrIp": "10.0.0.1/32"}]}`),
		withEntry(`{"RuleNumber": 32766, "Protocol": "1", "RuleAction": "deny", "CidrBlock": "0.0.0.0/0", "IcmpTypeCode": {"Type": -1, "Code": -1}}`),
		withEntry(`{"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "CidrBlock": "0.0.0.0/0"}`),
		withListener("65535", "1", "80"),
		withRoute(`{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1", "State": "active"}`),
		withRoute(`{"DestinationIpv6CidrBlock": "::/0", "GatewayId": "igw-1", "State": "active"}`),
		withRule(`{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}`),
		withRule(`{"IpProtocol": "icmpv6", "FromPort": 128, "ToPort": -1, "Ipv6Ranges": [{"CidrIpv6": "2600:1f18::/56"}]}`),
		withEntry(`{"RuleNumber": 32768, "Protocol": "-1", "RuleAction": "deny", "Ipv6CidrBlock": "::/0"}`),
		withEntry(`{"RuleNumber": 101, "Protocol": "58", "RuleAction": "allow", "Ipv6CidrBlock": "::/0", "IcmpTypeCode": {"Type": -1, "Code": -1}}`),
		snapshotWith(`"PrefixLists": [{"PrefixListId": "pl-1", "PrefixListName": "x", "AddressFamily": "IPv6", "Cidrs": ["2600:1f18::/40", "2a05:d07a::/40"]}]`),
	} {
		_, m, diags := readOne(t, text)
		require.NoError(t, diags.Err(), text)
		require.NotNil(t, m)
	}
}

// Ports given to a protocol that has none are ignored by AWS (the rule
// matches every port): a warning says so, and the rule is as AWS applies
// it.
func TestPortsOfProtocolsWithoutPortsAreIgnored(t *testing.T) {
	text, line, col := marked(t, withRule(`{"IpProtocol": "-1", "FromPort": `+mark+`22, "ToPort": -1, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}`))
	name, m, diags := readOne(t, text)
	require.NoError(t, diags.Err())
	ws := diags.Warnings()
	require.Len(t, ws, 1, "%v", diags)
	assert.Equal(t, model.Position{File: name, Line: line, Column: col}, ws[0].Pos)
	assert.Contains(t, ws[0].Error(), "FromPort 22 is ignored: a rule for protocol all matches every port, as in AWS")
	sg := m.VPCs[0].SecurityGroups[0]
	require.Len(t, sg.Ingress, 1)
	assert.Equal(t, model.ProtocolAll, sg.Ingress[0].Protocol)
	assert.Nil(t, sg.Ingress[0].Ports)
}
