package routing

import (
	"iter"
	"net/netip"
	"slices"

	"github.com/vpcreach/vpcreach/model"
)

// Route is one route of a compiled VPC route table: a destination CIDR (a
// prefix-list route appears once per CIDR of the list) and a target.
type Route struct {
	Destination netip.Prefix
	// PrefixList is the prefix list the destination came from, if any.
	PrefixList model.ID
	// Target is the target's id ("local" for local routes).
	Target model.ID
	Kind   TargetKind
	Origin Origin
	// Blackhole is set for routes in the blackhole state: they drop what
	// they match (S-13).
	Blackhole bool
	// OutsideSnapshot is set for routes whose target the imported snapshot
	// does not hold: where they lead is unknown.
	OutsideSnapshot bool
	// Index is the route's position in the model table's routes, or -1
	// for routes not written there (local, endpoint, propagated).
	Index int
	// Entry is the route's position in Routes().
	Entry int
}

// Table is a compiled VPC route table. It is immutable and safe for
// concurrent use.
type Table struct {
	ID model.ID
	// VPC is the id of the VPC the table belongs to.
	VPC model.ID
	// Implicit marks the main table of a VPC that writes none: local
	// routes only.
	Implicit  bool
	routes    []Route
	lpm       lpm
	ambiguous [][]int32
}

// Ranks of routes with equal prefixes: lower wins (S-12). Local routes
// cannot be shadowed by an equal prefix; a CIDR route beats a prefix-list
// route; static routes beat propagated ones.
const (
	rankLocal = iota
	rankStaticCIDR
	rankPrefixList
	rankPropagated
)

// CompileVPCTable compiles route table rt of vpc. A nil rt compiles the
// implicit main table of a VPC that writes none, holding local routes only.
// A route rt writes for a whole VPC block to a target other than local
// replaces that block's local route.
func CompileVPCTable(vpc *model.VPC, rt *model.RouteTable, r Resolver) *Table {
	t := &Table{VPC: vpc.ID}
	var cands []candidate
	add := func(rt Route, rank int, tie string) {
		rt.Entry = len(t.routes)
		t.routes = append(t.routes, rt)
		cands = append(cands, candidate{prefix: rt.Destination, rank: rank, tie: tie, entry: int32(len(t.routes) - 1)})
	}
	for _, c := range vpc.AllCIDRBlocks() {
		if rt != nil && replacesLocal(rt, c) {
			continue
		}
		add(Route{Destination: c, Target: "local", Kind: TargetLocal, Origin: OriginLocal, Index: -1}, rankLocal, "")
	}
	if rt == nil {
		t.ID, t.Implicit = model.ID(string(vpc.ID)+"/main"), true
		t.lpm, t.ambiguous = buildLPM(cands, t.sameTarget)
		return t
	}
	t.ID = rt.ID
	for i, route := range rt.Routes {
		base := Route{Target: route.Target, Kind: targetKind(route.Target, r), Origin: OriginStatic,
			Blackhole: route.State == model.RouteBlackhole, OutsideSnapshot: route.State == model.RouteOutsideSnapshot, Index: i}
		if route.Target == "local" {
			base.Kind = TargetLocal
		}
		if route.Destination.PrefixList != "" {
			base.PrefixList = route.Destination.PrefixList
			for _, c := range r.PrefixList(route.Destination.PrefixList) {
				x := base
				x.Destination = c
				add(x, rankPrefixList, string(route.Destination.PrefixList))
			}
			continue
		}
		base.Destination = route.Destination.CIDR
		rank := rankStaticCIDR
		if base.Kind == TargetLocal {
			rank = rankLocal
		}
		add(base, rank, "")
	}
	// Gateway endpoints associated with this table add a route from their
	// service's prefix list (S-70).
	for _, e := range vpc.Endpoints {
		if e.Type != model.EndpointGateway || !contains(e.RouteTables, rt.ID) {
			continue
		}
		// Its IP address type decides which of the service's prefix
		// lists, IPv4 and IPv6, it adds (V-30).
		t := e.AddressType()
		if t.HasIPv4() {
			pl, cidrs := r.ServicePrefixList(e.Service)
			for _, c := range cidrs {
				add(Route{Destination: c, PrefixList: pl, Target: e.ID, Kind: TargetGatewayEndpoint, Origin: OriginEndpoint, Index: -1}, rankPrefixList, string(pl))
			}
		}
		if t.HasIPv6() {
			pl, cidrs := r.ServicePrefixList6(e.Service)
			for _, c := range cidrs {
				add(Route{Destination: c, PrefixList: pl, Target: e.ID, Kind: TargetGatewayEndpoint, Origin: OriginEndpoint, Index: -1}, rankPrefixList, string(pl))
			}
		}
	}
	// Route propagation from the VPC's virtual private gateway.
	for _, vgw := range rt.Propagations {
		for _, c := range r.ExternalCIDRs(vgw) {
			add(Route{Destination: c, Target: vgw, Kind: TargetVPNGateway, Origin: OriginPropagated, Index: -1}, rankPropagated, string(vgw))
		}
	}
	t.lpm, t.ambiguous = buildLPM(cands, t.sameTarget)
	return t
}

// replacesLocal reports whether rt writes a route for VPC block c to a
// target other than local: it takes the place of the block's local route
// (VPC user guide, "Replace or restore the target for a local route").
func replacesLocal(rt *model.RouteTable, c netip.Prefix) bool {
	for _, r := range rt.Routes {
		if r.Destination.PrefixList == "" && r.Destination.CIDR == c && r.Target != "local" {
			return true
		}
	}
	return false
}

func (t *Table) sameTarget(a, b int32) bool {
	return t.routes[a].Target == t.routes[b].Target && t.routes[a].Blackhole == t.routes[b].Blackhole
}

func contains(ids []model.ID, id model.ID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func targetKind(id model.ID, r Resolver) TargetKind {
	switch r.Kind(id) {
	case model.KindInternetGateway:
		return TargetInternetGateway
	case model.KindNATGateway:
		return TargetNATGateway
	case model.KindPeeringConnection:
		return TargetPeering
	case model.KindTransitGateway:
		return TargetTransitGateway
	case model.KindEndpoint:
		if r.EndpointType(id) == model.EndpointGatewayLoadBalancer {
			return TargetGWLBEndpoint
		}
		return TargetGatewayEndpoint
	case model.KindNetworkInterface:
		return TargetNetworkInterface
	case model.KindInstance:
		return TargetInstance
	case model.KindVPNGateway:
		return TargetVPNGateway
	case model.KindEgressOnlyInternetGateway:
		return TargetEgressOnlyInternetGateway
	}
	return TargetUnknown
}

// Lookup returns the route that longest-prefix match selects for dst
// (S-12), or nil when no route matches (S-14). It does not allocate: the
// route is the table's own, and the caller must not modify it.
func (t *Table) Lookup(dst netip.Addr) *Route {
	if e := t.lpm.lookup(dst); e >= 0 {
		return &t.routes[e]
	}
	return nil
}

// Routes returns a copy of every route of the table, local routes first,
// then in the order written.
func (t *Table) Routes() []Route { return slices.Clone(t.routes) }

// All yields the routes Routes returns, in order, without copying the
// list: for walks over every table of a large network.
func (t *Table) All() iter.Seq[Route] {
	return func(yield func(Route) bool) {
		for _, r := range t.routes {
			if !yield(r) {
				return
			}
		}
	}
}

// Ambiguity is a destination that several routes of equal prefix and rank
// claim for different targets: two prefix lists listing one CIDR (S-12), or
// overlapping propagations into a transit gateway table (S-55). The first
// route is the one used.
type Ambiguity struct {
	Destination netip.Prefix
	Routes      []int // indexes into Routes()
}

// Ambiguities lists the table's ambiguous destinations.
func (t *Table) Ambiguities() []Ambiguity {
	return ambiguities(t.ambiguous, func(e int32) netip.Prefix { return t.routes[e].Destination })
}

func ambiguities(groups [][]int32, dest func(int32) netip.Prefix) []Ambiguity {
	out := make([]Ambiguity, 0, len(groups))
	for _, g := range groups {
		a := Ambiguity{Destination: dest(g[0])}
		for _, e := range g {
			a.Routes = append(a.Routes, int(e))
		}
		out = append(out, a)
	}
	return out
}
