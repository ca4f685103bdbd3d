package tfimport_test

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
	"github.com/vpcreach/vpcreach/tfimport"
)

// A plan made by real Terraform (0.12.21, JSON output format 0.1, one
// line; see testdata/real/NOTICE) imports without error and answers.
func TestRealTerraformPlan(t *testing.T) {
	im, diags, err := tfimport.Load("testdata/real/terraform-compliance-issue-sgr.plan.json")
	require.NoError(t, err)
	assert.Equal(t, "0.12.21", im.TerraformVersion)
	m := im.Planned
	require.Len(t, m.VPCs, 1)
	v := m.VPCs[0]
	assert.Equal(t, model.ID("aws_internet_gateway.gw"), v.InternetGateway, "vpc_id = aws_vpc.fail (Terraform 0.12 lists the resource without .id)")
	require.Len(t, v.SecurityGroups, 1)
	sg := v.SecurityGroups[0]
	require.Len(t, sg.Ingress, 1)
	assert.Equal(t, "tcp 1-3000 from [0.0.0.0/0]", sg.Ingress[0].Protocol.String()+" "+sg.Ingress[0].Ports.String()+" from "+peers(sg.Ingress[0].Sources))
	// The rule of a group outside the plan is left out, said so.
	var outside bool
	for _, d := range diags {
		if errors.Is(d, tfimport.ErrOutsidePlan) && d.Path == "aws_security_group_rule.allow_all.security_group_id" {
			outside = true
			assert.Equal(t, "terraform-compliance-issue-sgr.plan.json:1:1054", d.Pos.String()[len("testdata/real/"):])
		}
	}
	assert.True(t, outside)
	// Queried: the group admits the internet, but nothing holds it.
	s, err := solver.New(m)
	require.NoError(t, err)
	assert.Empty(t, s.Exposure(nil, nil, solver.AnalysisOptions{}), "no instance holds the group")
}

func peers(ps []model.Peer) string {
	s := "["
	for i, p := range ps {
		if i > 0 {
			s += " "
		}
		s += p.String()
	}
	return s + "]"
}

// A plan made by real Terraform (0.12.8, JSON output format 0.1) of the
// public module terraform-aws-modules/vpc (see testdata/real/NOTICE):
// three zones, each with a private subnet routed to its own NAT gateway in
// the public subnet of the zone, the public subnets routed to the internet
// gateway. Everything is unknown until apply and most references go
// through the module's locals; count.index picks each zone's instances.
func TestRealTerraformPlanOfTheVPCModule(t *testing.T) {
	im, diags, err := tfimport.Load("testdata/real/terraform-compliance-issue-158-vpc-module.plan.json")
	require.NoError(t, err)
	assert.Equal(t, "0.12.8", im.TerraformVersion)
	for _, d := range diags {
		// Target attributes the provider computes (a route's
		// egress_only_gateway_id, an Elastic IP's instance) are unknown in
		// the plan but not set by the configuration: not read as set.
		assert.NotContains(t, d.Path, "egress_only_gateway_id", d.Error())
		assert.NotContains(t, d.Path, "aws_eip.nat", d.Error())
		assert.NotContains(t, d.Path, "propagating_vgws", d.Error())
	}
	m := im.Planned
	require.Len(t, m.VPCs, 1)
	v := &m.VPCs[0]
	assert.Equal(t, model.ID("module.vpc.aws_vpc.this[0]"), v.ID)
	assert.Equal(t, "eu-west-1", v.Region, "the provider block's region")
	assert.Equal(t, model.ID("module.vpc.aws_internet_gateway.this[0]"), v.InternetGateway, "vpc_id = local.vpc_id: the module's only VPC")
	assert.Equal(t, model.ID("module.vpc.aws_vpn_gateway.this[0]"), v.VPNGateway, "enable_vpn_gateway = true")
	require.Len(t, v.Subnets, 6)
	tables := map[model.ID][]model.Route{}
	for _, rt := range v.RouteTables {
		tables[rt.ID] = rt.Routes
	}
	nats := map[model.ID]model.ID{}
	for _, n := range v.NATGateways {
		nats[n.ID] = n.Subnet
	}
	for i, zone := range []string{"a", "b", "c"} {
		private := model.ID(fmt.Sprintf("module.vpc.aws_subnet.private[%d]", i))
		public := model.ID(fmt.Sprintf("module.vpc.aws_subnet.public[%d]", i))
		nat := model.ID(fmt.Sprintf("module.vpc.aws_nat_gateway.this[%d]", i))
		rt := model.ID(fmt.Sprintf("module.vpc.aws_route_table.private[%d]", i))
		sn := subnetByID(v, private)
		require.NotNil(t, sn, "%s", private)
		assert.Equal(t, "eu-west-1"+zone, sn.AZ)
		assert.Equal(t, rt, sn.RouteTable, "aws_route_table_association.private[count.index]")
		assert.Equal(t, "[0.0.0.0/0 -> "+string(nat)+"]", routesText(tables[rt]), "aws_route.private_nat_gateway[count.index]")
		assert.Equal(t, public, nats[nat], "subnet_id = aws_subnet.public[count.index]: one NAT gateway per zone")
		assert.Equal(t, model.ID("module.vpc.aws_route_table.public[0]"), subnetByID(v, public).RouteTable)
	}
	assert.Equal(t, "[0.0.0.0/0 -> module.vpc.aws_internet_gateway.this[0]]", routesText(tables["module.vpc.aws_route_table.public[0]"]))

	// Queried, with probe instances in the module's subnets (the plan
	// creates none), in the VPC's default security group.
	probe := func(id, subnet, ip, public string) {
		in := model.Instance{ID: model.ID(id), Interface: model.Interface{Subnet: model.ID(subnet), PrivateIP: netip.MustParseAddr(ip)}}
		if public != "" {
			in.PublicIP = netip.MustParseAddr(public)
		}
		v.Instances = append(v.Instances, in)
	}
	probe("probe-private-a", "module.vpc.aws_subnet.private[0]", "10.0.1.10", "")
	probe("probe-private-b", "module.vpc.aws_subnet.private[1]", "10.0.2.10", "")
	probe("probe-public-a", "module.vpc.aws_subnet.public[0]", "10.0.101.10", "203.0.113.10")
	s, err := solver.New(m)
	require.NoError(t, err)
	passes := func(r solver.Result) []string {
		var out []string
		for _, h := range r.Forward {
			if h.Kind == solver.HopNATGateway || h.Kind == solver.HopInternetGateway {
				out = append(out, string(h.Component))
			}
		}
		return out
	}
	tests := []struct {
		name     string
		from, to string
		port     uint16
		verdict  solver.Verdict
		via      []string
	}{
		{"zone a goes out through its own NAT gateway", "probe-private-a", "internet", 443, solver.VerdictReachable,
			[]string{"module.vpc.aws_nat_gateway.this[0]", "module.vpc.aws_internet_gateway.this[0]"}},
		{"zone b through its own", "probe-private-b", "internet", 443, solver.VerdictReachable,
			[]string{"module.vpc.aws_nat_gateway.this[1]", "module.vpc.aws_internet_gateway.this[0]"}},
		{"a public subnet goes straight to the internet gateway", "probe-public-a", "internet", 443, solver.VerdictReachable,
			[]string{"module.vpc.aws_internet_gateway.this[0]"}},
		{"nothing on the internet reaches a private subnet", "internet", "probe-private-a", 443, solver.VerdictUnreachable, nil},
		{"private subnets reach each other across zones (local route, default group)", "probe-private-a", "probe-private-b", 22, solver.VerdictReachable, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.Reach(solver.Query{From: tt.from, To: tt.to, Protocol: model.ProtocolTCP, Port: tt.port})
			require.NoError(t, r.Err)
			assert.Equal(t, tt.verdict, r.Verdict, "%s", r.Text())
			if tt.via != nil {
				assert.Equal(t, tt.via, passes(r), "%s", r.Text())
			}
		})
	}
}

func subnetByID(v *model.VPC, id model.ID) *model.Subnet {
	for i := range v.Subnets {
		if v.Subnets[i].ID == id {
			return &v.Subnets[i]
		}
	}
	return nil
}

func routesText(rs []model.Route) string {
	var s []string
	for _, r := range rs {
		s = append(s, r.Destination.String()+" -> "+string(r.Target))
	}
	return "[" + strings.Join(s, ", ") + "]"
}
