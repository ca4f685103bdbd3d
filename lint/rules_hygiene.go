package lint

import (
	"github.com/vpcreach/vpcreach/model"
)

func init() {
	register(&Rule{
		ID:       "sg-missing-description",
		Severity: model.SeverityWarning,
		Title:    "security group without a description",
		Description: "A security group without a description leaves the next engineer guessing what it " +
			"protects and who may change it. Seed 000's team rule: every group states its purpose.",
		Fix: "Add a description saying what the group is for, such as \"internal NLB for redis\".",
		check: func(c *Context) {
			for _, v := range c.Model.VPCs {
				for _, g := range v.SecurityGroups {
					if g.Description == "" {
						c.Report(g.Source, g.ID, "security group %s has no description", g.ID)
					}
				}
			}
		},
	})
	register(&Rule{
		ID:       "blackhole-route",
		Severity: model.SeverityWarning,
		Title:    "blackhole route",
		Description: "A route in the blackhole state drops everything it matches, usually because its " +
			"target (a NAT gateway, an instance, a peering) was deleted. Traffic that used it fails silently (S-13).",
		Fix:       "Delete the route, or point it at a live target.",
		Semantics: []string{"S-13"},
		check: func(c *Context) {
			for _, v := range c.Model.VPCs {
				for _, rt := range v.RouteTables {
					for _, r := range rt.Routes {
						if r.State == model.RouteBlackhole {
							c.Report(r.Source, rt.ID, "route %s in %s is a blackhole (target %s)", r.Destination, rt.ID, r.Target)
						}
					}
				}
			}
			for _, t := range c.Model.TransitGateways {
				for _, rt := range t.RouteTables {
					for _, r := range rt.Routes {
						if r.Blackhole {
							c.Report(r.Source, rt.ID, "transit gateway route %s in %s is a blackhole", r.Destination, rt.ID)
						}
					}
				}
			}
		},
	})
}
