package tfimport

import (
	"net/netip"
	"slices"

	"github.com/vpcreach/vpcreach/model"
)

// routeTargets maps a route's target attributes to the resource types
// they name. The first type is the one the model's target is.
var routeTargets = []struct {
	key   string
	types []string
}{
	{"gateway_id", []string{"aws_internet_gateway", "aws_vpn_gateway", "aws_vpc_endpoint", "aws_internet_gateway_attachment", "aws_vpn_gateway_attachment"}},
	{"nat_gateway_id", []string{"aws_nat_gateway"}},
	{"transit_gateway_id", []string{"aws_ec2_transit_gateway", "aws_ec2_transit_gateway_vpc_attachment", "aws_ec2_transit_gateway_vpc_attachment_accepter"}},
	{"vpc_peering_connection_id", []string{"aws_vpc_peering_connection", "aws_vpc_peering_connection_accepter", "aws_vpc_peering_connection_options"}},
	{"vpc_endpoint_id", []string{"aws_vpc_endpoint"}},
	{"network_interface_id", []string{"aws_network_interface", "aws_instance"}},
	{"instance_id", []string{"aws_instance"}},
	{"egress_only_gateway_id", []string{"aws_egress_only_internet_gateway"}},
}

// notModelledTargets are route targets vpcreach does not model.
var notModelledTargets = []string{"carrier_gateway_id", "local_gateway_id", "core_network_arn"}

func (b *builder) buildRouteTables() {
	for _, typ := range []string{"aws_route_table", "aws_default_route_table"} {
		b.each(typ, func(e elem) {
			var v *vpcB
			if typ == "aws_default_route_table" {
				v = b.defaultOf(e, "default_route_table_id")
			} else {
				v = b.vpcRef(e, "vpc_id")
			}
			if v == nil {
				return
			}
			id := model.ID(e.r.addr)
			rt := &model.RouteTable{ID: id, Main: typ == "aws_default_route_table", Source: e.src()}
			for _, re := range e.sub("route") {
				if r, ok := b.route(re, v, "cidr_block", "ipv6_cidr_block", "destination_prefix_list_id"); ok {
					rt.Routes = append(rt.Routes, r)
				}
			}
			for _, g := range e.refs("propagating_vgws", "aws_vpn_gateway") {
				rt.Propagations = append(rt.Propagations, g.ID)
			}
			v.rts = append(v.rts, rt)
			b.rts[id] = rt
			b.objVPC[id] = v
		})
	}
	b.each("aws_main_route_table_association", func(e elem) {
		v := b.vpcRef(e, "vpc_id")
		rt := b.tableRef(e, "route_table_id")
		if v == nil || rt == nil {
			return
		}
		if b.objVPC[rt.ID] != v {
			e.errorf("route_table_id", model.ErrWrongRef, "route table %s is not in %s", rt.ID, v.m.ID)
			return
		}
		for _, other := range v.rts {
			other.Main = false
		}
		rt.Main = true
	})
	b.each("aws_route", func(e elem) {
		rt := b.tableRef(e, "route_table_id")
		if rt == nil {
			return
		}
		if r, ok := b.route(e, b.objVPC[rt.ID], "destination_cidr_block", "destination_ipv6_cidr_block", "destination_prefix_list_id"); ok && !slices.ContainsFunc(rt.Routes, func(x model.Route) bool {
			return x.Destination == r.Destination && x.Target == r.Target
		}) {
			rt.Routes = append(rt.Routes, r)
		}
	})
	b.each("aws_route_table_association", func(e elem) {
		if e.str("gateway_id") != "" || e.unknown("gateway_id") {
			// An edge association: the table becomes the gateway's
			// gateway route table (V-24).
			rt := b.tableRef(e, "route_table_id")
			g := e.ref("gateway_id", "aws_internet_gateway", "aws_vpn_gateway", "aws_internet_gateway_attachment", "aws_vpn_gateway_attachment")
			if rt == nil || g.ID == "" {
				return
			}
			id := b.canonical(g)
			if g.outside || b.missing(id) {
				e.warnf("gateway_id", ErrOutsidePlan, "the edge association's gateway %s is not in this file: it is left out", g.ID)
				return
			}
			if !slices.Contains(rt.EdgeAssociations, id) {
				rt.EdgeAssociations = append(rt.EdgeAssociations, id)
			}
			return
		}
		rt := b.tableRef(e, "route_table_id")
		s := b.subnetRef(e, "subnet_id")
		if rt == nil || s == nil {
			return
		}
		if b.objVPC[rt.ID] != b.objVPC[s.ID] {
			e.errorf("route_table_id", model.ErrWrongRef, "route table %s and subnet %s are in different VPCs", rt.ID, s.ID)
			return
		}
		s.RouteTable = rt.ID
	})
	// Routes of gateway endpoints are the model's own (S-70).
}

// route reads one route: its destination (IPv4, IPv6 or a prefix list)
// and its target.
func (b *builder) route(e elem, v *vpcB, cidrKey, cidr6Key, plKey string) (model.Route, bool) {
	r := model.Route{Source: e.src()}
	switch {
	case e.str(cidrKey) != "" && e.str(cidr6Key) != "":
		e.errorf(cidr6Key, model.ErrInvalidValue, "a route has one destination: %s or %s, not both", cidrKey, cidr6Key)
		return r, false
	case e.str(cidrKey) != "":
		p, err := model.ParseCIDR(e.str(cidrKey))
		if err != nil {
			e.errorf(cidrKey, model.ErrInvalidValue, "%s", err)
			return r, false
		}
		r.Destination.CIDR = p
	case e.str(cidr6Key) != "":
		p, err := model.ParseIPv6CIDR(e.str(cidr6Key))
		if err != nil {
			e.errorf(cidr6Key, model.ErrInvalidValue, "%s", err)
			return r, false
		}
		r.Destination.CIDR = p
	case e.given(plKey):
		pl := e.ref(plKey, "aws_ec2_managed_prefix_list", "aws_prefix_list")
		if pl.ID == "" {
			return r, false
		}
		if pl.outside {
			e.warnf(plKey, ErrOutsidePlan, "prefix list %s is not in this file (an AWS-managed list?): the route is left out", pl.ID)
			return r, false
		}
		r.Destination.PrefixList = pl.ID
	case e.unknown(cidrKey) || e.unknown(cidr6Key):
		e.warnf(cidrKey, ErrUnknownValue, "the route's destination is unknown until apply: the route is left out")
		return r, false
	default:
		e.warnf(cidrKey, model.ErrMissingField, "a route without a destination (%s, %s or %s) is left out", cidrKey, cidr6Key, plKey)
		return r, false
	}
	if e.str("gateway_id") == "local" {
		return r, false // the local route is implicit (S-11)
	}
	for _, k := range notModelledTargets {
		if e.given(k) {
			e.warnf(k, ErrNotModelled, "a route to %s is not modelled: it is left out", k)
			return r, false
		}
	}
	for _, t := range routeTargets {
		if !e.given(t.key) {
			continue
		}
		ref := e.ref(t.key, t.types...)
		if ref.ID == "" {
			return r, false
		}
		r.Target = b.canonical(ref)
		six := r.Destination.CIDR.IsValid() && r.Destination.CIDR.Addr().Is6()
		if pl := b.pls[r.Destination.PrefixList]; r.Destination.PrefixList != "" && pl != nil && len(pl.CIDRs) > 0 {
			// A prefix list of IPv6 entries is an IPv6 destination.
			six = !slices.ContainsFunc(pl.CIDRs, func(p netip.Prefix) bool { return p.Addr().Is4() })
		}
		switch {
		case t.key == "egress_only_gateway_id" && r.Destination.CIDR.IsValid() && !six:
			e.errorf(t.key, model.ErrInvalidValue, "an egress-only internet gateway takes IPv6 routes only, and %s is IPv4 (V-07)", r.Destination)
			return r, false
		case t.key == "nat_gateway_id" && six && !r.Destination.InsideNAT64(func(id model.ID) *model.PrefixList { return b.pls[id] }):
			// A NAT gateway translates IPv6 only inside 64:ff9b::/96
			// (NAT64, V-16): a blackhole, so that answers through it are
			// unknown rather than routed elsewhere.
			e.warnf(t.key, ErrNotModelled, "route %s -> %s: a NAT gateway translates IPv6 only to destinations in %s (NAT64, V-16); the route is kept as a blackhole, so answers through it are unknown, not \"no\"", r.Destination, r.Target, model.NAT64Prefix())
			r.Target, r.State = "", model.RouteBlackhole
			return r, true
		}
		if ref.outside || b.missing(r.Target) {
			r.State = model.RouteOutsideSnapshot
			e.warnf(t.key, ErrOutsidePlan, "the route's target %s is not in this file: where it leads is unknown", ref.ID)
		}
		if e.str("state") == "blackhole" {
			r.State = model.RouteBlackhole
		}
		return r, true
	}
	if e.str("state") == "blackhole" {
		e.notef("", ErrSkipped, "a blackhole route without a target is left out")
		return r, false
	}
	e.warnf("", model.ErrMissingField, "a route without a target this importer reads is left out")
	return r, false
}

// canonical maps a reference to the resource the model names: an
// attachment to its gateway, an accepter to its connection.
func (b *builder) canonical(r ref) model.ID {
	if r.outside || r.typ == "" {
		return r.ID
	}
	res := b.byAddr[string(r.ID)]
	if res == nil {
		return r.ID
	}
	e := b.top(res)
	switch r.typ {
	case "aws_internet_gateway_attachment":
		return b.canonical(e.ref("internet_gateway_id", "aws_internet_gateway"))
	case "aws_vpn_gateway_attachment":
		return b.canonical(e.ref("vpn_gateway_id", "aws_vpn_gateway"))
	case "aws_ec2_transit_gateway_vpc_attachment":
		return b.canonical(e.ref("transit_gateway_id", "aws_ec2_transit_gateway"))
	case "aws_ec2_transit_gateway_vpc_attachment_accepter":
		return b.canonical(e.ref("transit_gateway_attachment_id", "aws_ec2_transit_gateway_vpc_attachment"))
	case "aws_vpc_peering_connection_accepter", "aws_vpc_peering_connection_options":
		c := e.ref("vpc_peering_connection_id", "aws_vpc_peering_connection")
		if c.outside && r.typ == "aws_vpc_peering_connection_accepter" {
			return r.ID // the connection is another configuration's: the accepter stands for it
		}
		return b.canonical(c)
	}
	return r.ID
}

// missing reports whether a route target names a resource the model
// does not hold (a peering to a VPC outside the file, left out).
func (b *builder) missing(id model.ID) bool {
	r := b.byAddr[string(id)]
	if r == nil {
		return true
	}
	switch r.typ {
	case "aws_vpc_peering_connection", "aws_vpc_peering_connection_accepter":
		if b.peerIDs == nil {
			b.peerIDs = map[model.ID]bool{}
			for _, p := range b.peers {
				b.peerIDs[p.ID] = true
			}
		}
		return !b.peerIDs[id]
	case "aws_ec2_transit_gateway":
		return b.tgws[id] == nil
	case "aws_nat_gateway":
		return b.nats[id] == nil
	}
	return false
}

// tableRef resolves a route_table_id: a table of the file, or the main
// table of a VPC (its main_route_table_id or default_route_table_id).
func (b *builder) tableRef(e elem, key string) *model.RouteTable {
	r := e.ref(key, "aws_route_table", "aws_default_route_table", "aws_vpc")
	if r.ID == "" {
		return nil
	}
	if r.typ == "aws_vpc" {
		if v := b.vpcs[r.ID]; v != nil {
			return b.mainTable(v)
		}
		return nil
	}
	if rt := b.rts[r.ID]; rt != nil {
		return rt
	}
	if r.outside {
		e.warnf(key, ErrOutsidePlan, "route table %s is not in this file: %s is left out", r.ID, e.r.addr)
	}
	return nil
}

// mainTable returns a VPC's main route table: the one marked main, else
// one made for the references to its main_route_table_id, with only the
// local routes, as AWS creates it.
func (b *builder) mainTable(v *vpcB) *model.RouteTable {
	for _, rt := range v.rts {
		if rt.Main {
			return rt
		}
	}
	id := model.ID(string(v.m.ID) + ".main_route_table")
	rt := &model.RouteTable{ID: id, Main: true, Source: model.Source{Position: v.m.Source.Position, Path: string(id)}}
	v.rts = append(v.rts, rt)
	b.rts[id] = rt
	b.objVPC[id] = v
	return rt
}

// defaultOf resolves the VPC of a default route table, group or ACL: its
// vpc_id when known, else the VPC whose default_*_id it names.
func (b *builder) defaultOf(e elem, key string) *vpcB {
	if e.str("vpc_id") != "" {
		return b.vpcRef(e, "vpc_id")
	}
	r := e.ref(key, "aws_vpc")
	if v := b.vpcs[r.ID]; v != nil {
		return v
	}
	if r.ID != "" {
		e.warnf(key, ErrOutsidePlan, "%s names %s, not a VPC of this file: %s is left out", key, r.ID, e.r.addr)
	}
	return nil
}

// subnetRef resolves a subnet_id to a subnet of the file.
func (b *builder) subnetRef(e elem, key string) *model.Subnet {
	return b.subnetOf(e, key, e.ref(key, "aws_subnet"))
}

func (b *builder) subnetOf(e elem, key string, r ref) *model.Subnet {
	if r.ID == "" {
		if !e.unknown(key) && e.str(key) == "" {
			e.warnf(key, model.ErrMissingField, "no %s: %s is left out (a resource in a default VPC is not modelled)", key, e.r.addr)
		}
		return nil
	}
	if s := b.subnets[r.ID]; s != nil {
		return s
	}
	if r.outside {
		e.warnf(key, ErrOutsidePlan, "subnet %s is not in this file: %s is left out", r.ID, e.r.addr)
	} else {
		e.warnf(key, model.ErrWrongRef, "%s names %s, which is not a subnet the model holds: %s is left out", key, r.ID, e.r.addr)
	}
	return nil
}
