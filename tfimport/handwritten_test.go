package tfimport_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
	"github.com/vpcreach/vpcreach/tfimport"
)

// The plans in testdata/handwritten are written by hand from the JSON
// output format's documentation and the AWS provider's resources, as
// Terraform writes them (see the README there), each for the topology of
// a seed YAML file: not exported from it. The same queries get the same
// verdicts.

// answers checks m's expectations and returns each one's verdict by name.
func answers(t *testing.T, m *model.Model) map[string]solver.Verdict {
	t.Helper()
	s, err := solver.New(m)
	require.NoError(t, err)
	out := map[string]solver.Verdict{}
	for _, o := range s.Check() {
		require.NoError(t, o.Result.Err, o.Title())
		out[o.Title()] = o.Result.Verdict
	}
	return out
}

// withExpectations returns a copy of m with the expectations of the YAML
// model, their ends renamed (YAML id -> Terraform address or AWS id).
func withExpectations(m, yaml *model.Model, rename map[string]string) *model.Model {
	got := *m
	got.Expectations = nil
	for _, x := range yaml.Expectations {
		if to, ok := rename[x.From]; ok {
			x.From = to
		}
		if to, ok := rename[x.To]; ok {
			x.To = to
		}
		got.Expectations = append(got.Expectations, x)
	}
	return &got
}

func loadYAML(t *testing.T, name string) *model.Model {
	t.Helper()
	m, _, err := model.LoadFiles(name)
	require.NoError(t, err)
	require.NotEmpty(t, m.Expectations)
	return m
}

// Seed 003 as a new network: every id unknown until apply, references in
// the configuration (count.index, for_each over a local, splats, a VPC's
// main_route_table_id, an alias to an endpoint's dns_entry), addresses
// of interface endpoints assumed.
func TestHandwrittenPlanOfANewNetwork(t *testing.T) {
	yaml := loadYAML(t, "../testdata/seed003-private-eks.yaml")
	im, diags, err := tfimport.Load("testdata/handwritten/seed003-private-eks.plan.json")
	require.NoError(t, err)
	assert.Equal(t, tfimport.KindPlan, im.Kind)
	assert.Equal(t, "1.9.8", im.TerraformVersion)
	assert.Nil(t, im.Prior, "a new configuration without data sources has no prior state")
	for _, d := range diags {
		// The only values a reachability answer needs that the plan lacks
		// are the endpoints' interface addresses.
		assert.True(t, errors.Is(d, tfimport.ErrAssumed) && strings.HasPrefix(d.Path, "aws_vpc_endpoint."), "%s", d.Error())
	}
	m := im.Planned
	x, _ := model.NewIndex(m)
	for i, sn := range []string{"aws_subnet.private[0]", "aws_subnet.private[1]", "aws_subnet.private[2]"} {
		node := x.Instance(model.ID(fmt.Sprintf("aws_instance.node[%d]", i)))
		require.NotNil(t, node)
		assert.Equal(t, model.ID(sn), node.Subnet, "subnet_id = aws_subnet.private[count.index].id")
		assert.Equal(t, model.ID("aws_route_table.private"), x.Subnet(model.ID(sn)).RouteTable, "aws_route_table_association.private[count.index]")
	}
	ec2 := x.Endpoint("aws_vpc_endpoint.ec2")
	require.NotNil(t, ec2)
	assert.Equal(t, []model.ID{"aws_security_group.vpce", "aws_security_group.vpce_ops"}, ec2.SecurityGroups)
	assert.Len(t, ec2.Subnets, 3, "subnet_ids = aws_subnet.private[*].id")
	sts := x.Endpoint(`aws_vpc_endpoint.api["sts"]`)
	require.NotNil(t, sts, "for_each = local.api_services")
	assert.Equal(t, "com.amazonaws.ap-southeast-1.sts", sts.Service)
	assert.Equal(t, []model.ID{"aws_security_group.vpce"}, sts.SecurityGroups)
	require.Len(t, m.HostedZones, 1)
	require.Len(t, m.HostedZones[0].Records, 1)
	assert.Equal(t, "aws_vpc_endpoint.ec2", m.HostedZones[0].Records[0].Target, "alias name = aws_vpc_endpoint.ec2.dns_entry[0].dns_name")
	ops := x.VPC("aws_vpc.ops")
	require.NotNil(t, ops)
	require.Len(t, ops.RouteTables, 1, "route_table_id = aws_vpc.ops.main_route_table_id: the VPC's main table")
	assert.True(t, ops.RouteTables[0].Main)

	want := answers(t, yaml)
	require.Len(t, want, len(yaml.Expectations))
	got := answers(t, withExpectations(m, yaml, map[string]string{
		"i-eks-node-1a": "aws_instance.node[0]", "i-eks-node-1b": "aws_instance.node[1]", "i-eks-node-1c": "aws_instance.node[2]",
		"i-ops-tools": "aws_instance.ops_tools",
		// The endpoint's own DNS name is unknown until apply: the query
		// names the endpoint.
		"vpce-03f7e3e94e933f477-jzzbvb9s.ec2.ap-southeast-1.vpce.amazonaws.com": "aws_vpc_endpoint.ec2",
	}))
	assert.Equal(t, want, got)
}

// Seed 001 as a change to an existing network: the prior state holds it
// without VPC2's route to VPC3 and without the rule of VPC3's orders
// group that admits VPC2; the plan adds both. Every id is known (queries
// name instances and endpoints by their AWS ids), the gateway endpoints'
// prefix lists are data sources of the prior state. The planned network
// answers as the YAML topology; the prior one differs exactly where the
// change matters.
func TestHandwrittenPlanOfAChange(t *testing.T) {
	yaml := loadYAML(t, "../testdata/seed001-peering-endpoints.yaml")
	im, diags, err := tfimport.Load("testdata/handwritten/seed001-peering-endpoints.change.json")
	require.NoError(t, err)
	assert.Equal(t, "1.10.5", im.TerraformVersion)
	require.NotNil(t, im.Prior, "a change has a prior state")
	require.NoError(t, append(im.PriorDiagnostics, model.Validate(im.Prior)...).Err())
	for _, d := range append(diags, im.PriorDiagnostics...) {
		// A state does not say which addresses an interface endpoint's
		// network interfaces have.
		assert.True(t, errors.Is(d, tfimport.ErrAssumed) && strings.HasSuffix(d.Path, ".network_interface_ids"), "%s", d.Error())
	}
	require.NotEmpty(t, im.PriorDiagnostics)
	assert.Contains(t, im.PriorDiagnostics[0].Message, "which the state does not hold", "a prior state's address is not unknown until apply: it is missing")
	rename := map[string]string{
		"i-1-app": "i-0a1b2c3d4e5f60801", "i-2-app": "i-0b2c3d4e5f6a70902", "i-3-orders": "i-0c3d4e5f6a7b80a03",
		"vpce-1-orders": "vpce-01c7e5a3b9d2f4162",
	}
	want := answers(t, yaml)
	require.Len(t, want, len(yaml.Expectations))
	assert.Equal(t, want, answers(t, withExpectations(im.Planned, yaml, rename)), "the planned network")

	const changed = "VPC2 reaches its peer VPC3"
	before := answers(t, withExpectations(im.Prior, yaml, rename))
	require.Equal(t, solver.VerdictReachable, want[changed])
	assert.Equal(t, solver.VerdictUnreachable, before[changed], "before the change")
	delete(before, changed)
	delete(want, changed)
	assert.Equal(t, want, before, "the prior network answers as the planned one elsewhere")

	// Why it was unreachable, and the response that had no way back.
	prior, err := solver.New(im.Prior)
	require.NoError(t, err)
	planned, err := solver.New(im.Planned)
	require.NoError(t, err)
	q := solver.Query{From: "i-0b2c3d4e5f6a70902", To: "i-0c3d4e5f6a7b80a03", Protocol: model.ProtocolTCP, Port: 443}
	r := prior.Reach(q)
	require.Len(t, r.Blockers, 1, r.Text())
	assert.Equal(t, solver.NoRouteToDestination, r.Blockers[0].Code)
	assert.Equal(t, model.ID("aws_vpc.vpc2.main_route_table"), r.Blockers[0].Component, "the VPC's main table, named after the VPC")
	assert.Equal(t, model.ID("rtb-0b22d3e4f5a6b7c82"), r.Blockers[0].AWSID, "its AWS id, from the VPC's main_route_table_id")
	r = planned.Reach(q)
	assert.Equal(t, solver.VerdictReachable, r.Verdict, r.Text())
	assert.Equal(t, model.ID("i-0b2c3d4e5f6a70902"), r.Forward[0].AWSID)
	back := solver.Query{From: "i-0c3d4e5f6a7b80a03", To: "i-0b2c3d4e5f6a70902", Protocol: model.ProtocolTCP, Port: 443}
	r = prior.Reach(back)
	require.Equal(t, solver.VerdictUnreachable, r.Verdict, r.Text())
	require.Len(t, r.Blockers, 1, r.Text())
	assert.Equal(t, solver.LegReturn, r.Blockers[0].Leg, "VPC3 reached VPC2 before the change; the response had no route back")
	assert.Equal(t, solver.VerdictReachable, planned.Reach(back).Verdict)
}
