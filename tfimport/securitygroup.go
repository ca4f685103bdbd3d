package tfimport

import (
	"net/netip"
	"slices"

	"github.com/vpcreach/vpcreach/model"
)

var sgTypes = []string{"aws_security_group", "aws_default_security_group", "aws_vpc"}

func (b *builder) buildSecurityGroups() {
	// Groups first, then their inline rules, which may name each other.
	type pending struct {
		e  elem
		sg *model.SecurityGroup
	}
	var groups []pending
	for _, typ := range []string{"aws_security_group", "aws_default_security_group"} {
		b.each(typ, func(e elem) {
			v := b.vpcRef(e, "vpc_id")
			if v == nil {
				return
			}
			id := model.ID(e.r.addr)
			sg := &model.SecurityGroup{ID: id, Name: e.str("name"), Description: e.str("description"),
				Default: typ == "aws_default_security_group", Source: e.src(),
				// Terraform removes the allow-all egress rule AWS gives a new
				// group: a group has the egress rules it is given.
				Egress: []model.EgressRule{}}
			if sg.Default && sg.Name == "" {
				sg.Name = "default"
			}
			v.sgs = append(v.sgs, sg)
			b.sgs[id] = sg
			b.objVPC[id] = v
			groups = append(groups, pending{e, sg})
		})
	}
	for _, g := range groups {
		for _, dir := range []string{"ingress", "egress"} {
			for _, re := range g.e.sub(dir) {
				rule, peers, ok := b.sgRule(re, g.sg, "protocol", "from_port", "to_port")
				if !ok {
					continue
				}
				peers = append(peers, b.sgPeers(re, g.sg, "cidr_blocks", "prefix_list_ids", "security_groups", "self", true)...)
				peers = append(peers, b.cidrPeers(re, "ipv6_cidr_blocks", model.ParseIPv6CIDR)...)
				b.addRule(g.sg, dir == "ingress", rule, peers, re.src())
			}
		}
	}
	b.each("aws_security_group_rule", func(e elem) {
		sg := b.groupRef(e, "security_group_id")
		if sg == nil {
			return
		}
		rule, peers, ok := b.sgRule(e, sg, "protocol", "from_port", "to_port")
		if !ok {
			return
		}
		peers = append(peers, b.sgPeers(e, sg, "cidr_blocks", "prefix_list_ids", "source_security_group_id", "self", false)...)
		peers = append(peers, b.cidrPeers(e, "ipv6_cidr_blocks", model.ParseIPv6CIDR)...)
		b.addRule(sg, e.str("type") != "egress", rule, peers, e.src())
	})
	for _, typ := range []string{"aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"} {
		b.each(typ, func(e elem) {
			sg := b.groupRef(e, "security_group_id")
			if sg == nil {
				return
			}
			rule, peers, ok := b.sgRule(e, sg, "ip_protocol", "from_port", "to_port")
			if !ok {
				return
			}
			peers = append(peers, b.sgPeers(e, sg, "cidr_ipv4", "prefix_list_id", "referenced_security_group_id", "", false)...)
			peers = append(peers, b.cidrPeers(e, "cidr_ipv6", model.ParseIPv6CIDR)...)
			b.addRule(sg, typ == "aws_vpc_security_group_ingress_rule", rule, peers, e.src())
		})
	}
}

// addRule adds a rule with its peers to a group, once.
func (b *builder) addRule(sg *model.SecurityGroup, ingress bool, rule model.SGRule, peers []model.Peer, src model.Source) {
	if len(peers) == 0 {
		return
	}
	if ingress {
		r := model.IngressRule{SGRule: rule, Sources: peers, Source: src}
		if !slices.ContainsFunc(sg.Ingress, func(x model.IngressRule) bool { return sameRule(x.SGRule, rule) && slices.Equal(x.Sources, peers) }) {
			sg.Ingress = append(sg.Ingress, r)
		}
		return
	}
	r := model.EgressRule{SGRule: rule, Destinations: peers, Source: src}
	if !slices.ContainsFunc(sg.Egress, func(x model.EgressRule) bool { return sameRule(x.SGRule, rule) && slices.Equal(x.Destinations, peers) }) {
		sg.Egress = append(sg.Egress, r)
	}
}

func sameRule(a, b model.SGRule) bool {
	return a.Protocol == b.Protocol && ptrEq(a.Ports, b.Ports) && ptrEq(a.ICMP, b.ICMP)
}

func ptrEq[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// groupRef resolves a security_group_id to a group of the file: an
// aws_security_group, an aws_default_security_group, or a VPC's default
// group (default_security_group_id).
func (b *builder) groupRef(e elem, key string) *model.SecurityGroup {
	r := e.ref(key, sgTypes...)
	if r.ID == "" {
		return nil
	}
	if r.typ == "aws_vpc" {
		if v := b.vpcs[r.ID]; v != nil {
			return b.defaultGroup(v)
		}
		return nil
	}
	if sg := b.sgs[r.ID]; sg != nil {
		return sg
	}
	e.warnf(key, ErrOutsidePlan, "security group %s is not in this file: %s is left out", r.ID, e.r.addr)
	return nil
}

// defaultGroup returns a VPC's default group: an aws_default_security_group
// of the file, else one made for references to its
// default_security_group_id, with AWS's default rules (S-20).
func (b *builder) defaultGroup(v *vpcB) *model.SecurityGroup {
	for _, sg := range v.sgs {
		if sg.Default {
			return sg
		}
	}
	id := model.ID(string(v.m.ID) + ".default_security_group")
	sg := &model.SecurityGroup{ID: id, Name: "default", Description: "default VPC security group", Default: true,
		Ingress: []model.IngressRule{{SGRule: model.SGRule{Protocol: model.ProtocolAll}, Sources: []model.Peer{{Ref: id}}}},
		Source:  model.Source{Position: v.m.Source.Position, Path: string(id)}}
	v.sgs = append(v.sgs, sg)
	b.sgs[id] = sg
	b.objVPC[id] = v
	return sg
}

// sgRule reads a rule's protocol and ports. For ICMP, from_port is the
// type and to_port the code, -1 meaning any.
func (b *builder) sgRule(e elem, sg *model.SecurityGroup, protoKey, fromKey, toKey string) (model.SGRule, []model.Peer, bool) {
	rule := model.SGRule{Description: e.str("description")}
	ps := e.str(protoKey)
	if ps == "" {
		if n, ok := e.integer(protoKey); ok {
			ps = e.val(protoKey).str
			_ = n
		}
	}
	if ps == "" {
		if e.unknown(protoKey) {
			e.warnf(protoKey, ErrUnknownValue, "the rule's protocol is unknown until apply: the rule is left out")
		} else {
			e.errorf(protoKey, model.ErrMissingField, "the rule has no %s", protoKey)
		}
		return rule, nil, false
	}
	p, err := model.ParseProtocol(ps)
	if err != nil {
		e.errorf(protoKey, model.ErrInvalidValue, "%s", err)
		return rule, nil, false
	}
	rule.Protocol = p
	from, okF := e.integer(fromKey)
	to, okT := e.integer(toKey)
	switch {
	case p.HasPorts():
		if !okF || !okT {
			e.errorf(fromKey, model.ErrMissingField, "a %s rule needs %s and %s", p, fromKey, toKey)
			return rule, nil, false
		}
		if from < 0 || to > 65535 || from > to {
			if from == -1 && to == -1 {
				rule.Ports = &model.PortRange{First: 0, Last: 65535}
				break
			}
			e.errorf(fromKey, model.ErrInvalidValue, "ports %d-%d are not a port range", from, to)
			return rule, nil, false
		}
		rule.Ports = &model.PortRange{First: uint16(from), Last: uint16(to)}
	case p.IsICMP():
		t, c := -1, -1
		if okF {
			t = int(from)
		}
		if okT {
			c = int(to)
		}
		if t < -1 || t > 255 || c < -1 || c > 255 {
			e.errorf(fromKey, model.ErrInvalidValue, "ICMP type %d and code %d are out of range", t, c)
			return rule, nil, false
		}
		if t != -1 || c != -1 {
			rule.ICMP = &model.ICMPMatch{Type: t, Code: c}
		}
	}
	return rule, nil, true
}

// sgPeers reads a rule's peers: CIDRs, prefix lists, groups and self.
// Each key may hold a list or one value. A group the file does not hold
// becomes a group marked outside_snapshot in the rule's VPC.
func (b *builder) sgPeers(e elem, sg *model.SecurityGroup, cidrKey, plKey, sgKey, selfKey string, lists bool) []model.Peer {
	var out []model.Peer
	add := func(p model.Peer) {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	var cidrs []string
	if lists {
		cidrs = e.strs(cidrKey)
	} else if c := e.val(cidrKey); c != nil && c.kind == jarray {
		cidrs = c.strings()
	} else if s := e.str(cidrKey); s != "" {
		cidrs = []string{s}
	}
	for _, p := range b.cidrList(e, cidrKey, cidrs, model.ParseCIDR) {
		add(p)
	}
	var pls, groups []ref
	if lists || (e.val(plKey) != nil && e.val(plKey).kind == jarray) {
		pls = e.refs(plKey, "aws_ec2_managed_prefix_list", "aws_prefix_list")
	} else if r := e.ref(plKey, "aws_ec2_managed_prefix_list", "aws_prefix_list"); r.ID != "" {
		pls = []ref{r}
	}
	for _, r := range pls {
		if r.outside || b.pls[r.ID] == nil {
			e.warnf(plKey, ErrOutsidePlan, "prefix list %s is not in this file (an AWS-managed list?): it is left out of the rule", r.ID)
			continue
		}
		add(model.Peer{Ref: r.ID})
	}
	if lists {
		groups = e.refs(sgKey, sgTypes...)
	} else if r := e.ref(sgKey, sgTypes...); r.ID != "" {
		groups = []ref{r}
	}
	for _, r := range groups {
		switch {
		case r.typ == "aws_vpc" && b.vpcs[r.ID] != nil:
			add(model.Peer{Ref: b.defaultGroup(b.vpcs[r.ID]).ID})
		case b.sgs[r.ID] != nil:
			add(model.Peer{Ref: r.ID})
		default:
			add(model.Peer{Ref: b.outsideGroup(e, sgKey, r.ID, b.objVPC[sg.ID])})
		}
	}
	if selfKey != "" && e.boolean(selfKey, false) {
		add(model.Peer{Ref: sg.ID})
	}
	return out
}

// outsideGroup names a group the file does not hold: a group marked
// outside_snapshot in VPC v, made once.
func (b *builder) outsideGroup(e elem, key string, id model.ID, v *vpcB) model.ID {
	if b.sgs[id] == nil && v != nil {
		e.warnf(key, ErrOutsidePlan, "security group %s is not in this file: what it allows and who holds it is unknown", id)
		sg := &model.SecurityGroup{ID: id, OutsideSnapshot: true, Source: e.src()}
		v.sgs = append(v.sgs, sg)
		b.sgs[id] = sg
		b.objVPC[id] = v
	}
	return id
}

// groupList resolves a list of group ids (an instance's, an interface's).
func (b *builder) groupList(e elem, key string, v *vpcB) []model.ID {
	var out []model.ID
	for _, r := range e.refs(key, sgTypes...) {
		id := r.ID
		switch {
		case r.typ == "aws_vpc" && b.vpcs[r.ID] != nil:
			id = b.defaultGroup(b.vpcs[r.ID]).ID
		case b.sgs[r.ID] == nil:
			id = b.outsideGroup(e, key, r.ID, v)
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// cidrPeers reads a rule's CIDR peers under key, a list or one value,
// each parsed by parse (an IPv4 or an IPv6 CIDR).
func (b *builder) cidrPeers(e elem, key string, parse func(string) (netip.Prefix, error)) []model.Peer {
	var cidrs []string
	if c := e.val(key); c != nil && c.kind == jarray {
		cidrs = c.strings()
	} else if s := e.str(key); s != "" {
		cidrs = []string{s}
	}
	return b.cidrList(e, key, cidrs, parse)
}

// cidrList parses the CIDRs of key as peers, once each, and warns when
// key is unknown until apply.
func (b *builder) cidrList(e elem, key string, cidrs []string, parse func(string) (netip.Prefix, error)) []model.Peer {
	var out []model.Peer
	for _, c := range cidrs {
		p, err := parse(c)
		if err != nil {
			e.errorf(key, model.ErrInvalidValue, "%s", err)
			continue
		}
		if !slices.Contains(out, model.Peer{CIDR: p}) {
			out = append(out, model.Peer{CIDR: p})
		}
	}
	if e.unknown(key) {
		e.warnf(key, ErrUnknownValue, "the rule's CIDR blocks (%s) are unknown until apply: they are left out", key)
	}
	return out
}
