package model_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
)

const namedYAML = `version: 1
accounts: [{id: "111111111111", name: shop}]
vpcs:
  - id: vpc-a
    name: shop-vpc
    account: "111111111111"
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    internet_gateway: igw-a
    vpn_gateway: vgw-a
    subnets: [{id: sn-a, name: shop-subnet, az: eu-west-1a, cidr_block: 10.0.1.0/24}]
    security_groups: [{id: sg-a, name: shop-sg, description: a}]
    nat_gateways: [{id: nat-a, name: shop-nat, subnet: sn-a, private_ip: 10.0.1.4, public_ip: 203.0.113.4}]
    endpoints: [{id: vpce-a, name: shop-ec2, type: interface, service: com.amazonaws.eu-west-1.ec2, subnets: [sn-a], private_ips: [10.0.1.50]}]
    instances:
      - {id: i-a, name: " shop-web ", eni: eni-a, subnet: sn-a, private_ip: 10.0.1.10}
      - {id: i-b, name: shared, subnet: sn-a, private_ip: 10.0.1.11}
    network_interfaces:
      - {id: eni-b, name: shop-eni, subnet: sn-a, private_ip: 10.0.1.12}
      - {id: eni-c, name: shared, subnet: sn-a, private_ip: 10.0.1.13}
    load_balancers:
      - {id: nlb-a, name: shop-nlb, type: network, scheme: internal, subnets: [sn-a]}
prefix_lists: [{id: pl-a, name: shop-office, cidrs: [192.0.2.0/24]}]
external_networks: [{id: onprem, name: shop-dc, cidrs: [192.168.0.0/16], via: vgw-a}]
`

func TestIndexNames(t *testing.T) {
	m, _, err := model.LoadBytes("t.yaml", []byte(namedYAML))
	require.NoError(t, err)
	x, diags := model.NewIndex(m)
	require.Empty(t, diags)
	for id, want := range map[model.ID]string{
		"111111111111": "shop", "vpc-a": "shop-vpc", "sn-a": "shop-subnet", "sg-a": "shop-sg",
		"nat-a": "shop-nat", "vpce-a": "shop-ec2", "i-a": "shop-web", "eni-a": "shop-web",
		"eni-b": "shop-eni", "nlb-a": "shop-nlb", "pl-a": "shop-office", "onprem": "shop-dc",
		"igw-a": "", "unknown": "",
	} {
		assert.Equal(t, want, x.Name(id), "Name(%s)", id)
	}

	// Resources a query can name resolve by name; others do not.
	for name, want := range map[string]model.ID{
		"shop-web": "i-a", " shop-web": "i-a", "shop-eni": "eni-b", "shop-nat": "nat-a", "shop-ec2": "vpce-a",
		"shop-nlb": "nlb-a", "shop-dc": "onprem", "shop-vpc": "", "shop-sg": "", "shop-office": "", "nobody": "",
	} {
		id, err := x.ResolveName(name)
		require.NoError(t, err, "ResolveName(%q)", name)
		assert.Equal(t, want, id, "ResolveName(%q)", name)
	}

	// The instance is counted once, though its interface alias eni-a
	// shares its name; two resources that share one are ambiguous.
	id, err := x.ResolveName("shared")
	assert.Empty(t, id)
	var amb *model.AmbiguousNameError
	require.True(t, errors.As(err, &amb), "ResolveName(shared) = %v, want an AmbiguousNameError", err)
	assert.True(t, errors.Is(err, model.ErrAmbiguousName))
	assert.Equal(t, []model.ID{"eni-c", "i-b"}, amb.IDs)
	assert.Equal(t, []model.Kind{model.KindNetworkInterface, model.KindInstance}, amb.Kinds)
	assert.Equal(t, `"shared" is the name of 2 resources: network interface eni-c, instance i-b; write the id of the one you mean`, err.Error())

	assert.Equal(t, []string{"shared", "shop-dc", "shop-ec2", "shop-eni", "shop-nat", "shop-nlb", "shop-web"}, x.NamedResources())
}

// TestIndexAWSIDs: aws_id, the AWS id of a resource named otherwise (by
// a Terraform address), is shown (Index.AWSID) and stands for the id in
// queries for the kinds a query may name, as a name does.
func TestIndexAWSIDs(t *testing.T) {
	m, _, err := model.LoadBytes("t.yaml", []byte(`version: 1
vpcs:
  - id: aws_vpc.main
    aws_id: vpc-0a1
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    subnets: [{id: aws_subnet.a, aws_id: subnet-0a, az: eu-west-1a, cidr_block: 10.0.1.0/24}]
    route_tables: [{id: aws_route_table.main, aws_id: rtb-0main, main: true}]
    network_acls: [{id: aws_network_acl.a, aws_id: acl-0a}]
    security_groups: [{id: aws_security_group.a, aws_id: sg-0a, name: a, description: a}]
    instances:
      - {id: aws_instance.web, aws_id: i-0web, eni: eni-0web, subnet: aws_subnet.a, private_ip: 10.0.1.10}
      - {id: aws_instance.twin, aws_id: i-0twin, subnet: aws_subnet.a, private_ip: 10.0.1.11}
      - {id: aws_instance.new, name: i-0twin, subnet: aws_subnet.a, private_ip: 10.0.1.12}
peering_connections: []
transit_gateways:
  - id: aws_ec2_transit_gateway.hub
    aws_id: tgw-0hub
    region: eu-west-1
    route_tables: [{id: aws_ec2_transit_gateway_route_table.a, aws_id: tgw-rtb-0a}]
    attachments: [{id: aws_ec2_transit_gateway_vpc_attachment.a, aws_id: tgw-attach-0a, type: vpc, vpc: aws_vpc.main, subnets: [aws_subnet.a], association: aws_ec2_transit_gateway_route_table.a}]
prefix_lists: [{id: aws_ec2_managed_prefix_list.office, aws_id: pl-0office, cidrs: [192.0.2.0/24]}]
`))
	require.NoError(t, err)
	x, diags := model.NewIndex(m)
	require.Empty(t, diags)
	for id, want := range map[model.ID]model.ID{
		"aws_vpc.main": "vpc-0a1", "aws_subnet.a": "subnet-0a", "aws_route_table.main": "rtb-0main",
		"aws_network_acl.a": "acl-0a", "aws_security_group.a": "sg-0a", "aws_instance.web": "i-0web",
		"aws_ec2_transit_gateway.hub": "tgw-0hub", "aws_ec2_transit_gateway_route_table.a": "tgw-rtb-0a",
		"aws_ec2_transit_gateway_vpc_attachment.a": "tgw-attach-0a", "aws_ec2_managed_prefix_list.office": "pl-0office",
		// The instance's interface alias is the interface, not the
		// instance: it has no AWS id of the instance's.
		"eni-0web": "", "aws_instance.new": "", "unknown": "",
	} {
		assert.Equal(t, want, x.AWSID(id), "AWSID(%s)", id)
	}
	assert.Equal(t, "a", x.Name("aws_security_group.a"), "the name stays the name")

	id, err := x.ResolveName("i-0web")
	require.NoError(t, err)
	assert.Equal(t, model.ID("aws_instance.web"), id)
	id, err = x.ResolveName("sg-0a")
	require.NoError(t, err)
	assert.Empty(t, id, "a query names no security group")
	// An AWS id that is another resource's name is ambiguous.
	_, err = x.ResolveName("i-0twin")
	assert.ErrorIs(t, err, model.ErrAmbiguousName)
	assert.EqualError(t, err, `"i-0twin" is the name of 2 resources: instance aws_instance.new, instance aws_instance.twin; write the id of the one you mean`)
}
