package tfimport

import (
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

func (b *builder) buildNetworkACLs() {
	for _, typ := range []string{"aws_network_acl", "aws_default_network_acl"} {
		b.each(typ, func(e elem) {
			var v *vpcB
			if typ == "aws_default_network_acl" {
				v = b.defaultOf(e, "default_network_acl_id")
			} else {
				v = b.vpcRef(e, "vpc_id")
			}
			if v == nil {
				return
			}
			id := model.ID(e.r.addr)
			acl := &model.NetworkACL{ID: id, Default: typ == "aws_default_network_acl", Source: e.src(),
				Ingress: []model.ACLRule{}, Egress: []model.ACLRule{}}
			for _, dir := range []string{"ingress", "egress"} {
				for _, re := range e.sub(dir) {
					if r, ok := b.aclRule(re, "rule_no", "action"); ok {
						if dir == "ingress" {
							acl.Ingress = append(acl.Ingress, r)
						} else {
							acl.Egress = append(acl.Egress, r)
						}
					}
				}
			}
			v.acls = append(v.acls, acl)
			b.acls[id] = acl
			b.objVPC[id] = v
			for _, s := range e.refs("subnet_ids", "aws_subnet") {
				if sn := b.subnetOf(e, "subnet_ids", s); sn != nil {
					sn.NetworkACL = id
				}
			}
		})
	}
	b.each("aws_network_acl_rule", func(e elem) {
		acl := b.aclRef(e, "network_acl_id")
		if acl == nil {
			return
		}
		r, ok := b.aclRule(e, "rule_number", "rule_action")
		if !ok {
			return
		}
		list := &acl.Ingress
		if e.boolean("egress", false) {
			list = &acl.Egress
		}
		if slices.ContainsFunc(*list, func(x model.ACLRule) bool { return x.Rule == r.Rule }) {
			return // the ACL's state lists the rule already
		}
		*list = append(*list, r)
	})
	b.each("aws_network_acl_association", func(e elem) {
		acl := b.aclRef(e, "network_acl_id")
		s := b.subnetRef(e, "subnet_id")
		if acl != nil && s != nil {
			s.NetworkACL = acl.ID
		}
	})
	for _, acl := range b.acls {
		sortRules(acl.Ingress)
		sortRules(acl.Egress)
	}
}

func sortRules(rs []model.ACLRule) {
	slices.SortStableFunc(rs, func(a, b model.ACLRule) int { return a.Rule - b.Rule })
}

// aclRef resolves a network_acl_id: an ACL of the file, or a VPC's default
// ACL (default_network_acl_id).
func (b *builder) aclRef(e elem, key string) *model.NetworkACL {
	r := e.ref(key, "aws_network_acl", "aws_default_network_acl", "aws_vpc")
	if r.ID == "" {
		return nil
	}
	if r.typ == "aws_vpc" {
		if v := b.vpcs[r.ID]; v != nil {
			for _, a := range v.acls {
				if a.Default {
					return a
				}
			}
			e.warnf(key, ErrNotModelled, "a rule of the VPC's default network ACL that Terraform does not manage (no aws_default_network_acl): the ACL's other rules are unknown, so %s is left out", e.r.addr)
		}
		return nil
	}
	if a := b.acls[r.ID]; a != nil {
		return a
	}
	e.warnf(key, ErrOutsidePlan, "network ACL %s is not in this file: %s is left out", r.ID, e.r.addr)
	return nil
}

// aclRule reads one network ACL rule.
func (b *builder) aclRule(e elem, numKey, actionKey string) (model.ACLRule, bool) {
	r := model.ACLRule{Source: e.src()}
	n, ok := e.integer(numKey)
	if !ok || n < 1 || n > 32766 {
		if n == 32767 || n == 32768 {
			return r, false // the final denies (IPv4, IPv6) are the model's own
		}
		e.errorf(numKey, model.ErrInvalidValue, "a rule number is 1 to 32766")
		return r, false
	}
	r.Rule = int(n)
	ps := e.val("protocol").str
	p, err := model.ParseProtocol(ps)
	if err != nil {
		e.errorf("protocol", model.ErrInvalidValue, "%s", err)
		return r, false
	}
	r.Protocol = p
	switch strings.ToLower(e.str(actionKey)) {
	case "allow":
		r.Action = model.ACLAllow
	case "deny":
		r.Action = model.ACLDeny
	default:
		e.errorf(actionKey, model.ErrInvalidValue, "action %q is neither allow nor deny", e.str(actionKey))
		return r, false
	}
	// cidr_block or ipv6_cidr_block, one of them (V-04).
	key, parse := "cidr_block", model.ParseCIDR
	switch c4, c6 := e.str("cidr_block"), e.str("ipv6_cidr_block"); {
	case c4 != "" && c6 != "":
		e.errorf("ipv6_cidr_block", model.ErrInvalidValue, "a rule has cidr_block or ipv6_cidr_block, not both")
		return r, false
	case c6 != "" || (c4 == "" && e.unknown("ipv6_cidr_block")):
		key, parse = "ipv6_cidr_block", model.ParseIPv6CIDR
	}
	c := e.str(key)
	if c == "" {
		e.warnf(key, ErrUnknownValue, "the rule's CIDR block is unknown until apply: the rule is left out")
		return r, false
	}
	cidr, err := parse(c)
	if err != nil {
		e.errorf(key, model.ErrInvalidValue, "%s", err)
		return r, false
	}
	r.CIDR = cidr
	switch {
	case p.HasPorts():
		from, okF := e.integer("from_port")
		to, okT := e.integer("to_port")
		if !okF || !okT || from < 0 || to > 65535 || from > to {
			e.errorf("from_port", model.ErrInvalidValue, "a %s rule needs a port range (from_port, to_port)", p)
			return r, false
		}
		r.Ports = &model.PortRange{First: uint16(from), Last: uint16(to)}
	case p.IsICMP():
		t, okT := e.integer("icmp_type")
		c, okC := e.integer("icmp_code")
		if !okT {
			t = -1
		}
		if !okC {
			c = -1
		}
		if t != -1 || c != -1 {
			r.ICMP = &model.ICMPMatch{Type: int(t), Code: int(c)}
		}
	}
	return r, true
}
