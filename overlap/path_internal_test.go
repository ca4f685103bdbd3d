package overlap

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/traverse"

	"github.com/vpcreach/vpcreach/model"
)

// slowPath is the obvious path: a gonum breadth-first search from a, in id
// order, for every question.
func (og *overlapGraph) slowPath(a, b int) []model.ID {
	parent := make([]int64, len(og.component))
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
	var rev []model.ID
	for n := parent[b]; n >= 0 && n != int64(a); n = parent[n] {
		rev = append(rev, og.nodeID(int(n)))
	}
	slices.Reverse(rev)
	return rev
}

// randomLinks returns a model of VPCs and external networks linked at
// random to transit gateways (none, one or several each), some of them
// peered with each other.
func randomLinks(seed uint64) *model.Model {
	x := seed*0x9E3779B97F4A7C15 + 1
	next := func(n int) int { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return int(x % uint64(n)) }
	m := &model.Model{Version: 1}
	nTGW := 1 + next(5)
	for t := range nTGW {
		m.TransitGateways = append(m.TransitGateways, model.TransitGateway{ID: model.ID(fmt.Sprintf("tgw-%d", t)), Region: "r"})
	}
	attach := func(t int, a model.TGWAttachment) {
		a.ID = model.ID(fmt.Sprintf("att-%d-%d", t, len(m.TransitGateways[t].Attachments)))
		m.TransitGateways[t].Attachments = append(m.TransitGateways[t].Attachments, a)
	}
	for i := range 20 + next(30) {
		id := model.ID(fmt.Sprintf("vpc-%02d", i))
		m.VPCs = append(m.VPCs, model.VPC{ID: id, Region: "r"})
		for range next(4) { // 0-3 attachments, mostly 0 or 1
			if next(2) == 0 {
				attach(next(nTGW), model.TGWAttachment{Type: model.AttachmentVPC, VPC: id})
			}
		}
	}
	for i := range next(6) {
		via := model.ID(fmt.Sprintf("vpn-%d", i))
		m.ExternalNetworks = append(m.ExternalNetworks, model.ExternalNetwork{ID: model.ID(fmt.Sprintf("dc-%d", i)), Via: via})
		m.TransitGateways[next(nTGW)].Attachments = append(m.TransitGateways[next(nTGW)].Attachments,
			model.TGWAttachment{ID: via, Type: model.AttachmentVPN})
	}
	for i := range next(4) {
		t, u := next(nTGW), next(nTGW)
		p, q := model.ID(fmt.Sprintf("peer-%d-a", i)), model.ID(fmt.Sprintf("peer-%d-b", i))
		m.TransitGateways[t].Attachments = append(m.TransitGateways[t].Attachments, model.TGWAttachment{ID: p, Type: model.AttachmentPeering, Peer: q})
		m.TransitGateways[u].Attachments = append(m.TransitGateways[u].Attachments, model.TGWAttachment{ID: q, Type: model.AttachmentPeering, Peer: p})
	}
	for i := range next(10) {
		a, b := m.VPCs[next(len(m.VPCs))].ID, m.VPCs[next(len(m.VPCs))].ID
		m.PeeringConnections = append(m.PeeringConnections, model.PeeringConnection{ID: model.ID(fmt.Sprintf("pcx-%d", i)), Requester: a, Accepter: b})
	}
	return m
}

// TestPathMatchesSearchFromEachSpace checks the shared search trees (a
// space with one link uses its neighbour's) against a search from the
// space itself, for every pair of spaces in one transit component, in
// the order Find asks (and in reverse, to exercise the tree cache).
func TestPathMatchesSearchFromEachSpace(t *testing.T) {
	for seed := range uint64(40) {
		og := buildOverlapGraph(randomLinks(seed))
		spaces := og.nVPC + og.nTGW + og.nExt
		var pairs [][2]int
		for a := range spaces {
			for b := range spaces {
				if a != b && og.component[a] == og.component[b] && len(og.g.adj[a]) > 0 && len(og.g.adj[b]) > 0 {
					pairs = append(pairs, [2]int{a, b})
				}
			}
		}
		require.NotEmpty(t, pairs, "seed %d: no connected pairs", seed)
		backward := slices.Clone(pairs)
		slices.Reverse(backward)
		for _, order := range [][][2]int{pairs, backward} {
			for _, p := range order {
				got, want := og.path(p[0], p[1]), og.slowPath(p[0], p[1])
				require.Equal(t, want, got, "seed %d: path(%s, %s)", seed, og.nodeID(p[0]), og.nodeID(p[1]))
			}
		}
	}
}
