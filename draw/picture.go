package draw

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/encoding"
	"gonum.org/v1/gonum/graph/encoding/dot"
	"gonum.org/v1/gonum/graph/iterator"

	"github.com/vpcreach/vpcreach/internal/termtext"
)

// Format is a picture language. The zero value is FormatUnknown.
type Format uint8

// Formats.
const (
	FormatUnknown Format = iota
	// FormatMermaid is a Mermaid flowchart, which GitHub renders in
	// Markdown (```mermaid blocks).
	FormatMermaid
	// FormatDOT is Graphviz DOT, written by gonum's DOT encoder.
	FormatDOT
)

// String returns "mermaid" or "dot".
func (f Format) String() string {
	switch f {
	case FormatMermaid:
		return "mermaid"
	case FormatDOT:
		return "dot"
	}
	return "unknown"
}

// ParseFormat parses "mermaid" or "dot".
func ParseFormat(s string) (Format, error) {
	switch s {
	case "mermaid":
		return FormatMermaid, nil
	case "dot":
		return FormatDOT, nil
	}
	return FormatUnknown, fmt.Errorf("%q is not a picture format (mermaid or dot)", s)
}

// MermaidMaxText is Mermaid's default limit on the size of a diagram's
// text (maxTextSize), which GitHub keeps: a longer diagram is not drawn.
const MermaidMaxText = 50_000

// shape is how a node is drawn.
type shape uint8

const (
	shapeBox      shape = iota // instances, interfaces, route hops
	shapeRound                 // gateways, endpoints, load balancers
	shapeCircle                // the internet
	shapeHexagon               // transit gateways, VPC routers
	shapeCylinder              // AWS services, external networks
)

// nodeClass styles a node.
type nodeClass uint8

const (
	classPlain   nodeClass = iota
	classBlocked           // a hop that blocks
	classCharged           // a hop that costs per GB
)

// edgeStyle is how an edge is drawn.
type edgeStyle uint8

const (
	edgeArrow   edgeStyle = iota // directed, solid
	edgeLine                     // undirected, solid: a connection
	edgeDotted                   // directed, dotted
	edgeDashed                   // undirected, dashed: a connection not in service
	edgeBlocked                  // directed, dashed, red: after a block
)

// cluster is a box around nodes and other clusters.
type cluster struct {
	label  []string
	parent int // index of the enclosing cluster, -1 at the top
}

// node is one drawn resource or hop.
type node struct {
	label   []string
	cluster int // -1 at the top
	shape   shape
	class   nodeClass
}

// edge joins two nodes.
type edge struct {
	from, to int
	label    string
	style    edgeStyle
}

// Picture is a drawing ready to write as Mermaid or DOT: clusters nested
// in clusters, nodes in them, and edges. Topology and Path build one.
// Labels are kept as written; the writers escape them for their format,
// so an id holding quotes, brackets, newlines or markup cannot break out
// of its label. Writing the same Picture gives the same bytes.
type Picture struct {
	name string
	// topDown lays the picture out top to bottom (paths) instead of left
	// to right (topologies).
	topDown  bool
	title    string
	clusters []cluster
	nodes    []node
	edges    []edge
	notes    []string
}

// Notes returns what the caller should tell the reader about the
// picture: that it shows VPCs only, or is too large to read. The slice is
// the caller's.
func (p *Picture) Notes() []string { return append([]string(nil), p.notes...) }

// Size returns the number of nodes and edges drawn.
func (p *Picture) Size() (nodes, edges int) { return len(p.nodes), len(p.edges) }

func (p *Picture) addCluster(parent int, label ...string) int {
	p.clusters = append(p.clusters, cluster{label: label, parent: parent})
	return len(p.clusters) - 1
}

func (p *Picture) addNode(c int, s shape, label ...string) int {
	p.nodes = append(p.nodes, node{label: label, cluster: c, shape: s})
	return len(p.nodes) - 1
}

// addEdge adds an edge; a second edge between the same two nodes (either
// way for undirected ones) joins its label to the first's instead, so
// that both writers draw one edge per pair.
func (p *Picture) addEdge(from, to int, style edgeStyle, label string) {
	for i := range p.edges {
		e := &p.edges[i]
		same := e.from == from && e.to == to
		if style == edgeLine || style == edgeDashed {
			same = same || e.from == to && e.to == from
		}
		if same {
			if label != "" && !strings.Contains(e.label, label) {
				if e.label != "" {
					e.label += ", "
				}
				e.label += label
			}
			return
		}
	}
	p.edges = append(p.edges, edge{from: from, to: to, label: label, style: style})
}

// Write writes the picture in format f.
func (p *Picture) Write(w io.Writer, f Format) error {
	switch f {
	case FormatMermaid:
		return p.Mermaid(w)
	case FormatDOT:
		return p.DOT(w)
	}
	return fmt.Errorf("draw: unknown format %d", f)
}

// --- Mermaid ------------------------------------------------------------------

// mermaidEscaper writes a label's characters that Mermaid would read as
// syntax, markup or entities as numeric entities (#34; for a quote).
var mermaidEscaper = strings.NewReplacer(
	`"`, "#34;", "#", "#35;", "&", "#38;", ";", "#59;", "<", "#60;", ">", "#62;",
	"`", "#96;", "|", "#124;", "\\", "#92;",
)

// mermaidLabel renders label lines for a quoted Mermaid label: each line
// made safe for a terminal (control characters as \x1b, \n), Mermaid's
// special characters as entities, lines joined with <br/>.
func mermaidLabel(lines []string) string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = mermaidEscaper.Replace(termtext.Escape(l))
	}
	return strings.Join(out, "<br/>")
}

// mermaidShape returns the brackets of a shape.
func mermaidShape(s shape) (open, close string) {
	switch s {
	case shapeRound:
		return "(", ")"
	case shapeCircle:
		return "((", "))"
	case shapeHexagon:
		return "{{", "}}"
	case shapeCylinder:
		return "[(", ")]"
	}
	return "[", "]"
}

// Mermaid writes the picture as a Mermaid flowchart (left to right, or
// top down for a path):
// clusters as subgraphs, nodes with quoted labels, blocked hops and the
// edges after them in red, charged hops in amber.
func (p *Picture) Mermaid(w io.Writer) error {
	var b strings.Builder
	if p.topDown {
		b.WriteString("flowchart TB\n")
	} else {
		b.WriteString("flowchart LR\n")
	}
	if p.title != "" {
		fmt.Fprintf(&b, "  %%%% %s\n", strings.ReplaceAll(termtext.Escape(p.title), "\n", " "))
	}
	children := p.children()
	var writeCluster func(c, depth int)
	writeNodes := func(c, depth int) {
		ind := strings.Repeat("  ", depth)
		for i, n := range p.nodes {
			if n.cluster == c {
				o, cl := mermaidShape(n.shape)
				fmt.Fprintf(&b, "%sn%d%s\"%s\"%s\n", ind, i, o, mermaidLabel(n.label), cl)
			}
		}
	}
	writeCluster = func(c, depth int) {
		ind := strings.Repeat("  ", depth)
		fmt.Fprintf(&b, "%ssubgraph c%d[\"%s\"]\n", ind, c, mermaidLabel(p.clusters[c].label))
		for _, k := range children[c] {
			writeCluster(k, depth+1)
		}
		writeNodes(c, depth+1)
		fmt.Fprintf(&b, "%send\n", ind)
	}
	for _, k := range children[-1] {
		writeCluster(k, 1)
	}
	writeNodes(-1, 1)
	for _, e := range p.edges {
		arrow := map[edgeStyle]string{edgeArrow: "-->", edgeLine: "---", edgeDotted: "-.->", edgeDashed: "-.-", edgeBlocked: "-.->"}[e.style]
		if e.label == "" {
			fmt.Fprintf(&b, "  n%d %s n%d\n", e.from, arrow, e.to)
		} else {
			fmt.Fprintf(&b, "  n%d %s|\"%s\"| n%d\n", e.from, arrow, mermaidLabel([]string{e.label}), e.to)
		}
	}
	var blocked, charged []string
	for i, n := range p.nodes {
		switch n.class {
		case classBlocked:
			blocked = append(blocked, "n"+strconv.Itoa(i))
		case classCharged:
			charged = append(charged, "n"+strconv.Itoa(i))
		}
	}
	if len(blocked) > 0 {
		b.WriteString("  classDef blocked fill:#fdecea,stroke:#c62828,color:#b71c1c\n")
		fmt.Fprintf(&b, "  class %s blocked\n", strings.Join(blocked, ","))
	}
	if len(charged) > 0 {
		b.WriteString("  classDef charged fill:#fff8e1,stroke:#f9a825\n")
		fmt.Fprintf(&b, "  class %s charged\n", strings.Join(charged, ","))
	}
	for i, e := range p.edges {
		if e.style == edgeBlocked {
			fmt.Fprintf(&b, "  linkStyle %d stroke:#c62828,color:#b71c1c\n", i)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// children returns each cluster's child clusters, in order; -1 holds the
// top-level ones.
func (p *Picture) children() map[int][]int {
	out := map[int][]int{}
	for i, c := range p.clusters {
		out[c.parent] = append(out[c.parent], i)
	}
	return out
}

// --- DOT, through gonum -------------------------------------------------------

// dotQuote renders label lines as one quoted DOT string: each line made
// safe for a terminal, backslashes and quotes escaped (so that neither
// DOT's escString sequences such as \N nor a quote can act), lines joined
// with DOT's \n line break. The result is also a valid Go string literal,
// which gonum's encoder leaves as it is.
func dotQuote(lines []string) string {
	out := make([]string, len(lines))
	for i, l := range lines {
		l = termtext.Escape(l)
		l = strings.ReplaceAll(l, `\`, `\\`)
		out[i] = strings.ReplaceAll(l, `"`, `\"`)
	}
	return `"` + strings.Join(out, `\n`) + `"`
}

// dotNode is a node for gonum's encoder. A node inside a cluster is
// declared there with its attributes (full); the top level only names it
// again, bare, so that its edges can be written.
type dotNode struct {
	id    int64
	attrs []encoding.Attribute
}

func (n dotNode) ID() int64                        { return n.id }
func (n dotNode) DOTID() string                    { return "n" + strconv.FormatInt(n.id, 10) }
func (n dotNode) Attributes() []encoding.Attribute { return n.attrs }

// bareNode names a node declared in a cluster.
type bareNode struct{ id int64 }

func (n bareNode) ID() int64     { return n.id }
func (n bareNode) DOTID() string { return "n" + strconv.FormatInt(n.id, 10) }

// dotEdge is an edge for gonum's encoder.
type dotEdge struct {
	from, to graph.Node
	attrs    []encoding.Attribute
}

func (e dotEdge) From() graph.Node                 { return e.from }
func (e dotEdge) To() graph.Node                   { return e.to }
func (e dotEdge) ReversedEdge() graph.Edge         { return dotEdge{e.to, e.from, e.attrs} }
func (e dotEdge) Attributes() []encoding.Attribute { return e.attrs }

// attrs is an encoding.Attributer.
type attrs []encoding.Attribute

func (a attrs) Attributes() []encoding.Attribute { return a }

// dotGraph is the picture, or one of its clusters, as a gonum directed
// graph: the top level holds every edge, each cluster its own nodes and
// sub-clusters.
type dotGraph struct {
	id      string
	nodes   []graph.Node
	byID    map[int64]graph.Node
	from    map[int64][]graph.Node
	edges   map[[2]int64]dotEdge
	graphAt attrs
	nodeAt  attrs
	edgeAt  attrs
	subs    []dot.Graph
}

var (
	_ graph.Directed  = (*dotGraph)(nil)
	_ dot.Graph       = (*dotGraph)(nil)
	_ dot.Attributers = (*dotGraph)(nil)
	_ dot.Structurer  = (*dotGraph)(nil)
)

func newDOTGraph(id string) *dotGraph {
	return &dotGraph{id: id, byID: map[int64]graph.Node{}, from: map[int64][]graph.Node{}, edges: map[[2]int64]dotEdge{}}
}

func (g *dotGraph) add(n graph.Node) {
	g.nodes = append(g.nodes, n)
	g.byID[n.ID()] = n
}

func (g *dotGraph) DOTID() string { return g.id }
func (g *dotGraph) Node(id int64) graph.Node {
	if n, ok := g.byID[id]; ok {
		return n
	}
	return nil
}
func (g *dotGraph) Nodes() graph.Nodes { return iterator.NewOrderedNodes(g.nodes) }
func (g *dotGraph) From(id int64) graph.Nodes {
	return iterator.NewOrderedNodes(g.from[id])
}
func (g *dotGraph) To(id int64) graph.Nodes {
	var out []graph.Node
	for k := range g.edges {
		if k[1] == id {
			out = append(out, g.byID[k[0]])
		}
	}
	return iterator.NewOrderedNodes(out)
}
func (g *dotGraph) HasEdgeBetween(x, y int64) bool {
	return g.HasEdgeFromTo(x, y) || g.HasEdgeFromTo(y, x)
}
func (g *dotGraph) HasEdgeFromTo(u, v int64) bool {
	_, ok := g.edges[[2]int64{u, v}]
	return ok
}
func (g *dotGraph) Edge(u, v int64) graph.Edge {
	if e, ok := g.edges[[2]int64{u, v}]; ok {
		return e
	}
	return nil
}
func (g *dotGraph) DOTAttributers() (graph, node, edge encoding.Attributer) {
	return g.graphAt, g.nodeAt, g.edgeAt
}
func (g *dotGraph) Structure() []dot.Graph { return g.subs }

// dotShape returns the attributes of a shape.
func dotShape(s shape) []encoding.Attribute {
	switch s {
	case shapeRound:
		return []encoding.Attribute{{Key: "shape", Value: "box"}, {Key: "style", Value: `"rounded"`}}
	case shapeCircle:
		return []encoding.Attribute{{Key: "shape", Value: "ellipse"}}
	case shapeHexagon:
		return []encoding.Attribute{{Key: "shape", Value: "hexagon"}}
	case shapeCylinder:
		return []encoding.Attribute{{Key: "shape", Value: "cylinder"}}
	}
	return []encoding.Attribute{{Key: "shape", Value: "box"}}
}

// DOT writes the picture as a Graphviz digraph, encoded by gonum's DOT
// encoder (gonum.org/v1/gonum/graph/encoding/dot): clusters as
// "cluster_N" subgraphs, nodes nN with quoted labels, connections without
// arrowheads, blocked hops and the edges after them red and dashed.
func (p *Picture) DOT(w io.Writer) error {
	top := newDOTGraph(p.name)
	rankdir := "LR"
	if p.topDown {
		rankdir = "TB"
	}
	top.graphAt = attrs{{Key: "rankdir", Value: rankdir}, {Key: "fontname", Value: "Helvetica"}}
	if p.title != "" {
		top.graphAt = append(top.graphAt, encoding.Attribute{Key: "label", Value: dotQuote([]string{p.title})}, encoding.Attribute{Key: "labelloc", Value: "t"})
	}
	top.nodeAt = attrs{{Key: "fontname", Value: "Helvetica"}, {Key: "fontsize", Value: "10"}}
	top.edgeAt = attrs{{Key: "fontname", Value: "Helvetica"}, {Key: "fontsize", Value: "9"}}
	subs := make([]*dotGraph, len(p.clusters))
	for i, c := range p.clusters {
		subs[i] = newDOTGraph("cluster_" + strconv.Itoa(i))
		subs[i].graphAt = attrs{{Key: "label", Value: dotQuote(c.label)}}
	}
	for i, c := range p.clusters {
		if c.parent < 0 {
			top.subs = append(top.subs, subs[i])
		} else {
			subs[c.parent].subs = append(subs[c.parent].subs, subs[i])
		}
	}
	for i, n := range p.nodes {
		a := append([]encoding.Attribute{{Key: "label", Value: dotQuote(n.label)}}, dotShape(n.shape)...)
		switch n.class {
		case classBlocked:
			a = append(a, encoding.Attribute{Key: "color", Value: `"#c62828"`}, encoding.Attribute{Key: "fontcolor", Value: `"#b71c1c"`})
		case classCharged:
			a = append(a, encoding.Attribute{Key: "color", Value: `"#f9a825"`})
		}
		full := dotNode{id: int64(i), attrs: a}
		if n.cluster < 0 {
			top.add(full)
			continue
		}
		subs[n.cluster].add(full)
		top.add(bareNode{id: int64(i)})
	}
	for _, e := range p.edges {
		var a []encoding.Attribute
		if e.label != "" {
			a = append(a, encoding.Attribute{Key: "label", Value: dotQuote([]string{e.label})})
		}
		switch e.style {
		case edgeLine:
			a = append(a, encoding.Attribute{Key: "dir", Value: "none"})
		case edgeDotted:
			a = append(a, encoding.Attribute{Key: "style", Value: "dotted"})
		case edgeDashed:
			a = append(a, encoding.Attribute{Key: "dir", Value: "none"}, encoding.Attribute{Key: "style", Value: "dashed"})
		case edgeBlocked:
			a = append(a, encoding.Attribute{Key: "style", Value: "dashed"}, encoding.Attribute{Key: "color", Value: `"#c62828"`}, encoding.Attribute{Key: "fontcolor", Value: `"#b71c1c"`})
		}
		from, to := top.byID[int64(e.from)], top.byID[int64(e.to)]
		top.edges[[2]int64{int64(e.from), int64(e.to)}] = dotEdge{from: from, to: to, attrs: a}
		top.from[int64(e.from)] = append(top.from[int64(e.from)], to)
	}
	out, err := dot.Marshal(top, "", "", "\t")
	if err != nil {
		return err
	}
	out = append(bytes.TrimRight(out, "\n"), '\n')
	_, err = w.Write(out)
	return err
}
