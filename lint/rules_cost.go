package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/cost"
	"github.com/vpcreach/vpcreach/model"
)

func init() {
	register(&Rule{
		ID:       "nlb-cross-zone-transfer",
		Severity: model.SeverityNote,
		Title:    "network load balancer pays to send traffic across zones",
		Description: "A network load balancer with cross-zone load balancing on sends each connection to any healthy " +
			"target, in any zone, and every GB it sends to another zone pays inter-zone data transfer both ways " +
			"(in us-east-1, $0.01 per GB out of the node's zone and $0.01 into the target's), which an " +
			"application load balancer does not. When every zone the load balancer is in holds a healthy " +
			"target of each of its target groups, cross-zone load balancing off keeps each connection in the " +
			"zone it arrived in at no loss of availability. The message gives the share of traffic that " +
			"crosses zones with the targets spread as they are (clients spread evenly over the nodes, each " +
			"node over all targets) and the saving per GB, at the price table's rates (vpcreach lint --prices).",
		Fix:       "Turn cross-zone load balancing off on the load balancer (cross_zone: false), or keep the targets in the zones their clients use.",
		Semantics: []string{"S-81"},
		check:     checkNLBCrossZone,
	})
}

func checkNLBCrossZone(c *Context) {
	for vi := range c.Model.VPCs {
		v := &c.Model.VPCs[vi]
		for li := range v.LoadBalancers {
			lb := &v.LoadBalancers[li]
			if lb.Type != model.LBNetwork || !lb.CrossZone {
				continue
			}
			var nodes []string
			for _, sn := range lb.Subnets {
				if s := c.Index.Subnet(sn); s != nil && !slices.Contains(nodes, s.AZ) {
					nodes = append(nodes, s.AZ)
				}
			}
			if len(nodes) < 2 {
				continue
			}
			// The target group whose traffic crosses zones most, among
			// those every node zone has a healthy target of.
			var worst *model.TargetGroup
			var worstZones []string
			crossing, total := 0, 0 // the worst share: crossing/total
			var seen []model.ID
			for _, l := range lb.Listeners {
				tg := c.Index.TargetGroup(l.TargetGroup)
				if tg == nil || slices.Contains(seen, tg.ID) {
					continue
				}
				seen = append(seen, tg.ID)
				zones, ok := targetZones(c, v, tg)
				if !ok || len(zones) == 0 {
					continue
				}
				cross := 0
				covered := true
				for _, z := range nodes {
					inZone := 0
					for _, tz := range zones {
						if tz == z {
							inZone++
						}
					}
					covered = covered && inZone > 0
					cross += len(zones) - inZone
				}
				all := len(nodes) * len(zones)
				if !covered || cross == 0 || (worst != nil && cross*total <= crossing*all) {
					continue
				}
				worst, worstZones, crossing, total = tg, zones, cross, all
			}
			if worst == nil {
				continue
			}
			p, exact := c.Prices.For(v.Region)
			priced := p.Region + " prices"
			if !exact {
				priced = p.Region + " prices for " + v.Region
			}
			perGB := 2 * p.CrossAZ
			// The saving, rounded to a hundredth of a cent.
			saving := cost.Money((int64(perGB)*int64(crossing)/int64(total) + 50) / 100 * 100)
			c.Report(lb.Source, lb.ID,
				"network load balancer %s has cross-zone load balancing on: with nodes in %s and %s's healthy targets in %s, about %d%% of its traffic crosses zones, each GB paying %s (%s out, %s in) each way; every zone of the load balancer has a healthy target, so with cross-zone load balancing off the traffic stays in its zone, saving about %s per GB each way (%s)",
				lb.ID, strings.Join(nodes, ", "), worst.ID, zoneCounts(worstZones), (100*crossing+total/2)/total, perGB, p.CrossAZ, p.CrossAZ, saving, priced)
		}
	}
}

// targetZones returns the zone of each healthy target of a target group,
// and false when one's zone cannot be told (an address outside the VPC,
// a target in "all" zones, a load balancer target).
func targetZones(c *Context, v *model.VPC, tg *model.TargetGroup) ([]string, bool) {
	var zones []string
	for _, t := range tg.Targets {
		if t.Health != model.HealthHealthy {
			continue
		}
		subnet := model.ID("")
		switch {
		case t.IP.IsValid():
			if t.AZ != "" {
				return nil, false
			}
			for _, sn := range v.Subnets {
				if sn.CIDRBlock.Contains(t.IP) {
					subnet = sn.ID
				}
			}
		case c.Index.Instance(t.ID) != nil:
			subnet = c.Index.Instance(t.ID).Subnet
		}
		sn := c.Index.Subnet(subnet)
		if sn == nil {
			return nil, false
		}
		zones = append(zones, sn.AZ)
	}
	return zones, true
}

// zoneCounts renders zones as "us-east-1a (1), us-east-1b (2)", in order
// of first appearance.
func zoneCounts(zones []string) string {
	var order []string
	count := map[string]int{}
	for _, z := range zones {
		if count[z] == 0 {
			order = append(order, z)
		}
		count[z]++
	}
	out := make([]string, len(order))
	for i, z := range order {
		out[i] = fmt.Sprintf("%s (%d)", z, count[z])
	}
	return strings.Join(out, ", ")
}
