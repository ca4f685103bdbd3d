package model_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/vpcreach/vpcreach/model"
)

func TestRouteTableOf(t *testing.T) {
	// S-10: a subnet uses its explicitly associated table, else the VPC's
	// main one; nil stands for the implicit main table.
	tables := []model.RouteTable{{ID: "rtb-x"}, {ID: "rtb-main", Main: true}, {ID: "rtb-y"}}
	tests := []struct {
		name   string
		tables []model.RouteTable
		subnet model.Subnet
		want   model.ID
	}{
		{"explicit", tables, model.Subnet{ID: "sn", RouteTable: "rtb-y"}, "rtb-y"},
		{"explicit before main", tables, model.Subnet{ID: "sn", RouteTable: "rtb-x"}, "rtb-x"},
		{"main", tables, model.Subnet{ID: "sn"}, "rtb-main"},
		{"main is explicit", tables, model.Subnet{ID: "sn", RouteTable: "rtb-main"}, "rtb-main"},
		{"implicit main", tables[:1], model.Subnet{ID: "sn"}, ""},
		{"no tables", nil, model.Subnet{ID: "sn"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &model.VPC{ID: "vpc", RouteTables: tt.tables}
			got := v.RouteTableOf(&tt.subnet)
			if tt.want == "" {
				assert.Nil(t, got, "RouteTableOf(%s)", tt.subnet.ID)
				return
			}
			if assert.NotNil(t, got, "RouteTableOf(%s)", tt.subnet.ID) {
				assert.Equal(t, tt.want, got.ID, "RouteTableOf(%s)", tt.subnet.ID)
				assert.Same(t, &v.RouteTables[indexOf(v.RouteTables, tt.want)], got, "the VPC's own table, not a copy")
			}
		})
	}
}

func indexOf(ts []model.RouteTable, id model.ID) int {
	for i := range ts {
		if ts[i].ID == id {
			return i
		}
	}
	return -1
}

func TestNetworkACLOf(t *testing.T) {
	// S-30: a subnet uses its associated ACL, else the VPC's default one;
	// nil stands for the implicit allow-all default.
	acls := []model.NetworkACL{{ID: "acl-x"}, {ID: "acl-def", Default: true}}
	v := &model.VPC{ID: "vpc", NetworkACLs: acls}
	assert.Equal(t, model.ID("acl-x"), v.NetworkACLOf(&model.Subnet{NetworkACL: "acl-x"}).ID)
	assert.Equal(t, model.ID("acl-def"), v.NetworkACLOf(&model.Subnet{}).ID)
	assert.Nil(t, (&model.VPC{NetworkACLs: acls[:1]}).NetworkACLOf(&model.Subnet{}), "implicit default ACL")
}
