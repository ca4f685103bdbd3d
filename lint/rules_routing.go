package lint

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"go4.org/netipx"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/routing"
)

func init() {
	register(&Rule{
		ID:       "route-to-eni-with-source-dest-check",
		Severity: model.SeverityError,
		Title:    "route to a network interface whose source/destination check is on",
		Description: "A route that targets an instance or a network interface makes it a middlebox: a firewall, a " +
			"NAT instance, a proxy. Packets routed to it are addressed to somebody else, and EC2 drops every " +
			"such packet unless the interface's source/destination check is turned off, so the route silently " +
			"drops all the traffic it matches (S-15). The check is on by default, which is why this happens " +
			"whenever a middlebox is launched without the extra step.",
		Fix:       "Set source_dest_check: false on the interface (modify-instance-attribute --no-source-dest-check), or point the route elsewhere.",
		Semantics: []string{"S-15"},
		check: func(c *Context) {
			for _, v := range c.Model.VPCs {
				for _, rt := range v.RouteTables {
					for _, r := range rt.Routes {
						if r.State == model.RouteBlackhole {
							continue
						}
						var iface *model.Interface
						what := ""
						switch c.Index.Kind(r.Target) {
						case model.KindInstance:
							if in := c.Index.Instance(r.Target); in != nil {
								iface, what = &in.Interface, "instance "+string(in.ID)
								if r.Target != in.ID {
									what = fmt.Sprintf("network interface %s of instance %s", r.Target, in.ID)
								}
							}
						case model.KindNetworkInterface:
							if ni := c.Index.NetworkInterface(r.Target); ni != nil {
								iface, what = &ni.Interface, "network interface "+string(ni.ID)
							}
						}
						if iface == nil || !iface.SourceDestCheckEnabled() || netAddressedToIface(r.Destination, iface) {
							continue
						}
						c.Report(r.Source.Field("target"), rt.ID,
							"route %s -> %s in %s sends traffic through %s, whose source/destination check is on: EC2 drops packets not addressed to it",
							r.Destination, r.Target, rt.ID, what)
					}
				}
			}
		},
	})
	register(&Rule{
		ID:       "tgw-attachment-without-association",
		Severity: model.SeverityWarning,
		Title:    "transit gateway attachment with no associated route table",
		Description: "A transit gateway routes a packet by the route table associated with the attachment it " +
			"arrived on. An attachment with no association, on a gateway with no default association route " +
			"table, has nothing to look its traffic up in, so the gateway drops everything the attached VPC, " +
			"VPN or peer sends (S-50). Propagating the attachment's routes elsewhere does not help: traffic " +
			"can reach it but not come back from it.",
		Fix:       "Associate the attachment with a transit gateway route table (association: ...), or set the gateway's default_association_route_table.",
		Semantics: []string{"S-50"},
		check: func(c *Context) {
			for _, t := range c.Model.TransitGateways {
				for _, a := range t.Attachments {
					if t.AssociationOf(a) != "" || !netAttachmentLive(a.State) {
						continue
					}
					c.Report(a.Source, a.ID, "%s has no associated route table and transit gateway %s has no default association route table: the gateway drops all traffic arriving from it",
						netDescribeAttachment(a), t.ID)
				}
			}
		},
	})
	register(&Rule{
		ID:       "tgw-missing-return-route",
		Severity: model.SeverityWarning,
		Title:    "transit gateway routes to a VPC that has no route back",
		Description: "Traffic through a transit gateway is looked up twice: the request in the route table " +
			"associated with the source VPC's attachment, the response in the table associated with the " +
			"destination VPC's attachment. When the first table sends a VPC's CIDR to its attachment (by a " +
			"static or propagated route) but the second has no route covering the source VPC's CIDR blocks, " +
			"or only a blackhole, the request arrives and every response is dropped at the gateway (S-43, " +
			"S-52). This usually comes from propagating an attachment into one table and forgetting the " +
			"opposite propagation.",
		Fix:       "Propagate the source VPC's attachment into the destination attachment's associated route table, or add a static route for its CIDR blocks.",
		Semantics: []string{"S-43", "S-52"},
		check: func(c *Context) {
			for _, g := range tgwReturnGaps(c) {
				c.Report(g.table.Source, g.table.ID,
					"transit gateway route table %s (associated with %s's attachment %s) has no route back to %s's %s, although %s (associated with %s's attachment) sends %s to %s: responses from %s are dropped",
					g.table.ID, g.to, g.toAtt, g.from, strings.Join(g.missing, ", "), g.fromTable, g.from, joinIDs(g.routes), g.toAtt, g.to)
			}
		},
	})
	register(&Rule{
		ID:       "tgw-zone-without-attachment-subnet",
		Severity: model.SeverityWarning,
		Title:    "subnet routes to a transit gateway from a zone its attachment does not cover",
		Description: "A VPC attachment places one transit gateway interface in each availability zone it has " +
			"a subnet in, and traffic only reaches the gateway through the interface in its own zone. A subnet " +
			"whose route table sends traffic to the gateway, in a zone where the VPC's attachment has no " +
			"subnet, cannot reach the gateway at all, nor be reached back through it (S-51). It typically " +
			"happens when a zone is added to a VPC after the attachment was created.",
		Fix:       "Add a subnet in that availability zone to the attachment's subnets (one per zone).",
		Semantics: []string{"S-51"},
		check: func(c *Context) {
			for vi := range c.Model.VPCs {
				v := &c.Model.VPCs[vi]
				for _, sn := range v.Subnets {
					rt := v.RouteTableOf(&sn)
					if rt == nil {
						continue
					}
					var done []model.ID
					for _, r := range rt.Routes {
						if r.State == model.RouteBlackhole || c.Index.Kind(r.Target) != model.KindTransitGateway || slices.Contains(done, r.Target) {
							continue
						}
						done = append(done, r.Target)
						t := c.Index.TransitGateway(r.Target)
						var atts []model.ID
						covered := false
						for _, a := range t.Attachments {
							if a.Type != model.AttachmentVPC || a.VPC != v.ID {
								continue
							}
							atts = append(atts, a.ID)
							for _, s := range a.Subnets {
								if as := c.Index.Subnet(s); as != nil && as.AZ == sn.AZ {
									covered = true
								}
							}
						}
						if covered || len(atts) == 0 {
							continue
						}
						c.Report(sn.Source.Field("az"), sn.ID,
							"subnet %s in %s routes %s to transit gateway %s (route table %s), but %s's attachment %s has no subnet in %s: its traffic cannot reach the gateway",
							sn.ID, sn.AZ, r.Destination, t.ID, rt.ID, v.ID, joinIDs(atts), sn.AZ)
					}
				}
			}
		},
	})
	register(&Rule{
		ID:       "prefix-list-route-tie",
		Severity: model.SeverityWarning,
		Title:    "two prefix-list routes claim the same CIDR for different targets",
		Description: "A route whose destination is a prefix list stands for every CIDR of the list. When two " +
			"prefix lists routed in one table both hold a CIDR, longest prefix match cannot choose between " +
			"them: AWS picks one of the targets and documents no rule for which (S-12). Traffic to that CIDR " +
			"may leave by a gateway nobody intended, and a later change to either list can flip it. vpcreach " +
			"picks one deterministically and names it here.",
		Fix:       "Remove the shared CIDR from one of the prefix lists, or add a CIDR route for it, which beats both prefix-list routes.",
		Semantics: []string{"S-12"},
		check: func(c *Context) {
			for vi := range c.Model.VPCs {
				v := &c.Model.VPCs[vi]
				for ri := range v.RouteTables {
					rt := &v.RouteTables[ri]
					t := c.Solver.RouteTable(rt.ID)
					routes := t.Routes()
					// For each ambiguous CIDR, every pair of prefix-list routes of
					// the winning rank with different targets; one finding per
					// pair, with all the CIDRs the pair shares.
					type pair struct{ a, b int } // entries of the pair's first CIDR
					var order []pair
					cidrs := map[pair][]string{}
					used := map[pair]map[model.ID]bool{}
					for _, amb := range t.Ambiguities() {
						win := routes[amb.Routes[0]]
						if win.PrefixList == "" {
							continue
						}
						var tied []routing.Route
						for _, r := range routes {
							if r.Destination == amb.Destination && r.PrefixList != "" && netVPCRouteRank(r) == netVPCRouteRank(win) {
								tied = append(tied, r)
							}
						}
						for i := range tied {
							for j := i + 1; j < len(tied); j++ {
								x, y := tied[i], tied[j]
								if x.Target == y.Target && x.Blackhole == y.Blackhole {
									continue
								}
								p := pair{x.Entry, y.Entry}
								for _, q := range order {
									if netSameModelRoute(routes[q.a], x) && netSameModelRoute(routes[q.b], y) {
										p = q
									}
								}
								if _, seen := cidrs[p]; !seen {
									order = append(order, p)
									used[p] = map[model.ID]bool{}
								}
								cidrs[p] = append(cidrs[p], amb.Destination.String())
								used[p][win.Target] = true
							}
						}
					}
					for _, p := range order {
						x, y := routes[p.a], routes[p.b]
						src := rt.Source
						switch {
						case y.Index >= 0:
							src = rt.Routes[y.Index].Source.Field("destination")
						case x.Index >= 0:
							src = rt.Routes[x.Index].Source.Field("destination")
						}
						which := ""
						if len(used[p]) == 1 {
							for id := range used[p] {
								which = fmt.Sprintf(" (vpcreach assumes %s)", id)
							}
						}
						c.Report(src, rt.ID,
							"prefix-list routes %s and %s in %s both claim %s with equal prefix length: AWS picks one of the targets and which is undefined%s",
							netDescribeCompiledRoute(x), netDescribeCompiledRoute(y), rt.ID, strings.Join(cidrs[p], ", "), which)
					}
				}
			}
		},
	})
}

// netAddressedToIface reports whether a route's destination is a /32 of an
// address the interface holds: packets to it are addressed to the
// interface, and its source/destination check does not drop them.
func netAddressedToIface(d model.Destination, in *model.Interface) bool {
	if !d.CIDR.IsValid() || !d.CIDR.IsSingleIP() {
		return false
	}
	a := d.CIDR.Addr()
	return a == in.PrivateIP || slices.Contains(in.SecondaryIPs, a)
}

// netAttachmentLive reports whether an attachment in this state exists or
// is being set up (not rejected, failed or deleted).
func netAttachmentLive(s model.AttachmentState) bool {
	switch s {
	case model.AttachmentRejected, model.AttachmentRejecting, model.AttachmentFailed, model.AttachmentFailing,
		model.AttachmentDeleting, model.AttachmentDeleted:
		return false
	}
	return true
}

// netDescribeAttachment names an attachment and what it attaches.
func netDescribeAttachment(a model.TGWAttachment) string {
	if a.Type == model.AttachmentVPC && a.VPC != "" {
		return fmt.Sprintf("attachment %s (vpc %s)", a.ID, a.VPC)
	}
	return fmt.Sprintf("%s attachment %s", a.Type, a.ID)
}

// netTGWRoutesTo returns the destinations of the routes of t (routes is
// t.Routes(), which the caller reads once per table) that longest prefix
// match actually uses to send some of blocks to attachment att.
func netTGWRoutesTo(t *routing.TGWTable, routes []routing.TGWRoute, att model.ID, blocks []netip.Prefix) []string {
	var out []string
	for _, r := range routes {
		if r.Attachment != att || r.Blackhole {
			continue
		}
		for _, b := range blocks {
			if !r.Destination.Overlaps(b) {
				continue
			}
			first := r.Destination.Addr()
			if b.Bits() > r.Destination.Bits() {
				first = b.Addr()
			}
			if got := t.Lookup(first); got != nil && got.Entry == r.Entry && !slices.Contains(out, r.Destination.String()) {
				out = append(out, r.Destination.String())
			}
		}
	}
	return out
}

// netTGWCovers reports whether t routes both ends of block p somewhere
// other than a blackhole.
func netTGWCovers(t *routing.TGWTable, p netip.Prefix) bool {
	for _, a := range []netip.Addr{p.Addr(), netipx.PrefixLastIP(p)} {
		if r := t.Lookup(a); r == nil || r.Blackhole {
			return false
		}
	}
	return true
}

// netSameModelRoute reports whether two compiled routes come from the same
// written route (or the same gateway endpoint).
func netSameModelRoute(a, b routing.Route) bool {
	if a.Index >= 0 || b.Index >= 0 {
		return a.Index == b.Index
	}
	return a.Target == b.Target && a.PrefixList == b.PrefixList
}

// netDescribeCompiledRoute renders a compiled prefix-list route as
// "pl-a -> igw-a".
func netDescribeCompiledRoute(r routing.Route) string {
	s := fmt.Sprintf("%s -> %s", r.PrefixList, r.Target)
	if r.Origin == routing.OriginEndpoint {
		s += " (added by the gateway endpoint)"
	}
	return s
}

// netVPCRouteRank ranks compiled routes of equal prefix as routing does
// (S-12): lower wins.
func netVPCRouteRank(r routing.Route) int {
	switch {
	case r.Kind == routing.TargetLocal:
		return 0
	case r.Origin == routing.OriginStatic && r.PrefixList == "":
		return 1
	case r.Origin == routing.OriginPropagated:
		return 3
	}
	return 2
}

// netRouteEffective returns the addresses for which table t selects written
// route idx: its destinations, minus the longer prefixes of other routes,
// minus the prefixes where an equal-length route wins (S-12).
func netRouteEffective(t *routing.Table, idx int) *netipx.IPSet {
	routes := t.Routes()
	winners := map[netip.Prefix]int{}
	for _, a := range t.Ambiguities() {
		winners[a.Destination] = a.Routes[0]
	}
	var all netipx.IPSetBuilder
	for _, e := range routes {
		if e.Index != idx || e.Origin != routing.OriginStatic {
			continue
		}
		wins := true
		for _, f := range routes {
			if f.Entry == e.Entry || f.Destination != e.Destination {
				continue
			}
			if rf, re := netVPCRouteRank(f), netVPCRouteRank(e); rf < re {
				wins = false
			} else if rf == re {
				if w, ok := winners[e.Destination]; ok && w != e.Entry && routes[w].Target != e.Target {
					wins = false
				}
			}
		}
		if !wins {
			continue
		}
		var b netipx.IPSetBuilder
		b.AddPrefix(e.Destination)
		for _, f := range routes {
			if f.Destination.Bits() > e.Destination.Bits() && f.Destination.Overlaps(e.Destination) {
				b.RemovePrefix(f.Destination)
			}
		}
		s, _ := b.IPSet()
		all.AddSet(s)
	}
	s, _ := all.IPSet()
	return s
}

// netPrefixSet returns the set of addresses of ps.
func netPrefixSet(ps []netip.Prefix) *netipx.IPSet {
	var b netipx.IPSetBuilder
	for _, p := range ps {
		b.AddPrefix(p)
	}
	s, _ := b.IPSet()
	return s
}

// netDescribeSet renders a set of addresses as CIDRs or ranges, at most
// three, then "and N more".
func netDescribeSet(s *netipx.IPSet) string {
	var parts []string
	rs := s.Ranges()
	for i, r := range rs {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("and %d more", len(rs)-3))
			break
		}
		if p, ok := r.Prefix(); ok {
			parts = append(parts, p.String())
		} else {
			parts = append(parts, r.String())
		}
	}
	return strings.Join(parts, ", ")
}

// tgwReturnGap is a transit gateway route table that carries requests'
// responses from VPC to back to VPC from, and has no route for some of
// from's CIDR blocks, while from's table routes to to.
type tgwReturnGap struct {
	table     *model.TGWRouteTable
	from, to  model.ID
	toAtt     model.ID
	fromTable model.ID
	routes    []string
	missing   []string
}

// tgwReturnGaps finds what tgw-missing-return-route reports.
func tgwReturnGaps(c *Context) []tgwReturnGap {
	if c.run != nil && c.run.tgwGapsDone {
		return c.run.tgwGaps
	}
	gaps := findTGWReturnGaps(c)
	if c.run != nil {
		c.run.tgwGaps, c.run.tgwGapsDone = gaps, true
	}
	return gaps
}

func findTGWReturnGaps(c *Context) []tgwReturnGap {
	var gaps []tgwReturnGap
	// The routes of each table, read once: many attachments share one.
	routes := map[*routing.TGWTable][]routing.TGWRoute{}
	for ti := range c.Model.TransitGateways {
		t := &c.Model.TransitGateways[ti]
		for _, a := range t.Attachments {
			ta := c.Solver.AttachmentRouteTable(a.ID)
			va := c.Index.VPC(a.VPC)
			if a.Type != model.AttachmentVPC || a.State != model.AttachmentAvailable || ta == nil || va == nil {
				continue
			}
			for _, b := range t.Attachments {
				vb := c.Index.VPC(b.VPC)
				if b.Type != model.AttachmentVPC || b.State != model.AttachmentAvailable || b.ID == a.ID || vb == nil || vb.ID == va.ID {
					continue
				}
				if _, ok := routes[ta]; !ok {
					routes[ta] = ta.Routes()
				}
				fwd := netTGWRoutesTo(ta, routes[ta], b.ID, vb.CIDRBlocks)
				if len(fwd) == 0 {
					continue
				}
				tb := c.Solver.AttachmentRouteTable(b.ID)
				if tb == nil {
					continue // no association: tgw-attachment-without-association
				}
				var missing []string
				for _, ca := range va.CIDRBlocks {
					if !netTGWCovers(tb, ca) {
						missing = append(missing, ca.String())
					}
				}
				if len(missing) == 0 {
					continue
				}
				gaps = append(gaps, tgwReturnGap{table: c.Index.TGWRouteTable(tb.ID), from: va.ID, to: vb.ID, toAtt: b.ID,
					fromTable: ta.ID, routes: fwd, missing: missing})
			}
		}
	}
	return gaps
}
