package awsimport

import (
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
	RuleNumber    int
	Protocol      string
	RuleAction    string
	Egress        bool
	CidrBlock     string
	Ipv6CidrBlock string
	PortRange     *struct{ From, To *int }
	IcmpTypeCode  *struct{ Type, Code *int }
}

// finalRule is the number of the implicit deny-all rule AWS lists last; the
// model adds it itself (S-31).
const finalRule = 32767

func (b *builder) buildNetworkACLs() {
	for _, it := range unique(b.s.acls, func(a *awsNetworkACL) string { return a.NetworkAclId }) {
		a := &it.v
		v := b.vpc(a.VpcId, it.src, "network ACL", a.NetworkAclId)
		if v == nil {
			continue
		}
		acl := &model.NetworkACL{ID: model.ID(a.NetworkAclId), Default: a.IsDefault, Source: it.src}
		for i := range a.Entries {
			e := &a.Entries[i]
			src := it.at("Entries", i)
			if e.RuleNumber == finalRule {
				continue
			}
			if e.CidrBlock == "" {
				if e.Ipv6CidrBlock != "" {
					b.count("ipv6-acl", src, ErrNotModelled, "IPv6 network ACL rules skipped, as vpcreach models IPv4 only: %N")
				}
				continue
			}
			r, ok := b.aclRule(e, src)
			if !ok {
				continue
			}
			if e.Egress {
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

func (b *builder) aclRule(e *awsACLEntry, src model.Source) (model.ACLRule, bool) {
	r := model.ACLRule{Rule: e.RuleNumber, Source: src}
	p, err := model.ParseProtocol(e.Protocol)
	if err != nil {
		b.warn(src, "Protocol", model.ErrInvalidValue, "%s: rule left out", err)
		return r, false
	}
	r.Protocol = p
	c, ok := parseCIDR(e.CidrBlock)
	if !ok {
		b.warn(src, "CidrBlock", model.ErrInvalidValue, "%q is not an IPv4 CIDR: rule left out", e.CidrBlock)
		return r, false
	}
	r.CIDR = c
	switch e.RuleAction {
	case "allow":
		r.Action = model.ACLAllow
	case "deny":
		r.Action = model.ACLDeny
	default:
		b.warn(src, "RuleAction", model.ErrInvalidValue, "rule action %q is neither allow nor deny: rule left out", e.RuleAction)
		return r, false
	}
	switch {
	case p.HasPorts():
		r.Ports = portRange(e.PortRange)
	case p.IsICMP() && e.IcmpTypeCode != nil:
		r.ICMP = icmpMatch(e.IcmpTypeCode.Type, e.IcmpTypeCode.Code)
	}
	return r, true
}

// portRange maps an AWS port range (absent, or -1: every port).
func portRange(pr *struct{ From, To *int }) *model.PortRange {
	if pr == nil || pr.From == nil || *pr.From < 0 {
		return ptr(model.AllPorts())
	}
	from, to := *pr.From, *pr.From
	if pr.To != nil && *pr.To >= from {
		to = *pr.To
	}
	return &model.PortRange{First: uint16(min(from, 65535)), Last: uint16(min(to, 65535))}
}

// icmpMatch maps an ICMP type and code (-1 or absent: any); nil means all
// ICMP.
func icmpMatch(t, c *int) *model.ICMPMatch {
	m := model.AnyICMP()
	if t != nil && *t >= 0 {
		m.Type = *t
	}
	if c != nil && *c >= 0 && m.Type >= 0 {
		m.Code = *c
	}
	if m == model.AnyICMP() {
		return nil
	}
	return &m
}
