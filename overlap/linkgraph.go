package overlap

import (
	"slices"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/iterator"
	"gonum.org/v1/gonum/graph/simple"
)

// linkGraph is an undirected graph whose iteration order is the order of
// node ids, so that searches over it are deterministic (gonum's
// simple.UndirectedGraph iterates maps). Build it with addEdge, then call
// freeze before use.
type linkGraph struct {
	adj [][]int64 // sorted, no duplicates after freeze
}

var _ graph.Undirected = (*linkGraph)(nil)

func newLinkGraph(n int) *linkGraph { return &linkGraph{adj: make([][]int64, n)} }

func (g *linkGraph) addEdge(u, v int64) {
	if u == v {
		return
	}
	g.adj[u] = append(g.adj[u], v)
	g.adj[v] = append(g.adj[v], u)
}

func (g *linkGraph) freeze() {
	for i, a := range g.adj {
		slices.Sort(a)
		g.adj[i] = slices.Compact(a)
	}
}

// bfsTree searches the graph breadth first from root, visiting each node's
// neighbours in id order, as gonum's traverse.BreadthFirst does, and
// returns the search tree as parents: -1 for root and the nodes it does
// not reach. O(V+E).
func (g *linkGraph) bfsTree(root int) []int32 {
	parent := make([]int32, len(g.adj))
	for i := range parent {
		parent[i] = -1
	}
	seen := make([]bool, len(g.adj))
	seen[root] = true
	queue := []int32{int32(root)}
	for len(queue) > 0 {
		t := queue[0]
		queue = queue[1:]
		for _, n := range g.adj[t] {
			if !seen[n] {
				seen[n] = true
				parent[n] = t
				queue = append(queue, int32(n))
			}
		}
	}
	return parent
}

func (g *linkGraph) valid(id int64) bool { return id >= 0 && id < int64(len(g.adj)) }

// Node implements graph.Graph.
func (g *linkGraph) Node(id int64) graph.Node {
	if !g.valid(id) {
		return nil
	}
	return simple.Node(id)
}

// Nodes implements graph.Graph, in id order.
func (g *linkGraph) Nodes() graph.Nodes {
	ns := make([]graph.Node, len(g.adj))
	for i := range ns {
		ns[i] = simple.Node(i)
	}
	return iterator.NewOrderedNodes(ns)
}

// From implements graph.Graph, in id order.
func (g *linkGraph) From(id int64) graph.Nodes {
	if !g.valid(id) {
		return graph.Empty
	}
	ns := make([]graph.Node, len(g.adj[id]))
	for i, v := range g.adj[id] {
		ns[i] = simple.Node(v)
	}
	return iterator.NewOrderedNodes(ns)
}

// HasEdgeBetween implements graph.Graph.
func (g *linkGraph) HasEdgeBetween(x, y int64) bool {
	if !g.valid(x) {
		return false
	}
	_, ok := slices.BinarySearch(g.adj[x], y)
	return ok
}

// Edge implements graph.Graph.
func (g *linkGraph) Edge(u, v int64) graph.Edge {
	if !g.HasEdgeBetween(u, v) {
		return nil
	}
	return simple.Edge{F: simple.Node(u), T: simple.Node(v)}
}

// EdgeBetween implements graph.Undirected.
func (g *linkGraph) EdgeBetween(x, y int64) graph.Edge { return g.Edge(x, y) }
