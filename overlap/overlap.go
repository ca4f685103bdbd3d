package overlap

import (
	"cmp"
	"net/netip"
	"slices"
	"strings"

	"go4.org/netipx"

	"github.com/vpcreach/vpcreach/model"
)

// SpaceKind says what owns an address space.
type SpaceKind uint8

// Address space owners.
const (
	SpaceUnknown SpaceKind = iota
	SpaceVPC
	SpaceExternal
)

// String returns "vpc" or "external-network".
func (k SpaceKind) String() string {
	switch k {
	case SpaceVPC:
		return "vpc"
	case SpaceExternal:
		return "external-network"
	}
	return "unknown"
}

// Space names an address space: a VPC or an external network.
type Space struct {
	Kind SpaceKind
	ID   model.ID
}

// Class says how two overlapping address spaces are connected, which
// decides whether the overlap matters. The zero value is unknown.
type Class uint8

// Overlap classes, most serious first.
const (
	Unknown Class = iota
	// Peered: a peering connection joins them. AWS refuses to create
	// it, so the peering is invalid (S-41).
	Peered
	// TGWRouteTable: both propagate into one transit gateway route
	// table, whose routes to them are ambiguous (S-55).
	TGWRouteTable
	// Routed: some router has routes to both: they share a transit
	// gateway network, or a VPC is peered with (or has a VPN to) one and
	// reaches the other through a peering, VPN or transit gateway. That
	// router's routes to them are ambiguous: traffic can go to the wrong
	// side.
	Routed
	// PrivateLink: they are joined only by PrivateLink, where the
	// provider sees the load balancer's address, never the consumer's: the
	// overlap is harmless (S-74).
	PrivateLink
	// Unconnected: nothing joins them today. Worth knowing before
	// connecting them.
	Unconnected
)

var classNames = []string{"unknown", "peered", "tgw-route-table", "routed", "privatelink", "unconnected"}

// String returns the class's name as the CLI and JSON print it.
func (c Class) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return "unknown"
}

// Severity is how much the class matters: peered is an error, routing
// through a shared table or several hops a warning, the rest notes.
func (c Class) Severity() model.Severity {
	switch c {
	case Peered:
		return model.SeverityError
	case TGWRouteTable, Routed:
		return model.SeverityWarning
	}
	return model.SeverityNote
}

// CIDRPair is one overlapping pair of blocks, with where each was written.
type CIDRPair struct {
	A, B       netip.Prefix
	APos, BPos model.Position
}

// Overlap is a pair of address spaces with overlapping CIDRs, and how they
// are connected. A sorts before B by id.
type Overlap struct {
	A, B Space
	// Pairs lists every overlapping pair of blocks, sorted.
	Pairs []CIDRPair
	Class Class
	// Via names what connects them: the peering, the shared transit
	// gateway route table, the chain of links, gateways and VPCs between
	// them on a routed path (ends excluded), or the PrivateLink endpoint.
	// Empty when unconnected.
	Via []model.ID
	// Rule is the aws-semantics rule behind the class, if any.
	Rule string
	// Message explains the finding in one sentence.
	Message string
}

// Severity returns the class's severity.
func (o Overlap) Severity() model.Severity { return o.Class.Severity() }

// block is one CIDR of one space, for the sweep.
type block struct {
	cidr  netip.Prefix
	owner int // node index of the space
	pos   model.Position
}

// Find finds every pair of address spaces (VPC CIDR blocks, IPv4 and
// IPv6, and external networks) that overlap, and classifies each by how the two are
// connected. Blocks of one space overlapping each other are validation
// errors, not reported here.
//
// Finding the pairs is a sort-and-sweep over all blocks: O(n log n + k) for
// n blocks and k overlapping pairs. Classifying a pair is O(1), except the
// routed path, a breadth-first search per distinct first space: O(V+E).
// The result is sorted and deterministic.
func Find(m *model.Model) []Overlap {
	og := buildOverlapGraph(m)
	var blocks []block
	for i, v := range m.VPCs {
		for j, c := range v.CIDRBlocks {
			if c.IsValid() {
				blocks = append(blocks, block{c, i, v.Source.Elem("cidr_blocks", j).Position})
			}
		}
		for j, c := range v.IPv6CIDRBlocks {
			if c.IsValid() {
				blocks = append(blocks, block{c, i, v.Source.Elem("ipv6_cidr_blocks", j).Position})
			}
		}
	}
	for i, e := range m.ExternalNetworks {
		for j, c := range e.CIDRs {
			if c.IsValid() {
				blocks = append(blocks, block{c, og.extNode(i), e.Source.Elem("cidrs", j).Position})
			}
		}
	}
	byPair := map[[2]int]*Overlap{}
	sweep(blocks, func(a, b block) {
		if a.owner == b.owner {
			return
		}
		if og.space(a.owner).ID > og.space(b.owner).ID {
			a, b = b, a
		}
		key := [2]int{a.owner, b.owner}
		o := byPair[key]
		if o == nil {
			o = &Overlap{A: og.space(a.owner), B: og.space(b.owner)}
			byPair[key] = o
		}
		o.Pairs = append(o.Pairs, CIDRPair{A: a.cidr, B: b.cidr, APos: a.pos, BPos: b.pos})
	})
	out := make([]Overlap, 0, len(byPair))
	keys := make([][2]int, 0, len(byPair))
	for k := range byPair {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y [2]int) int {
		return cmp.Or(cmp.Compare(og.space(x[0]).ID, og.space(y[0]).ID), cmp.Compare(og.space(x[1]).ID, og.space(y[1]).ID))
	})
	for _, k := range keys {
		o := byPair[k]
		slices.SortFunc(o.Pairs, func(x, y CIDRPair) int {
			return cmp.Or(x.A.Addr().Compare(y.A.Addr()), cmp.Compare(x.A.Bits(), y.A.Bits()),
				x.B.Addr().Compare(y.B.Addr()), cmp.Compare(x.B.Bits(), y.B.Bits()))
		})
		og.classify(o, k[0], k[1])
		out = append(out, *o)
	}
	return out
}

// sweep calls f for every pair of overlapping blocks. CIDRs either nest or
// are disjoint, so after sorting by start address (shorter prefixes first),
// the blocks that overlap the next one are exactly those on a stack of
// enclosing blocks.
func sweep(blocks []block, f func(a, b block)) {
	slices.SortFunc(blocks, func(x, y block) int {
		return cmp.Or(x.cidr.Addr().Compare(y.cidr.Addr()), cmp.Compare(x.cidr.Bits(), y.cidr.Bits()), cmp.Compare(x.owner, y.owner))
	})
	var stack []block
	for _, b := range blocks {
		for len(stack) > 0 && netipx.PrefixLastIP(stack[len(stack)-1].cidr).Less(b.cidr.Addr()) {
			stack = stack[:len(stack)-1]
		}
		for _, s := range stack {
			f(s, b)
		}
		stack = append(stack, b)
	}
}

func joinIDs(ids []model.ID) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = string(id)
	}
	return strings.Join(s, ", ")
}

func pairsText(ps []CIDRPair) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.A.String() + " ~ " + p.B.String()
	}
	return strings.Join(s, ", ")
}
