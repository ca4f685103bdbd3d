package lint

import (
	"fmt"
	"slices"

	"github.com/vpcreach/vpcreach/model"
)

func init() {
	register(&Rule{
		ID:       "acl-rule-shadowed",
		Severity: model.SeverityWarning,
		Title:    "network ACL rule that can never match",
		Description: "Network ACL rules are evaluated in ascending rule number, per direction, and the first " +
			"rule that matches decides (S-31). A rule whose protocol, ports (or ICMP type and code) and CIDR " +
			"all lie inside those of a lower-numbered rule of the same direction is never reached: if both " +
			"have the same action it is dead weight that still counts against the 20-rule quota, and if the " +
			"actions differ it says the opposite of what actually happens, which misleads every reviewer. " +
			"Only shadowing by one earlier rule is detected, not by several together.",
		Fix:       "Delete the rule, or renumber it below the rule that covers it if it was meant to take precedence.",
		Semantics: []string{"S-31"},
		check: func(c *Context) {
			for _, v := range c.Model.VPCs {
				for _, acl := range v.NetworkACLs {
					for _, dir := range []struct {
						name  string
						rules []model.ACLRule
					}{{"ingress", acl.Ingress}, {"egress", acl.Egress}} {
						rules := slices.Clone(dir.rules)
						slices.SortStableFunc(rules, func(a, b model.ACLRule) int { return a.Rule - b.Rule })
						for j := range rules {
							for i := range j {
								if !netACLCovers(rules[i], rules[j]) {
									continue
								}
								effect := "it is redundant"
								if rules[i].Action != rules[j].Action {
									effect = fmt.Sprintf("the traffic it would %s is %s by rule %d", rules[j].Action, netACLVerb(rules[i].Action), rules[i].Rule)
								}
								c.Report(rules[j].Source, acl.ID, "%s rule %d of %s (%s) never matches: rule %d (%s) covers it and is evaluated first, so %s",
									dir.name, rules[j].Rule, acl.ID, netDescribeACLRule(rules[j], dir.name), rules[i].Rule, netDescribeACLRule(rules[i], dir.name), effect)
								break
							}
						}
					}
				}
			}
		},
	})
	register(&Rule{
		ID:       "default-security-group-allows-traffic",
		Severity: model.SeverityNote,
		Title:    "default security group with rules",
		Description: "Every VPC has a default security group, which AWS creates allowing inbound traffic from " +
			"itself and all outbound traffic, and which any interface launched without a group silently " +
			"gets (S-20). The CIS AWS Foundations Benchmark advises that the default group of every VPC " +
			"restrict all traffic, so that resources must be placed in purpose-built groups and nothing is " +
			"connected by accident. This rule looks at default groups written in the topology (default: " +
			"true); an omitted egress list is AWS's allow-all outbound rule and counts.",
		Fix:       "Remove every inbound rule and write egress: [] on the default group; move the resources that relied on it to groups of their own.",
		Semantics: []string{"S-20"},
		check: func(c *Context) {
			for _, v := range c.Model.VPCs {
				for _, g := range v.SecurityGroups {
					if !g.Default {
						continue
					}
					egress := fmt.Sprintf("%d outbound", len(g.Egress))
					if g.Egress == nil {
						egress = "the default allow-all outbound"
					}
					if len(g.Ingress) == 0 && g.Egress != nil && len(g.Egress) == 0 {
						continue
					}
					c.Report(g.Source, g.ID, "default security group %s of %s has %d inbound and %s rules; CIS AWS Foundations advises that the default group restrict all traffic",
						g.ID, v.ID, len(g.Ingress), egress)
				}
			}
		},
	})
	register(&Rule{
		ID:       "unused-security-group",
		Severity: model.SeverityNote,
		Title:    "security group nothing uses",
		Description: "A security group that no instance, network interface, endpoint or load balancer uses, and " +
			"that no other group's rule references, filters nothing. Such groups pile up after resources are " +
			"deleted, count against the per-region quota, and make reviews harder: a reader cannot tell an " +
			"orphan from a group that protects something. Default groups are not reported (AWS does not let " +
			"you delete them), and a group referencing only itself is still unused.",
		Fix: "Delete the group, or attach it to the resources it was meant for.",
		check: func(c *Context) {
			used := map[model.ID]bool{}
			mark := func(ids []model.ID) {
				for _, id := range ids {
					used[id] = true
				}
			}
			for _, v := range c.Model.VPCs {
				for _, in := range v.Instances {
					mark(in.SecurityGroups)
				}
				for _, ni := range v.NetworkInterfaces {
					mark(ni.SecurityGroups)
				}
				for _, e := range v.Endpoints {
					mark(e.SecurityGroups)
				}
				for _, lb := range v.LoadBalancers {
					mark(lb.SecurityGroups)
				}
				for _, g := range v.SecurityGroups {
					for _, r := range g.Ingress {
						for _, p := range r.Sources {
							if p.Ref != g.ID {
								used[p.Ref] = true
							}
						}
					}
					for _, r := range g.Egress {
						for _, p := range r.Destinations {
							if p.Ref != g.ID {
								used[p.Ref] = true
							}
						}
					}
				}
			}
			for _, v := range c.Model.VPCs {
				for _, g := range v.SecurityGroups {
					if !g.Default && !used[g.ID] {
						c.Report(g.Source, g.ID, "security group %s in %s is used by no instance, network interface, endpoint or load balancer, and no other group references it",
							g.ID, v.ID)
					}
				}
			}
		},
	})
}

// netACLCovers reports whether ACL rule a matches every packet rule b
// matches: protocol, ports or ICMP type and code, and CIDR.
func netACLCovers(a, b model.ACLRule) bool {
	if !a.CIDR.IsValid() || !b.CIDR.IsValid() || a.CIDR.Bits() > b.CIDR.Bits() || !a.CIDR.Contains(b.CIDR.Addr()) {
		return false
	}
	if a.Protocol == model.ProtocolAll {
		return true
	}
	if a.Protocol != b.Protocol {
		return false
	}
	switch {
	case a.Protocol.HasPorts():
		return a.Ports != nil && b.Ports != nil && a.Ports.ContainsRange(*b.Ports)
	case a.Protocol.IsICMP():
		ai, bi := model.AnyICMP(), model.AnyICMP()
		if a.ICMP != nil {
			ai = *a.ICMP
		}
		if b.ICMP != nil {
			bi = *b.ICMP
		}
		return (ai.Type < 0 || ai.Type == bi.Type) && (ai.Code < 0 || ai.Code == bi.Code)
	}
	return true
}

// netDescribeACLRule renders an ACL rule as "allow tcp 443 from 10.0.0.0/16".
func netDescribeACLRule(r model.ACLRule, dir string) string {
	what := r.Protocol.String()
	switch {
	case r.Protocol == model.ProtocolAll:
		what = "all traffic"
	case r.Ports != nil:
		what += " " + r.Ports.String()
	case r.Protocol.IsICMP() && r.ICMP != nil:
		what += " " + r.ICMP.String()
	}
	prep := "from"
	if dir == "egress" {
		prep = "to"
	}
	return fmt.Sprintf("%s %s %s %s", r.Action, what, prep, r.CIDR)
}

// netACLVerb returns "allowed" or "denied".
func netACLVerb(a model.ACLAction) string {
	if a == model.ACLDeny {
		return "denied"
	}
	return "allowed"
}
