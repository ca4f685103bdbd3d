package oracle

import (
	"net/netip"

	"github.com/vpcreach/vpcreach/model"
)

// route is one route a lookup may choose: a destination CIDR (a
// prefix-list route stands for one route per CIDR of the list, S-12) and
// its target.
type route struct {
	dest netip.Prefix
	// rank orders routes of equal prefix length: lower wins.
	rank int
	// tie orders routes of equal length and rank, where AWS would pick
	// one of several equals: vpcreach picks the lowest id (a prefix list
	// or an attachment), then the first written.
	tie   model.ID
	order int
	// target is "local", the id of what the route sends to, or the
	// attachment of a transit gateway route; blackhole routes drop.
	target    model.ID
	blackhole bool
}

// Ranks of VPC routes of equal length (S-11, S-12): the local route
// cannot be beaten, a CIDR route beats a prefix-list route (a written one
// or a gateway endpoint's, S-70).
const (
	rankLocal = iota
	rankCIDR
	rankPrefixList
)

// Ranks of transit gateway routes of equal length (S-52): a static route
// (blackholes included), then a prefix-list reference route, then routes
// propagated by VPC attachments. (Direct Connect, Connect and VPN
// propagations would follow; the walker does not model them.)
const (
	rankTGWStatic = iota
	rankTGWPrefixList
	rankTGWPropagatedVPC
)

// lookup picks, among routes, the one longest prefix match selects for
// dst (S-12), or nil (S-14). It also reports whether another route of the
// same length and rank leads elsewhere: an ambiguity (S-12, S-55).
func lookup(routes []route, dst netip.Addr) (best *route, ambiguous bool) {
	for i := range routes {
		r := &routes[i]
		if !r.dest.Contains(dst) {
			continue
		}
		if best == nil || better(r, best) {
			best = r
		}
	}
	if best == nil {
		return nil, false
	}
	for i := range routes {
		r := &routes[i]
		if r.dest.Contains(dst) && r.dest.Bits() == best.dest.Bits() && r.rank == best.rank &&
			(r.target != best.target || r.blackhole != best.blackhole) {
			ambiguous = true
		}
	}
	return best, ambiguous
}

// better reports whether route a wins over route b for an address both
// hold.
func better(a, b *route) bool {
	switch {
	case a.dest.Bits() != b.dest.Bits():
		return a.dest.Bits() > b.dest.Bits()
	case a.rank != b.rank:
		return a.rank < b.rank
	case a.tie != b.tie:
		return a.tie < b.tie
	}
	return a.order < b.order
}

// routeTable returns the route table of a subnet (S-10): its own, else
// the VPC's main table; nil stands for the implicit main table of a VPC
// that writes none, which holds only the local routes.
func routeTable(v *model.VPC, sn *model.Subnet) *model.RouteTable {
	for i := range v.RouteTables {
		if sn.RouteTable != "" && v.RouteTables[i].ID == sn.RouteTable {
			return &v.RouteTables[i]
		}
	}
	for i := range v.RouteTables {
		if v.RouteTables[i].Main {
			return &v.RouteTables[i]
		}
	}
	return nil
}

// tableID names a route table for loop detection; the implicit main
// table is VPC/main.
func tableID(v *model.VPC, rt *model.RouteTable) model.ID {
	if rt == nil {
		return v.ID + "/main"
	}
	return rt.ID
}

// vpcRoutes lists every route of a VPC route table: the local route of each
// VPC block (S-11), the written routes, and the routes gateway endpoints
// associated with the table add from their service's prefix list (S-70).
func (n *Network) vpcRoutes(v *model.VPC, rt *model.RouteTable) []route {
	var out []route
	// IPv6 blocks have their local routes too (V-04).
	for _, c := range v.AllCIDRBlocks() {
		out = append(out, route{dest: c, rank: rankLocal, target: "local"})
	}
	if rt == nil {
		return out
	}
	for i, r := range rt.Routes {
		base := route{order: i, target: r.Target, blackhole: r.State == model.RouteBlackhole}
		if r.Destination.PrefixList != "" {
			for _, c := range n.prefixList(r.Destination.PrefixList) {
				x := base
				x.dest, x.rank, x.tie = c, rankPrefixList, r.Destination.PrefixList
				out = append(out, x)
			}
			continue
		}
		base.dest, base.rank = r.Destination.CIDR, rankCIDR
		if r.Target == "local" {
			base.rank = rankLocal
		}
		out = append(out, base)
	}
	for _, e := range v.Endpoints {
		if e.Type != model.EndpointGateway || !contains(e.RouteTables, rt.ID) {
			continue
		}
		// The endpoint's IP address type picks the families of the
		// service's lists its routes carry: ipv4 (the default) the IPv4
		// one, ipv6 the IPv6 one, dualstack both (V-30).
		var fams []family
		switch e.IPAddressType {
		case model.IPAddressIPv6:
			fams = []family{ipv6}
		case model.IPAddressDualstack:
			fams = []family{ipv4, ipv6}
		default:
			fams = []family{ipv4}
		}
		for _, f := range fams {
			id, cidrs := n.servicePrefixList(e.Service, f)
			for _, c := range cidrs {
				out = append(out, route{dest: c, rank: rankPrefixList, tie: id, order: len(rt.Routes), target: e.ID})
			}
		}
	}
	return out
}

// servicePrefixList returns the entries of family f of the prefix list of
// an AWS service that a gateway endpoint routes: the first list named
// after the service (com.amazonaws.REGION.s3) with entries of that family
// (a list holds one family, V-04), with its id. New checks it exists.
func (n *Network) servicePrefixList(service string, f family) (model.ID, []netip.Prefix) {
	for _, pl := range n.m.PrefixLists {
		if pl.Name != service {
			continue
		}
		var out []netip.Prefix
		for _, c := range pl.CIDRs {
			if familyOf(c.Addr()) == f {
				out = append(out, c)
			}
		}
		if len(out) > 0 {
			return pl.ID, out
		}
	}
	return "", nil
}

// tgwRoutes lists every route of a transit gateway route table: the
// static ones (S-52) and those propagated by available attachments (a
// VPC attachment propagates its VPC's blocks, S-50).
func (n *Network) tgwRoutes(t *model.TransitGateway, rt *model.TGWRouteTable) []route {
	var out []route
	for i, r := range rt.Routes {
		base := route{order: i, target: r.Attachment, blackhole: r.Blackhole, rank: rankTGWStatic}
		if r.Destination.PrefixList != "" {
			for _, c := range n.prefixList(r.Destination.PrefixList) {
				x := base
				x.dest, x.rank, x.tie = c, rankTGWPrefixList, r.Destination.PrefixList
				out = append(out, x)
			}
			continue
		}
		base.dest = r.Destination.CIDR
		out = append(out, base)
	}
	for _, a := range t.Attachments {
		if a.State != model.AttachmentAvailable || !contains(t.PropagationsOf(a), rt.ID) {
			continue
		}
		if v := n.vpc(a.VPC); v != nil {
			// IPv6 blocks only where the attachment's IPv6 support is on
			// (V-14).
			blocks := v.CIDRBlocks
			if a.IPv6Support {
				blocks = v.AllCIDRBlocks()
			}
			for _, c := range blocks {
				out = append(out, route{dest: c, rank: rankTGWPropagatedVPC, tie: a.ID, target: a.ID})
			}
		}
	}
	return out
}

func contains(ids []model.ID, id model.ID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
