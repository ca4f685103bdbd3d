package awsimport_test

import (
	"errors"
	"flag"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/awsimport"
	"github.com/vpcreach/vpcreach/model"
)

var update = flag.Bool("update", false, "rewrite testdata/dualstack.yaml")

// The dual-stack snapshot (testdata/dualstack) imports to the topology of
// testdata/dualstack.yaml: VPC and subnet IPv6 blocks (associated ones
// only, V-01, V-02), an IPv6-only subnet (V-03), the egress-only gateway
// and IPv6 routes (V-04, V-05, V-07), IPv6 and icmpv6 rules of network
// ACLs (the final rule 32768 left to the model) and security groups, an
// IPv6 prefix list, interfaces' IPv6 addresses, the NAT64 route
// (64:ff9b::/96 to a NAT gateway, V-16) and DNS64 on the IPv6-only subnet
// (EnableDns64, V-17). The topology is valid, and nothing is said not
// modelled.
func TestDualStackSnapshot(t *testing.T) {
	m, diags, err := awsimport.ImportDir(filepath.Join("testdata", "dualstack"))
	require.NoError(t, err)
	require.NoError(t, diags.Err())
	var notModelled []string
	for _, d := range diags {
		if errors.Is(d, awsimport.ErrNotModelled) {
			notModelled = append(notModelled, d.Error())
		}
	}
	require.Empty(t, notModelled, "%v", diags)
	var nat64, dns64 bool
	for _, v := range m.VPCs {
		for _, rt := range v.RouteTables {
			for _, r := range rt.Routes {
				nat64 = nat64 || (r.Destination.CIDR == netip.MustParsePrefix("64:ff9b::/96") && r.Target == "nat-ds" && r.State == model.RouteActive)
			}
		}
		for _, sn := range v.Subnets {
			dns64 = dns64 || (sn.ID == "subnet-v6" && sn.EnableDNS64)
		}
	}
	assert.True(t, nat64, "the NAT64 route is kept, active (V-16)")
	assert.True(t, dns64, "EnableDns64 is imported (V-17)")

	got, err := model.Encode(m)
	require.NoError(t, err)
	want := filepath.Join("testdata", "dualstack.yaml")
	if *update {
		require.NoError(t, os.WriteFile(want, got, 0o644))
	}
	exp, err := os.ReadFile(want)
	require.NoError(t, err)
	assert.Equal(t, string(exp), string(got), "run go test ./awsimport -run TestDualStackSnapshot -update, and review the diff")

	_, vdiags, err := model.LoadBytes("dualstack.yaml", got)
	require.NoError(t, err, "the imported topology is valid")
	assert.NoError(t, vdiags.Err())

	// Export writes every IPv6 field back: the import of the export is
	// the same topology.
	m2, diags2 := exportImport(t, m)
	require.NoError(t, diags2.Err())
	again, err := model.Encode(m2)
	require.NoError(t, err)
	assert.Equal(t, string(got), string(again))
}

// The family of each block decides where it goes: an IPv6 interface
// address in an IPv6-only subnet stands without an IPv4 one (V-03), an
// IPv6-only subnet's interface without an IPv6 address is skipped with a
// warning, and a VPC block of private IPv6 space (IpSource none) is kept
// with a warning that vpcreach takes IPv6 addresses as public.
func TestIPv6OnlyInterfacesAndPrivateBlocks(t *testing.T) {
	text := `{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "Ipv6CidrBlockAssociationSet": [
	{"Ipv6CidrBlock": "fd00:10::/56", "Ipv6CidrBlockState": {"State": "associated"}, "IpSource": "none", "Ipv6AddressAttribute": "private"}]}],
"Subnets": [{"SubnetId": "subnet-6", "VpcId": "vpc-1", "AvailabilityZone": "us-east-1a", "Ipv6Native": true,
	"Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "fd00:10:0:1::/64", "Ipv6CidrBlockState": {"State": "associated"}}]}],
"NetworkInterfaces": [
	{"NetworkInterfaceId": "eni-a", "SubnetId": "subnet-6", "VpcId": "vpc-1", "Status": "in-use", "Ipv6Addresses": [{"Ipv6Address": "fd00:10:0:1::a"}]},
	{"NetworkInterfaceId": "eni-b", "SubnetId": "subnet-6", "VpcId": "vpc-1", "Status": "in-use", "Ipv6Addresses": []}],
"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Associations": [{"Main": true}], "Routes": []}],
"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": true, "Entries": []}]}`
	_, m, diags := readOne(t, text)
	require.NoError(t, diags.Err())
	require.NotNil(t, m)
	v := m.VPCs[0]
	require.Len(t, v.NetworkInterfaces, 1)
	in := v.NetworkInterfaces[0]
	assert.Equal(t, model.ID("eni-a"), in.ID)
	assert.False(t, in.PrivateIP.IsValid())
	assert.Equal(t, []netip.Addr{netip.MustParseAddr("fd00:10:0:1::a")}, in.IPv6Addresses)
	found := 0
	for _, d := range diags {
		switch {
		case strings.Contains(d.Message, "eni-b is in IPv6-only subnet subnet-6 and has no IPv6 address: skipped"):
			found++
		case strings.Contains(d.Message, "fd00:10::/56"):
			t.Errorf("V-01: a unique local block, private, draws no diagnostic: %v", d)
		}
	}
	assert.Equal(t, 1, found, "%v", diags)
	// Unique local: private unlisted (V-01).
	assert.Empty(t, v.PrivateIPv6CIDRBlocks)
	assert.Equal(t, []netip.Prefix{netip.MustParsePrefix("fd00:10::/56")}, v.PrivateIPv6Blocks())
}

// TestPrivateIPv6GUAImport: DescribeVpcs marks private IPv6 space with
// Ipv6AddressAttribute private (or IpSource none); a global unicast block
// so marked is listed in private_ipv6_cidr_blocks, a public one is not,
// a unique local block said to be public is warned of and private, and
// the export writes the marks back (V-01).
func TestPrivateIPv6GUAImport(t *testing.T) {
	text := `{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "Ipv6CidrBlockAssociationSet": [
	{"Ipv6CidrBlock": "2600:1f18:1:100::/56", "Ipv6CidrBlockState": {"State": "associated"}, "IpSource": "amazon", "Ipv6AddressAttribute": "public"},
	{"Ipv6CidrBlock": "2600:1f18:1:200::/56", "Ipv6CidrBlockState": {"State": "associated"}, "IpSource": "none", "Ipv6AddressAttribute": "private"},
	{"Ipv6CidrBlock": "2600:1f18:1:300::/56", "Ipv6CidrBlockState": {"State": "associated"}, "IpSource": "none"},
	{"Ipv6CidrBlock": "fd80:1:1:100::/56", "Ipv6CidrBlockState": {"State": "associated"}, "Ipv6AddressAttribute": "public"}]}],
"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Associations": [{"Main": true}], "Routes": []}],
"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": true, "Entries": []}]}`
	_, m, diags := readOne(t, text)
	require.NoError(t, diags.Err())
	require.NotNil(t, m)
	v := m.VPCs[0]
	assert.Equal(t, []netip.Prefix{netip.MustParsePrefix("2600:1f18:1:200::/56"), netip.MustParsePrefix("2600:1f18:1:300::/56")}, v.PrivateIPv6CIDRBlocks, "V-01")
	warned := 0
	for _, d := range diags {
		if errors.Is(d, awsimport.ErrNotModelled) && strings.Contains(d.Message, "fd80:1:1:100::/56 of vpc-1 is unique local space (fc00::/7) said to be public") {
			warned++
		}
	}
	assert.Equal(t, 1, warned, "V-01: a unique local block said to be public: %v", diags)
	m2, diags2 := exportImport(t, m)
	require.NoError(t, diags2.Err())
	assert.Equal(t, v.PrivateIPv6CIDRBlocks, m2.VPCs[0].PrivateIPv6CIDRBlocks, "V-01: the export keeps the private blocks")
	assert.Equal(t, v.PrivateIPv6Blocks(), m2.VPCs[0].PrivateIPv6Blocks())

	// A value AWS never writes is an error.
	for _, bad := range []string{`"IpSource": "none", "Ipv6AddressAttribute": "Private"`, `"IpSource": "ipam", "Ipv6AddressAttribute": "private"`} {
		_, _, diags := readOne(t, strings.Replace(text, `"IpSource": "none", "Ipv6AddressAttribute": "private"`, bad, 1))
		require.Error(t, diags.Err(), bad)
		assert.ErrorIs(t, diags.Err(), model.ErrInvalidValue, bad)
		assert.Contains(t, diags.Err().Error(), "Ipv6CidrBlockAssociationSet[1].", bad)
	}
}

// V-08: a group's egress rules are left unwritten (the format's default)
// exactly when they are AWS's default ones for the VPC: all traffic to
// 0.0.0.0/0, and to ::/0 in a VPC with an IPv6 block. A group of a VPC
// with IPv6 that allows 0.0.0.0/0 only (created before the block) keeps
// its rule, and the export of an unwritten list writes both rules back.
func TestDefaultEgressByFamily(t *testing.T) {
	perm := func(v6 bool) string {
		p := `{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]`
		if v6 {
			p += `, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]`
		}
		return p + `}`
	}
	for _, c := range []struct {
		name          string
		vpcV6, ruleV6 bool
		written       bool
	}{
		{"IPv4 VPC, 0.0.0.0/0", false, false, false},
		{"IPv6 VPC, 0.0.0.0/0 and ::/0", true, true, false},
		{"IPv6 VPC, 0.0.0.0/0 only", true, false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			block := ""
			if c.vpcV6 {
				block = `, "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2600:1f18:a:c00::/56", "Ipv6CidrBlockState": {"State": "associated"}}]`
			}
			text := `{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"` + block + `}],
"SecurityGroups": [{"GroupId": "sg-1", "GroupName": "g", "VpcId": "vpc-1", "IpPermissions": [], "IpPermissionsEgress": [` + perm(c.ruleV6) + `]}]}`
			_, m, diags := readOne(t, text)
			require.NoError(t, diags.Err())
			sg := m.VPCs[0].SecurityGroups[0]
			assert.Equal(t, c.written, sg.Egress != nil, "V-08: egress written: %v", sg.Egress)
			m2, diags2 := exportImport(t, m)
			require.NoError(t, diags2.Err())
			assert.Equal(t, sg.Egress == nil, m2.VPCs[0].SecurityGroups[0].Egress == nil, "the export of the import reads back the same")
		})
	}
}

// A NAT gateway translates IPv6 only inside 64:ff9b::/96 (V-16): another
// IPv6 route to one is kept as a blackhole with a warning.
func TestNATGatewayIPv6RouteOutsideNAT64(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join("testdata", "dualstack")
	files, err := os.ReadDir(src)
	require.NoError(t, err)
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(src, f.Name()))
		require.NoError(t, err)
		text := strings.Replace(string(data), `"DestinationIpv6CidrBlock": "64:ff9b::/96", "NatGatewayId"`, `"DestinationIpv6CidrBlock": "2600:1f18:ff00::/40", "NatGatewayId"`, 1)
		require.NoError(t, os.WriteFile(filepath.Join(dir, f.Name()), []byte(text), 0o644))
	}
	_, diags, err := awsimport.ImportDir(dir)
	require.NoError(t, err)
	require.NoError(t, diags.Err())
	var notModelled []string
	for _, d := range diags {
		if errors.Is(d, awsimport.ErrNotModelled) {
			notModelled = append(notModelled, d.Error())
		}
	}
	require.Len(t, notModelled, 1, "%v", diags)
	assert.Contains(t, notModelled[0], "RouteTables[2].Routes[3].NatGatewayId: warning: route 2600:1f18:ff00::/40 -> nat-ds: a NAT gateway translates IPv6 only to destinations in 64:ff9b::/96 (NAT64, V-16)")
}
