package tfimport_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/tfimport"
)

// messages renders diagnostics one per line, for assertions.
func messages(ds model.Diagnostics) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.Error())
		b.WriteByte('\n')
	}
	return b.String()
}

func findInstance(m *model.Model, id model.ID) *model.Instance {
	for i := range m.VPCs {
		for j := range m.VPCs[i].Instances {
			if m.VPCs[i].Instances[j].ID == id {
				return &m.VPCs[i].Instances[j]
			}
		}
	}
	return nil
}

// A new network: ids unknown until apply, named by their addresses;
// references followed through the configuration (count.index, a constant
// index); addresses unknown until apply assumed inside their subnet, each
// with a positioned warning; unknown JSON properties ignored.
func TestPlanOfANewNetwork(t *testing.T) {
	im, diags := tfimport.Read("testdata/basic-plan.json")
	require.NotNil(t, im, messages(diags))
	require.NoError(t, append(diags, model.Validate(im.Planned)...).Err())
	assert.Equal(t, tfimport.KindPlan, im.Kind)
	assert.Nil(t, im.Prior, "a new configuration has no prior state")
	m := im.Planned
	require.Len(t, m.VPCs, 1)
	v := m.VPCs[0]
	assert.Equal(t, model.ID("aws_vpc.main"), v.ID)
	assert.Equal(t, "eu-west-1", v.Region, "the provider block's region")
	assert.Equal(t, model.ID("aws_internet_gateway.gw"), v.InternetGateway)
	subnets := map[model.ID]model.Subnet{}
	for _, s := range v.Subnets {
		subnets[s.ID] = s
	}
	// aws_route_table_association.private[count.index] -> aws_subnet.private[count.index]
	assert.Equal(t, model.ID("aws_route_table.private"), subnets["aws_subnet.private[0]"].RouteTable)
	assert.Equal(t, model.ID("aws_route_table.private"), subnets["aws_subnet.private[1]"].RouteTable)
	assert.Equal(t, model.ID("aws_route_table.public"), subnets["aws_subnet.public"].RouteTable)
	db := findInstance(m, "aws_instance.db")
	require.NotNil(t, db)
	assert.Equal(t, model.ID("aws_subnet.private[1]"), db.Subnet, "aws_subnet.private[1].id: the constant index says which")
	app := findInstance(m, "aws_instance.app")
	require.NotNil(t, app)
	assert.Equal(t, "10.0.0.5", app.PrivateIP.String(), "the first free address after the NAT gateway's")
	assert.Contains(t, messages(diags), "testdata/basic-plan.json:36:20: aws_instance.app.private_ip: warning: assumed address 10.0.0.5 for the instance's private address, unknown until apply")
	assert.Contains(t, messages(diags), "aws_nat_gateway.nat.private_ip: warning: assumed address 10.0.0.4")
	for _, d := range diags.Warnings() {
		assert.True(t, d.Pos.IsValid(), "every warning has a position: %s", d.Error())
		assert.True(t, errors.Is(d, tfimport.ErrAssumed), "%s", d.Error())
	}
	// Terraform removes AWS's default egress rule: a group without egress
	// rules allows no outbound traffic.
	for _, sg := range v.SecurityGroups {
		if sg.ID == "aws_security_group.db" {
			assert.NotNil(t, sg.Egress)
			assert.Empty(t, sg.Egress)
		}
	}
}

// Modules at any depth, for_each instances, each.value through the
// for_each expression, provider account; a reference that matches several
// instances is a positioned warning, not a guess.
func TestModulesAndForEach(t *testing.T) {
	im, diags := tfimport.Read("testdata/modules-plan.json")
	require.NotNil(t, im, messages(diags))
	m := im.Planned
	require.Len(t, m.VPCs, 1)
	v := m.VPCs[0]
	assert.Equal(t, model.ID(`module.net["blue"].aws_vpc.this`), v.ID)
	assert.Equal(t, model.ID("111111111111"), v.Account, "allowed_account_ids of the provider")
	a := findInstance(m, `module.net["blue"].aws_instance.app["a"]`)
	b := findInstance(m, `module.net["blue"].aws_instance.app["b"]`)
	require.NotNil(t, a)
	require.NotNil(t, b)
	assert.Equal(t, model.ID(`module.net["blue"].aws_subnet.private["a"]`), a.Subnet, "each.value of for_each = aws_subnet.private")
	assert.Equal(t, model.ID(`module.net["blue"].aws_subnet.private["b"]`), b.Subnet)
	assert.Nil(t, findInstance(m, `module.net["blue"].aws_instance.lost`))
	text := messages(diags)
	assert.Contains(t, text, `testdata/modules-plan.json:17:130: module.net["blue"].aws_instance.lost.subnet_id: warning: subnet_id is unknown until apply and its reference matches 2 resources`)
	// var.vpc_id cannot be followed: the only VPC of the module instance
	// is not in the edge module, so the gateway is left out, said so.
	assert.Contains(t, text, `module.net["blue"].module.edge.aws_internet_gateway.gw.vpc_id: warning: vpc_id is unknown until apply and its reference var.vpc_id cannot be followed in the JSON output`)
	// A VPC that the file does not hold.
	assert.Contains(t, text, `aws_security_group.shared.vpc_id: warning: VPC vpc-0existing is not managed in this file`)
}

func TestFormatVersionAndMalformedInput(t *testing.T) {
	tests := []struct {
		name, data, want string
		sentinel         error
	}{
		{"a new major version", `{"format_version": "2.0", "planned_values": {}}`, `p.json:1:20: format_version: format_version 2.0: this vpcreach reads Terraform's JSON output format 1.x (and 0.x)`, model.ErrInvalidValue},
		{"no format_version", `{"planned_values": {}}`, `p.json:1:1: no "format_version"`, model.ErrMissingField},
		{"truncated", "{\"format_version\": \"1.2\",\n \"planned_values\": {\"root_module\": {\"resources\": [{\"address\"", `p.json:2:61: not valid JSON: unexpected end of input after an object key: the file is truncated`, model.ErrSyntax},
		{"a trailing comma", `{"format_version": "1.2", }`, `p.json:1:27: not valid JSON: invalid character '}' looking for an object key`, model.ErrSyntax},
		{"broken inside a change's after value, which is checked but not kept", `{"format_version": "1.2", "resource_changes": [{"address": "a.b", "change": {"after": {"x": tru}}}]}`, `p.json:1:93: not valid JSON: invalid character 't' looking for the beginning of a value`, model.ErrSyntax},
		{"not an object", `[1, 2]`, `p.json:1:1: a Terraform plan or state is a JSON object, not a array`, model.ErrType},
		{"resources not a list", `{"format_version": "1.0", "values": {"root_module": {"resources": {}}}}`, `p.json:1:67: values.root_module.resources: resources is a list, not a object`, model.ErrType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im, diags := tfimport.Decode("p.json", []byte(tt.data))
			assert.Nil(t, im)
			require.Error(t, diags.Err())
			assert.Contains(t, diags.Err().Error(), tt.want)
			assert.True(t, errors.Is(diags.Err(), tt.sentinel), "%v wraps %v", diags.Err(), tt.sentinel)
		})
	}
	// format 0.x (Terraform 0.12 to 0.15) has the same shape.
	im, diags := tfimport.Decode("p.json", []byte(`{"format_version": "0.1", "terraform_version": "0.14.11", "values": {"root_module": {}}}`))
	require.NotNil(t, im, messages(diags))
	assert.Equal(t, tfimport.KindState, im.Kind)
}

func TestSniff(t *testing.T) {
	for _, tt := range []struct {
		data string
		want bool
	}{
		{`{"format_version": "1.2", "terraform_version": "1.9.5", "planned_values": {}}`, true},
		{`{"format_version":"1.0","terraform_version":"1.9.5","values":{"root_module":{}}}`, true},
		{`{"format_version": "1.2", "terraform_version": "1.9.5", "planned_values": {"root_module": `, true},
		{`{"version": 1, "vpcs": []}`, false},
		{`{"Vpcs": [{"VpcId": "vpc-1"}]}`, false},
		{"version: 1\nvpcs: []\n", false},
		{``, false},
	} {
		assert.Equal(t, tt.want, tfimport.Sniff([]byte(tt.data)), "%s", tt.data)
	}
	assert.True(t, tfimport.IsTerraform("testdata/basic-plan.json"))
	assert.False(t, tfimport.IsTerraform("../testdata/seed000-peering-nlb.yaml"))
	_, err := os.Stat("testdata")
	assert.False(t, err != nil || tfimport.IsTerraform("testdata"), "a directory is not a plan")
}

// Resources whose AWS ids the file knows keep them beside their
// addresses (aws_id), for output: a state's resources, and what AWS
// creates with a VPC (its default security group), from the VPC's
// attribute; an id unknown until apply leaves aws_id empty.
func TestAWSIDsBesideAddresses(t *testing.T) {
	im, diags := tfimport.Read("testdata/basic-state.json")
	require.NotNil(t, im, messages(diags))
	x, _ := model.NewIndex(im.Planned)
	for addr, want := range map[model.ID]model.ID{
		"aws_vpc.main": "vpc-0a1", "aws_subnet.app": "subnet-0app", "aws_security_group.db": "sg-0db",
		"aws_vpc.main.default_security_group": "sg-0def", "aws_instance.app": "i-0app", "aws_instance.db": "i-0db",
	} {
		assert.Equal(t, want, x.AWSID(addr), "aws_id of %s", addr)
	}

	im, diags = tfimport.Read("testdata/basic-plan.json")
	require.NotNil(t, im, messages(diags))
	for _, v := range im.Planned.VPCs {
		assert.Empty(t, v.AWSID, "a new VPC's id is unknown until apply")
		for _, in := range v.Instances {
			assert.Empty(t, in.AWSID, "a new instance's id is unknown until apply")
		}
	}
}

// Addresses assumed for values unknown until apply are listed in their
// resources' assumed_ips, so that answers that depend on them say so;
// addresses the plan knows are not.
func TestAssumedAddressesMarked(t *testing.T) {
	im, diags := tfimport.Read("testdata/basic-plan.json")
	require.NotNil(t, im, messages(diags))
	app := findInstance(im.Planned, "aws_instance.app")
	require.NotNil(t, app)
	assert.Equal(t, "[10.0.0.5 198.18.0.2]", fmt.Sprint(app.AssumedIPs), "private and public addresses unknown until apply")
	db := findInstance(im.Planned, "aws_instance.db")
	require.NotNil(t, db)
	assert.Empty(t, db.AssumedIPs, "private_ip 10.0.2.10 is in the plan")
	require.Len(t, im.Planned.VPCs[0].NATGateways, 1)
	assert.Equal(t, "[10.0.0.4 198.18.0.1]", fmt.Sprint(im.Planned.VPCs[0].NATGateways[0].AssumedIPs), "its private address and its Elastic IP's")

	im, diags = tfimport.Read("testdata/basic-state.json")
	require.NotNil(t, im, messages(diags))
	for _, v := range im.Planned.VPCs {
		for _, in := range v.Instances {
			assert.Empty(t, in.AssumedIPs, "a state assumes nothing")
		}
	}
}
