package solver

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/topo"
	"gonum.org/v1/gonum/graph/traverse"

	"github.com/vpcreach/vpcreach/model"
	"go4.org/netipx"
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

// OverlapClass says how two overlapping address spaces are connected, which
// decides whether the overlap matters. The zero value is unknown.
type OverlapClass uint8

// Overlap classes, most serious first.
const (
	OverlapUnknown OverlapClass = iota
	// OverlapPeered: a peering connection joins them. AWS refuses to create
	// it, so the peering is invalid (S-41).
	OverlapPeered
	// OverlapTGWRouteTable: both propagate into one transit gateway route
	// table, whose routes to them are ambiguous (S-55).
	OverlapTGWRouteTable
	// OverlapRouted: some router has routes to both: they share a transit
	// gateway network, or a VPC is peered with (or has a VPN to) one and
	// reaches the other through a peering, VPN or transit gateway. That
	// router's routes to them are ambiguous: traffic can go to the wrong
	// side.
	OverlapRouted
	// OverlapPrivateLink: they are joined only by PrivateLink, where the
	// provider sees the load balancer's address, never the consumer's: the
	// overlap is harmless (S-74).
	OverlapPrivateLink
	// OverlapUnconnected: nothing joins them today. Worth knowing before
	// connecting them.
	OverlapUnconnected
)

var overlapClassNames = []string{"unknown", "peered", "tgw-route-table", "routed", "privatelink", "unconnected"}

// String returns the class's name as the CLI and JSON print it.
func (c OverlapClass) String() string {
	if int(c) < len(overlapClassNames) {
		return overlapClassNames[c]
	}
	return "unknown"
}

// Severity is how much the class matters: peered is an error, routing
// through a shared table or several hops a warning, the rest notes.
func (c OverlapClass) Severity() model.Severity {
	switch c {
	case OverlapPeered:
		return model.SeverityError
	case OverlapTGWRouteTable, OverlapRouted:
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
	Class OverlapClass
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

// overlapGraph holds the model's spaces and links as a graph: VPCs first,
// then transit gateways, then external networks.
type overlapGraph struct {
	m                *model.Model
	nVPC, nTGW, nExt int
	g                *linkGraph
	component        []int
	peerings         map[[2]int]model.ID // VPC node pair -> peering
	privateLink      map[[2]int]model.ID // VPC node pair -> endpoint
	// direct holds the links that are not transitive: peerings between
	// VPCs, and virtual private gateways between an external network and
	// its VPC. A router sees across one of them, never two.
	direct  map[int][]link
	tables  map[int][]model.ID // space node -> TGW route tables it propagates into
	parents map[int][]int64    // BFS trees, by root
}

// link is a non-transitive link to node, through component via.
type link struct {
	node int
	via  model.ID
}

// Overlaps finds every pair of address spaces (VPC CIDR blocks and
// external networks) that overlap, and classifies each by how the two are
// connected. Blocks of one space overlapping each other are validation
// errors, not reported here.
//
// Finding the pairs is a sort-and-sweep over all blocks: O(n log n + k) for
// n blocks and k overlapping pairs. Classifying a pair is O(1), except the
// routed path, a breadth-first search per distinct first space: O(V+E).
// The result is sorted and deterministic.
func Overlaps(m *model.Model) []Overlap {
	og := buildOverlapGraph(m)
	var blocks []block
	for i, v := range m.VPCs {
		for j, c := range v.CIDRBlocks {
			if c.IsValid() {
				blocks = append(blocks, block{c, i, v.Source.Elem("cidr_blocks", j).Position})
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

func buildOverlapGraph(m *model.Model) *overlapGraph {
	og := &overlapGraph{
		m: m, nVPC: len(m.VPCs), nTGW: len(m.TransitGateways), nExt: len(m.ExternalNetworks),
		peerings: map[[2]int]model.ID{}, privateLink: map[[2]int]model.ID{},
		direct: map[int][]link{}, tables: map[int][]model.ID{}, parents: map[int][]int64{},
	}
	og.g = newLinkGraph(og.nVPC + og.nTGW + og.nExt)
	vpcNode := make(map[model.ID]int, og.nVPC)
	vgwVPC := map[model.ID]int{}
	for i, v := range m.VPCs {
		vpcNode[v.ID] = i
		if v.VPNGateway != "" {
			vgwVPC[v.VPNGateway] = i
		}
	}
	for _, p := range m.PeeringConnections {
		if !p.Status.Live() {
			continue
		}
		a, okA := vpcNode[p.Requester]
		b, okB := vpcNode[p.Accepter]
		if okA && okB && a != b {
			og.peerings[pairKey(a, b)] = p.ID
			og.direct[a] = append(og.direct[a], link{b, p.ID})
			og.direct[b] = append(og.direct[b], link{a, p.ID})
		}
	}
	// Transit gateways: VPC and external attachments link spaces to the
	// gateway node; available peering attachments link gateways.
	type attRef struct{ tgw, node int }
	attachments := map[model.ID]attRef{}
	extByAttachment := map[model.ID][]int{}
	for i, e := range m.ExternalNetworks {
		extByAttachment[e.Via] = append(extByAttachment[e.Via], og.extNode(i))
		if v, ok := vgwVPC[e.Via]; ok {
			og.direct[og.extNode(i)] = append(og.direct[og.extNode(i)], link{v, e.Via})
			og.direct[v] = append(og.direct[v], link{og.extNode(i), e.Via})
		}
	}
	for ti, t := range m.TransitGateways {
		tn := og.nVPC + ti
		for _, a := range t.Attachments {
			if a.State != model.AttachmentAvailable {
				continue
			}
			var nodes []int
			switch a.Type {
			case model.AttachmentVPC:
				if v, ok := vpcNode[a.VPC]; ok {
					nodes = []int{v}
				}
			case model.AttachmentVPN, model.AttachmentDirectConnect:
				nodes = extByAttachment[a.ID]
			case model.AttachmentPeering:
				attachments[a.ID] = attRef{ti, -1}
			}
			for _, n := range nodes {
				og.g.addEdge(int64(n), int64(tn))
				og.tables[n] = append(og.tables[n], t.PropagationsOf(a)...)
			}
		}
	}
	for ti, t := range m.TransitGateways {
		for _, a := range t.Attachments {
			if a.Type != model.AttachmentPeering || a.State != model.AttachmentAvailable {
				continue
			}
			if peer, ok := attachments[a.Peer]; ok && peer.tgw != ti {
				og.g.addEdge(int64(og.nVPC+ti), int64(og.nVPC+peer.tgw))
			}
		}
	}
	og.g.freeze()
	og.component = make([]int, og.g.Nodes().Len())
	for ci, comp := range topo.ConnectedComponents(og.g) {
		for _, n := range comp {
			og.component[n.ID()] = ci
		}
	}
	// PrivateLink: a consumer's interface endpoint to a service whose load
	// balancers live in a provider VPC.
	lbVPC := map[model.ID]int{}
	for i, v := range m.VPCs {
		for _, lb := range v.LoadBalancers {
			lbVPC[lb.ID] = i
		}
	}
	services := map[string]*model.EndpointService{}
	for i := range m.EndpointServices {
		s := &m.EndpointServices[i]
		services[string(s.ID)] = s
		services[s.ServiceName()] = s
	}
	for ci, v := range m.VPCs {
		for _, e := range v.Endpoints {
			s := services[e.Service]
			if s == nil || e.Type == model.EndpointGateway {
				continue
			}
			for _, lb := range s.LoadBalancers {
				if p, ok := lbVPC[lb]; ok && p != ci {
					if _, seen := og.privateLink[pairKey(ci, p)]; !seen {
						og.privateLink[pairKey(ci, p)] = e.ID
					}
				}
			}
		}
	}
	return og
}

func pairKey(a, b int) [2]int { return [2]int{min(a, b), max(a, b)} }

func (og *overlapGraph) extNode(i int) int { return og.nVPC + og.nTGW + i }

// space names the space of a VPC or external network node.
func (og *overlapGraph) space(n int) Space {
	if n < og.nVPC {
		return Space{SpaceVPC, og.m.VPCs[n].ID}
	}
	return Space{SpaceExternal, og.m.ExternalNetworks[n-og.nVPC-og.nTGW].ID}
}

// nodeID names any node.
func (og *overlapGraph) nodeID(n int) model.ID {
	if n >= og.nVPC && n < og.nVPC+og.nTGW {
		return og.m.TransitGateways[n-og.nVPC].ID
	}
	return og.space(n).ID
}

func (og *overlapGraph) classify(o *Overlap, a, b int) {
	what := fmt.Sprintf("%s %s and %s %s overlap (%s)", o.A.Kind, o.A.ID, o.B.Kind, o.B.ID, pairsText(o.Pairs))
	if pcx, ok := og.peerings[pairKey(a, b)]; ok {
		o.Class, o.Via, o.Rule = OverlapPeered, []model.ID{pcx}, "S-41"
		o.Message = what + "; they are peered by " + string(pcx) + ", which AWS does not allow"
		return
	}
	if shared := intersect(og.tables[a], og.tables[b]); len(shared) > 0 {
		o.Class, o.Via, o.Rule = OverlapTGWRouteTable, shared, "S-55"
		o.Message = what + "; both propagate into transit gateway route table " + joinIDs(shared) + ", whose routes to them are ambiguous"
		return
	}
	if via, ok := og.routedVia(a, b); ok {
		o.Class, o.Via = OverlapRouted, via
		o.Message = what + "; a router reaches both, through " + joinIDs(via)
		return
	}
	if vpce, ok := og.privateLink[pairKey(a, b)]; ok {
		o.Class, o.Via, o.Rule = OverlapPrivateLink, []model.ID{vpce}, "S-74"
		o.Message = what + "; they are joined only by PrivateLink endpoint " + string(vpce) + ", where the overlap is harmless"
		return
	}
	o.Class = OverlapUnconnected
	o.Message = what + "; nothing connects them"
}

// routedVia reports whether some router (a VPC's route tables, or a
// transit gateway's) has routes to both a and b, and through what. A VPC
// router sees its own VPC, its peers and the networks behind its virtual
// private gateway, across one non-transitive link (S-42), and, when it is
// attached to a transit gateway, every space of that transit component
// (S-53). The overlap then makes that router's routes ambiguous.
func (og *overlapGraph) routedVia(a, b int) ([]model.ID, bool) {
	// Routers that see x directly: x itself (when a VPC) and across one
	// link.
	direct := func(x int) []link {
		var out []link
		if x < og.nVPC {
			out = append(out, link{x, ""})
		}
		return append(out, og.direct[x]...)
	}
	attached := func(x int) bool { return len(og.g.adj[x]) > 0 }
	prefix := func(l link) []model.ID {
		if l.via == "" {
			return nil
		}
		return []model.ID{l.via, og.nodeID(l.node)}
	}
	// Both in one transit component: every router in it sees both.
	if attached(a) && attached(b) && og.component[a] == og.component[b] {
		return og.path(a, b), true
	}
	for _, la := range direct(a) {
		for _, lb := range direct(b) {
			if la.node == lb.node && la.via != lb.via {
				// A common router: one side itself, or a hub peered with
				// (or holding the VPN of) both.
				switch {
				case la.via == "":
					return []model.ID{lb.via}, true
				case lb.via == "":
					return []model.ID{la.via}, true
				}
				return []model.ID{la.via, og.nodeID(la.node), lb.via}, true
			}
		}
	}
	// A router seen across one link from one side, in the transit
	// component of the other.
	for _, side := range [][2]int{{a, b}, {b, a}} {
		x, y := side[0], side[1]
		if !attached(y) {
			continue
		}
		for _, l := range direct(x) {
			if l.via != "" && attached(l.node) && og.component[l.node] == og.component[y] {
				via := append(prefix(l), og.path(l.node, y)...)
				if x == b {
					slices.Reverse(via)
				}
				return via, true
			}
		}
	}
	return nil, false
}

// path returns the ids of the nodes strictly between a and b on a shortest
// path, found by breadth-first search in id order (deterministic).
func (og *overlapGraph) path(a, b int) []model.ID {
	parent, ok := og.parents[a]
	if !ok {
		parent = make([]int64, len(og.component))
		for i := range parent {
			parent[i] = -1
		}
		var from int64
		bf := traverse.BreadthFirst{
			Traverse: func(e graph.Edge) bool { from = e.From().ID(); return true },
			Visit: func(n graph.Node) {
				if n.ID() != int64(a) {
					parent[n.ID()] = from
				}
			},
		}
		bf.Walk(og.g, og.g.Node(int64(a)), nil)
		og.parents[a] = parent
	}
	var rev []model.ID
	for n := parent[b]; n >= 0 && n != int64(a); n = parent[n] {
		rev = append(rev, og.nodeID(int(n)))
	}
	slices.Reverse(rev)
	return rev
}

func intersect(a, b []model.ID) []model.ID {
	var out []model.ID
	for _, x := range a {
		if slices.Contains(b, x) && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	slices.Sort(out)
	return out
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
