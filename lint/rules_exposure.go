package lint

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/sgeval"
	"github.com/vpcreach/vpcreach/solver"
)

// Exposure rules: what the internet, or more clients than needed, can
// reach. sensitive-port-exposed asks the engine for the whole path, so an
// open security group rule behind a private route table is not reported.

func init() {
	register(&Rule{
		ID:       "sensitive-port-exposed",
		Severity: model.SeverityError,
		Title:    "sensitive port reachable from the internet",
		Description: "Administrative and data-store ports (" + sensitivePortList() + ") are scanned from the " +
			"internet within minutes of going live, and an exposed one is a common way in for attackers and " +
			"data leaks. The rule asks the engine, for every instance and network interface with a public address and every sensitive port, whether an " +
			"arbitrary internet host can open a connection by the whole path (internet gateway, route back, " +
			"both network ACLs, security groups), and for every listener of an internet-facing load balancer " +
			"whether the internet reaches a target on a sensitive listener or target port, as with an " +
			"internet-facing NLB in front of a database on a private instance (S-60, S-82). An allow list of " +
			"specific addresses (an office range) does not count as exposure: the probing host is an address " +
			"that no CIDR of /8 or narrower in the topology names.",
		Fix:       "Remove the rule that admits the internet (open the port only to the client ranges or security groups that need it), reach the host through Session Manager or a bastion, or make the load balancer internal.",
		Semantics: []string{"S-23", "S-33", "S-60", "S-81", "S-82"},
		check:     checkSensitivePortExposed,
	})
	register(&Rule{
		ID:       "internet-route-without-public-address",
		Severity: model.SeverityNote,
		Title:    "instance in a public subnet without a public address",
		Description: "An internet gateway translates only addresses that have a public IPv4 or an Elastic IP (S-60). " +
			"An instance without one in a subnet whose route table sends 0.0.0.0/0 to the internet gateway can " +
			"reach nothing on the internet and cannot be reached from it: it was usually launched without " +
			"auto-assigned public addresses, or belongs in a private subnet behind a NAT gateway. The engine " +
			"confirms, for each such instance, that its internet traffic is dropped at the internet gateway.",
		Fix:       "Associate an Elastic IP (or launch with a public IPv4), or move the instance to a private subnet whose default route goes to a NAT gateway.",
		Semantics: []string{"S-60", "S-61"},
		check:     checkInternetRouteWithoutPublicAddress,
	})
	register(&Rule{
		ID:       "nlb-security-group-open-to-world",
		Severity: model.SeverityWarning,
		Title:    "internal load balancer or endpoint open to 0.0.0.0/0 or ::/0",
		Description: "A security group on an internal load balancer or an interface endpoint that allows 0.0.0.0/0 " +
			"admits every network that can route to it, today and after the next peering or transit gateway " +
			"attachment, while the ELB guide advises the client VPC CIDRs as the source for an internal load " +
			"balancer. Kubernetes' LoadBalancer services create exactly such a rule by default (seed 000). The " +
			"message lists the address ranges that can reach the resource now: its own VPC, VPCs peered with it " +
			"or attached to a common transit gateway, networks behind its VPN, and the consumers of its " +
			"endpoint service when the load balancer filters PrivateLink traffic. ICMP rules are left alone: " +
			"the ELB guide advises ICMP from anywhere for path MTU discovery.",
		Fix:       "Replace 0.0.0.0/0 with the client CIDRs (or security groups, within a VPC or a same-region peering) that need the service.",
		Semantics: []string{"S-22", "S-42", "S-80"},
		check:     checkOpenToWorld,
	})
}

// sensitivePorts are the tcp ports whose services must not face the
// internet, with the service usually behind them: remote administration,
// databases, caches, search, dashboards, brokers and cluster control
// planes.
var sensitivePorts = []struct {
	Port    uint16
	Service string
}{
	{22, "ssh"},
	{3389, "rdp"},
	{3306, "mysql"},
	{5432, "postgresql"},
	{1433, "mssql"},
	{1521, "oracle"},
	{6379, "redis"},
	{9200, "elasticsearch"},
	{27017, "mongodb"},
	{11211, "memcached"},
	{2375, "docker"},
	{2376, "docker-tls"},
	{5601, "kibana"},
	{9092, "kafka"},
	{2379, "etcd"},
	{5984, "couchdb"},
	{8086, "influxdb"},
}

// sensitivePortList renders the sensitive ports for the rule's description.
func sensitivePortList() string {
	out := make([]string, len(sensitivePorts))
	for i, s := range sensitivePorts {
		out[i] = fmt.Sprintf("%d %s", s.Port, s.Service)
	}
	return strings.Join(out, ", ")
}

// sensitiveService returns the service of a sensitive port, or "".
func sensitiveService(p uint16) string {
	for _, s := range sensitivePorts {
		if s.Port == p {
			return s.Service
		}
	}
	return ""
}

// engProbeCandidates are internet hosts to probe from: the engine's own
// "internet" first, then addresses spread over the address space.
var engProbeCandidates = []string{"198.51.100.1", "192.0.2.1", "203.0.113.1", "45.33.32.156", "81.2.69.160",
	"93.184.216.34", "151.101.1.69", "176.32.98.166", "185.199.108.153", "212.58.244.22"}

// engProbe returns the address to probe from "the internet": one that no
// CIDR of /8 or narrower in the topology (rule peers, ACL rules, prefix
// lists, VPC blocks, external networks, public addresses) contains, so that
// an allow list does not pass for exposure. "internet" when the engine's
// own host qualifies.
func engProbe(m *model.Model) string {
	var named []netip.Prefix
	addPrefix := func(p netip.Prefix) {
		if p.IsValid() && p.Bits() >= 8 {
			named = append(named, p)
		}
	}
	addAddr := func(a netip.Addr) {
		if a.IsValid() {
			named = append(named, netip.PrefixFrom(a, a.BitLen()))
		}
	}
	addIface := func(in *model.Interface) {
		addAddr(in.PublicIP)
		addAddr(in.ElasticIP)
	}
	for vi := range m.VPCs {
		v := &m.VPCs[vi]
		for _, p := range v.CIDRBlocks {
			addPrefix(p)
		}
		for _, g := range v.SecurityGroups {
			for _, r := range g.Ingress {
				for _, p := range r.Sources {
					addPrefix(p.CIDR)
				}
			}
		}
		for _, a := range v.NetworkACLs {
			for _, r := range a.Ingress {
				addPrefix(r.CIDR)
			}
			for _, r := range a.Egress {
				addPrefix(r.CIDR)
			}
		}
		for i := range v.Instances {
			addIface(&v.Instances[i].Interface)
		}
		for i := range v.NetworkInterfaces {
			addIface(&v.NetworkInterfaces[i].Interface)
		}
		for _, n := range v.NATGateways {
			addAddr(n.PublicIP)
		}
		for _, lb := range v.LoadBalancers {
			for _, a := range lb.PublicIPs {
				addAddr(a)
			}
		}
	}
	for _, pl := range m.PrefixLists {
		for _, p := range pl.CIDRs {
			addPrefix(p)
		}
	}
	for _, e := range m.ExternalNetworks {
		for _, p := range e.CIDRs {
			addPrefix(p)
		}
	}
	free := func(a netip.Addr) bool {
		for _, p := range named {
			if p.Contains(a) {
				return false
			}
		}
		return true
	}
	for i, s := range engProbeCandidates {
		if a := netip.MustParseAddr(s); free(a) {
			if i == 0 {
				return string(solver.Internet)
			}
			return s
		}
	}
	// Everything named: walk the public /8s.
	for o := 1; o < 224; o++ {
		a := netip.AddrFrom4([4]byte{byte(o), 77, 77, 77})
		if !a.IsPrivate() && o != 100 && o != 127 && free(a) {
			return a.String()
		}
	}
	return string(solver.Internet)
}

// engInternetAllowed reports whether groups admit tcp/port from an
// internet host: a necessary condition for the engine to find the port
// exposed, checked first to save queries.
func engInternetAllowed(groups []*sgeval.SecurityGroup, from netip.Addr, port uint16) bool {
	if len(groups) == 0 {
		return false
	}
	p := sgeval.Packet{Src: from, Protocol: model.ProtocolTCP, DstPort: port, SrcPort: 1024}
	return sgeval.Check(groups, sgeval.Ingress, p, sgeval.Peer{Addr: from}).Allowed
}

// engPathWords names a reachable path's key hops: the internet gateway and
// the security group rules that allowed the request in, with their lines
// (and files, when not the finding's file).
func engPathWords(hops []solver.Hop, file string) string {
	var parts []string
	for _, h := range hops {
		switch {
		case h.Kind == solver.HopInternetGateway && h.Decision == solver.DecisionTranslate:
			parts = append(parts, "in through "+string(h.Component))
		case h.Kind == solver.HopSecurityGroup && h.Direction == "ingress" && h.Decision == solver.DecisionAllow &&
			strings.HasPrefix(h.Rule, "no security groups"):
			parts = append(parts, string(h.Component)+" has no security group")
		case h.Kind == solver.HopSecurityGroup && h.Direction == "ingress" && h.Decision == solver.DecisionAllow:
			w := fmt.Sprintf("allowed by %s %q", h.Component, h.Rule)
			switch {
			case h.Pos.IsValid() && h.Pos.File == file:
				w += fmt.Sprintf(" (line %d)", h.Pos.Line)
			case h.Pos.IsValid():
				w += " (" + h.Pos.String() + ")"
			}
			parts = append(parts, w)
		}
	}
	return strings.Join(parts, ", ")
}

func checkSensitivePortExposed(c *Context) {
	probe := engProbe(c.Model)
	probeAddr := solver.InternetHost()
	if probe != string(solver.Internet) {
		probeAddr = netip.MustParseAddr(probe)
	}
	for vi := range c.Model.VPCs {
		v := &c.Model.VPCs[vi]
		type iface struct {
			id     model.ID
			in     *model.Interface
			src    model.Source
			public netip.Addr
		}
		var ifaces []iface
		for i := range v.Instances {
			in := &v.Instances[i]
			ifaces = append(ifaces, iface{in.ID, &in.Interface, in.Source, in.PublicAddress()})
		}
		for i := range v.NetworkInterfaces {
			ni := &v.NetworkInterfaces[i]
			ifaces = append(ifaces, iface{ni.ID, &ni.Interface, ni.Source, ni.PublicAddress()})
		}
		for _, f := range ifaces {
			if !f.public.IsValid() {
				continue
			}
			groups := c.Solver.InterfaceGroups(f.id)
			for _, sp := range sensitivePorts {
				if !engInternetAllowed(groups, probeAddr, sp.Port) {
					continue
				}
				res := c.Solver.Reach(engTCP(probe, string(f.id), sp.Port))
				if !res.Reachable() {
					continue
				}
				c.Report(f.src, f.id, "tcp/%d (%s) on %s is reachable from the internet at %s: %s",
					sp.Port, sp.Service, f.id, f.public, engPathWords(res.Forward, f.src.File))
			}
		}
		for li := range v.LoadBalancers {
			lb := &v.LoadBalancers[li]
			if lb.Scheme != model.SchemeInternetFacing || lb.Type == model.LBGateway {
				continue
			}
			type exposed struct {
				port   uint16
				target model.ID
			}
			var done []exposed
			for _, l := range lb.Listeners {
				protos := l.Protocol.IPProtocols()
				if len(protos) == 0 || l.Port == 0 {
					continue
				}
				res := c.Solver.Reach(solver.Query{From: probe, To: string(lb.ID), Protocol: protos[0], Port: l.Port})
				if !res.Reachable() {
					continue
				}
				target, tport := engLBTarget(c, l, res.Forward)
				port, svc, on := l.Port, sensitiveService(l.Port), "load balancer "+string(lb.ID)
				if svc == "" {
					port, svc, on = tport, sensitiveService(tport), string(target)
				}
				if svc == "" || slices.Contains(done, exposed{port, target}) {
					continue
				}
				done = append(done, exposed{port, target})
				private := ""
				if in := c.Index.Instance(target); in != nil && !in.PublicAddress().IsValid() {
					private = ", which has no public address of its own"
				}
				c.Report(l.Source, lb.ID, "%s/%d (%s) on %s is reachable from the internet through internet-facing load balancer %s (listener %s/%d -> %s -> %s port %d%s): %s",
					protos[0], port, svc, on, lb.ID, l.Protocol, l.Port, l.TargetGroup, target, tport, private, engPathWords(res.Forward, l.Source.File))
			}
		}
	}
}

// engLBTarget finds the target a path through a load balancer delivered to,
// and the port it used.
func engLBTarget(c *Context, l model.Listener, hops []solver.Hop) (model.ID, uint16) {
	tg := c.Index.TargetGroup(l.TargetGroup)
	var target model.ID
	var addr netip.Addr
	for _, h := range hops {
		if h.Kind == solver.HopLoadBalancer && h.Decision == solver.DecisionForward && h.Packet != nil && !addr.IsValid() {
			addr = h.Packet.Dst
		}
		if h.Decision == solver.DecisionDeliver {
			target = h.Component
		}
	}
	if tg == nil {
		return target, l.Port
	}
	for _, t := range tg.Targets {
		match := t.IP.IsValid() && t.IP == addr
		if t.ID != "" {
			if in := c.Index.Instance(t.ID); in != nil && (in.PrivateIP == addr || tg.AddressType() == model.IPAddressIPv6 && len(in.IPv6Addresses) > 0 && in.IPv6Addresses[0] == addr) {
				match = true
			}
		}
		if match {
			if t.Port != 0 {
				return target, t.Port
			}
			return target, tg.Port
		}
	}
	return target, tg.Port
}

func checkInternetRouteWithoutPublicAddress(c *Context) {
	for vi := range c.Model.VPCs {
		v := &c.Model.VPCs[vi]
		if v.InternetGateway == "" {
			continue
		}
		// Instances with a public address on another interface can use it.
		public := map[model.ID]bool{}
		for _, ni := range v.NetworkInterfaces {
			if ni.Instance != "" && ni.PublicAddress().IsValid() {
				public[ni.Instance] = true
			}
		}
		bySubnet := map[model.ID][]*model.Instance{}
		for i := range v.Instances {
			bySubnet[v.Instances[i].Subnet] = append(bySubnet[v.Instances[i].Subnet], &v.Instances[i])
		}
		for si := range v.Subnets {
			sn := &v.Subnets[si]
			rt := v.RouteTableOf(sn)
			if rt == nil || !slices.ContainsFunc(rt.Routes, func(r model.Route) bool {
				return r.State == model.RouteActive && r.Target == v.InternetGateway && r.Destination.CIDR == netip.PrefixFrom(netip.IPv4Unspecified(), 0)
			}) {
				continue
			}
			var without []string
			for _, in := range bySubnet[sn.ID] {
				if in.PublicAddress().IsValid() || public[in.ID] || in.State == model.InstanceTerminated {
					continue
				}
				q := engTCP(string(in.ID), string(solver.Internet), 443)
				if len(in.IPv6Addresses) > 0 {
					q.Family = solver.FamilyIPv4 // a public IPv4 address is what it lacks
				}
				res := c.Solver.Reach(q)
				if slices.ContainsFunc(res.Blockers, func(b solver.Blocker) bool {
					return b.Code == solver.IGWPublicIPAssociationForEgress && b.Leg == solver.LegForward
				}) {
					without = append(without, string(in.ID))
				}
			}
			if len(without) == 0 {
				continue
			}
			what := "instance " + without[0] + " has"
			if len(without) > 1 {
				what = "instances " + engList(without, 5) + " have"
			}
			c.Report(sn.Source, sn.ID, "subnet %s routes 0.0.0.0/0 to internet gateway %s (route table %s), but %s no public IPv4 or Elastic IP: the internet gateway drops their traffic (S-60)",
				sn.ID, v.InternetGateway, rt.ID, what)
		}
	}
}

// engReachers lists the address ranges that can route to resources of a
// VPC: its own blocks, VPCs peered with it, VPCs and networks on a common
// transit gateway, and networks behind its VPN gateway.
func engReachers(c *Context, v *model.VPC) []string {
	var out []string
	seen := map[string]bool{}
	add := func(p netip.Prefix, who string) {
		if s := p.String(); !seen[s] {
			seen[s] = true
			out = append(out, fmt.Sprintf("%s (%s)", s, who))
		}
	}
	addVPC := func(id model.ID, how string) {
		if o := c.Index.VPC(id); o != nil {
			for _, p := range o.CIDRBlocks {
				add(p, string(id)+how)
			}
		}
	}
	addVPC(v.ID, "")
	for _, p := range c.Model.PeeringConnections {
		if p.Status == model.PeeringActive && p.Joins(v.ID) {
			addVPC(p.Other(v.ID), ", peered")
		}
	}
	for _, t := range c.Model.TransitGateways {
		if !slices.ContainsFunc(t.Attachments, func(a model.TGWAttachment) bool { return a.Type == model.AttachmentVPC && a.VPC == v.ID }) {
			continue
		}
		for _, a := range t.Attachments {
			switch a.Type {
			case model.AttachmentVPC:
				if a.VPC != v.ID {
					addVPC(a.VPC, ", on "+string(t.ID))
				}
			case model.AttachmentVPN, model.AttachmentDirectConnect:
				for _, e := range c.Model.ExternalNetworks {
					if e.Via == a.ID {
						for _, p := range e.CIDRs {
							add(p, string(e.ID)+", on "+string(t.ID))
						}
					}
				}
			}
		}
	}
	if v.VPNGateway != "" {
		for _, e := range c.Model.ExternalNetworks {
			if e.Via == v.VPNGateway {
				for _, p := range e.CIDRs {
					add(p, string(e.ID)+", through "+string(v.VPNGateway))
				}
			}
		}
	}
	return out
}

// engOpenToWorld returns the whole-internet sources (0.0.0.0/0, ::/0)
// an ingress rule admits for something other than ICMP, joined by "and";
// "" for none.
func engOpenToWorld(r model.IngressRule) string {
	if r.Protocol.IsICMP() {
		return ""
	}
	var world []string
	for _, p := range r.Sources {
		if p.CIDR.IsValid() && p.CIDR.Bits() == 0 {
			world = append(world, p.CIDR.String())
		}
	}
	return strings.Join(world, " and ")
}

func checkOpenToWorld(c *Context) {
	for vi := range c.Model.VPCs {
		v := &c.Model.VPCs[vi]
		// Which internal resources use which group, in file order.
		users := map[model.ID][]string{}
		// The endpoint service consumers' ranges, per group.
		extra := map[model.ID][]string{}
		use := func(ids []model.ID, what string) {
			if len(ids) == 0 {
				for _, g := range v.SecurityGroups {
					if g.Default {
						ids = []model.ID{g.ID}
					}
				}
			}
			for _, id := range ids {
				if !slices.Contains(users[id], what) {
					users[id] = append(users[id], what)
				}
			}
		}
		for _, lb := range v.LoadBalancers {
			if lb.Scheme != model.SchemeInternal || lb.Type == model.LBGateway || len(lb.SecurityGroups) == 0 {
				continue
			}
			use(lb.SecurityGroups, "internal load balancer "+string(lb.ID))
			if lb.EnforcesSGOnPrivateLink() {
				consumers := engConsumers(c, lb.ID)
				for _, g := range lb.SecurityGroups {
					for _, s := range consumers {
						if !slices.Contains(extra[g], s) {
							extra[g] = append(extra[g], s)
						}
					}
				}
			}
		}
		for _, ep := range v.Endpoints {
			if ep.Type == model.EndpointInterface {
				use(ep.SecurityGroups, "interface endpoint "+string(ep.ID))
			}
		}
		if len(users) == 0 {
			continue
		}
		var reach []string
		for _, g := range v.SecurityGroups {
			if len(users[g.ID]) == 0 {
				continue
			}
			for _, r := range g.Ingress {
				world := engOpenToWorld(r)
				if world == "" {
					continue
				}
				if reach == nil {
					reach = engReachers(c, v)
				}
				ranges := append(slices.Clone(reach), extra[g.ID]...)
				c.Report(r.Source, g.ID, "security group %s of %s allows %s from %s, but only %s are connected to it: narrow the source to the clients that need it",
					g.ID, engAnd(users[g.ID]), engRuleWhat(r.Protocol, r.Ports), world, engList(ranges, 6))
			}
		}
	}
}

// engConsumers lists the VPC ranges of the consumers of the endpoint
// service a load balancer fronts: with inbound rules enforced on
// PrivateLink traffic, the load balancer's groups see their addresses
// (S-80).
func engConsumers(c *Context, lb model.ID) []string {
	var out []string
	for _, es := range c.Model.EndpointServices {
		if !slices.Contains(es.LoadBalancers, lb) {
			continue
		}
		for vi := range c.Model.VPCs {
			v := &c.Model.VPCs[vi]
			for _, ep := range v.Endpoints {
				if ep.Type == model.EndpointInterface && es.Serves(ep.Service) {
					for _, p := range v.CIDRBlocks {
						out = append(out, fmt.Sprintf("%s (%s, through endpoint %s)", p, v.ID, ep.ID))
					}
				}
			}
		}
	}
	return out
}

// engRuleWhat renders a rule's protocol and ports.
func engRuleWhat(p model.Protocol, ports *model.PortRange) string {
	if p == model.ProtocolAll {
		return "all traffic"
	}
	if ports != nil {
		return p.String() + " " + ports.String()
	}
	return p.String()
}
