package routing_test

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/routing"
)

// TestRoutesAreCopies changes the routes Routes returns and checks that
// the table still routes as compiled: a compiled table hands out no
// internal slice.
func TestRoutesAreCopies(t *testing.T) {
	vpc := &model.VPC{ID: "vpc-a", CIDRBlocks: []netip.Prefix{pfx("10.0.0.0/16")}}
	rt := &model.RouteTable{ID: "rtb", Routes: []model.Route{{Destination: model.Destination{CIDR: pfx("0.0.0.0/0")}, Target: "nat"}}}
	table := routing.CompileVPCTable(vpc, rt, baseResolver())
	rs := table.Routes()
	for i := range rs {
		rs[i].Target, rs[i].Blackhole = "changed", true
	}
	assert.Equal(t, model.ID("nat"), table.Lookup(addr("8.8.8.8")).Target)
	assert.Equal(t, model.ID("nat"), table.Routes()[1].Target)

	res := baseResolver()
	tgw := &model.TransitGateway{ID: "tgw"}
	trt := &model.TGWRouteTable{ID: "rt", Routes: []model.TGWRoute{{Destination: model.Destination{CIDR: pfx("0.0.0.0/0")}, Attachment: "att-egress"}}}
	tt := routing.CompileTGWTable(tgw, trt, res)
	trs := tt.Routes()
	trs[0].Attachment, trs[0].Blackhole = "changed", true
	assert.Equal(t, model.ID("att-egress"), tt.Lookup(addr("8.8.8.8")).Attachment)
	assert.Equal(t, model.ID("att-egress"), tt.Routes()[0].Attachment)
}
