package solver_test

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/routing"
	"github.com/vpcreach/vpcreach/sgeval"
	"github.com/vpcreach/vpcreach/solver"
)

// compiledTopology: vpc-a writes its tables, ACLs and groups (an explicit
// and a main route table, an associated and a default ACL, a listed and a
// default group); vpc-b writes none, so AWS's implicit ones apply. A
// transit gateway with two tables associates att-a explicitly and att-b by
// default.
const compiledTopology = `version: 1
vpcs:
  - id: vpc-a
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    internet_gateway: igw-a
    subnets:
      - {id: sn-pub, az: eu-west-1a, cidr_block: 10.0.0.0/24, route_table: rtb-pub, network_acl: acl-pub}
      - {id: sn-priv, az: eu-west-1a, cidr_block: 10.0.1.0/24}
    route_tables:
      - {id: rtb-pub, routes: [{destination: 0.0.0.0/0, target: igw-a}]}
      - {id: rtb-main, main: true, routes: [{destination: 10.1.0.0/16, target: tgw-1}]}
    network_acls:
      - id: acl-pub
        ingress: [{rule: 100, protocol: tcp, ports: 443, cidr: 0.0.0.0/0, action: allow}]
        egress: [{rule: 100, protocol: all, cidr: 0.0.0.0/0, action: allow}]
      - {id: acl-def, default: true}
    security_groups:
      - {id: sg-web, description: web, ingress: [{protocol: tcp, ports: 443, sources: [0.0.0.0/0]}]}
      - {id: sg-def, description: default, default: true}
    nat_gateways:
      - {id: nat-a, subnet: sn-pub, connectivity: public, private_ip: 10.0.0.10, public_ip: 203.0.113.10}
    instances:
      - {id: i-web, subnet: sn-pub, private_ip: 10.0.0.20, public_ip: 203.0.113.20, security_groups: [sg-web]}
      - {id: i-plain, subnet: sn-priv, private_ip: 10.0.1.20}
  - id: vpc-b
    region: eu-west-1
    cidr_blocks: [10.1.0.0/16]
    subnets: [{id: sn-b, az: eu-west-1a, cidr_block: 10.1.1.0/24}]
    instances: [{id: i-b, subnet: sn-b, private_ip: 10.1.1.20}]
transit_gateways:
  - id: tgw-1
    region: eu-west-1
    default_association_route_table: rtb-t1
    route_tables: [{id: rtb-t1}, {id: rtb-t2}]
    attachments:
      - {id: att-a, type: vpc, vpc: vpc-a, subnets: [sn-priv], association: rtb-t2, propagations: [rtb-t1]}
      - {id: att-b, type: vpc, vpc: vpc-b, subnets: [sn-b], propagations: [rtb-t2]}
`

func tableIDs(ts []*routing.Table) []model.ID {
	var out []model.ID
	for _, t := range ts {
		out = append(out, t.ID)
	}
	return out
}

func groupIDs(gs []*sgeval.SecurityGroup) []model.ID {
	var out []model.ID
	for _, g := range gs {
		out = append(out, g.ID)
	}
	return out
}

// TestSubnetAssociations checks which compiled route table (S-10) and
// network ACL (S-30) each subnet uses, written and implicit.
func TestSubnetAssociations(t *testing.T) {
	s := load(t, compiledTopology)
	tests := []struct {
		subnet       model.ID
		table, acl   model.ID
		implicitMain bool
	}{
		{"sn-pub", "rtb-pub", "acl-pub", false},
		{"sn-priv", "rtb-main", "acl-def", false},
		{"sn-b", "vpc-b/main", "vpc-b/default-acl", true},
	}
	for _, tt := range tests {
		t.Run(string(tt.subnet), func(t *testing.T) {
			rt := s.SubnetRouteTable(tt.subnet)
			require.NotNil(t, rt, "SubnetRouteTable(%s)", tt.subnet)
			assert.Equal(t, tt.table, rt.ID, "SubnetRouteTable(%s)", tt.subnet)
			assert.Equal(t, tt.implicitMain, rt.Implicit, "SubnetRouteTable(%s).Implicit", tt.subnet)
			assert.Same(t, rt, s.RouteTable(tt.table), "RouteTable(%s) is the table the subnet uses", tt.table)
			acl := s.SubnetACL(tt.subnet)
			require.NotNil(t, acl, "SubnetACL(%s)", tt.subnet)
			assert.Equal(t, tt.acl, acl.ID, "SubnetACL(%s)", tt.subnet)
			assert.Same(t, acl, s.NetworkACL(tt.acl), "NetworkACL(%s) is the ACL the subnet uses", tt.acl)
		})
	}
	assert.Nil(t, s.SubnetRouteTable("sn-nope"))
	assert.Nil(t, s.SubnetACL("sn-nope"))
	assert.Nil(t, s.RouteTable("vpc-a/main"), "vpc-a writes its main table: no implicit one")
	assert.Nil(t, s.RouteTable("rtb-t1"), "a transit gateway table is not a VPC route table")
	assert.Nil(t, s.NetworkACL("vpc-a/default-acl"), "vpc-a writes its default ACL")
}

// TestCompiledTablesAreTheOnesReachUses checks that the published tables
// answer as the walk does: rtb-pub sends the internet to igw-a, the
// implicit main table has only its local route, and acl-pub, compiled
// once, admits https and nothing else.
func TestCompiledTablesAreTheOnesReachUses(t *testing.T) {
	s := load(t, compiledTopology)
	internet := netip.MustParseAddr("198.51.100.1")
	r := s.SubnetRouteTable("sn-pub").Lookup(internet)
	require.NotNil(t, r, "rtb-pub routes the internet")
	assert.Equal(t, model.ID("igw-a"), r.Target)
	assert.Nil(t, s.SubnetRouteTable("sn-b").Lookup(internet), "the implicit main table has local routes only (S-14)")
	acl := s.SubnetACL("sn-pub")
	https := sgeval.Packet{Src: internet, Dst: netip.MustParseAddr("10.0.0.20"), Protocol: model.ProtocolTCP, DstPort: 443, SrcPort: 50000}
	assert.True(t, acl.Check(sgeval.Ingress, https).Allowed, "acl-pub admits https")
	ssh := https
	ssh.DstPort = 22
	assert.False(t, acl.Check(sgeval.Ingress, ssh).Allowed, "acl-pub denies ssh")
	// The same verdict from the engine, so the published ACL is the one
	// the walk checks.
	res := s.Reach(solver.Query{From: "internet", To: "i-web", Protocol: model.ProtocolTCP, Port: 22})
	assert.Contains(t, codes(res), "forward:SUBNET_ACL_RESTRICTION", "Reach(internet -> i-web tcp/22)")
}

func TestRouteTablesInWrittenOrder(t *testing.T) {
	s := load(t, compiledTopology)
	assert.Equal(t, []model.ID{"rtb-pub", "rtb-main"}, tableIDs(s.RouteTables("vpc-a")))
	assert.Equal(t, []model.ID{"vpc-b/main"}, tableIDs(s.RouteTables("vpc-b")), "the implicit main table")
	assert.Nil(t, s.RouteTables("vpc-nope"))

	var tgw []model.ID
	for _, rt := range s.TGWRouteTables("tgw-1") {
		tgw = append(tgw, rt.ID)
	}
	assert.Equal(t, []model.ID{"rtb-t1", "rtb-t2"}, tgw)
	assert.Same(t, s.TGWRouteTables("tgw-1")[1], s.TGWRouteTable("rtb-t2"))
	assert.Nil(t, s.TGWRouteTable("rtb-main"), "a VPC table is not a transit gateway table")
}

// TestAttachmentRouteTable checks the association of transit gateway
// attachments (S-52): written, or the gateway's default.
func TestAttachmentRouteTable(t *testing.T) {
	s := load(t, compiledTopology)
	assert.Equal(t, model.ID("rtb-t2"), s.AttachmentRouteTable("att-a").ID, "written association")
	assert.Equal(t, model.ID("rtb-t1"), s.AttachmentRouteTable("att-b").ID, "the gateway's default association")
	assert.Nil(t, s.AttachmentRouteTable("att-nope"))
	// rtb-t1 holds what att-a propagates, rtb-t2 what att-b does.
	r := s.AttachmentRouteTable("att-b").Lookup(netip.MustParseAddr("10.0.1.20"))
	require.NotNil(t, r, "rtb-t1 routes vpc-a")
	assert.Equal(t, model.ID("att-a"), r.Attachment)
}

// TestInterfaceGroups checks the groups that filter an interface (S-20):
// its own, else its VPC's default group, written or implicit.
func TestInterfaceGroups(t *testing.T) {
	s := load(t, compiledTopology)
	tests := []struct {
		id   model.ID
		want []model.ID
	}{
		{"i-web", []model.ID{"sg-web"}},
		{"i-plain", []model.ID{"sg-def"}},
		{"i-b", []model.ID{"vpc-b/default-sg"}},
		{"nat-a", nil},
		{"i-nope", nil},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, groupIDs(s.InterfaceGroups(tt.id)), "InterfaceGroups(%s)", tt.id)
	}
	assert.Same(t, s.InterfaceGroups("i-plain")[0], s.SecurityGroup("sg-def"))
	assert.Same(t, s.InterfaceGroups("i-b")[0], s.SecurityGroup("vpc-b/default-sg"))
	assert.Nil(t, s.SecurityGroup("vpc-a/default-sg"), "vpc-a writes its default group")
	assert.Nil(t, s.SecurityGroup("sg-nope"))
}

// TestViewSlicesAreTheCallers checks that the slices the view returns are
// fresh: changing one does not change the solver.
func TestViewSlicesAreTheCallers(t *testing.T) {
	s := load(t, compiledTopology)
	gs := s.InterfaceGroups("i-web")
	gs[0] = nil
	assert.Equal(t, []model.ID{"sg-web"}, groupIDs(s.InterfaceGroups("i-web")))
	ts := s.RouteTables("vpc-a")
	ts[0] = nil
	assert.Equal(t, []model.ID{"rtb-pub", "rtb-main"}, tableIDs(s.RouteTables("vpc-a")))
	tt := s.TGWRouteTables("tgw-1")
	tt[0] = nil
	assert.NotNil(t, s.TGWRouteTables("tgw-1")[0])
}
