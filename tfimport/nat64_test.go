package tfimport_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/tfimport"
)

// TestNAT64PrefixListRoute: a NAT gateway translates IPv6 only inside
// 64:ff9b::/96 (V-16). A route to one whose destination is a prefix list
// of IPv6 entries is held to that as a CIDR route is: a list outside it
// is warned of and kept as a blackhole, a list inside it is kept.
func TestNAT64PrefixListRoute(t *testing.T) {
	state := `{"format_version": "1.0", "values": {"root_module": {"resources": [
  {"address": "aws_vpc.main", "type": "aws_vpc", "name": "main", "mode": "managed", "values": {"id": "vpc-1", "cidr_block": "10.0.0.0/16", "ipv6_cidr_block": "2600:1f18:1:100::/56"}},
  {"address": "aws_subnet.a", "type": "aws_subnet", "name": "a", "mode": "managed", "values": {"id": "subnet-a", "vpc_id": "vpc-1", "cidr_block": "10.0.1.0/24", "ipv6_cidr_block": "2600:1f18:1:100::/64", "availability_zone": "eu-west-1a"}},
  {"address": "aws_nat_gateway.n", "type": "aws_nat_gateway", "name": "n", "mode": "managed", "values": {"id": "nat-1", "subnet_id": "subnet-a", "connectivity_type": "private", "private_ip": "10.0.1.9"}},
  {"address": "aws_ec2_managed_prefix_list.out", "type": "aws_ec2_managed_prefix_list", "name": "out", "mode": "managed", "values": {"id": "pl-out", "name": "out", "address_family": "IPv6", "max_entries": 2, "entry": [{"cidr": "2001:db8::/32"}]}},
  {"address": "aws_ec2_managed_prefix_list.in", "type": "aws_ec2_managed_prefix_list", "name": "in", "mode": "managed", "values": {"id": "pl-in", "name": "in", "address_family": "IPv6", "max_entries": 2, "entry": [{"cidr": "64:ff9b::/96"}]}},
  {"address": "aws_route_table.r", "type": "aws_route_table", "name": "r", "mode": "managed", "values": {"id": "rtb-1", "vpc_id": "vpc-1", "route": [
    {"destination_prefix_list_id": "pl-out", "nat_gateway_id": "nat-1"},
    {"destination_prefix_list_id": "pl-in", "nat_gateway_id": "nat-1"}]}}]}}}`
	im, diags := tfimport.Decode("state.json", []byte(state))
	require.NotNil(t, im, messages(diags))
	assert.Contains(t, messages(diags), "translates IPv6 only to destinations in 64:ff9b::/96", messages(diags))
	x, _ := model.NewIndex(im.Planned)
	rt := x.RouteTable("aws_route_table.r")
	require.NotNil(t, rt, messages(diags))
	states := map[model.ID]model.RouteState{}
	for _, r := range rt.Routes {
		states[r.Destination.PrefixList] = r.State
	}
	assert.Equal(t, model.RouteBlackhole, states["aws_ec2_managed_prefix_list.out"], "%+v", rt.Routes)
	assert.NotEqual(t, model.RouteBlackhole, states["aws_ec2_managed_prefix_list.in"], "%+v", rt.Routes)
}
