package cost

import (
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/vpcreach/vpcreach/internal/termtext"
	"github.com/vpcreach/vpcreach/solver"
)

// Text renders the price of r's path for people, as reach prints it after
// the answer: the table it was priced with, the request's and the
// response's cost per GB with each charged hop (its number on the path,
// kind, component, charge and what it is for), the hourly charges, and
// the notes. Ids are escaped for a terminal.
func (p Path) Text(r solver.Result) string {
	esc := termtext.Escape
	t := p.Table
	if t == nil {
		t = Default()
	}
	var b strings.Builder
	source := t.Name()
	if t.File() != "(embedded)" {
		source = t.File() + ": " + source
	}
	if t.Date() != "" {
		source += ", " + t.Date()
	}
	fmt.Fprintf(&b, "\ncost per GB (%s):\n", esc(strings.TrimPrefix(source, ": ")))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	leg := func(title, per string, l Leg, hops []solver.Hop) {
		fmt.Fprintf(tw, "  %-9s %s per GB %s\n", title+":", l.PerGB, per)
		for _, c := range l.Charges {
			kind, who := "", esc(string(c.Component))
			if c.Hop >= 1 && c.Hop <= len(hops) {
				h := hops[c.Hop-1]
				kind = h.Kind.String()
				if h.Component == c.Component {
					who = named(h)
				}
			}
			fmt.Fprintf(tw, "    %2d.\t%s\t%s\t%s\t%s\n", c.Hop, kind, who, c.PerGB, esc(c.Detail))
		}
	}
	leg("request", "sent", p.Request, r.Forward)
	leg("response", "answered", p.Response, r.Return)
	tw.Flush()
	if len(p.Hourly) > 0 {
		b.WriteString("  hourly, whatever the traffic:\n")
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		for _, h := range p.Hourly {
			what := h.Kind.String()
			if h.Kind == HourlyInterfaceEndpoint {
				zones := "zones"
				if h.Units == 1 {
					zones = "zone"
				}
				what += fmt.Sprintf(" (%d %s)", h.Units, zones)
			}
			who := esc(string(h.Component))
			for _, x := range append(slices.Clone(r.Forward), r.Return...) {
				if x.Component == h.Component {
					who = named(x)
					break
				}
			}
			fmt.Fprintf(tw, "    %s\t%s\t%s per hour\n", who, what, h.PerHour)
		}
		tw.Flush()
	}
	for _, n := range p.Notes {
		fmt.Fprintf(&b, "  note: %s\n", esc(n))
	}
	return b.String()
}

// named renders a hop's component as reach does: "id", "id (name)",
// "id (aws-id)" or "id (aws-id, name)", escaped for a terminal.
func named(h solver.Hop) string {
	var also []string
	if h.AWSID != "" {
		also = append(also, termtext.Escape(string(h.AWSID)))
	}
	if h.Name != "" {
		also = append(also, termtext.Escape(h.Name))
	}
	id := termtext.Escape(string(h.Component))
	if len(also) == 0 {
		return id
	}
	return id + " (" + strings.Join(also, ", ") + ")"
}
