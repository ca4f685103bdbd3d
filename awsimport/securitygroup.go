package awsimport

import (
	"net/netip"
	"slices"

	"github.com/vpcreach/vpcreach/model"
)

// awsSecurityGroup is an element of describe-security-groups'
// SecurityGroups.
type awsSecurityGroup struct {
	GroupId             string
	GroupName           string
	Description         string
	VpcId               string
	OwnerId             string
	IpPermissions       []awsPermission
	IpPermissionsEgress []awsPermission
	Tags                []awsTag
}

// awsPermission is one rule of a security group: a protocol ("-1", "tcp",
// "6", ...), a port range (for ICMP, FromPort is the type and ToPort the
// code; -1 is any) and its peers.
type awsPermission struct {
	IpProtocol string
	FromPort   *jsonInt
	ToPort     *jsonInt
	IpRanges   []awsIPRange
	Ipv6Ranges []awsIPv6Range
	// PrefixListIds name prefix lists.
	PrefixListIds []struct{ PrefixListId, Description string }
	// UserIdGroupPairs name groups, possibly of another account (UserId)
	// or across a peering connection (VpcPeeringConnectionId,
	// PeeringStatus).
	UserIdGroupPairs []awsGroupPair
}

// awsIPRange is an IPv4 peer of a security group rule.
type awsIPRange struct {
	CidrIp      jsonText
	Description string
}

// awsIPv6Range is an IPv6 peer of a security group rule.
type awsIPv6Range struct {
	CidrIpv6    jsonText
	Description string
}

type awsGroupPair struct {
	GroupId                string
	GroupName              string
	UserId                 string
	VpcId                  string
	VpcPeeringConnectionId string
	PeeringStatus          string
	Description            string
}

// awsGroupRef is a group as interfaces list it.
type awsGroupRef struct{ GroupId, GroupName string }

func (b *builder) buildSecurityGroups() {
	groups := unique(b.s.groups, func(g *awsSecurityGroup) string { return g.GroupId })
	// Every group first, so that rules may reference any of them.
	var kept []*item[awsSecurityGroup]
	for _, it := range groups {
		a := &it.v
		v := b.vpc(a.VpcId, it.src, "security group", a.GroupId)
		if v == nil {
			continue
		}
		v.groups[a.GroupId] = &model.SecurityGroup{ID: model.ID(a.GroupId), Name: a.GroupName, Description: a.Description,
			Default: a.GroupName == "default", Source: it.src}
		b.place(a.GroupId, model.KindSecurityGroup, a.VpcId)
		kept = append(kept, it)
	}
	for _, it := range kept {
		a := &it.v
		sg := b.vpcs[a.VpcId].groups[a.GroupId]
		for i := range a.IpPermissions {
			src := it.at("IpPermissions", i)
			for _, r := range b.permission(sg, &a.IpPermissions[i], src) {
				sg.Ingress = append(sg.Ingress, model.IngressRule{SGRule: r.rule, Sources: r.peers, Source: src})
			}
		}
		// AWS lists the egress rules, the default allow-all ones too: none
		// listed means no outbound traffic. Exactly the default rules are
		// left unwritten, as the format means them: all traffic to
		// 0.0.0.0/0 and, in a VPC with an IPv6 block, to ::/0 (V-08). A
		// group of a VPC with IPv6 that allows 0.0.0.0/0 only (created
		// before the block, or edited) keeps its rule written.
		sg.Egress = []model.EgressRule{}
		for i := range a.IpPermissionsEgress {
			src := it.at("IpPermissionsEgress", i)
			for _, r := range b.permission(sg, &a.IpPermissionsEgress[i], src) {
				sg.Egress = append(sg.Egress, model.EgressRule{SGRule: r.rule, Destinations: r.peers, Source: src})
			}
		}
		if isDefaultEgress(sg.Egress, b.vpcs[a.VpcId].v.HasIPv6()) {
			sg.Egress = nil
		}
	}
}

// isDefaultEgress reports whether rules are AWS's default egress rules:
// all traffic to 0.0.0.0/0 and, when v6, to ::/0, with no description
// (V-08).
func isDefaultEgress(rules []model.EgressRule, v6 bool) bool {
	want := []netip.Prefix{netip.PrefixFrom(netip.IPv4Unspecified(), 0)}
	if v6 {
		want = append(want, netip.PrefixFrom(netip.IPv6Unspecified(), 0))
	}
	var got []netip.Prefix
	for _, r := range rules {
		if r.Protocol != model.ProtocolAll || r.Description != "" {
			return false
		}
		for _, d := range r.Destinations {
			if !d.CIDR.IsValid() {
				return false
			}
			got = append(got, d.CIDR)
		}
	}
	slices.SortFunc(got, func(a, b netip.Prefix) int { return a.Addr().Compare(b.Addr()) })
	return slices.Equal(got, want)
}

type sgRule struct {
	rule  model.SGRule
	peers []model.Peer
}

// permission maps one AWS permission to rules of the model, one per
// distinct description of its peers, IPv4 and IPv6. Values AWS never
// writes are errors (the rule is left out).
func (b *builder) permission(sg *model.SecurityGroup, p *awsPermission, src model.Source) []sgRule {
	proto, err := model.ParseProtocol(p.IpProtocol)
	if err != nil {
		b.errorf(src, "IpProtocol", model.ErrInvalidValue, "%s", err)
		return nil
	}
	base := model.SGRule{Protocol: proto}
	ok := true
	switch {
	case proto.HasPorts():
		base.Ports, ok = b.portRange(p.FromPort, p.ToPort, src, proto, "FromPort", "ToPort")
	case proto.IsICMP():
		base.ICMP, ok = b.icmpTypeCode(p.FromPort, p.ToPort, src, "FromPort", "ToPort")
	default:
		b.ignoredPort(p.FromPort, src, "FromPort", proto)
		b.ignoredPort(p.ToPort, src, "ToPort", proto)
	}
	var out []sgRule
	addPeer := func(peer model.Peer, desc string) {
		for i := range out {
			if out[i].rule.Description == desc {
				out[i].peers = append(out[i].peers, peer)
				return
			}
		}
		r := base
		r.Description = desc
		out = append(out, sgRule{rule: r, peers: []model.Peer{peer}})
	}
	for k, c := range p.IpRanges {
		pfx, kind := b.block(c.CidrIp, src, "IpRanges["+itoa(k)+"].CidrIp", famIPv4, "Ipv6Ranges[].CidrIpv6")
		if kind == cidrAbsent {
			b.errorf(src, "IpRanges["+itoa(k)+"].CidrIp", model.ErrMissingField, "an IpRanges element has a CidrIp, and this one has none")
			ok = false
		}
		if kind != cidrIPv4 {
			continue
		}
		addPeer(model.Peer{CIDR: pfx}, c.Description)
	}
	for k, c := range p.Ipv6Ranges {
		pfx, kind := b.block(c.CidrIpv6, src, "Ipv6Ranges["+itoa(k)+"].CidrIpv6", famIPv6, "IpRanges[].CidrIp")
		if kind == cidrAbsent {
			b.errorf(src, "Ipv6Ranges["+itoa(k)+"].CidrIpv6", model.ErrMissingField, "an Ipv6Ranges element has a CidrIpv6, and this one has none")
			ok = false
		}
		if kind != cidrIPv6 {
			continue
		}
		addPeer(model.Peer{CIDR: pfx}, c.Description)
	}
	for _, pl := range p.PrefixListIds {
		if b.kind[pl.PrefixListId] != model.KindPrefixList {
			b.warn(src, "PrefixListIds", ErrOutsideSnapshot, "%s: prefix list %s is not in the snapshot: the traffic it would allow is unknown, and left out of the rule", sg.ID, pl.PrefixListId)
			continue
		}
		addPeer(model.Peer{Ref: model.ID(pl.PrefixListId)}, pl.Description)
	}
	for _, g := range p.UserIdGroupPairs {
		if ref, ok := b.groupPair(sg, &g, src); ok {
			addPeer(model.Peer{Ref: ref}, g.Description)
		}
	}
	if !ok {
		return nil
	}
	return out
}

// groupPair resolves a group named by a rule. A group the snapshot does
// not hold is left out of the rule, with a warning saying whose it is.
func (b *builder) groupPair(sg *model.SecurityGroup, g *awsGroupPair, src model.Source) (model.ID, bool) {
	where := ""
	if g.UserId != "" {
		where = " of account " + g.UserId
	}
	if g.VpcId != "" {
		where += " in " + g.VpcId
	}
	if g.VpcPeeringConnectionId != "" {
		where += " (over peering " + g.VpcPeeringConnectionId
		if g.PeeringStatus != "" {
			where += ", " + g.PeeringStatus
		}
		where += ")"
	}
	switch {
	case g.GroupId == "":
		b.warn(src, "UserIdGroupPairs", ErrOutsideSnapshot, "%s: a rule names group %q%s by name only: left out of the rule", sg.ID, g.GroupName, where)
		return "", false
	case g.PeeringStatus == "deleted":
		b.warn(src, "UserIdGroupPairs", ErrInactive, "%s: the rule referencing group %s%s is stale (its peering is deleted): it matches nothing, and is left out", sg.ID, g.GroupId, where)
		return "", false
	case b.kind[g.GroupId] == model.KindSecurityGroup:
		return model.ID(g.GroupId), true
	}
	// A group the snapshot does not hold (another account's, across a
	// peering): kept as an outside-snapshot placeholder, so that answers
	// that depend on it say they are unknown.
	b.outsideGroup(model.ID(b.vpcOf[string(sg.ID)]), g.GroupId, g.GroupName, src)
	b.warn(src, "UserIdGroupPairs", ErrOutsideSnapshot, "%s: group %s%s is not in the snapshot: the rule keeps it as an outside-snapshot group, and answers that depend on it say they are unknown", sg.ID, g.GroupId, where)
	return model.ID(g.GroupId), true
}

// outsideGroup adds, once, a placeholder for a group the snapshot does not
// hold, in VPC vpc: outside_snapshot, no rules.
func (b *builder) outsideGroup(vpc model.ID, id, name string, src model.Source) {
	if b.kind[id] == model.KindSecurityGroup {
		return
	}
	v := b.vpcs[string(vpc)]
	if v == nil {
		return
	}
	v.groups[id] = &model.SecurityGroup{ID: model.ID(id), Name: name, OutsideSnapshot: true,
		Description: "outside the snapshot: its members and rules are unknown",
		Egress:      []model.EgressRule{}, Source: src}
	b.place(id, model.KindSecurityGroup, string(vpc))
	b.placeholders[id] = true
}

// groupsOf resolves the groups of an interface, endpoint or load balancer
// in VPC v. A group the snapshot does not hold becomes a placeholder with
// no rules (its rules are unknown), so that the interface does not fall
// back to the VPC's default group.
func (b *builder) groupsOf(v *vpcB, refs []awsGroupRef, src model.Source, owner string) []model.ID {
	var out []model.ID
	for _, g := range refs {
		if g.GroupId == "" {
			continue
		}
		id := model.ID(g.GroupId)
		switch {
		case v.groups[g.GroupId] != nil:
		case b.kind[g.GroupId] == model.KindSecurityGroup:
			b.warn(src, "Groups", model.ErrWrongRef, "%s lists group %s of %s, not of its VPC %s: left out", owner, g.GroupId, b.vpcOf[g.GroupId], v.v.ID)
			continue
		default:
			b.outsideGroup(v.v.ID, g.GroupId, g.GroupName, src)
			b.warn(src, "Groups", ErrOutsideSnapshot, "security group %s of %s is not in the snapshot: kept as an outside-snapshot group, so answers through it say they are unknown, not \"no\"", g.GroupId, owner)
		}
		if !containsID(out, id) {
			out = append(out, id)
		}
	}
	return out
}

func containsID(ids []model.ID, id model.ID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
