package diff

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/internal/termtext"
	"github.com/vpcreach/vpcreach/model"
)

// String says what the cause is in one line: "sg-web (security group)
// modified: allow tcp 22 from 0.0.0.0/0 at new.yaml:12:9".
func (c Cause) String() string {
	s := fmt.Sprintf("%s (%s) %s", c.Resource, c.Kind, c.Change)
	if c.Rule != "" {
		s += ": " + c.Rule
	}
	if c.Position != "" {
		s += " at " + c.Position
	}
	return s
}

// causesText joins causes for one line.
func causesText(cs []Cause) string {
	if len(cs) == 0 {
		return "no resource on the path changed"
	}
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.String()
	}
	return strings.Join(parts, "; ")
}

// service writes a protocol and its ports: "tcp 22,443", "icmp".
func service(protocol, ports string) string {
	if ports == "" {
		return protocol
	}
	return protocol + " " + ports
}

// Service writes an exposure's protocol and ports ("tcp 22,443"), and "over IPv6" for
// an exposure over IPv6.
func (e Exposure) Service() string {
	if e.Family == "ipv6" {
		return service(e.Protocol, e.Ports) + " over IPv6"
	}
	return service(e.Protocol, e.Ports)
}

// groupByEnds splits flows into runs with the same ends (a pair's
// protocols), which text and markdown show on one line.
func groupByEnds(fs []Flow) [][]Flow {
	var out [][]Flow
	for _, f := range fs {
		if n := len(out); n > 0 && f.Detail == "" && out[n-1][0].Detail == "" &&
			slices.Equal(out[n-1][0].From.Members, f.From.Members) && out[n-1][0].From.Kind == f.From.Kind &&
			slices.Equal(out[n-1][0].To.Members, f.To.Members) && out[n-1][0].To.Kind == f.To.Kind {
			out[n-1] = append(out[n-1], f)
			continue
		}
		out = append(out, []Flow{f})
	}
	return out
}

// services writes the protocols and ports of a run: "tcp 22; udp 53".
func services(g []Flow) string {
	parts := make([]string, len(g))
	for i, f := range g {
		parts[i] = service(f.Protocol, f.Ports)
	}
	return strings.Join(parts, "; ")
}

// mergeCauses returns the causes of a run, each resource once.
func mergeCauses(g []Flow) []Cause {
	var out []Cause
	for _, f := range g {
		for _, c := range f.Cause {
			if !slices.ContainsFunc(out, func(x Cause) bool { return x.Resource == c.Resource }) {
				out = append(out, c)
			}
		}
	}
	return out
}

// Text writes the report for a terminal: one line an entry, each section
// headed, then the summary. Ids and messages are escaped (see
// termtext.Escape).
func (r *Report) Text(w io.Writer) error {
	var b strings.Builder
	line := func(format string, args ...any) { b.WriteString(termtext.Escape(fmt.Sprintf(format, args...)) + "\n") }
	flows := func(title string, fs []Flow) {
		if len(fs) == 0 {
			return
		}
		line("%s:", title)
		for _, g := range groupByEnds(fs) {
			f := g[0]
			line("  %s -> %s  %s", f.From.Name(), f.To.Name(), services(g))
			if f.Detail != "" {
				line("      %s", f.Detail)
				line("      before: %s", strings.Join(f.Before, " > "))
				line("      after:  %s", strings.Join(f.After, " > "))
			}
			line("      cause: %s", causesText(mergeCauses(g)))
		}
	}
	exposure := func(title string, es []Exposure) {
		if len(es) == 0 {
			return
		}
		line("%s:", title)
		for _, e := range es {
			more := ""
			if len(e.Members) > 0 {
				more = fmt.Sprintf(" (and %d more alike)", len(e.Members))
			}
			line("  %s%s  %s from %s", e.Destination, more, e.Service(), e.From)
			line("      cause: %s", causesText(e.Cause))
		}
	}
	expectations := func(title string, es []ExpectationChange) {
		if len(es) == 0 {
			return
		}
		line("%s:", title)
		for _, e := range es {
			at := ""
			if e.Position != "" {
				at = e.Position + ": "
			}
			line("  %s%s: expected %s; was %s, now %s", at, e.Name, e.Expect, e.Old, e.New)
			line("      cause: %s", causesText(e.Cause))
		}
	}
	overlaps := func(title string, os []OverlapChange) {
		if len(os) == 0 {
			return
		}
		line("%s:", title)
		for _, o := range os {
			line("  %s ~ %s (%s): %s", o.A, o.B, o.Class, o.Message)
		}
	}
	flows("gained", r.Gained)
	flows("lost", r.Lost)
	flows("changed", r.Changed)
	exposure("exposure gained", r.ExposureGained)
	exposure("exposure lost", r.ExposureLost)
	expectations("expectations broken", r.ExpectationsBroken)
	expectations("expectations fixed", r.ExpectationsFixed)
	overlaps("overlaps added", r.OverlapsAdded)
	overlaps("overlaps removed", r.OverlapsRemoved)
	line("%s", r.Summary.String())
	_, err := io.WriteString(w, b.String())
	return err
}

// String writes the summary in one line.
func (s Summary) String() string {
	if s == (Summary{ResourcesChanged: s.ResourcesChanged}) {
		return fmt.Sprintf("no reachability change (%s)", count(s.ResourcesChanged, "resource changed", "resources changed"))
	}
	return fmt.Sprintf("%d gained, %d lost, %d changed; exposure: %d gained, %d lost; expectations: %d broken, %d fixed; overlaps: %d added, %d removed (%s)",
		s.Gained, s.Lost, s.Changed, s.ExposureGained, s.ExposureLost, s.ExpectationsBroken, s.ExpectationsFixed,
		s.OverlapsAdded, s.OverlapsRemoved, count(s.ResourcesChanged, "resource changed", "resources changed"))
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// MarkdownOptions tune Markdown.
type MarkdownOptions struct {
	// MaxEntries is the number of entries of a section shown before the
	// rest folds into a collapsed details block; zero means 10.
	MaxEntries int
	// MaxPictureEdges is the largest number of flows drawn as a Mermaid
	// flowchart in the comment; zero means 30, negative none.
	MaxPictureEdges int
}

// md escapes text for a markdown table cell.
func md(s string) string {
	s = termtext.Escape(s)
	r := strings.NewReplacer("|", `\|`, "\n", " ", "<", "&lt;", ">", "&gt;", "`", "'")
	return r.Replace(s)
}

// code writes an id as inline code in a table cell.
func code(s string) string { return "`" + strings.ReplaceAll(md(s), "`", "'") + "`" }

func endpointsCell(e Endpoints) string {
	if e.Kind == kindInternet {
		return "the internet"
	}
	s := code(string(e.Members[0]))
	if len(e.Members) > 1 {
		where := e.Subnet
		if where == "" {
			where = e.VPC
		}
		s += fmt.Sprintf(" +%d in %s", len(e.Members)-1, code(string(where)))
	}
	switch e.Side {
	case "new":
		s += " (new)"
	case "old":
		s += " (removed)"
	}
	return s
}

func causesCell(cs []Cause) string {
	if len(cs) == 0 {
		return "no resource on the path changed"
	}
	var parts []string
	for _, c := range cs {
		p := fmt.Sprintf("%s %s", code(string(c.Resource)), c.Change)
		if c.Rule != "" {
			p += ": " + md(c.Rule)
		}
		if c.Position != "" {
			p += " (" + code(c.Position) + ")"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "<br>")
}

// Markdown writes the report as a pull-request comment: the summary, a
// table per section that has entries (entries beyond MaxEntries folded in
// a details block), and, when the flows are few enough, a Mermaid picture
// of them (GitHub renders it).
func (r *Report) Markdown(w io.Writer, opts MarkdownOptions) error {
	if opts.MaxEntries <= 0 {
		opts.MaxEntries = 10
	}
	if opts.MaxPictureEdges == 0 {
		opts.MaxPictureEdges = 30
	}
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p("### vpcreach: reachability change")
	p("")
	s := r.Summary
	if r.IsEmpty() {
		p("No reachability change (%s).", count(s.ResourcesChanged, "resource changed", "resources changed"))
		_, err := io.WriteString(w, b.String())
		return err
	}
	p("| gained | lost | changed | exposure gained | exposure lost | expectations broken | expectations fixed | overlaps added | overlaps removed |")
	p("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	p("| %d | %d | %d | %d | %d | %d | %d | %d | %d |", s.Gained, s.Lost, s.Changed, s.ExposureGained, s.ExposureLost,
		s.ExpectationsBroken, s.ExpectationsFixed, s.OverlapsAdded, s.OverlapsRemoved)
	table := func(title, header string, rows []string) {
		if len(rows) == 0 {
			return
		}
		p("")
		p("#### %s (%d)", title, len(rows))
		p("")
		sep := strings.Repeat("|---", strings.Count(header, "|")-1) + "|"
		p("%s", header)
		p("%s", sep)
		for i, row := range rows {
			if i == opts.MaxEntries {
				p("")
				p("<details><summary>%d more</summary>", len(rows)-i)
				p("")
				p("%s", header)
				p("%s", sep)
			}
			p("%s", row)
		}
		if len(rows) > opts.MaxEntries {
			p("")
			p("</details>")
		}
	}
	flowRows := func(fs []Flow) []string {
		var rows []string
		for _, g := range groupByEnds(fs) {
			rows = append(rows, fmt.Sprintf("| %s | %s | %s | %s |", endpointsCell(g[0].From), endpointsCell(g[0].To), md(services(g)), causesCell(mergeCauses(g))))
		}
		return rows
	}
	const flowHeader = "| from | to | flows | cause |"
	table("Exposure gained", "| destination | flows | from | cause |", exposureRows(r.ExposureGained))
	table("Expectations broken", "| expectation | was | now | cause |", expectationRows(r.ExpectationsBroken))
	table("Gained", flowHeader, flowRows(r.Gained))
	table("Lost", flowHeader, flowRows(r.Lost))
	var changed []string
	for _, f := range r.Changed {
		changed = append(changed, fmt.Sprintf("| %s | %s | %s | %s | %s |", endpointsCell(f.From), endpointsCell(f.To), md(service(f.Protocol, f.Ports)), md(f.Detail), causesCell(f.Cause)))
	}
	table("Changed path", "| from | to | flows | what changed | cause |", changed)
	table("Exposure lost", "| destination | flows | from | cause |", exposureRows(r.ExposureLost))
	table("Expectations fixed", "| expectation | was | now | cause |", expectationRows(r.ExpectationsFixed))
	var added, removed []string
	for _, o := range r.OverlapsAdded {
		added = append(added, fmt.Sprintf("| %s | %s | %s | %s |", code(string(o.A)), code(string(o.B)), o.Class, md(strings.Join(o.CIDRs, ", "))))
	}
	for _, o := range r.OverlapsRemoved {
		removed = append(removed, fmt.Sprintf("| %s | %s | %s | %s |", code(string(o.A)), code(string(o.B)), o.Class, md(strings.Join(o.CIDRs, ", "))))
	}
	table("Overlaps added", "| a | b | class | CIDRs |", added)
	table("Overlaps removed", "| a | b | class | CIDRs |", removed)
	if n := len(groupByEnds(r.Gained)) + len(groupByEnds(r.Lost)); n > 0 && opts.MaxPictureEdges > 0 && n <= opts.MaxPictureEdges {
		p("")
		p("```mermaid")
		var m strings.Builder
		_ = r.Mermaid(&m)
		b.WriteString(m.String())
		p("```")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func exposureRows(es []Exposure) []string {
	var rows []string
	for _, e := range es {
		dest := code(string(e.Destination))
		if len(e.Members) > 0 {
			dest += fmt.Sprintf(" +%d alike", len(e.Members))
		}
		rows = append(rows, fmt.Sprintf("| %s | %s | %s | %s |", dest, md(e.Service()), md(e.From), causesCell(e.Cause)))
	}
	return rows
}

func expectationRows(es []ExpectationChange) []string {
	var rows []string
	for _, e := range es {
		name := md(e.Name)
		if e.Position != "" {
			name += " (" + code(e.Position) + ")"
		}
		rows = append(rows, fmt.Sprintf("| %s | %s | %s | %s |", name, e.Old, e.New, causesCell(e.Cause)))
	}
	return rows
}

// mermaidText escapes a label for a quoted Mermaid label.
func mermaidText(s string) string {
	s = termtext.Escape(s)
	r := strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "\n", " ", "`", "#96;", "|", "#124;", ";", "#59;")
	return r.Replace(s)
}

// Mermaid draws the gained flows (green) and the lost ones (red, dashed)
// between classes as a Mermaid flowchart, classes grouped by VPC.
func (r *Report) Mermaid(w io.Writer) error {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	type node struct {
		id   string
		e    Endpoints
		name string
	}
	nodes := map[string]*node{}
	var order []string
	nodeOf := func(e Endpoints) string {
		k := strings.Join(idStrings(e.Members), ",")
		if n, ok := nodes[k]; ok {
			return n.id
		}
		n := &node{id: fmt.Sprintf("n%d", len(nodes)), e: e, name: e.Name()}
		nodes[k] = n
		order = append(order, k)
		return n.id
	}
	type edge struct{ from, to, label, class string }
	var edges []edge
	for _, g := range groupByEnds(r.Gained) {
		edges = append(edges, edge{nodeOf(g[0].From), nodeOf(g[0].To), services(g), "gained"})
	}
	for _, g := range groupByEnds(r.Lost) {
		edges = append(edges, edge{nodeOf(g[0].From), nodeOf(g[0].To), services(g), "lost"})
	}
	byVPC := map[model.ID][]string{}
	var vpcs []model.ID
	for _, k := range order {
		v := nodes[k].e.VPC
		if _, ok := byVPC[v]; !ok {
			vpcs = append(vpcs, v)
		}
		byVPC[v] = append(byVPC[v], k)
	}
	slices.Sort(vpcs)
	for i, v := range vpcs {
		indent := "    "
		if v == "" {
			indent = "  " // the internet, external networks: outside any VPC
		} else {
			fmt.Fprintf(&b, "  subgraph v%d[\"%s\"]\n", i, mermaidText(string(v)))
		}
		for _, k := range byVPC[v] {
			n := nodes[k]
			fmt.Fprintf(&b, "%s%s[\"%s\"]\n", indent, n.id, mermaidText(n.name))
		}
		if v != "" {
			b.WriteString("  end\n")
		}
	}
	for _, e := range edges {
		arrow := "-->"
		if e.class == "lost" {
			arrow = "-.->"
		}
		fmt.Fprintf(&b, "  %s %s|\"%s %s\"| %s\n", e.from, arrow, e.class, mermaidText(e.label), e.to)
	}
	for i, e := range edges {
		color := "green"
		if e.class == "lost" {
			color = "red"
		}
		fmt.Fprintf(&b, "  linkStyle %d stroke:%s,color:%s\n", i, color, color)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func idStrings(ids []model.ID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}
