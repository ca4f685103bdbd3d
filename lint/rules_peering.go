package lint

import (
	"fmt"
	"net/netip"
	"strings"

	"go4.org/netipx"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/routing"
)

func init() {
	register(&Rule{
		ID:       "peering-without-routes",
		Severity: model.SeverityWarning,
		Title:    "active peering that no route table uses",
		Description: "A peering connection carries only what route tables send to it: without a route to it " +
			"in either VPC, an active peering connects nothing (S-43). It is either left over from a " +
			"migration, and counts against the VPC's peering quota for nothing, or the routes that were meant " +
			"to come with it were never added.",
		Fix:       "Add routes to the peer VPC's CIDR blocks (target: the peering) in both VPCs' route tables, or delete the peering.",
		Semantics: []string{"S-43", "S-44"},
		check: func(c *Context) {
			for _, p := range c.Model.PeeringConnections {
				if p.Status != model.PeeringActive {
					continue
				}
				if len(netPeeringTables(c, p.Requester, p.ID)) == 0 && len(netPeeringTables(c, p.Accepter, p.ID)) == 0 {
					c.Report(p.Source, p.ID, "peering connection %s between %s and %s is active but no route table of either VPC routes to it: it carries no traffic",
						p.ID, p.Requester, p.Accepter)
				}
			}
		},
	})
	register(&Rule{
		ID:       "peering-route-one-sided",
		Severity: model.SeverityWarning,
		Title:    "peering routed from one side only",
		Description: "A connection over a peering needs routes on both sides: the requester's table sends the " +
			"peer's CIDR to the peering, and the peer's table sends the requester's CIDR back through the same " +
			"peering (S-43). When only one VPC's route tables target the peering, requests arrive and the " +
			"responses have no route back, so connections fail whichever side starts them, and the broken " +
			"half is in the other account as often as not.",
		Fix:       "Add a route to the first VPC's CIDR blocks, target the peering, in the route tables of the peer VPC's subnets.",
		Semantics: []string{"S-43"},
		check: func(c *Context) {
			for _, p := range c.Model.PeeringConnections {
				if p.Status != model.PeeringActive {
					continue
				}
				req, acc := netPeeringTables(c, p.Requester, p.ID), netPeeringTables(c, p.Accepter, p.ID)
				with, without, tables := p.Requester, p.Accepter, req
				switch {
				case len(req) > 0 && len(acc) > 0, len(req) == 0 && len(acc) == 0:
					continue
				case len(acc) > 0:
					with, without, tables = p.Accepter, p.Requester, acc
				}
				c.Report(p.Source, p.ID, "peering connection %s is routed from %s (%s) but no route table of %s targets it: responses have no route back",
					p.ID, with, joinIDs(tables), without)
			}
		},
	})
	register(&Rule{
		ID:       "route-to-inactive-peering",
		Severity: model.SeverityError,
		Title:    "route to a peering that is not active",
		Description: "Only an active peering connection carries traffic (S-40). A route to one that is still " +
			"pending acceptance, or was rejected, expired, failed or deleted, drops everything it matches; " +
			"AWS shows such routes as blackholes. Routes already written with state: blackhole are left to " +
			"the blackhole-route rule.",
		Fix:       "Have the peer account accept the peering, or remove the route (and recreate the peering if it is gone).",
		Semantics: []string{"S-40"},
		check: func(c *Context) {
			for _, v := range c.Model.VPCs {
				for _, rt := range v.RouteTables {
					for _, r := range rt.Routes {
						p := c.Index.PeeringConnection(r.Target)
						if p == nil || p.Status == model.PeeringActive || r.State == model.RouteBlackhole {
							continue
						}
						c.Report(r.Source.Field("target"), rt.ID, "route %s in %s targets peering connection %s, whose status is %s: only an active peering carries traffic",
							r.Destination, rt.ID, p.ID, p.Status)
					}
				}
			}
		},
	})
	register(&Rule{
		ID:       "peering-route-beyond-peer",
		Severity: model.SeverityWarning,
		Title:    "peering route wider than the peer VPC",
		Description: "A peering connection delivers a packet only to an address inside the peer VPC's CIDR " +
			"blocks: it never forwards on through the peer's internet gateway, NAT gateway, VPN, endpoints, " +
			"transit gateway or other peerings (S-42). A route to a peering whose destination also covers " +
			"other addresses, such as 10.0.0.0/8 when the peer is 10.1.0.0/16 or a default route, sends " +
			"traffic for those addresses into the peering, where it is dropped, instead of letting a better " +
			"route or a clear no-route carry it. Addresses that more specific routes of the same table take " +
			"are not counted.",
		Fix:       "Narrow the route to the peer VPC's CIDR blocks (one route per block), and route the rest to a gateway that can carry it.",
		Semantics: []string{"S-42"},
		check: func(c *Context) {
			for _, s := range netPeeringRouteScopes(c) {
				if netSetEmpty(s.outside) || (!s.inPeer && len(s.others) > 0) {
					continue
				}
				why := "which the peering does not deliver to: those packets are dropped"
				if !s.inPeer {
					why = "and nothing it covers is in " + string(s.peer.ID) + ": every packet it sends into the peering is dropped"
				}
				c.Report(s.route.Source.Field("destination"), s.table.ID, "route %s -> %s in %s covers %s, outside %s's CIDR blocks (%s), %s",
					s.route.Destination, s.route.Target, s.table.ID, netDescribeSet(s.outside), s.peer.ID, netJoinPrefixes(s.peer.CIDRBlocks), why)
			}
		},
	})
	register(&Rule{
		ID:       "transitive-peering",
		Severity: model.SeverityError,
		Title:    "route relies on transitive peering",
		Description: "VPC peering is not transitive: a packet that crosses a peering from A to B is delivered " +
			"only to an address in B, never forwarded on to C, even when B peers with C or routes C itself " +
			"(S-42). A route in A that sends a CIDR of another VPC C to the peering with B therefore " +
			"blackholes that traffic. Reaching C needs its own peering between A and C, a transit gateway, or " +
			"PrivateLink for a single service.",
		Fix:       "Peer the two VPCs directly (and route to that peering), or connect them through a transit gateway; then remove this route.",
		Semantics: []string{"S-42"},
		check: func(c *Context) {
			for _, s := range netPeeringRouteScopes(c) {
				if s.inPeer || len(s.others) == 0 {
					continue
				}
				var held []string
				peered := ""
				for _, o := range s.others {
					held = append(held, fmt.Sprintf("addresses of %s (%s)", o.vpc.ID, netJoinPrefixes(o.blocks)))
					if peered == "" && netPeered(c, s.peer.ID, o.vpc.ID) {
						peered = fmt.Sprintf("%s peers with %s, but ", s.peer.ID, o.vpc.ID)
					}
				}
				c.Report(s.route.Source.Field("destination"), s.table.ID,
					"route %s -> %s in %s sends %s to the peering with %s; %speering is not transitive, so %s drops these packets",
					s.route.Destination, s.route.Target, s.table.ID, strings.Join(held, " and "), s.peer.ID, peered, s.peer.ID)
			}
		},
	})
}

// netPeeringTables returns the route tables of VPC vpc with a route to
// peering pcx.
func netPeeringTables(c *Context, vpc, pcx model.ID) []model.ID {
	v := c.Index.VPC(vpc)
	if v == nil {
		return nil
	}
	var out []model.ID
	for _, rt := range v.RouteTables {
		for _, r := range rt.Routes {
			if r.Target == pcx {
				out = append(out, rt.ID)
				break
			}
		}
	}
	return out
}

// netPeered reports whether a live peering joins VPCs a and b.
func netPeered(c *Context, a, b model.ID) bool {
	for _, p := range c.Model.PeeringConnections {
		if p.Status.Live() && p.Joins(a) && p.Other(a) == b {
			return true
		}
	}
	return false
}

// netOtherVPC is a VPC, other than the two a peering joins, whose blocks a
// peering route covers.
type netOtherVPC struct {
	vpc    *model.VPC
	blocks []netip.Prefix
}

// netPeeringRouteScope is a written route to a peering connection, with the
// addresses the route table really sends through it.
type netPeeringRouteScope struct {
	vpc, peer *model.VPC
	table     *model.RouteTable
	route     *model.Route
	// outside holds the routed addresses outside the peer VPC; inPeer says
	// whether some routed addresses are inside it.
	outside *netipx.IPSet
	inPeer  bool
	// others are the VPCs (besides the two peered ones) holding outside
	// addresses.
	others []netOtherVPC
}

// netPeeringRouteScopes lists the routes to peering connections (not in the
// blackhole state) that longest prefix match uses for some address.
func netPeeringRouteScopes(c *Context) []netPeeringRouteScope {
	var out []netPeeringRouteScope
	for vi := range c.Model.VPCs {
		v := &c.Model.VPCs[vi]
		for ri := range v.RouteTables {
			rt := &v.RouteTables[ri]
			var t *routing.Table
			for i := range rt.Routes {
				r := &rt.Routes[i]
				p := c.Index.PeeringConnection(r.Target)
				if p == nil || r.State == model.RouteBlackhole || !p.Joins(v.ID) {
					continue
				}
				peer := c.Index.VPC(p.Other(v.ID))
				if peer == nil {
					continue
				}
				if t == nil {
					t = c.Solver.RouteTable(rt.ID)
				}
				eff := netRouteEffective(t, i)
				if netSetEmpty(eff) {
					continue
				}
				peerSet := netPrefixSet(peer.CIDRBlocks)
				var b netipx.IPSetBuilder
				b.AddSet(eff)
				b.RemoveSet(peerSet)
				outside, _ := b.IPSet()
				s := netPeeringRouteScope{vpc: v, peer: peer, table: rt, route: r, outside: outside, inPeer: eff.Overlaps(peerSet)}
				for oi := range c.Model.VPCs {
					o := &c.Model.VPCs[oi]
					if o.ID == v.ID || o.ID == peer.ID {
						continue
					}
					var blocks []netip.Prefix
					for _, cb := range o.CIDRBlocks {
						if outside.OverlapsPrefix(cb) {
							blocks = append(blocks, cb)
						}
					}
					if len(blocks) > 0 {
						s.others = append(s.others, netOtherVPC{o, blocks})
					}
				}
				out = append(out, s)
			}
		}
	}
	return out
}

// netJoinPrefixes renders prefixes as "a, b".
func netJoinPrefixes(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ", ")
}

// netSetEmpty reports whether a set holds no address.
func netSetEmpty(s *netipx.IPSet) bool { return s == nil || len(s.Ranges()) == 0 }
