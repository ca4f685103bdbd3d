package overlap

import (
	"fmt"
	"slices"

	"gonum.org/v1/gonum/graph/topo"

	"github.com/vpcreach/vpcreach/model"
)

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
	direct map[int][]link
	tables map[int][]model.ID // space node -> TGW route tables it propagates into
	// tables6 is tables for the space's IPv6 prefixes: a VPC attachment
	// propagates its IPv6 blocks only with IPv6 support (V-14); an
	// external network's attachment propagates its prefixes of either
	// family (V-35).
	tables6 map[int][]model.ID
	// trees holds the search trees from transit gateways (see tree), and
	// lastRoot the root of lastTree, the last other one.
	trees    map[int][]int32
	lastRoot int
	lastTree []int32
}

// link is a non-transitive link to node, through component via.
type link struct {
	node int
	via  model.ID
}

func buildOverlapGraph(m *model.Model) *overlapGraph {
	og := &overlapGraph{
		m: m, nVPC: len(m.VPCs), nTGW: len(m.TransitGateways), nExt: len(m.ExternalNetworks),
		peerings: map[[2]int]model.ID{}, privateLink: map[[2]int]model.ID{},
		direct: map[int][]link{}, tables: map[int][]model.ID{}, tables6: map[int][]model.ID{}, trees: map[int][]int32{},
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
				if a.Type != model.AttachmentVPC || a.IPv6Support {
					og.tables6[n] = append(og.tables6[n], t.PropagationsOf(a)...)
				}
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
		o.Class, o.Via, o.Rule = Peered, []model.ID{pcx}, "S-41"
		o.Message = what + "; they are peered by " + string(pcx) + ", which AWS does not allow"
		return
	}
	if shared := og.sharedTables(o, a, b); len(shared) > 0 {
		o.Class, o.Via, o.Rule = TGWRouteTable, shared, "S-55"
		o.Message = what + "; both propagate into transit gateway route table " + joinIDs(shared) + ", whose routes to them are ambiguous"
		return
	}
	if via, ok := og.routedVia(a, b); ok {
		o.Class, o.Via = Routed, via
		o.Message = what + "; a router reaches both, through " + joinIDs(via)
		return
	}
	if vpce, ok := og.privateLink[pairKey(a, b)]; ok {
		o.Class, o.Via, o.Rule = PrivateLink, []model.ID{vpce}, "S-74"
		o.Message = what + "; they are joined only by PrivateLink endpoint " + string(vpce) + ", where the overlap is harmless"
		return
	}
	o.Class = Unconnected
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
// path, found by breadth-first search from a in id order (deterministic).
//
// A search from a node with a single link (a VPC attached to one transit
// gateway t, and nothing else) goes to t first and then on exactly as a
// search from t does, so such a node uses t's search tree: the searches
// number the transit gateways and the spaces with several links, not every
// space with an overlap, and each is O(V+E).
func (og *overlapGraph) path(a, b int) []model.ID {
	root := a
	if adj := og.g.adj[a]; len(adj) == 1 {
		root = int(adj[0])
	}
	parent := og.tree(root)
	var rev []model.ID
	for n := parent[b]; n >= 0 && n != int32(a); n = parent[n] {
		rev = append(rev, og.nodeID(int(n)))
	}
	slices.Reverse(rev)
	return rev
}

// tree returns the breadth-first search tree from root, as parents (-1 for
// the root and the nodes it does not reach). Trees from transit gateways
// are kept; of the others, only the last (Find asks for one space's
// overlaps after another), so that memory stays O(V) per transit gateway.
func (og *overlapGraph) tree(root int) []int32 {
	if t, ok := og.trees[root]; ok {
		return t
	}
	if og.lastTree != nil && og.lastRoot == root {
		return og.lastTree
	}
	t := og.g.bfsTree(root)
	if root >= og.nVPC && root < og.nVPC+og.nTGW {
		og.trees[root] = t
	} else {
		og.lastRoot, og.lastTree = root, t
	}
	return t
}

// sharedTables returns the transit gateway route tables both a and b
// propagate an overlapping prefix into: for an IPv6 pair, only those
// their IPv6 prefixes propagate into (V-14, V-35).
func (og *overlapGraph) sharedTables(o *Overlap, a, b int) []model.ID {
	var out []model.ID
	for _, p := range o.Pairs {
		ta, tb := og.tables[a], og.tables[b]
		if p.A.Addr().Is6() {
			ta, tb = og.tables6[a], og.tables6[b]
		}
		out = append(out, intersect(ta, tb)...)
	}
	return intersect(out, out)
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
