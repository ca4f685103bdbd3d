package solver

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/routing"
	"github.com/vpcreach/vpcreach/sgeval"
)

// This file renders the rules and routes that decide a hop as text, with
// where they are written.

func serviceText(p model.Protocol, ports *model.PortRange, icmp *model.ICMPMatch) string {
	switch {
	case p == model.ProtocolAll:
		return "all traffic"
	case p.HasPorts() && ports != nil:
		return p.String() + " " + ports.String()
	case p.IsICMP() && icmp != nil:
		return p.String() + " " + icmp.String()
	}
	return p.String()
}

// aclRuleText renders the rule an ACL decision names.
func (s *Solver) aclRuleText(acl *sgeval.ACL, dir sgeval.Direction, d sgeval.ACLDecision) (string, model.Position) {
	if d.Index < 0 {
		if d.Number == 0 {
			return "rule * deny all traffic", model.Position{}
		}
		return fmt.Sprintf("rule %d allow all traffic (implicit default ACL)", d.Number), model.Position{}
	}
	m := s.x.NetworkACL(acl.ID)
	if m == nil {
		return d.RuleName(), model.Position{}
	}
	rules, word := m.Ingress, "from"
	if dir == sgeval.Egress {
		rules, word = m.Egress, "to"
	}
	if d.Index >= len(rules) {
		return d.RuleName(), model.Position{}
	}
	r := rules[d.Index]
	return fmt.Sprintf("rule %d %s %s %s %s", r.Rule, r.Action, serviceText(r.Protocol, r.Ports, r.ICMP), word, r.CIDR), r.Source.Position
}

// sgRuleText renders the rule a security group decision names.
func (s *Solver) sgRuleText(dir sgeval.Direction, d sgeval.SGDecision) (string, model.Position) {
	g := s.x.SecurityGroup(d.Group)
	if g == nil || d.Index < 0 {
		if dir == sgeval.Egress && d.Index == sgeval.DefaultIPv6Egress {
			return "default rule: allow all traffic to ::/0 (V-08)", model.Position{}
		}
		if dir == sgeval.Egress {
			return "default rule: allow all traffic to 0.0.0.0/0", model.Position{}
		}
		return "default rule: allow all traffic from the group itself", model.Position{}
	}
	if dir == sgeval.Ingress && d.Index < len(g.Ingress) {
		r := g.Ingress[d.Index]
		return fmt.Sprintf("allow %s from %s", serviceText(r.Protocol, r.Ports, r.ICMP), peersText(r.Sources)), r.Source.Position
	}
	if dir == sgeval.Egress && d.Index < len(g.Egress) {
		r := g.Egress[d.Index]
		return fmt.Sprintf("allow %s to %s", serviceText(r.Protocol, r.Ports, r.ICMP), peersText(r.Destinations)), r.Source.Position
	}
	return string(g.ID), g.Source.Position
}

func peersText(ps []model.Peer) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ", ")
}

// routeText renders a VPC route.
func (s *Solver) routeText(t *routing.Table, r *routing.Route) (string, model.Position) {
	dest := r.Destination.String()
	if r.PrefixList != "" {
		dest = fmt.Sprintf("%s (%s)", dest, r.PrefixList)
	}
	text := fmt.Sprintf("%s -> %s", dest, r.Target)
	switch {
	case r.Blackhole:
		text += " (blackhole)"
	case r.Origin != routing.OriginStatic:
		text += " (" + r.Origin.String() + ")"
	}
	if r.Index >= 0 {
		if rt := s.x.RouteTable(t.ID); rt != nil && r.Index < len(rt.Routes) {
			return text, rt.Routes[r.Index].Source.Position
		}
	}
	return text, model.Position{}
}

// tgwRouteText renders a transit gateway route.
func (s *Solver) tgwRouteText(t *routing.TGWTable, r *routing.TGWRoute) (string, model.Position) {
	target := string(r.Attachment)
	if r.Blackhole {
		target = "blackhole"
	}
	text := fmt.Sprintf("%s -> %s (%s)", r.Destination, target, r.Origin)
	if r.Index >= 0 {
		if rt := s.x.TGWRouteTable(t.ID); rt != nil && r.Index < len(rt.Routes) {
			return text, rt.Routes[r.Index].Source.Position
		}
	}
	return text, model.Position{}
}

// flowText describes a packet for messages: "tcp/443 from 10.0.1.5 to
// 10.1.1.20".
func flowText(p sgeval.Packet, ports model.PortRange, leg Leg) string {
	svc := p.Protocol.String()
	switch {
	case p.Protocol.HasPorts() && leg == LegReturn:
		svc += "/" + ports.String()
	case p.Protocol.HasPorts():
		svc += "/" + strconv.Itoa(int(p.DstPort))
	case p.Protocol.IsICMP():
		svc += " type " + strconv.Itoa(int(p.ICMPType)) + " code " + strconv.Itoa(int(p.ICMPCode))
	}
	return svc + " from " + p.Src.String() + " to " + p.Dst.String()
}
