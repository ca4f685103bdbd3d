package draw

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/cost"
	"github.com/vpcreach/vpcreach/solver"
)

// PathOptions choose what Path adds to the hops.
type PathOptions struct {
	// Cost, when set, is the path's price (cost.PricePath): each hop that
	// costs per GB shows its charges, and the paths' titles their totals.
	Cost *cost.Path
}

// Path draws a reach answer: the forward path and the return path as two
// clusters, one node per hop in order (its number, kind, component with
// its name, and decision), each edge labelled with the rule that decided
// the hop it leaves, and a dotted edge from the request's last hop to the
// response's first. Hops that deny or drop the packet are marked, and the
// edges after them (the walk continues as if allowed, to find every
// blocker) are drawn dashed and red. With opts.Cost, charged hops are
// marked too and show what they cost per GB.
func Path(r solver.Result, opts PathOptions) *Picture {
	p := &Picture{name: "path", topDown: true, title: r.Verdict.String() + ": " + r.Query.String()}
	legs := []struct {
		title string
		hops  []solver.Hop
		cost  *cost.Leg
		first int
	}{{title: "forward path"}, {title: "return path"}}
	legs[0].hops, legs[1].hops = r.Forward, r.Return
	if opts.Cost != nil {
		legs[0].cost, legs[1].cost = &opts.Cost.Request, &opts.Cost.Response
	}
	if slices.ContainsFunc(r.Blockers, func(b solver.Blocker) bool { return b.Leg == solver.LegForward }) {
		legs[1].title += " (continuing as if allowed)"
	}
	last := -1
	for li := range legs {
		leg := &legs[li]
		if len(leg.hops) == 0 {
			continue
		}
		title := []string{leg.title}
		if leg.cost != nil {
			title = append(title, fmt.Sprintf("%s per GB", leg.cost.PerGB))
		}
		c := p.addCluster(-1, title...)
		denied := false
		prev := -1
		for i, h := range leg.hops {
			kind := h.Kind.String()
			if h.Direction != "" {
				kind += " " + h.Direction
			}
			lines := []string{fmt.Sprintf("%d. %s", i+1, kind), named(string(h.Component), string(h.AWSID), h.Name), h.Decision.String()}
			charged := false
			if leg.cost != nil {
				for _, ch := range leg.cost.Charges {
					if ch.Hop == i+1 {
						lines = append(lines, fmt.Sprintf("%s/GB %s", ch.PerGB, ch.Kind))
						charged = true
					}
				}
			}
			if i == len(leg.hops)-1 && h.Rule != "" {
				// The last hop leaves no edge to carry its rule.
				lines = append(lines, h.Rule)
			}
			n := p.addNode(c, hopShape(h.Kind), lines...)
			switch {
			case h.Decision == solver.DecisionDeny || h.Decision == solver.DecisionDrop:
				p.nodes[n].class = classBlocked
			case charged:
				p.nodes[n].class = classCharged
			}
			if prev >= 0 {
				ph := leg.hops[i-1]
				style, label := edgeArrow, ph.Rule
				if denied {
					style = edgeBlocked
					label = strings.TrimSpace(label + " (continuing as if allowed)")
				}
				p.addEdge(prev, n, style, label)
			}
			denied = denied || h.Decision == solver.DecisionDeny
			if i == 0 && li == 1 && last >= 0 {
				p.addEdge(last, n, edgeDotted, "response")
			}
			prev = n
		}
		if li == 0 {
			last = prev
		}
	}
	return p
}

// named renders "id", "id (aws-id)", "id (name)" or "id (aws-id, name)".
func named(id, awsID, name string) string {
	var also []string
	if awsID != "" && awsID != id {
		also = append(also, awsID)
	}
	if name != "" && name != id {
		also = append(also, name)
	}
	if len(also) == 0 {
		return id
	}
	return id + " (" + strings.Join(also, ", ") + ")"
}

// hopShape returns the shape of a hop's node by its kind.
func hopShape(k solver.HopKind) shape {
	switch k {
	case solver.HopInternet:
		return shapeCircle
	case solver.HopTransitGateway, solver.HopTGWAttachment, solver.HopTGWRouteTable:
		return shapeHexagon
	case solver.HopAWSService, solver.HopExternalNetwork:
		return shapeCylinder
	case solver.HopInternetGateway, solver.HopNATGateway, solver.HopGatewayEndpoint, solver.HopInterfaceEndpoint,
		solver.HopLoadBalancer, solver.HopVPNGateway, solver.HopPeeringConnection, solver.HopEndpointService:
		return shapeRound
	}
	return shapeBox
}
