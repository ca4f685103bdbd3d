package routing

import (
	"iter"
	"net/netip"
	"slices"

	"github.com/vpcreach/vpcreach/model"
)

// TGWRoute is one route of a compiled transit gateway route table.
type TGWRoute struct {
	Destination netip.Prefix
	PrefixList  model.ID
	// Attachment is the egress attachment; empty for a blackhole.
	Attachment model.ID
	Blackhole  bool
	// Origin is OriginStatic or OriginPropagated.
	Origin Origin
	// Index is the route's position in the model table's routes, or -1
	// for a propagated route.
	Index int
	// Entry is the route's position in Routes().
	Entry int
}

// TGWTable is a compiled transit gateway route table (S-52). It is
// immutable and safe for concurrent use.
type TGWTable struct {
	ID             model.ID
	TransitGateway model.ID
	// OutsideSnapshot is the first (by position) available attachment
	// marked outside_snapshot that propagates into the table, or empty: a
	// destination no route matches may be among the networks it learns by
	// BGP, which the imported snapshot does not hold.
	OutsideSnapshot model.ID
	routes          []TGWRoute
	lpm             lpm
	ambiguous       [][]int32
}

// Ranks of transit gateway routes with equal prefixes (S-52), lower wins:
// a static route (including a blackhole), then a prefix-list reference
// route, then propagated routes: VPC, then Direct Connect, then Connect,
// then VPN. The order is fixed, so routes of different ranks are never
// ambiguous.
const (
	tgwRankStatic = iota
	tgwRankPrefixList
	tgwRankVPC
	tgwRankDirectConnect
	tgwRankConnect
	tgwRankVPN
)

// propagatedRank is the rank of a route propagated by an attachment of
// type t.
func propagatedRank(t model.AttachmentType) int {
	switch t {
	case model.AttachmentVPC:
		return tgwRankVPC
	case model.AttachmentDirectConnect:
		return tgwRankDirectConnect
	case model.AttachmentConnect:
		return tgwRankConnect
	}
	return tgwRankVPN
}

// CompileTGWTable compiles route table rt of transit gateway tgw: its
// static routes, and the routes propagated into it by available
// attachments (a VPC's CIDR blocks; the external networks behind a VPN or
// Direct Connect attachment). Peering attachments propagate nothing (S-54).
func CompileTGWTable(tgw *model.TransitGateway, rt *model.TGWRouteTable, r Resolver) *TGWTable {
	t := &TGWTable{ID: rt.ID, TransitGateway: tgw.ID}
	var cands []candidate
	add := func(x TGWRoute, rank int, tie string) {
		x.Entry = len(t.routes)
		t.routes = append(t.routes, x)
		cands = append(cands, candidate{prefix: x.Destination, rank: rank, tie: tie, entry: int32(len(t.routes) - 1)})
	}
	for i, route := range rt.Routes {
		base := TGWRoute{Attachment: route.Attachment, Blackhole: route.Blackhole, Origin: OriginStatic, Index: i}
		if route.Destination.PrefixList != "" {
			base.PrefixList = route.Destination.PrefixList
			for _, c := range r.PrefixList(route.Destination.PrefixList) {
				x := base
				x.Destination = c
				add(x, tgwRankPrefixList, string(route.Destination.PrefixList))
			}
			continue
		}
		base.Destination = route.Destination.CIDR
		add(base, tgwRankStatic, "")
	}
	for _, a := range tgw.Attachments {
		if a.State != model.AttachmentAvailable || !contains(tgw.PropagationsOf(a), rt.ID) {
			continue
		}
		if a.OutsideSnapshot && t.OutsideSnapshot == "" {
			t.OutsideSnapshot = a.ID
		}
		var cidrs []netip.Prefix
		switch a.Type {
		case model.AttachmentVPC:
			cidrs = r.VPCCIDRs(a.VPC)
			if !a.IPv6Support {
				// Without IPv6 support, the VPC's IPv6 blocks do not
				// propagate (V-14).
				cidrs = slices.DeleteFunc(slices.Clone(cidrs), func(p netip.Prefix) bool { return p.Addr().Is6() })
			}
		case model.AttachmentVPN, model.AttachmentDirectConnect, model.AttachmentConnect:
			cidrs = r.ExternalCIDRs(a.ID)
		}
		for _, c := range cidrs {
			add(TGWRoute{Destination: c, Attachment: a.ID, Origin: OriginPropagated, Index: -1}, propagatedRank(a.Type), string(a.ID))
		}
	}
	t.lpm, t.ambiguous = buildLPM(cands, func(a, b int32) bool {
		return t.routes[a].Attachment == t.routes[b].Attachment && t.routes[a].Blackhole == t.routes[b].Blackhole
	})
	return t
}

// Lookup returns the route longest-prefix match selects for dst, or nil.
// It does not allocate: the route is the table's own, and the caller must
// not modify it.
func (t *TGWTable) Lookup(dst netip.Addr) *TGWRoute {
	if e := t.lpm.lookup(dst); e >= 0 {
		return &t.routes[e]
	}
	return nil
}

// Routes returns a copy of every route, static ones first.
func (t *TGWTable) Routes() []TGWRoute { return slices.Clone(t.routes) }

// All yields the routes Routes returns, in order, without copying the
// list.
func (t *TGWTable) All() iter.Seq[TGWRoute] {
	return func(yield func(TGWRoute) bool) {
		for _, r := range t.routes {
			if !yield(r) {
				return
			}
		}
	}
}

// Ambiguities lists destinations that several routes of equal rank send
// to different attachments, such as overlapping VPCs propagating into the
// table (S-55).
func (t *TGWTable) Ambiguities() []Ambiguity {
	return ambiguities(t.ambiguous, func(e int32) netip.Prefix { return t.routes[e].Destination })
}
