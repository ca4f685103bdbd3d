package lint

import (
	"fmt"

	"github.com/vpcreach/vpcreach/model"
)

// netQuota is a quota with an adjustable default and a hard maximum.
type netQuota struct {
	def, max int
}

// report reports count n against q: a warning (the rule's severity) above
// the default, an error above the maximum. The message is what, then the
// limit exceeded and its unit ("per VPC").
func (q netQuota) report(c *Context, n int, src model.Source, id model.ID, what, unit string) {
	switch {
	case n > q.max:
		c.ReportSeverity(model.SeverityError, src, id, "%s, above the maximum of %d %s that AWS allows", what, q.max, unit)
	case n > q.def:
		c.Report(src, id, "%s, above the default quota of %d %s (adjustable up to %d)", what, q.def, unit, q.max)
	}
}

var (
	netQuotaPeerings   = netQuota{50, 125}
	netQuotaRoutes     = netQuota{50, 1000}
	netQuotaSGRules    = netQuota{60, 1000}
	netQuotaGroups     = netQuota{5, 16}
	netQuotaACLRules   = netQuota{20, 40}
	netQuotaCIDRBlocks = netQuota{5, 50}
)

func init() {
	register(&Rule{
		ID:       "quota-peerings-per-vpc",
		Severity: model.SeverityWarning,
		Title:    "too many active peerings for one VPC",
		Description: "A VPC may have 50 active peering connections by default, and AWS raises the quota to 125 " +
			"at most (S-44). Above 50 the next peering fails until a quota increase is approved; above 125 " +
			"the design cannot be built with peering at all (error). Needing that many peerings is the usual " +
			"sign that a transit gateway, which scales to thousands of attachments, fits better.",
		Fix:       "Request a quota increase (up to 125), or connect the VPCs through a transit gateway instead of a mesh of peerings.",
		Semantics: []string{"S-44"},
		check: func(c *Context) {
			count := map[model.ID]int{}
			for _, p := range c.Model.PeeringConnections {
				if p.Status == model.PeeringActive {
					count[p.Requester]++
					count[p.Accepter]++
				}
			}
			for _, v := range c.Model.VPCs {
				n := count[v.ID]
				netQuotaPeerings.report(c, n, v.Source, v.ID, fmt.Sprintf("%s has %d active peering connections", v.ID, n), "per VPC")
			}
		},
	})
	register(&Rule{
		ID:       "quota-routes-per-table",
		Severity: model.SeverityWarning,
		Title:    "too many routes in a route table",
		Description: "A VPC route table holds 50 non-propagated routes by default, adjustable to 1,000 at " +
			"most, with network performance possibly affected beyond the default. A route to a prefix list " +
			"counts as the list's maximum number of entries, not as one route (or as its number of CIDRs when " +
			"max_entries is not given). Local routes, routes added by gateway endpoints and propagated routes " +
			"are not counted. Above 50 the table cannot be built without a quota increase; above 1,000 not at " +
			"all (error).",
		Fix:       "Summarise routes into wider CIDRs, shrink the prefix lists' max_entries, or request a quota increase.",
		Semantics: []string{"S-12"},
		check: func(c *Context) {
			for _, v := range c.Model.VPCs {
				for _, rt := range v.RouteTables {
					n := 0
					for _, r := range rt.Routes {
						if r.Destination.PrefixList != "" {
							n += netPrefixListWeight(c, r.Destination.PrefixList)
						} else {
							n++
						}
					}
					netQuotaRoutes.report(c, n, rt.Source.Field("routes"), rt.ID,
						fmt.Sprintf("route table %s counts %d routes (a prefix-list route as the list's max entries)", rt.ID, n), "per table")
				}
			}
		},
	})
	register(&Rule{
		ID:       "quota-rules-per-security-group",
		Severity: model.SeverityWarning,
		Title:    "too many rules in a security group",
		Description: "A security group holds 60 inbound and 60 outbound rules by default. AWS counts each " +
			"CIDR, group or prefix list of a rule as a separate rule, and a referenced prefix list as its " +
			"maximum number of entries. The quota can be raised, but rules per group times groups per network " +
			"interface may not exceed 1,000; vpcreach reports an error when one direction exceeds 1,000 rules, " +
			"which no quota setting allows even with one group per interface, and a warning above 60.",
		Fix:       "Merge CIDRs into wider blocks or a prefix list of the right size, reference security groups instead of addresses, or split the rules over several groups.",
		Semantics: []string{"S-21"},
		check: func(c *Context) {
			for _, v := range c.Model.VPCs {
				for _, g := range v.SecurityGroups {
					in := 0
					for _, r := range g.Ingress {
						in += netPeersWeight(c, r.Sources)
					}
					out := 1 // AWS's default allow-all rule
					if g.Egress != nil {
						out = 0
						for _, r := range g.Egress {
							out += netPeersWeight(c, r.Destinations)
						}
					}
					for _, d := range []struct {
						key, name string
						n         int
					}{{"ingress", "inbound", in}, {"egress", "outbound", out}} {
						netQuotaSGRules.report(c, d.n, g.Source.Field(d.key), g.ID,
							fmt.Sprintf("security group %s counts %d %s rules (each CIDR, group or prefix-list entry a rule)", g.ID, d.n, d.name), "per direction")
					}
				}
			}
		},
	})
	register(&Rule{
		ID:       "quota-groups-per-interface",
		Severity: model.SeverityWarning,
		Title:    "too many security groups on a network interface",
		Description: "A network interface takes 5 security groups by default, adjustable to 16 at most (S-03); " +
			"the product of groups per interface and rules per group may not exceed 1,000. Instances, " +
			"network interfaces and endpoints with more than 5 groups need a quota increase, and more than 16 " +
			"cannot be attached at all (error). Many groups on one interface also make its effective rules " +
			"hard to review.",
		Fix:       "Merge the groups' rules into fewer groups, or request a quota increase (at most 16).",
		Semantics: []string{"S-03"},
		check: func(c *Context) {
			check := func(src model.Source, id model.ID, what string, groups []model.ID) {
				n := len(groups)
				netQuotaGroups.report(c, n, src.Field("security_groups"), id,
					fmt.Sprintf("%s %s has %d security groups", what, id, n), "per network interface")
			}
			for _, v := range c.Model.VPCs {
				for _, in := range v.Instances {
					check(in.Source, in.ID, "instance", in.SecurityGroups)
				}
				for _, ni := range v.NetworkInterfaces {
					check(ni.Source, ni.ID, "network interface", ni.SecurityGroups)
				}
				for _, e := range v.Endpoints {
					check(e.Source, e.ID, "endpoint", e.SecurityGroups)
				}
			}
		},
	})
	register(&Rule{
		ID:       "quota-acl-rules",
		Severity: model.SeverityWarning,
		Title:    "too many rules in a network ACL",
		Description: "A network ACL holds 20 rules per direction by default (inbound and outbound counted " +
			"separately), adjustable to 40 at most, and AWS warns that more rules cost network performance " +
			"(S-31). Above 20 the ACL needs a quota increase; above 40 it cannot be built (error). Long ACLs " +
			"are also where shadowed and contradictory rules hide.",
		Fix:       "Merge rules with wider CIDRs or port ranges, move fine-grained filtering to security groups, or request a quota increase (at most 40).",
		Semantics: []string{"S-31"},
		check: func(c *Context) {
			for _, v := range c.Model.VPCs {
				for _, acl := range v.NetworkACLs {
					for _, d := range []struct {
						key, name string
						n         int
					}{{"ingress", "inbound", len(acl.Ingress)}, {"egress", "outbound", len(acl.Egress)}} {
						netQuotaACLRules.report(c, d.n, acl.Source.Field(d.key), acl.ID,
							fmt.Sprintf("network ACL %s has %d %s rules", acl.ID, d.n, d.name), "per direction")
					}
				}
			}
		},
	})
	register(&Rule{
		ID:       "quota-cidr-blocks-per-vpc",
		Severity: model.SeverityWarning,
		Title:    "too many CIDR blocks in a VPC",
		Description: "A VPC holds 5 IPv4 CIDR blocks by default, its primary block included, adjustable to 50 " +
			"at most (S-01). Above 5 the VPC needs a quota increase before the next block can be associated; " +
			"above 50 it cannot exist (error). A VPC that keeps growing blocks is usually better split, or " +
			"given a larger primary block.",
		Fix:       "Request a quota increase (at most 50), or move workloads to another VPC.",
		Semantics: []string{"S-01"},
		check: func(c *Context) {
			for _, v := range c.Model.VPCs {
				n := len(v.CIDRBlocks)
				netQuotaCIDRBlocks.report(c, n, v.Source.Field("cidr_blocks"), v.ID,
					fmt.Sprintf("%s has %d IPv4 CIDR blocks", v.ID, n), "per VPC")
			}
		},
	})
}

// netPrefixListWeight is what a reference to a prefix list counts for in
// quotas: its max entries, else its number of CIDRs.
func netPrefixListWeight(c *Context, id model.ID) int {
	pl := c.Index.PrefixList(id)
	switch {
	case pl == nil:
		return 1
	case pl.MaxEntries > 0:
		return pl.MaxEntries
	}
	return max(len(pl.CIDRs), 1)
}

// netPeersWeight counts the rules a security group rule stands for: one per
// CIDR or group, a prefix list at its weight.
func netPeersWeight(c *Context, peers []model.Peer) int {
	n := 0
	for _, p := range peers {
		if p.Ref != "" && c.Index.Kind(p.Ref) == model.KindPrefixList {
			n += netPrefixListWeight(c, p.Ref)
		} else {
			n++
		}
	}
	return n
}
