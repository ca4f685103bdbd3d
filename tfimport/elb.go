package tfimport

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

var lbTypes = []string{"aws_lb", "aws_alb"}
var tgTypes = []string{"aws_lb_target_group", "aws_alb_target_group"}

func (b *builder) buildLoadBalancers() {
	for _, typ := range lbTypes {
		b.each(typ, func(e elem) { b.loadBalancer(e) })
	}
	for _, typ := range tgTypes {
		b.each(typ, func(e elem) { b.targetGroup(e) })
	}
	for _, typ := range []string{"aws_lb_listener", "aws_alb_listener"} {
		b.each(typ, func(e elem) {
			r := e.ref("load_balancer_arn", lbTypes...)
			lb := b.lbs[r.ID]
			if lb == nil {
				if r.ID != "" {
					e.warnf("load_balancer_arn", ErrOutsidePlan, "load balancer %s is not in this file: %s is left out", r.ID, e.r.addr)
				}
				return
			}
			l := model.Listener{Source: e.src()}
			if n, ok := e.integer("port"); ok && n > 0 && n <= 65535 {
				l.Port = uint16(n)
			}
			if p := e.str("protocol"); p != "" {
				if err := l.Protocol.UnmarshalText([]byte(p)); err != nil {
					e.errorf("protocol", model.ErrInvalidValue, "%s", err)
					return
				}
			}
			for _, a := range e.sub("default_action") {
				if !strings.EqualFold(a.str("type"), "forward") {
					continue
				}
				tg := a.ref("target_group_arn", tgTypes...)
				if tg.ID == "" {
					for _, f := range a.sub("forward") {
						for _, t := range f.sub("target_group") {
							if tg = t.ref("arn", tgTypes...); tg.ID != "" {
								break
							}
						}
					}
				}
				if b.tgs[tg.ID] != nil {
					l.TargetGroup = tg.ID
					break
				}
			}
			if l.TargetGroup == "" {
				e.notef("default_action", ErrSkipped, "the listener forwards to no target group of this file (a redirect, a fixed response, or a group outside the file): it is left out")
				return
			}
			lb.Listeners = append(lb.Listeners, l)
		})
	}
	for _, typ := range []string{"aws_lb_target_group_attachment", "aws_alb_target_group_attachment"} {
		b.each(typ, func(e elem) {
			r := e.ref("target_group_arn", tgTypes...)
			tg := b.tgs[r.ID]
			if tg == nil {
				if r.ID != "" {
					e.warnf("target_group_arn", ErrOutsidePlan, "target group %s is not in this file: %s is left out", r.ID, e.r.addr)
				}
				return
			}
			t := model.Target{AZ: e.str("availability_zone")}
			if n, ok := e.integer("port"); ok && n > 0 && n <= 65535 {
				t.Port = uint16(n)
			}
			switch tg.TargetType {
			case model.TargetIP:
				if a, err := model.ParseIPv6Addr(e.str("target_id")); err == nil && tg.IPAddressType == model.IPAddressIPv6 {
					t.IP = a // an IPv6 target group's target (V-34)
				} else if a, err := model.ParseAddr(e.str("target_id")); err == nil {
					t.IP = a
				} else if in := e.ref("target_id", "aws_instance", "aws_network_interface"); in.ID != "" && b.iface(in.ID) != nil {
					// target_id = aws_instance.x.private_ip: read once addresses are known.
					idx := len(tg.Targets)
					iface := b.iface(in.ID)
					b.late = append(b.late, func() { tg.Targets[idx].IP = iface.PrivateIP })
				} else {
					e.warnf("target_id", ErrUnknownValue, "the target's address is unknown until apply: it is left out")
					return
				}
			case model.TargetALB:
				lb := e.ref("target_id", lbTypes...)
				if lb.ID == "" {
					return
				}
				t.ID = lb.ID
			default:
				in := e.ref("target_id", "aws_instance")
				if in.ID == "" {
					return
				}
				t.ID = in.ID
			}
			tg.Targets = append(tg.Targets, t)
		})
	}
}

func (b *builder) loadBalancer(e elem) {
	id := model.ID(e.r.addr)
	lb := &model.LoadBalancer{ID: id, Name: e.str("name"), Source: e.src(), DNSName: e.str("dns_name"), CrossZone: e.boolean("enable_cross_zone_load_balancing", false)}
	switch t := strings.ToLower(e.str("load_balancer_type")); t {
	case "", "application":
		lb.Type = model.LBApplication
		lb.CrossZone = true
	case "network":
		lb.Type = model.LBNetwork
	case "gateway":
		lb.Type = model.LBGateway
	default:
		e.warnf("load_balancer_type", ErrNotModelled, "load balancer type %q is not modelled: it is left out", t)
		return
	}
	lb.Scheme = model.SchemeInternetFacing
	if e.boolean("internal", false) {
		lb.Scheme = model.SchemeInternal
	}
	if t := e.str("ip_address_type"); t != "" {
		// ipv4, dualstack or dualstack-without-public-ipv4 (V-33).
		if err := lb.IPAddressType.UnmarshalText([]byte(t)); err != nil || !model.FieldAccepts("LoadBalancer.IPAddressType", lb.IPAddressType.String()) {
			e.errorf("ip_address_type", model.ErrInvalidValue, "a load balancer's IP address type is ipv4, dualstack or dualstack-without-public-ipv4, not %q", t)
			return
		}
		if lb.IPAddressType == model.IPAddressIPv4 {
			lb.IPAddressType = 0 // the default
		}
	}
	var v *vpcB
	var ips []string
	var eips []ref
	var ips6 []netip.Addr
	for _, m := range e.sub("subnet_mapping") {
		if s := b.subnetRef(m, "subnet_id"); s != nil {
			lb.Subnets = append(lb.Subnets, s.ID)
			ips = append(ips, m.str("private_ipv4_address"))
			eips = append(eips, m.ref("allocation_id", "aws_eip"))
			ips6 = append(ips6, b.ipv6Of(m, "ipv6_address"))
		}
	}
	if lb.IPAddressType.HasIPv6() && len(ips6) > 0 && !slices.Contains(ips6, netip.Addr{}) {
		lb.IPv6IPs = ips6
	}
	if len(lb.Subnets) == 0 {
		for _, r := range e.refs("subnets", "aws_subnet") {
			if s := b.subnetOf(e, "subnets", r); s != nil && !slices.Contains(lb.Subnets, s.ID) {
				lb.Subnets = append(lb.Subnets, s.ID)
			}
		}
	}
	if len(lb.Subnets) == 0 {
		e.warnf("subnets", model.ErrMissingField, "the load balancer has no subnet this file holds: it is left out")
		return
	}
	v = b.objVPC[lb.Subnets[0]]
	lb.SecurityGroups = b.groupList(e, "security_groups", v)
	if s := e.str("enforce_security_group_inbound_rules_on_private_link_traffic"); s != "" {
		lb.EnforceSGOnPrivateLink = boolPtr(s == "on")
	}
	// Node addresses: given in subnet mappings, else AWS's choice, assumed.
	lb.PrivateIPs = make([]netip.Addr, len(lb.Subnets))
	for i, s := range lb.Subnets {
		ipElem := e
		if i < len(ips) && ips[i] != "" {
			ipElem = elemWith(e, "private_ip", ips[i])
		}
		b.privateAddr(ipElem, "private_ip", b.subnets[s], func(a netip.Addr) { lb.PrivateIPs[i] = a }, "the load balancer's node in "+string(s))
	}
	if lb.PublicIPv4() && len(eips) == len(lb.Subnets) {
		var pubs []netip.Addr
		for _, r := range eips {
			if x := b.eips[r.ID]; x != nil {
				pubs = append(pubs, b.eipAddr(e, "subnet_mapping", x))
			}
		}
		if len(pubs) == len(lb.Subnets) {
			lb.PublicIPs = pubs
		}
	}
	v.lbs = append(v.lbs, lb)
	b.lbs[id] = lb
	b.objVPC[id] = v
}

func (b *builder) targetGroup(e elem) {
	id := model.ID(e.r.addr)
	tg := &model.TargetGroup{ID: id, Source: e.src()}
	switch t := strings.ToLower(e.str("target_type")); t {
	case "", "instance":
	case "ip":
		tg.TargetType = model.TargetIP
	case "alb":
		tg.TargetType = model.TargetALB
	case "lambda":
		e.notef("target_type", ErrNotModelled, "lambda targets are not modelled: the target group is left out")
		return
	}
	if strings.EqualFold(e.str("ip_address_type"), "ipv6") {
		if tg.TargetType != model.TargetIP && tg.TargetType != model.TargetInstance {
			e.warnf("ip_address_type", model.ErrInvalidValue, "an IPv6 target group holds ip or instance targets, not %s targets: the target group is left out (V-34)", tg.TargetType)
			return
		}
		tg.IPAddressType = model.IPAddressIPv6
	}
	v := b.vpcRef(e, "vpc_id")
	if v == nil {
		return
	}
	if p := e.str("protocol"); p != "" {
		if err := tg.Protocol.UnmarshalText([]byte(p)); err != nil {
			e.errorf("protocol", model.ErrInvalidValue, "%s", err)
			return
		}
	}
	if n, ok := e.integer("port"); ok && n > 0 && n <= 65535 {
		tg.Port = uint16(n)
	}
	if x, ok := e.val("preserve_client_ip").boolVal(); ok {
		tg.PreserveClientIP = boolPtr(x)
	}
	v.tgs = append(v.tgs, tg)
	b.tgs[id] = tg
	b.objVPC[id] = v
}

// ipv6Of reads an IPv6 address written at key, or returns the zero Addr
// (absent, unknown until apply, or not IPv6: an error).
func (b *builder) ipv6Of(e elem, key string) netip.Addr {
	t := e.str(key)
	if t == "" {
		return netip.Addr{}
	}
	a, err := netip.ParseAddr(t)
	if err != nil || !a.Is6() || a.Is4In6() || a.Zone() != "" {
		e.errorf(key, model.ErrInvalidValue, "%q is not an IPv6 address", t)
		return netip.Addr{}
	}
	return a
}
