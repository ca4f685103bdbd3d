package awsimport

import (
	"net/netip"

	"github.com/vpcreach/vpcreach/model"
)

// awsNetworkACL is an element of describe-network-acls' NetworkAcls.
type awsNetworkACL struct {
	NetworkAclId string
	VpcId        string
	OwnerId      string
	IsDefault    bool
	Associations []struct{ NetworkAclId, SubnetId string }
	Entries      []awsACLEntry
	Tags         []awsTag
}

// awsACLEntry is a network ACL rule. Protocol is a number as a string
// ("-1" for all); RuleNumber 32767 is the final deny-all rule.
type awsACLEntry struct {
	RuleNumber    *jsonInt
	Protocol      string
	RuleAction    string
	Egress        bool
	CidrBlock     jsonText
	Ipv6CidrBlock jsonText
	PortRange     *awsPortRange
	IcmpTypeCode  *awsICMPTypeCode
}

// awsPortRange is the port range of a network ACL rule.
type awsPortRange struct{ From, To *jsonInt }

// awsICMPTypeCode is the ICMP type and code of a network ACL rule (-1:
// any).
type awsICMPTypeCode struct{ Type, Code *jsonInt }

// finalRule is the number of the implicit deny-all rule AWS lists last; the
// model adds it itself (S-31). finalRuleIPv6 is its IPv6 twin, which AWS
// lists (from ::/0) after it in an ACL of a VPC with IPv6.
const (
	finalRule     = 32767
	finalRuleIPv6 = 32768
)

func (b *builder) buildNetworkACLs() {
	for _, it := range unique(b.s.acls, func(a *awsNetworkACL) string { return a.NetworkAclId }) {
		a := &it.v
		v := b.vpc(a.VpcId, it.src, "network ACL", a.NetworkAclId)
		if v == nil {
			continue
		}
		acl := &model.NetworkACL{ID: model.ID(a.NetworkAclId), Default: a.IsDefault, Source: it.src}
		for i := range a.Entries {
			src := it.at("Entries", i)
			r, ok := b.aclRule(&a.Entries[i], src)
			if !ok {
				continue
			}
			if a.Entries[i].Egress {
				acl.Egress = append(acl.Egress, r)
			} else {
				acl.Ingress = append(acl.Ingress, r)
			}
		}
		// Keep "no rule" distinct from "not written": an ACL denies all
		// that its rules do not allow.
		v.acls[a.NetworkAclId] = acl
		b.place(a.NetworkAclId, model.KindNetworkACL, a.VpcId)
		for _, as := range a.Associations {
			if as.SubnetId == "" {
				continue
			}
			sn := v.subnet(as.SubnetId)
			if sn == nil {
				b.warn(it.src, "Associations", ErrOutsideSnapshot, "network ACL %s is associated with subnet %s, which is not in the snapshot", a.NetworkAclId, as.SubnetId)
				continue
			}
			if !a.IsDefault {
				sn.NetworkACL = acl.ID
			}
		}
	}
}

// warnNoACLs says when the snapshot holds no network ACLs at all.
func (b *builder) warnNoACLs() {
	if len(b.s.acls) == 0 && len(b.vpcs) > 0 {
		b.warn(model.Source{Position: model.Position{File: b.firstFile()}}, "", ErrOutsideSnapshot, "the snapshot holds no NetworkAcls: every subnet is taken to have a default ACL that allows all traffic, which is AWS's default but may not be yours (collect describe-network-acls)")
	}
}

// aclRule maps one entry; ok is false for the final rule, which the model
// makes itself, for IPv6 rules, and for entries with values AWS never
// writes (reported).
func (b *builder) aclRule(e *awsACLEntry, src model.Source) (model.ACLRule, bool) {
	r := model.ACLRule{Source: src}
	if e.RuleNumber == nil {
		b.errorf(src, "RuleNumber", model.ErrMissingField, "a network ACL entry has a RuleNumber, and this one has none")
		return r, false
	}
	switch e.RuleNumber.V {
	case finalRule:
		// The final deny-all rule (S-31): AWS lists it, the model makes it.
		if e.Protocol != "-1" || e.RuleAction != "deny" || e.CidrBlock.S != "0.0.0.0/0" || e.Ipv6CidrBlock.S != "" {
			b.errorf(at(src, e.RuleNumber.Pos), "RuleNumber", model.ErrInvalidValue, "rule %d is AWS's final rule, which denies all traffic from 0.0.0.0/0 and which AWS writes as such: this one is different (S-31)", finalRule)
		}
		return r, false
	case finalRuleIPv6:
		// Its IPv6 twin, from ::/0: the model's final rule denies both
		// families.
		if e.Protocol != "-1" || e.RuleAction != "deny" || e.Ipv6CidrBlock.S != "::/0" || e.CidrBlock.S != "" {
			b.errorf(at(src, e.RuleNumber.Pos), "RuleNumber", model.ErrInvalidValue, "rule %d is AWS's final IPv6 rule, which denies all traffic from ::/0 and which AWS writes as such: this one is different (S-31)", finalRuleIPv6)
		}
		return r, false
	}
	if n := e.RuleNumber.V; n < 1 || n > finalRule-1 {
		b.errorf(at(src, e.RuleNumber.Pos), "RuleNumber", model.ErrInvalidValue, "rule number %d is outside 1..%d (S-31)", n, finalRule-1)
		return r, false
	}
	r.Rule = e.RuleNumber.V
	ok := true
	p, err := model.ParseProtocol(e.Protocol)
	if err != nil {
		b.errorf(src, "Protocol", model.ErrInvalidValue, "%s", err)
		ok = false
	}
	r.Protocol = p
	switch e.RuleAction {
	case "allow":
		r.Action = model.ACLAllow
	case "deny":
		r.Action = model.ACLDeny
	default:
		b.errorf(src, "RuleAction", model.ErrInvalidValue, "rule action %q is neither allow nor deny", e.RuleAction)
		ok = false
	}
	var cidr netip.Prefix
	var kind cidrKind
	switch {
	case e.CidrBlock.S != "" && e.Ipv6CidrBlock.S != "":
		b.errorf(at(src, e.Ipv6CidrBlock.Pos), "Ipv6CidrBlock", model.ErrInvalidValue, "a network ACL entry has either a CidrBlock or an Ipv6CidrBlock, never both as here")
		return r, false
	case e.Ipv6CidrBlock.S != "":
		cidr, kind = b.block(e.Ipv6CidrBlock, src, "Ipv6CidrBlock", famIPv6, "CidrBlock")
	default:
		cidr, kind = b.block(e.CidrBlock, src, "CidrBlock", famIPv4, "Ipv6CidrBlock")
	}
	switch kind {
	case cidrAbsent:
		b.errorf(src, "CidrBlock", model.ErrMissingField, "a network ACL entry has a CidrBlock (or an Ipv6CidrBlock), and this one has none")
		return r, false
	case cidrBad:
		return r, false
	}
	r.CIDR = cidr
	if !ok {
		return r, false
	}
	switch {
	case p.HasPorts():
		if e.PortRange == nil {
			b.errorf(src, "PortRange", model.ErrMissingField, "a %s rule has a PortRange, and this one has none", p)
			return r, false
		}
		if r.Ports, ok = b.portRange(e.PortRange.From, e.PortRange.To, src.Field("PortRange"), p, "From", "To"); !ok {
			return r, false
		}
	case p == model.ProtocolICMP:
		if e.IcmpTypeCode == nil {
			b.errorf(src, "IcmpTypeCode", model.ErrMissingField, "an icmp rule has an IcmpTypeCode, and this one has none")
			return r, false
		}
		if r.ICMP, ok = b.icmpTypeCode(e.IcmpTypeCode.Type, e.IcmpTypeCode.Code, src.Field("IcmpTypeCode"), "Type", "Code"); !ok {
			return r, false
		}
	case p == model.ProtocolICMPv6 && kind == cidrIPv6:
		// AWS requires a type and code for an icmpv6 rule of an IPv6
		// block; with an IPv4 block it ignores them (below).
		if e.IcmpTypeCode == nil {
			b.errorf(src, "IcmpTypeCode", model.ErrMissingField, "an icmpv6 rule of an IPv6 block has an IcmpTypeCode, and this one has none")
			return r, false
		}
		if r.ICMP, ok = b.icmpTypeCode(e.IcmpTypeCode.Type, e.IcmpTypeCode.Code, src.Field("IcmpTypeCode"), "Type", "Code"); !ok {
			return r, false
		}
	default:
		if e.PortRange != nil {
			b.ignoredPort(e.PortRange.From, src.Field("PortRange"), "From", p)
			b.ignoredPort(e.PortRange.To, src.Field("PortRange"), "To", p)
		}
		if p == model.ProtocolICMPv6 && e.IcmpTypeCode != nil && e.IcmpTypeCode.Type != nil && e.IcmpTypeCode.Type.V != -1 {
			b.warn(at(src, e.IcmpTypeCode.Type.Pos), "IcmpTypeCode.Type", model.ErrInvalidValue, "ICMPv6 type %d is ignored: an icmpv6 rule of an IPv4 block matches every type and code, as in AWS", e.IcmpTypeCode.Type.V)
		}
	}
	return r, true
}
