package draw

// Labels returns the picture's node labels (lines), cluster labels and
// edge labels, for tests.
func Labels(p *Picture) (nodes, clusters [][]string, edges []string) {
	for _, n := range p.nodes {
		nodes = append(nodes, n.label)
	}
	for _, c := range p.clusters {
		clusters = append(clusters, c.label)
	}
	for _, e := range p.edges {
		edges = append(edges, e.label)
	}
	return nodes, clusters, edges
}
