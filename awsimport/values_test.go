package awsimport_test

import (
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/awsimport"
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

// An IPv6 peer or destination is a warning "IPv6 is not modelled yet" at
// its position, and is skipped: not an unknown reference, not a silent
// drop, and the IPv4 part of the same rule stays.
func TestIPv6IsAWarningAtItsPosition(t *testing.T) {
	ipv6List := `"PrefixLists": [{"PrefixListId": "pl-6", "PrefixListName": "v6", "AddressFamily": "IPv6", "Cidrs": ["2600:1f18::/40"]}]`
	for _, c := range []struct {
		name, text, path, want string
	}{
		{"a rule's Ipv6Ranges", withRule(`{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}], "Ipv6Ranges": [{"CidrIpv6": ` + mark + `"::/0"}]}`),
			"IpPermissions[0].Ipv6Ranges[0].CidrIpv6", "IPv6 is not modelled yet: the rule's peer ::/0 is skipped"},
		{"::/0 in a rule's IpRanges", withRule(`{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}, {"CidrIp": ` + mark + `"::/0"}]}`),
			"IpPermissions[0].IpRanges[1].CidrIp", "IPv6 is not modelled yet: the rule's peer ::/0 is skipped"},
		{"a rule's IPv6 prefix list", snapshotWith(ipv6List + `, "SecurityGroups": [{"GroupId": "sg-1", "GroupName": "g", "VpcId": "vpc-1", "IpPermissionsEgress": [],
"IpPermissions": [` + mark + `{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}], "PrefixListIds": [{"PrefixListId": "pl-6"}]}]}]`),
			"IpPermissions[0].PrefixListIds", "IPv6 is not modelled yet: prefix list pl-6 holds IPv6 blocks"},
		{"an ACL entry's Ipv6CidrBlock", withEntry(`{"RuleNumber": 100, "Protocol": "-1", "RuleAction": "deny", "Ipv6CidrBlock": ` + mark + `"::/0"}, {"RuleNumber": 110, "Protocol": "-1", "RuleAction": "allow", "CidrBlock": "10.0.0.0/8"}`),
			"Entries[0].Ipv6CidrBlock", "IPv6 is not modelled yet: the rule for ::/0 is skipped"},
		{"::/0 in an ACL entry's CidrBlock", withEntry(`{"RuleNumber": 100, "Protocol": "-1", "RuleAction": "deny", "CidrBlock": ` + mark + `"::/0"}, {"RuleNumber": 110, "Protocol": "-1", "RuleAction": "allow", "CidrBlock": "10.0.0.0/8"}`),
			"Entries[0].CidrBlock", "IPv6 is not modelled yet: the rule for ::/0 is skipped"},
		{"a route's DestinationIpv6CidrBlock", withRoute(`{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1", "State": "active"}, {"DestinationIpv6CidrBlock": ` + mark + `"::/0", "GatewayId": "igw-1", "State": "active"}`),
			"Routes[1].DestinationIpv6CidrBlock", "IPv6 is not modelled yet: the route to ::/0 is skipped"},
		{"::/0 in a route's DestinationCidrBlock", withRoute(`{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1", "State": "active"}, {"DestinationCidrBlock": ` + mark + `"::/0", "GatewayId": "igw-1", "State": "active"}`),
			"Routes[1].DestinationCidrBlock", "IPv6 is not modelled yet: the route to ::/0 is skipped"},
		{"a route to an IPv6 prefix list", snapshotWith(ipv6List + `, "InternetGateways": [{"InternetGatewayId": "igw-1", "Attachments": [{"VpcId": "vpc-1", "State": "available"}]}],
"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Associations": [{"Main": true}], "Routes": [{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1", "State": "active"}, ` + mark + `{"DestinationPrefixListId": "pl-6", "GatewayId": "igw-1", "State": "active"}]}]`),
			"Routes[1].DestinationPrefixListId", "IPv6 is not modelled yet: prefix list pl-6 holds IPv6 blocks"},
		{"an IPv6-only subnet", strings.Replace(snapshotWith(`"Addresses": []`), `{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1a"}`,
			`{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1a"}, `+mark+`{"SubnetId": "subnet-6", "VpcId": "vpc-1", "AvailabilityZone": "us-east-1a"}`, 1),
			"Subnets[1].CidrBlock", "IPv6 is not modelled yet: subnet subnet-6 has no IPv4 CIDR block"},
	} {
		t.Run(c.name, func(t *testing.T) {
			text, line, col := marked(t, c.text)
			name, m, diags := readOne(t, text)
			require.NoError(t, diags.Err())
			var ipv6 model.Diagnostics
			for _, d := range diags {
				if errors.Is(d, awsimport.ErrNotModelled) && strings.Contains(d.Message, "IPv6") && d.Severity == model.SeverityWarning {
					ipv6 = append(ipv6, d)
				}
			}
			require.Len(t, ipv6, 1, "%v", diags)
			assert.Equal(t, model.Position{File: name, Line: line, Column: col}, ipv6[0].Pos, "%s", ipv6[0].Error())
			assert.True(t, strings.HasSuffix(ipv6[0].Path, c.path), "path %s, want %s", ipv6[0].Path, c.path)
			assert.Contains(t, ipv6[0].Error(), c.want)
			for _, d := range diags {
				assert.False(t, errors.Is(d, awsimport.ErrOutsideSnapshot) || errors.Is(d, model.ErrUnknownRef), "IPv6 mistaken for something missing: %s", d.Error())
			}
			v := m.VPCs[0]
			switch {
			case strings.HasPrefix(c.path, "IpPermissions"):
				require.Len(t, v.SecurityGroups[0].Ingress, 1)
				assert.Equal(t, []model.Peer{{CIDR: netip.MustParsePrefix("10.0.0.0/8")}}, v.SecurityGroups[0].Ingress[0].Sources, "the rule's IPv4 peer stays")
			case strings.HasPrefix(c.path, "Entries"):
				acl := v.NetworkACLs[slices.IndexFunc(v.NetworkACLs, func(a model.NetworkACL) bool { return a.ID == "acl-1" })]
				require.Len(t, acl.Ingress, 1)
				assert.Equal(t, 110, acl.Ingress[0].Rule, "the IPv4 rule stays")
			case strings.HasPrefix(c.path, "Routes"):
				require.Len(t, v.RouteTables[0].Routes, 1)
				assert.Equal(t, "0.0.0.0/0", v.RouteTables[0].Routes[0].Destination.String(), "the IPv4 route stays")
			default:
				assert.Len(t, v.Subnets, 1)
			}
		})
	}
}
