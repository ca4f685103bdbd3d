package draw_test

import (
	"bytes"
	"fmt"
	"net/netip"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/graph/formats/dot"
	"gonum.org/v1/gonum/graph/formats/dot/ast"

	"github.com/vpcreach/vpcreach/cost"
	"github.com/vpcreach/vpcreach/draw"
	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/internal/termtext"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// render writes a picture in a format.
func render(t *testing.T, p *draw.Picture, f draw.Format) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, p.Write(&b, f))
	return b.String()
}

// dotLabels parses DOT text with gonum's parser and returns the labels of
// its node statements that carry one, by node id, unquoted, and the
// number of edges; it fails the test when the text does not parse.
func dotLabels(t *testing.T, text string) (labels map[string]string, edges int, clusterLabels []string) {
	t.Helper()
	f, err := dot.ParseString(text)
	require.NoError(t, err, "gonum cannot parse the DOT:\n%s", text)
	require.Len(t, f.Graphs, 1)
	labels = map[string]string{}
	unquote := func(v string) string {
		s, err := strconv.Unquote(v)
		require.NoError(t, err, "label %s is not a quoted string", v)
		return s
	}
	var walk func(stmts []ast.Stmt)
	walk = func(stmts []ast.Stmt) {
		for _, s := range stmts {
			switch s := s.(type) {
			case *ast.NodeStmt:
				for _, a := range s.Attrs {
					if a.Key == "label" {
						labels[s.Node.ID] = unquote(a.Val)
					}
				}
			case *ast.EdgeStmt:
				edges++
			case *ast.Subgraph:
				walk(s.Stmts)
			case *ast.AttrStmt:
				for _, a := range s.Attrs {
					if a.Key == "label" && s.Kind == ast.GraphKind {
						clusterLabels = append(clusterLabels, unquote(a.Val))
					}
				}
			}
		}
	}
	walk(f.Graphs[0].Stmts)
	return labels, edges, clusterLabels
}

// checkPicture checks both renderings of a picture: the Mermaid text
// against the grammar checker, with every label found back; the DOT text
// through gonum's parser, with every node, edge and label found back.
func checkPicture(t *testing.T, p *draw.Picture) {
	t.Helper()
	nodes, clusters, edges := draw.Labels(p)
	esc := func(lines []string) string {
		out := make([]string, len(lines))
		for i, l := range lines {
			out[i] = termtext.Escape(l)
		}
		return strings.Join(out, "\n")
	}
	mm := render(t, p, draw.FormatMermaid)
	assert.Empty(t, checkMermaid(mm), "Mermaid:\n%s", mm)
	assert.LessOrEqual(t, len(mm), draw.MermaidMaxText, "Mermaid text too long for GitHub")
	var mmLabels []string
	for _, m := range regexp.MustCompile(`"([^"]*)"`).FindAllStringSubmatch(mm, -1) {
		mmLabels = append(mmLabels, mermaidUnescape(m[1]))
	}
	for _, l := range nodes {
		assert.Contains(t, mmLabels, esc(l))
	}
	for _, l := range clusters {
		assert.Contains(t, mmLabels, esc(l))
	}
	for _, l := range edges {
		if l != "" {
			assert.Contains(t, mmLabels, esc([]string{l}))
		}
	}
	d := render(t, p, draw.FormatDOT)
	labels, nEdges, clusterLabels := dotLabels(t, d)
	assert.Len(t, labels, len(nodes), "every node is declared once with its label")
	assert.Equal(t, len(edges), nEdges, "every edge is written")
	for i, l := range nodes {
		assert.Equal(t, esc(l), labels[fmt.Sprintf("n%d", i)], "label of node n%d", i)
	}
	for _, l := range clusters {
		assert.Contains(t, clusterLabels, esc(l))
	}
	// The same picture writes the same bytes.
	assert.Equal(t, mm, render(t, p, draw.FormatMermaid))
	assert.Equal(t, d, render(t, p, draw.FormatDOT))
}

// seeds returns the seed topologies.
func seeds(t *testing.T) []string {
	files, err := filepath.Glob("../testdata/seed*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	return files
}

func TestEverySeedTopologyDrawsInBothFormats(t *testing.T) {
	for _, f := range seeds(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			m, _, err := model.LoadFiles(f)
			require.NoError(t, err)
			p, err := draw.Topology(m, draw.TopologyOptions{})
			require.NoError(t, err)
			assert.Empty(t, p.Notes(), "a seed is small enough to draw in full")
			checkPicture(t, p)
			nodes, clusters, _ := draw.Labels(p)
			// Every VPC, subnet and instance is drawn.
			for _, v := range m.VPCs {
				assert.True(t, slices.ContainsFunc(clusters, func(l []string) bool { return strings.HasPrefix(l[0], "VPC "+string(v.ID)) }), "VPC %s", v.ID)
				for _, sn := range v.Subnets {
					assert.True(t, slices.ContainsFunc(clusters, func(l []string) bool {
						return strings.HasPrefix(l[0], "subnet "+string(sn.ID)) && strings.Contains(l[1], sn.AZ)
					}), "subnet %s with its zone", sn.ID)
				}
				for _, in := range v.Instances {
					assert.True(t, slices.ContainsFunc(nodes, func(l []string) bool { return strings.HasPrefix(l[0], "instance "+string(in.ID)) }), "instance %s", in.ID)
				}
			}
		})
	}
}

func TestEverySeedPathDrawsInBothFormats(t *testing.T) {
	for _, f := range seeds(t) {
		m, _, err := model.LoadFiles(f)
		require.NoError(t, err)
		s, err := solver.New(m)
		require.NoError(t, err)
		for _, e := range m.Expectations {
			q := solver.Query{From: e.From, To: e.To, Protocol: e.Protocol, ICMP: e.ICMP}
			if e.Port != nil {
				q.Port = *e.Port
			}
			res := s.Reach(q)
			var opts draw.PathOptions
			if res.Reachable() {
				c := cost.PricePath(s, res, nil)
				opts.Cost = &c
			}
			t.Run(filepath.Base(f)+"/"+q.String(), func(t *testing.T) {
				p := draw.Path(res, opts)
				checkPicture(t, p)
				nodes, _, edges := draw.Labels(p)
				require.Len(t, nodes, len(res.Forward)+len(res.Return), "one node per hop")
				// Consecutive hops are joined, and the request to its response.
				wantEdges := len(res.Forward) + len(res.Return) - 1
				if len(res.Forward) == 0 || len(res.Return) == 0 {
					wantEdges = max(len(res.Forward), len(res.Return)) - 1
				}
				assert.Len(t, edges, wantEdges)
				for i, h := range res.Forward {
					assert.Equal(t, fmt.Sprintf("%d. %s", i+1, strings.TrimSpace(h.Kind.String()+" "+h.Direction)), nodes[i][0])
					if i+1 < len(res.Forward) {
						assert.Equal(t, h.Rule, strings.TrimSuffix(edges[i], " (continuing as if allowed)"), "edge %d carries hop %d's rule", i, i+1)
					}
				}
				mm := render(t, p, draw.FormatMermaid)
				blocked := slices.ContainsFunc(append(slices.Clone(res.Forward), res.Return...), func(h solver.Hop) bool {
					return h.Decision == solver.DecisionDeny || h.Decision == solver.DecisionDrop
				})
				assert.Equal(t, blocked, strings.Contains(mm, "class ") && strings.Contains(mm, " blocked\n"), "blocking hops are marked when there are some")
			})
		}
	}
}

// TestHostileIDsStayInTheirLabels draws a network whose ids hold quotes,
// newlines, brackets, markup, entities, DOT escapes and Mermaid keywords:
// both renderings still parse, and every label reads back as the id
// (escaped for a terminal), nothing more.
func TestHostileIDsStayInTheirLabels(t *testing.T) {
	hostile := []string{
		`vpc"]; n0 --> evil["x`, "line\nbreak", `<img src=x onerror=alert(1)>`, `#quot;#35;&amp;`,
		`back\slash\N\G`, "end", `a|b;c` + "`d`", "tab\there\x1b[31m", "}} ]] )) {{ [[ ((", "%% comment", "bidi\u202eevil",
	}
	var vpcs []model.VPC
	for i, h := range hostile {
		vpcs = append(vpcs, model.VPC{
			ID: model.ID(h), Name: h + "-name", Account: model.ID(fmt.Sprintf("%012d", i%2)), Region: "r-" + h,
			CIDRBlocks:      []netip.Prefix{netip.MustParsePrefix(fmt.Sprintf("10.%d.0.0/16", i))},
			InternetGateway: model.ID("igw " + h),
			Subnets:         []model.Subnet{{ID: model.ID("subnet " + h), AZ: "az " + h, CIDRBlock: netip.MustParsePrefix(fmt.Sprintf("10.%d.1.0/24", i))}},
			Instances: []model.Instance{{ID: model.ID("i " + h), Name: h, Interface: model.Interface{Subnet: model.ID("subnet " + h),
				PrivateIP: netip.MustParseAddr(fmt.Sprintf("10.%d.1.10", i))}}},
		})
	}
	var pcx []model.PeeringConnection
	for i := 1; i < len(hostile); i++ {
		pcx = append(pcx, model.PeeringConnection{ID: model.ID("pcx " + hostile[i]), Requester: model.ID(hostile[i-1]), Accepter: model.ID(hostile[i])})
	}
	m := &model.Model{Version: 1, VPCs: vpcs, PeeringConnections: pcx, Accounts: []model.Account{{ID: "000000000000", Name: `acct "x"`}, {ID: "000000000001", Name: "<b>"}}}
	p, err := draw.Topology(m, draw.TopologyOptions{})
	require.NoError(t, err)
	checkPicture(t, p)
	mm := render(t, p, draw.FormatMermaid)
	assert.NotContains(t, mm, "<img")
	d := render(t, p, draw.FormatDOT)
	assert.NotContains(t, d, "\x1b")
	assert.NotContains(t, d, "\u202e")
}

func TestLargeNetworkIsDrawnAsVPCsWithANote(t *testing.T) {
	m := gen.Generate(gen.Options{VPCs: 12, Seed: 3})
	p, err := draw.Topology(m, draw.TopologyOptions{})
	require.NoError(t, err)
	notes := p.Notes()
	require.NotEmpty(t, notes)
	assert.Contains(t, notes[0], "showing the 12 VPCs and their connections only")
	assert.Contains(t, notes[0], "--vpc ID")
	nodes, _, _ := draw.Labels(p)
	for _, n := range nodes {
		assert.Regexp(t, `^(VPC |transit gateway )`, n[0], "an overview draws VPCs and transit gateways only")
	}
	checkPicture(t, p)

	// A neighbourhood: one VPC in full, its neighbours as nodes.
	id := m.VPCs[0].ID
	q, err := draw.Topology(m, draw.TopologyOptions{VPCs: []model.ID{id}})
	require.NoError(t, err)
	assert.Empty(t, q.Notes())
	checkPicture(t, q)
	_, clusters, _ := draw.Labels(q)
	var full []string
	for _, c := range clusters {
		if strings.HasPrefix(c[0], "VPC ") {
			full = append(full, c[0])
		}
	}
	assert.Equal(t, []string{"VPC " + string(id) + namedSuffix(m, id)}, full, "only the selected VPC is drawn in full")

	// No limit: everything in full.
	all, err := draw.Topology(m, draw.TopologyOptions{MaxNodes: -1})
	require.NoError(t, err)
	assert.Empty(t, all.Notes())
	n1, _ := all.Size()
	n0, _ := p.Size()
	assert.Greater(t, n1, n0)
}

// namedSuffix returns " (name)" for a VPC with a name.
func namedSuffix(m *model.Model, id model.ID) string {
	for _, v := range m.VPCs {
		if v.ID == id && v.Name != "" {
			return " (" + v.Name + ")"
		}
	}
	return ""
}

func TestUnknownVPCIsAnErrorWithASuggestion(t *testing.T) {
	m, _, err := model.LoadFiles("../testdata/seed000-peering-nlb.yaml")
	require.NoError(t, err)
	_, err = draw.Topology(m, draw.TopologyOptions{VPCs: []model.ID{"vpc-x"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown VPC "vpc-x"`)
	_, err = draw.Topology(m, draw.TopologyOptions{VPCs: []model.ID{"vpc-bb"}})
	assert.ErrorContains(t, err, `did you mean "vpc-b"?`)
}

func TestParseFormat(t *testing.T) {
	for _, f := range []draw.Format{draw.FormatMermaid, draw.FormatDOT} {
		g, err := draw.ParseFormat(f.String())
		require.NoError(t, err)
		assert.Equal(t, f, g)
	}
	_, err := draw.ParseFormat("svg")
	assert.Error(t, err)
}

// A dual-stack topology shows each subnet's blocks of both families (an
// IPv6-only subnet has no IPv4 block to write), the instances' IPv6
// addresses and the egress-only internet gateway (V-01..V-03, V-07).
func TestDualStackTopology(t *testing.T) {
	m, _, err := model.LoadFiles("../testdata/dualstack-bastion.yaml")
	require.NoError(t, err)
	v := &m.VPCs[0]
	v.EgressOnlyInternetGateway = "eigw-dualstack"
	v.Subnets = append(v.Subnets, model.Subnet{ID: "sn-v6-only", AZ: "eu-west-1a", IPv6Only: true,
		IPv6CIDRBlock: netip.MustParsePrefix("2600:1f18:a:c02::/64"), RouteTable: "rtb-dualstack-public"})
	require.NoError(t, model.Validate(m).Err())
	p, err := draw.Topology(m, draw.TopologyOptions{})
	require.NoError(t, err)
	checkPicture(t, p)
	nodes, clusters, _ := draw.Labels(p)
	has := func(ls [][]string, want ...string) bool {
		return slices.ContainsFunc(ls, func(l []string) bool { return slices.Equal(l, want) })
	}
	assert.True(t, has(clusters, "subnet sn-dualstack-public", "eu-west-1a 10.0.1.0/24, 2600:1f18:a:c01::/64"), "%q", clusters)
	assert.True(t, has(clusters, "subnet sn-v6-only", "eu-west-1a 2600:1f18:a:c02::/64"), "%q", clusters)
	assert.True(t, has(nodes, "instance i-dualstack-bastion", "10.0.1.20, 203.0.113.20, 2600:1f18:a:c01::20"), "%q", nodes)
	assert.True(t, has(nodes, "egress-only internet gateway", "eigw-dualstack"), "%q", nodes)
	for _, l := range append(nodes, clusters...) {
		assert.NotContains(t, strings.Join(l, " "), "invalid", "a missing block or address is left out, not written")
	}
}
