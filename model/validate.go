package model

import (
	"cmp"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"go4.org/netipx"
)

// Validate checks the meaning of a parsed model: addressing rules (S-01,
// S-02), references that resolve to the right kind in the right place, rule
// numbers and ranges, peering and transit gateway constraints (S-41, S-51).
// It returns every error and warning found, sorted. Errors mean the model
// cannot be analysed; warnings do not stop a run.
func Validate(m *Model) Diagnostics {
	x, _ := NewIndex(m)
	return validate(x)
}

// validate is Validate through index x.
func validate(x *Index) Diagnostics {
	m := x.m
	v := &validator{m: m, x: x}
	v.list = append(v.list, x.dups...)
	v.accounts()
	for i := range m.VPCs {
		v.vpc(i)
	}
	v.peerings()
	v.transitGateways()
	v.prefixLists()
	v.endpointServices()
	v.hostedZones()
	v.externalNetworks()
	v.expectations()
	v.requiredValues()
	v.list.Sort()
	return v.list
}

type validator struct {
	diagnoser
	m *Model
	x *Index
}

var accountPattern = regexp.MustCompile(`^[0-9]{12}$`)

func (v *validator) accounts() {
	for _, a := range v.m.Accounts {
		if !accountPattern.MatchString(string(a.ID)) {
			v.errorf(a.Source.Field("id"), ErrInvalidValue, "account id %q is not 12 digits", a.ID)
		}
	}
}

// account checks a reference to an account: 12 digits, and listed when the
// model lists accounts.
func (v *validator) account(src Source, id ID) {
	if id == "" {
		return
	}
	if !accountPattern.MatchString(string(id)) {
		v.errorf(src, ErrInvalidValue, "account id %q is not 12 digits", id)
		return
	}
	if len(v.m.Accounts) > 0 && v.x.Kind(id) != KindAccount {
		v.unknown(src, id, "account", KindAccount)
	}
}

// ref resolves a reference that must be of one of kinds. It reports an
// unknown id (with a suggestion) or a wrong kind, and returns whether the
// reference is good.
func (v *validator) ref(src Source, id ID, what string, kinds ...Kind) bool {
	if id == "" {
		return false
	}
	k := v.x.Kind(id)
	if k == KindUnknown {
		v.unknown(src, id, what, kinds...)
		return false
	}
	if !slices.Contains(kinds, k) {
		v.errorf(src, ErrWrongRef, "%q is a %s, not a %s", id, k, what)
		return false
	}
	return true
}

func (v *validator) unknown(src Source, id ID, what string, kinds ...Kind) {
	if s := Suggest(string(id), v.x.IDs(kinds...)); s != "" {
		v.errorf(src, ErrUnknownRef, "unknown %s %q (did you mean %q?)", what, id, s)
	} else {
		v.errorf(src, ErrUnknownRef, "unknown %s %q", what, id)
	}
}

// inVPC resolves a reference that must be of one of kinds and live in vpc.
func (v *validator) inVPC(src Source, id ID, vpc *VPC, what string, kinds ...Kind) bool {
	if !v.ref(src, id, what, kinds...) {
		return false
	}
	if owner := v.x.OwnerVPC(id); owner != nil && owner.ID != vpc.ID {
		v.errorf(src, ErrWrongRef, "%s %q belongs to %s, not %s", what, id, owner.ID, vpc.ID)
		return false
	}
	return true
}

// vpc checks one VPC and everything in it.
func (v *validator) vpc(vi int) {
	vpc := &v.m.VPCs[vi]
	src := vpc.Source
	v.account(src.Field("account"), vpc.Account)
	if len(vpc.CIDRBlocks) == 0 {
		v.add(SeverityError, src.Field("cidr_blocks"), ErrMissingField, "S-01", "%s has no CIDR block; a VPC has at least one", vpc.ID)
	}
	if len(vpc.CIDRBlocks) > 50 {
		v.add(SeverityError, src.Field("cidr_blocks"), ErrQuota, "S-01", "%d CIDR blocks; a VPC has at most 50", len(vpc.CIDRBlocks))
	}
	for i, c := range vpc.CIDRBlocks {
		if c.IsValid() && (c.Bits() < 16 || c.Bits() > 28) {
			v.add(SeverityError, src.Elem("cidr_blocks", i), ErrAddress, "S-01", "VPC block %s is /%d; VPC blocks are /16 to /28", c, c.Bits())
		}
	}
	v.overlapsWithin(vpc.CIDRBlocks, func(i, j int) {
		v.add(SeverityError, src.Elem("cidr_blocks", j), ErrAddress, "S-01", "VPC block %s overlaps block %s of the same VPC", vpc.CIDRBlocks[j], vpc.CIDRBlocks[i])
	})
	v.vpcIPv6(vpc)

	mains := 0
	for i := range vpc.RouteTables {
		rt := &vpc.RouteTables[i]
		if rt.Main {
			mains++
			if mains > 1 {
				v.add(SeverityError, rt.Source.Field("main"), ErrConflict, "S-10", "second main route table in %s; a VPC has exactly one", vpc.ID)
			}
		}
		v.routeQuota(rt)
		v.routeTable(vpc, rt)
	}
	defaultACLs, defaultSGs := 0, 0
	for i := range vpc.NetworkACLs {
		acl := &vpc.NetworkACLs[i]
		if acl.Default {
			defaultACLs++
			if defaultACLs > 1 {
				v.add(SeverityError, acl.Source.Field("default"), ErrConflict, "S-30", "second default network ACL in %s; a VPC has exactly one", vpc.ID)
			}
		}
		v.networkACL(acl)
	}
	for i := range vpc.SecurityGroups {
		sg := &vpc.SecurityGroups[i]
		if sg.Default {
			defaultSGs++
			if defaultSGs > 1 {
				v.add(SeverityError, sg.Source.Field("default"), ErrConflict, "S-20", "second default security group in %s; a VPC has exactly one", vpc.ID)
			}
		}
		v.securityGroup(sg)
	}
	v.subnets(vpc, mains)
	addrs := newAddrBook(v, vpc)
	for i := range vpc.Instances {
		in := &vpc.Instances[i]
		v.iface(vpc, &in.Interface, in.Source, in.ID, addrs)
	}
	for i := range vpc.NetworkInterfaces {
		ni := &vpc.NetworkInterfaces[i]
		v.iface(vpc, &ni.Interface, ni.Source, ni.ID, addrs)
		if ni.Instance != "" {
			v.inVPC(ni.Source.Field("instance"), ni.Instance, vpc, "instance", KindInstance)
		}
	}
	for i := range vpc.NATGateways {
		v.natGateway(vpc, &vpc.NATGateways[i], addrs)
	}
	for i := range vpc.Endpoints {
		v.endpoint(vpc, &vpc.Endpoints[i], addrs)
	}
	for i := range vpc.LoadBalancers {
		v.loadBalancer(vpc, &vpc.LoadBalancers[i], addrs)
	}
	for i := range vpc.TargetGroups {
		v.targetGroup(vpc, &vpc.TargetGroups[i])
	}
	v.gwlb(vpc)
}

// blocksKnown reports whether every CIDR block of vpc decoded. Checks that
// compare addresses with the VPC's blocks are left out when one did not:
// they would only repeat its decoding error in other words.
func blocksKnown(vpc *VPC) bool {
	return len(vpc.CIDRBlocks) > 0 && !slices.ContainsFunc(vpc.CIDRBlocks, func(b netip.Prefix) bool { return !b.IsValid() })
}

// overlapsWithin calls f(i, j) for each pair i < j of overlapping prefixes,
// found by sorting and sweeping; invalid prefixes (that did not decode)
// overlap nothing.
func (v *validator) overlapsWithin(ps []netip.Prefix, f func(i, j int)) {
	order := make([]int, len(ps))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(ps[a].Addr().Compare(ps[b].Addr()), cmp.Compare(ps[a].Bits(), ps[b].Bits()), cmp.Compare(a, b))
	})
	// open holds the indexes whose range may still cover later starts.
	var open []int
	for _, j := range order {
		if !ps[j].IsValid() {
			continue
		}
		kept := open[:0]
		for _, i := range open {
			if netipx.PrefixLastIP(ps[i]).Compare(ps[j].Addr()) >= 0 {
				kept = append(kept, i)
			}
		}
		open = kept
		for _, i := range open {
			a, b := min(i, j), max(i, j)
			f(a, b)
		}
		open = append(open, j)
	}
}

func (v *validator) subnets(vpc *VPC, mains int) {
	azs := map[string]string{}
	cidrs := make([]netip.Prefix, len(vpc.Subnets))
	for i := range vpc.Subnets {
		sn := &vpc.Subnets[i]
		cidrs[i] = sn.CIDRBlock
		for j, a := range sn.SharedWith {
			v.account(sn.Source.Elem("shared_with", j), a)
		}
		v.subnetIPv6(vpc, sn)
		c := sn.CIDRBlock
		if c.IsValid() {
			if c.Bits() < 16 || c.Bits() > 28 {
				v.add(SeverityError, sn.Source.Field("cidr_block"), ErrAddress, "S-01", "subnet %s is /%d; subnets are /16 to /28", c, c.Bits())
			}
			if blocksKnown(vpc) && !slices.ContainsFunc(vpc.CIDRBlocks, func(b netip.Prefix) bool { return b.Bits() <= c.Bits() && b.Contains(c.Addr()) }) {
				v.add(SeverityError, sn.Source.Field("cidr_block"), ErrAddress, "S-01", "subnet %s is not inside any CIDR block of %s (%s)", c, vpc.ID, joinPrefixes(vpc.CIDRBlocks))
			}
		}
		if sn.AZ != "" && vpc.Region != "" && !strings.HasPrefix(sn.AZ, vpc.Region) {
			v.errorf(sn.Source.Field("az"), ErrInvalidValue, "availability zone %q is not in %s's region %s", sn.AZ, vpc.ID, vpc.Region)
		}
		if sn.AZID != "" {
			if prev, ok := azs[sn.AZ]; ok && prev != sn.AZID {
				v.errorf(sn.Source.Field("az_id"), ErrConflict, "zone %s has az_id %q here and %q elsewhere in %s", sn.AZ, sn.AZID, prev, vpc.ID)
			}
			azs[sn.AZ] = sn.AZID
		}
		if sn.RouteTable != "" {
			v.inVPC(sn.Source.Field("route_table"), sn.RouteTable, vpc, "route table", KindRouteTable)
		} else if mains == 0 && len(vpc.RouteTables) > 0 {
			v.add(SeverityWarning, sn.Source, ErrMissingField, "S-10", "subnet %s has no route_table and %s marks no main table: it gets an implicit main table with only local routes", sn.ID, vpc.ID)
		}
		if sn.NetworkACL != "" {
			v.inVPC(sn.Source.Field("network_acl"), sn.NetworkACL, vpc, "network ACL", KindNetworkACL)
		}
	}
	v.overlapsWithin(cidrs, func(i, j int) {
		v.add(SeverityError, vpc.Subnets[j].Source.Field("cidr_block"), ErrAddress, "S-01", "subnet %s (%s) overlaps subnet %s (%s)",
			vpc.Subnets[j].ID, cidrs[j], vpc.Subnets[i].ID, cidrs[i])
	})
	v6 := make([]netip.Prefix, len(vpc.Subnets))
	for i := range vpc.Subnets {
		v6[i] = vpc.Subnets[i].IPv6CIDRBlock
	}
	v.overlapsWithin(v6, func(i, j int) {
		v.add(SeverityError, vpc.Subnets[j].Source.Field("ipv6_cidr_block"), ErrAddress, "V-02", "subnet %s (%s) overlaps subnet %s (%s)",
			vpc.Subnets[j].ID, v6[j], vpc.Subnets[i].ID, v6[i])
	})
}

func joinPrefixes(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ", ")
}

// routeTargetKinds are the kinds a VPC route may target (S-13).
var routeTargetKinds = []Kind{KindInternetGateway, KindNATGateway, KindPeeringConnection, KindTransitGateway,
	KindEndpoint, KindNetworkInterface, KindInstance, KindVPNGateway, KindEgressOnlyInternetGateway}

func (v *validator) routeTable(vpc *VPC, rt *RouteTable) {
	dests := map[Destination]Source{}
	for i := range rt.Routes {
		r := &rt.Routes[i]
		v.destination(r.Source.Field("destination"), r.Destination)
		if prev, dup := dests[r.Destination]; dup {
			v.add(SeverityError, r.Source.Field("destination"), ErrConflict, "S-12", "a second route for %s in %s (first at %s); AWS keeps one route per destination", r.Destination, rt.ID, prev.Position)
		} else if !r.Destination.IsZero() {
			dests[r.Destination] = r.Source.Field("destination")
		}
		tsrc := r.Source.Field("target")
		switch {
		case r.Target == "" && r.State != RouteBlackhole:
			v.errorf(tsrc, ErrMissingField, "a route needs a target (or state: blackhole)")
		case r.Target == "local":
			if r.Destination.PrefixList != "" || blocksKnown(vpc) && !slices.ContainsFunc(vpc.AllCIDRBlocks(), func(b netip.Prefix) bool {
				return b.Bits() <= r.Destination.CIDR.Bits() && b.Contains(r.Destination.CIDR.Addr())
			}) {
				v.add(SeverityError, tsrc, ErrWrongRef, "S-11", "a local route's destination must lie inside the VPC's CIDR blocks")
			}
		case r.Target == "":
		case (r.State == RouteBlackhole || r.State == RouteOutsideSnapshot) && v.x.Kind(r.Target) == KindUnknown:
			// A blackhole route may name a deleted target, an
			// outside-snapshot route one the snapshot does not hold.
		default:
			if !v.ref(tsrc, r.Target, "route target", routeTargetKinds...) {
				break
			}
			v.routeTarget(vpc, r, tsrc)
			v.routeFamily(r, tsrc)
			v.moreSpecificThanLocal(vpc, r)
		}
		if r.State == RouteOutsideSnapshot {
			v.add(SeverityWarning, r.Source.Field("state"), ErrOutsideSnapshot, "", "the route for %s in %s leads to %s, outside the imported snapshot: answers through it are unknown (OUTSIDE_SNAPSHOT), not \"no\"", r.Destination, rt.ID, r.Target)
		}
	}
	for i, p := range rt.Propagations {
		if v.ref(rt.Source.Elem("propagations", i), p, "virtual private gateway", KindVPNGateway) && vpc.VPNGateway != p {
			v.errorf(rt.Source.Elem("propagations", i), ErrWrongRef, "virtual private gateway %q is not attached to %s", p, vpc.ID)
		}
	}
}

// routeTarget checks that a route's target is one this VPC can use.
func (v *validator) routeTarget(vpc *VPC, r *Route, src Source) {
	switch v.x.Kind(r.Target) {
	case KindInternetGateway:
		if vpc.InternetGateway != r.Target {
			v.add(SeverityError, src, ErrWrongRef, "S-60", "internet gateway %q is not attached to %s", r.Target, vpc.ID)
		}
	case KindVPNGateway:
		if vpc.VPNGateway != r.Target {
			v.errorf(src, ErrWrongRef, "virtual private gateway %q is not attached to %s", r.Target, vpc.ID)
		}
	case KindEgressOnlyInternetGateway:
		if vpc.EgressOnlyInternetGateway != r.Target {
			v.add(SeverityError, src, ErrWrongRef, "V-07", "egress-only internet gateway %q is not attached to %s", r.Target, vpc.ID)
		}
	case KindPeeringConnection:
		if p := v.x.PeeringConnection(r.Target); !p.Joins(vpc.ID) {
			v.add(SeverityError, src, ErrWrongRef, "S-43", "peering connection %q joins %s and %s, not %s", r.Target, p.Requester, p.Accepter, vpc.ID)
		}
	case KindTransitGateway:
		if !v.attachedTo(vpc.ID, r.Target) {
			v.add(SeverityError, src, ErrWrongRef, "S-50", "%s has no attachment to transit gateway %q", vpc.ID, r.Target)
		}
	case KindEndpoint:
		e := v.x.Endpoint(r.Target)
		if v.inVPC(src, r.Target, vpc, "endpoint", KindEndpoint) && e.Type == EndpointInterface {
			v.add(SeverityError, src, ErrWrongRef, "S-13", "endpoint %q is an interface endpoint; routes target gateway and gateway load balancer endpoints", r.Target)
		}
	case KindNATGateway, KindNetworkInterface, KindInstance:
		v.inVPC(src, r.Target, vpc, v.x.Kind(r.Target).String(), v.x.Kind(r.Target))
	}
}

// moreSpecificThanLocal checks a route whose destination CIDR lies inside
// one of the VPC's blocks and is longer than it: AWS accepts such a route
// only for the exact CIDR of a subnet of the VPC, and only to a NAT
// gateway, a network interface (or instance) or a Gateway Load Balancer
// endpoint (S-17).
func (v *validator) moreSpecificThanLocal(vpc *VPC, r *Route) {
	d := r.Destination.CIDR
	blocks := vpc.AllCIDRBlocks()
	i := slices.IndexFunc(blocks, func(b netip.Prefix) bool { return b.Bits() < d.Bits() && b.Contains(d.Addr()) })
	if !d.IsValid() || i < 0 {
		return
	}
	local := blocks[i]
	subnetBlock := func(sn Subnet) netip.Prefix {
		if d.Addr().Is6() {
			return sn.IPv6CIDRBlock
		}
		return sn.CIDRBlock
	}
	if !slices.ContainsFunc(vpc.Subnets, func(sn Subnet) bool { return subnetBlock(sn) == d }) {
		hint := ""
		if j := slices.IndexFunc(vpc.Subnets, func(sn Subnet) bool { return subnetBlock(sn).Overlaps(d) }); j >= 0 {
			hint = fmt.Sprintf(" (did you mean %s, the CIDR of subnet %s?)", subnetBlock(vpc.Subnets[j]), vpc.Subnets[j].ID)
		}
		v.add(SeverityError, r.Source.Field("destination"), ErrAddress, "S-17",
			"route for %s is more specific than the local route %s; AWS accepts such a route only for the exact CIDR of a subnet of %s%s", d, local, vpc.ID, hint)
	}
	k := v.x.Kind(r.Target)
	if k == KindNATGateway || k == KindNetworkInterface || k == KindInstance ||
		(k == KindEndpoint && v.x.Endpoint(r.Target).Type == EndpointGatewayLoadBalancer) {
		return
	}
	v.add(SeverityError, r.Source.Field("target"), ErrWrongRef, "S-17",
		"route for %s is more specific than the local route %s, so its target must be a NAT gateway, a network interface or instance, or a Gateway Load Balancer endpoint, not %s %q", d, local, k, r.Target)
}

func (v *validator) attachedTo(vpc, tgw ID) bool {
	t := v.x.TransitGateway(tgw)
	return t != nil && slices.ContainsFunc(t.Attachments, func(a TGWAttachment) bool { return a.Type == AttachmentVPC && a.VPC == vpc })
}

func (v *validator) destination(src Source, d Destination) {
	if d.PrefixList != "" {
		v.ref(src, d.PrefixList, "prefix list", KindPrefixList)
	}
}

func (v *validator) networkACL(acl *NetworkACL) {
	for _, dir := range []struct {
		key   string
		rules []ACLRule
	}{{"ingress", acl.Ingress}, {"egress", acl.Egress}} {
		seen := map[int]Source{}
		for i := range dir.rules {
			r := &dir.rules[i]
			rs := r.Source.Field("rule")
			if r.Rule < 1 || r.Rule > 32766 {
				v.add(SeverityError, rs, ErrInvalidValue, "S-31", "rule number %d is outside 1..32766", r.Rule)
			} else if prev, dup := seen[r.Rule]; dup {
				v.add(SeverityError, rs, ErrConflict, "S-31", "rule number %d is used twice in %s (first at %s)", r.Rule, dir.key, prev.Position)
			} else {
				seen[r.Rule] = rs
			}
			v.portsAndICMP(r.Source, r.Protocol, r.Ports, r.ICMP)
		}
	}
}

// portsAndICMP checks that ports go with tcp and udp only (and are given
// there), and ICMP matches with icmp only.
func (v *validator) portsAndICMP(src Source, p Protocol, ports *PortRange, icmp *ICMPMatch) {
	switch {
	case p.HasPorts() && ports == nil:
		v.errorf(src.Field("ports"), ErrMissingField, "%s rules need ports (use ports: all for every port)", p)
	case !p.HasPorts() && ports != nil && p != 0:
		v.errorf(src.Field("ports"), ErrInvalidValue, "ports apply only to tcp and udp, not %s", p)
	}
	if icmp != nil {
		if !p.IsICMP() {
			v.errorf(src.Field("icmp"), ErrInvalidValue, "icmp applies only to icmp and icmpv6, not %s", p)
		}
		for _, f := range []struct {
			name string
			val  int
		}{{"type", icmp.Type}, {"code", icmp.Code}} {
			if f.val < -1 || f.val > 255 {
				v.errorf(src.Field("icmp"), ErrInvalidValue, "ICMP %s %d is outside -1..255", f.name, f.val)
			}
		}
	}
}

func (v *validator) securityGroup(sg *SecurityGroup) {
	if sg.OutsideSnapshot {
		v.add(SeverityWarning, sg.Source.Field("outside_snapshot"), ErrOutsideSnapshot, "", "security group %s is outside the imported snapshot: which interfaces hold it, and what it allows, is unknown, so answers that depend on it are unknown (OUTSIDE_SNAPSHOT), not \"no\"", sg.ID)
	}
	for i := range sg.Ingress {
		r := &sg.Ingress[i]
		v.portsAndICMP(r.Source, r.Protocol, r.Ports, r.ICMP)
		v.peers(sg, r.Source, "sources", r.Sources)
	}
	for i := range sg.Egress {
		r := &sg.Egress[i]
		v.portsAndICMP(r.Source, r.Protocol, r.Ports, r.ICMP)
		v.peers(sg, r.Source, "destinations", r.Destinations)
	}
}

func (v *validator) peers(sg *SecurityGroup, src Source, key string, peers []Peer) {
	if len(peers) == 0 {
		v.errorf(src.Field(key), ErrMissingField, "a rule needs at least one entry in %s", key)
	}
	for i, p := range peers {
		if p.Ref == "" || !v.ref(src.Elem(key, i), p.Ref, "security group or prefix list", KindSecurityGroup, KindPrefixList) {
			continue
		}
		if p.Account != "" && !v.peerAccount(src.Elem(key, i), p) {
			continue
		}
		// AWS refuses a rule that references a group of another region
		// (across an inter-region peering, say): written anyway, it never
		// matches (S-22).
		own, other := v.x.OwnerVPC(sg.ID), v.x.OwnerVPC(p.Ref)
		if own != nil && other != nil && own.Region != "" && other.Region != "" && own.Region != other.Region {
			v.add(SeverityWarning, src.Elem(key, i), ErrConflict, "S-22", "%s references %s, a group of %s in %s; AWS does not allow references to groups in another region (%s), so the rule matches nothing: use the peer's CIDR blocks",
				sg.ID, p.Ref, other.ID, other.Region, own.Region)
		}
	}
}

// peerAccount checks the account of a peer written ACCOUNT/GROUP-ID: a
// listed account (when the model lists accounts), a security group, and the
// group's own account: its VPC's, or one its subnets are shared with. An
// outside_snapshot group, and a group of a VPC without an account, are
// not checked against it.
func (v *validator) peerAccount(src Source, p Peer) bool {
	if v.x.Kind(p.Ref) != KindSecurityGroup {
		v.errorf(src, ErrWrongRef, "%q is a %s: only a security group is written ACCOUNT/GROUP-ID", p.Ref, v.x.Kind(p.Ref))
		return false
	}
	before := len(v.list)
	v.account(src, p.Account)
	if len(v.list) > before {
		return false
	}
	vpc := v.x.OwnerVPC(p.Ref)
	if g := v.x.SecurityGroup(p.Ref); g.OutsideSnapshot || vpc == nil || vpc.Account == "" || vpc.Account == p.Account {
		return true
	}
	for _, sn := range vpc.Subnets {
		if slices.Contains(sn.SharedWith, p.Account) {
			return true
		}
	}
	v.errorf(src, ErrConflict, "security group %s belongs to account %s (its VPC %s), not %s", p.Ref, vpc.Account, vpc.ID, p.Account)
	return false
}

// addrBook finds addresses used twice in one VPC.
type addrBook struct {
	v    *validator
	vpc  *VPC
	used map[netip.Addr]addrUse
}

// addrUse is the first use of an address: by whom, where it is written.
type addrUse struct {
	owner ID
	pos   Position
}

func newAddrBook(v *validator, vpc *VPC) *addrBook {
	return &addrBook{v: v, vpc: vpc, used: map[netip.Addr]addrUse{}}
}

// claim checks that a is a usable address of subnet (S-02) and not taken.
func (b *addrBook) claim(src Source, a netip.Addr, subnet ID, owner ID) {
	if !a.IsValid() {
		return
	}
	sn := b.v.x.Subnet(subnet)
	c, inRule, reservedRule := netip.Prefix{}, "S-03", "S-02"
	if sn != nil {
		c = sn.CIDRBlock
		if a.Is6() {
			c, inRule, reservedRule = sn.IPv6CIDRBlock, "V-02", "V-02"
		}
	}
	if c.IsValid() && b.v.x.OwnerVPC(subnet) == b.vpc {
		switch {
		case !c.Contains(a):
			b.v.add(SeverityError, src, ErrAddress, inRule, "%s is not inside subnet %s (%s)", a, subnet, c)
		case isReserved(c, a):
			b.v.add(SeverityError, src, ErrAddress, reservedRule, "%s is reserved in subnet %s (%s): AWS keeps the first four and the last address", a, subnet, c)
		}
	}
	if prev, dup := b.used[a]; dup {
		// The same text used again through a YAML alias is the same
		// resource repeated: its duplicate id says so.
		if !prev.pos.IsValid() || prev.pos != src.Position {
			b.v.errorf(src, ErrAddress, "%s is already used by %s in %s", a, prev.owner, b.vpc.ID)
		}
		return
	}
	b.used[a] = addrUse{owner, src.Position}
}

// isReserved reports whether a is one of the five addresses AWS reserves in
// subnet c (S-02).
func isReserved(c netip.Prefix, a netip.Addr) bool {
	base := c.Addr()
	for range 4 {
		if a == base {
			return true
		}
		base = base.Next()
	}
	return a == netipx.PrefixLastIP(c)
}

// ReservedAddresses returns the five addresses AWS reserves in a subnet
// (S-02): network, VPC router, DNS, future use, broadcast.
func ReservedAddresses(subnet netip.Prefix) []netip.Addr {
	out := make([]netip.Addr, 0, 5)
	a := subnet.Masked().Addr()
	for range 4 {
		out = append(out, a)
		a = a.Next()
	}
	return append(out, netipx.PrefixLastIP(subnet.Masked()))
}

func (v *validator) iface(vpc *VPC, in *Interface, src Source, owner ID, addrs *addrBook) {
	v.account(src.Field("account"), in.Account)
	if sn := v.x.Subnet(in.Subnet); sn != nil && in.Account != "" && in.Account != vpc.Account && !slices.Contains(sn.SharedWith, in.Account) {
		v.add(SeverityError, src.Field("account"), ErrConflict, "S-04", "subnet %s is not shared with account %s; list it in the subnet's shared_with", sn.ID, in.Account)
	}
	if v.inVPC(src.Field("subnet"), in.Subnet, vpc, "subnet", KindSubnet) {
		addrs.claim(src.Field("private_ip"), in.PrivateIP, in.Subnet, owner)
		for i, a := range in.SecondaryIPs {
			addrs.claim(src.Elem("secondary_ips", i), a, in.Subnet, owner)
		}
		v.ifaceIPv6(in, src, owner, addrs)
	}
	if in.PublicIP.IsValid() && in.ElasticIP.IsValid() {
		v.errorf(src.Field("elastic_ip"), ErrConflict, "give public_ip or elastic_ip, not both")
	}
	for _, f := range []struct {
		key string
		a   netip.Addr
	}{{"public_ip", in.PublicIP}, {"elastic_ip", in.ElasticIP}} {
		if f.a.IsValid() && f.a.IsPrivate() {
			v.add(SeverityWarning, src.Field(f.key), ErrAddress, "S-60", "%s %s is a private (RFC 1918) address", f.key, f.a)
		}
	}
	v.assumed(src, owner, in.AssumedIPs, append(append([]netip.Addr{in.PrivateIP, in.PublicIP, in.ElasticIP}, in.SecondaryIPs...), in.IPv6Addresses...))
	v.groups(src, vpc, in.SecurityGroups, 16)
}

// assumed checks a resource's assumed_ips: each is one of the addresses
// it holds, listed once.
func (v *validator) assumed(src Source, owner ID, assumed, held []netip.Addr) {
	for i, a := range assumed {
		switch {
		case !slices.Contains(held, a):
			v.errorf(src.Elem("assumed_ips", i), ErrConflict, "%s is not an address of %s: assumed_ips lists some of its own addresses", a, owner)
		case slices.Index(assumed, a) < i:
			v.errorf(src.Elem("assumed_ips", i), ErrConflict, "%s is listed twice", a)
		}
	}
}

// groups checks a list of security groups: in the VPC, no repeats, at most
// max.
func (v *validator) groups(src Source, vpc *VPC, ids []ID, max int) {
	if len(ids) > max {
		v.add(SeverityError, src.Field("security_groups"), ErrQuota, "S-03", "%d security groups; at most %d", len(ids), max)
	}
	seen := map[ID]bool{}
	for i, g := range ids {
		if seen[g] {
			v.errorf(src.Elem("security_groups", i), ErrConflict, "security group %q is listed twice", g)
		}
		seen[g] = true
		v.inVPC(src.Elem("security_groups", i), g, vpc, "security group", KindSecurityGroup)
	}
}

func (v *validator) natGateway(vpc *VPC, n *NATGateway, addrs *addrBook) {
	if v.inVPC(n.Source.Field("subnet"), n.Subnet, vpc, "subnet", KindSubnet) {
		v.notInIPv6Only(n.Source.Field("subnet"), n.Subnet, "NAT gateway")
		addrs.claim(n.Source.Field("private_ip"), n.PrivateIP, n.Subnet, n.ID)
	}
	v.assumed(n.Source, n.ID, n.AssumedIPs, []netip.Addr{n.PrivateIP, n.PublicIP})
	switch {
	case n.Connectivity == NATPublic && !n.PublicIP.IsValid():
		v.add(SeverityError, n.Source.Field("public_ip"), ErrMissingField, "S-61", "a public NAT gateway needs public_ip (its Elastic IP)")
	case n.Connectivity == NATPrivate && n.PublicIP.IsValid():
		v.add(SeverityError, n.Source.Field("public_ip"), ErrConflict, "S-61", "a private NAT gateway has no public_ip")
	}
}

// subnetsOnePerAZ checks a list of subnets of vpc holding one interface per
// availability zone, and that addresses, when given, match them.
func (v *validator) subnetsOnePerAZ(src Source, vpc *VPC, subnets []ID, ips []netip.Addr, ipKey string, owner ID, addrs *addrBook, rule string) {
	azs := map[string]ID{}
	for i, s := range subnets {
		es := src.Elem("subnets", i)
		if !v.inVPC(es, s, vpc, "subnet", KindSubnet) {
			continue
		}
		az := v.x.Subnet(s).AZ
		if prev, dup := azs[az]; dup {
			v.add(SeverityError, es, ErrConflict, rule, "subnets %s and %s are both in %s; give one subnet per availability zone", prev, s, az)
		}
		azs[az] = s
	}
	if len(ips) > 0 && len(ips) != len(subnets) {
		v.errorf(src.Field(ipKey), ErrConflict, "%s for %s; give one per subnet, in the same order", countOf(len(ips), "address", "addresses"), countOf(len(subnets), "subnet", "subnets"))
		return
	}
	for i, a := range ips {
		if i < len(subnets) && v.x.Subnet(subnets[i]) != nil && v.x.OwnerVPC(subnets[i]) == vpc {
			addrs.claim(src.Elem(ipKey, i), a, subnets[i], owner)
		}
	}
}

// awsServiceName matches com.amazonaws.REGION.SERVICE.
var awsServiceName = regexp.MustCompile(`^com\.amazonaws\.([a-z0-9-]+)\.([a-z0-9.-]+)$`)

func (v *validator) endpoint(vpc *VPC, e *Endpoint, addrs *addrBook) {
	src := e.Source
	v.account(src.Field("account"), e.Account)
	svc := v.endpointTarget(src.Field("service"), e.Service)
	switch e.Type {
	case EndpointGateway:
		if m := awsServiceName.FindStringSubmatch(e.Service); m == nil || (m[2] != "s3" && m[2] != "dynamodb") {
			v.add(SeverityError, src.Field("service"), ErrInvalidValue, "S-70", "gateway endpoints serve only com.amazonaws.REGION.s3 and com.amazonaws.REGION.dynamodb, not %q", e.Service)
		} else if m[1] != vpc.Region {
			v.add(SeverityError, src.Field("service"), ErrInvalidValue, "S-70", "gateway endpoint service %s is in region %s; %s is in %s (gateway endpoints are same-region only)", e.Service, m[1], vpc.ID, vpc.Region)
		}
		if len(e.Subnets) > 0 || len(e.SecurityGroups) > 0 || len(e.PrivateIPs) > 0 || len(e.IPv6IPs) > 0 || e.PrivateDNS {
			v.errorf(src, ErrConflict, "a gateway endpoint has route_tables only (no subnets, security_groups, private_ips, ipv6_ips or private_dns)")
		}
		v.gatewayDNSRecordType(vpc, e)
		for i, rt := range e.RouteTables {
			if v.inVPC(src.Elem("route_tables", i), rt, vpc, "route table", KindRouteTable) {
				v.gatewayEndpointFamilies(vpc, e, src.Elem("route_tables", i), rt)
			}
		}
		v.endpointAddressType(e)
	case EndpointInterface, EndpointGatewayLoadBalancer:
		if len(e.RouteTables) > 0 {
			v.errorf(src.Field("route_tables"), ErrConflict, "only gateway endpoints take route_tables")
		}
		if len(e.Subnets) == 0 {
			v.add(SeverityError, src.Field("subnets"), ErrMissingField, "S-71", "an %s endpoint needs subnets", e.Type)
		}
		v.subnetsOnePerAZ(src, vpc, e.Subnets, e.PrivateIPs, "private_ips", e.ID, addrs, "S-71")
		v.endpointFamilies(vpc, e, svc, addrs)
		v.assumed(src, e.ID, e.AssumedIPs, append(slices.Clone(e.PrivateIPs), e.IPv6IPs...))
		v.groups(src, vpc, e.SecurityGroups, 16)
		if e.Type == EndpointGatewayLoadBalancer && svc == nil {
			v.errorf(src.Field("service"), ErrWrongRef, "a gateway load balancer endpoint connects to an endpoint service of this model")
		}
		if e.PrivateDNS && !(vpc.DNS.SupportEnabled() && vpc.DNS.HostnamesEnabled()) {
			v.add(SeverityWarning, src.Field("private_dns"), ErrConflict, "S-72", "private DNS needs the VPC's DNS support and DNS hostnames; %s has support=%t hostnames=%t, so the name will not resolve to the endpoint",
				vpc.ID, vpc.DNS.SupportEnabled(), vpc.DNS.HostnamesEnabled())
		}
	}
}

// endpointTarget resolves an endpoint's service: an AWS service name, or an
// endpoint service by id or name. It returns the endpoint service, if any.
func (v *validator) endpointTarget(src Source, s string) *EndpointService {
	if s == "" {
		return nil
	}
	if es := v.x.EndpointServiceFor(s); es != nil {
		return es
	}
	if strings.HasPrefix(s, "vpce-svc-") || strings.HasPrefix(s, "com.amazonaws.vpce.") {
		names := v.x.IDs(KindEndpointService)
		if sug := Suggest(s, names); sug != "" {
			v.errorf(src, ErrUnknownRef, "unknown endpoint service %q (did you mean %q?)", s, sug)
		} else {
			v.errorf(src, ErrUnknownRef, "unknown endpoint service %q", s)
		}
		return nil
	}
	if !awsServiceName.MatchString(s) {
		v.errorf(src, ErrInvalidValue, "%q is neither an AWS service name (com.amazonaws.REGION.SERVICE) nor an endpoint service of this model", s)
	}
	return nil
}

// ServiceName returns the service's name, or the default
// com.amazonaws.vpce.REGION.ID.
func (s EndpointService) ServiceName() string {
	if s.Name != "" {
		return s.Name
	}
	return fmt.Sprintf("com.amazonaws.vpce.%s.%s", s.Region, s.ID)
}

// Serves reports whether an endpoint's service field names this service:
// by id or by service name.
func (s EndpointService) Serves(service string) bool {
	return service == string(s.ID) || service == s.ServiceName()
}

func (v *validator) loadBalancer(vpc *VPC, lb *LoadBalancer, addrs *addrBook) {
	src := lb.Source
	if len(lb.Subnets) == 0 {
		v.add(SeverityError, src.Field("subnets"), ErrMissingField, "S-80", "a load balancer needs at least one subnet")
	}
	v.subnetsOnePerAZ(src, vpc, lb.Subnets, lb.PrivateIPs, "private_ips", lb.ID, addrs, "S-80")
	v.loadBalancerFamilies(vpc, lb, addrs)
	v.assumed(src, lb.ID, lb.AssumedIPs, append(append(slices.Clone(lb.PrivateIPs), lb.PublicIPs...), lb.IPv6IPs...))
	if len(lb.PublicIPs) > 0 {
		if lb.Scheme != SchemeInternetFacing {
			v.add(SeverityError, src.Field("public_ips"), ErrConflict, "S-82", "an internal load balancer has no public addresses")
		} else if len(lb.PublicIPs) != len(lb.Subnets) {
			v.errorf(src.Field("public_ips"), ErrConflict, "%s for %s; give one per subnet", countOf(len(lb.PublicIPs), "public address", "public addresses"), countOf(len(lb.Subnets), "subnet", "subnets"))
		}
	}
	v.groups(src, vpc, lb.SecurityGroups, 5)
	ports := map[uint16]bool{}
	for i := range lb.Listeners {
		l := &lb.Listeners[i]
		if ports[l.Port] {
			v.errorf(l.Source.Field("port"), ErrConflict, "two listeners on port %d", l.Port)
		}
		ports[l.Port] = true
		if lb.Type != LBGateway {
			if l.Port == 0 {
				v.errorf(l.Source.Field("port"), ErrMissingField, "a listener needs a port, 1-65535")
			}
			if l.Protocol == 0 {
				v.errorf(l.Source.Field("protocol"), ErrMissingField, "a listener needs a protocol")
			}
		}
		if v.inVPC(l.Source.Field("target_group"), l.TargetGroup, vpc, "target group", KindTargetGroup) {
			if tg := v.x.TargetGroup(l.TargetGroup); tg.AddressType() == IPAddressIPv6 && !lb.AddressType().HasIPv6() {
				v.add(SeverityError, l.Source.Field("target_group"), ErrConflict, "V-34", "target group %s is ipv6, and an IPv6 target group is used only by dualstack load balancers; %s is %s", tg.ID, lb.ID, lb.AddressType())
			}
			if tg := v.x.TargetGroup(l.TargetGroup); lb.Type == LBNetwork && tg.Protocol != 0 && l.Protocol != tg.Protocol && !(l.Protocol == ListenerTLS && tg.Protocol == ListenerTCP) {
				v.add(SeverityWarning, l.Source.Field("protocol"), ErrConflict, "S-80", "listener protocol %s forwards to target group %s of protocol %s", l.Protocol, tg.ID, tg.Protocol)
			}
		}
	}
}

func (v *validator) targetGroup(vpc *VPC, tg *TargetGroup) {
	if tg.Port == 0 && tg.TargetType != TargetLambda {
		v.add(SeverityError, tg.Source.Field("port"), ErrMissingField, "S-81", "a target group of type %s needs a port", tg.TargetType)
	}
	if tt := tg.TargetType.String(); !FieldAccepts("TargetGroup.TargetType", tt) {
		v.errorf(tg.Source.Field("target_type"), ErrInvalidValue, "%s targets are not modelled: a target group's targets are %s", tt, fieldValuesText("TargetGroup.TargetType"))
	}
	six := v.targetGroupFamily(tg)
	for i := range tg.Targets {
		t := &tg.Targets[i]
		if tg.TargetType == TargetIP && t.IP.IsValid() && t.IP.Is6() != six {
			v.add(SeverityError, t.Source.Field("ip"), ErrAddress, "V-34", "ip target %s is not of the target group's IP address type %s: a target group's targets are all of its family", t.IP, tg.AddressType())
			continue
		}
		if tg.TargetType == TargetIP && six {
			if !slices.ContainsFunc(vpc.IPv6CIDRBlocks, func(b netip.Prefix) bool { return b.Contains(t.IP) }) && ipv6BlocksKnown(vpc) {
				v.add(SeverityError, t.Source.Field("ip"), ErrAddress, "V-34", "ip target %s is outside the IPv6 blocks of %s (%s)", t.IP, vpc.ID, joinPrefixes(vpc.IPv6CIDRBlocks))
			}
			continue
		}
		switch tg.TargetType {
		case TargetInstance:
			if t.IP.IsValid() || t.ID == "" {
				v.add(SeverityError, t.Source, ErrConflict, "S-81", "targets of an instance target group are given by id")
				continue
			}
			if v.inVPC(t.Source.Field("id"), t.ID, vpc, "instance", KindInstance) && six {
				if in := v.x.Instance(t.ID); in != nil && len(in.IPv6Addresses) == 0 {
					v.add(SeverityError, t.Source.Field("id"), ErrConflict, "V-34", "instance %s has no IPv6 address; an instance registered with an ipv6 target group needs a primary IPv6 address, which the load balancer sends to", t.ID)
				}
			}
		case TargetIP:
			if !t.IP.IsValid() || t.ID != "" {
				v.add(SeverityError, t.Source, ErrConflict, "S-81", "targets of an ip target group are given by ip")
				continue
			}
			if !blocksKnown(vpc) {
				continue // whether the target is inside the VPC is unknown
			}
			inVPC := slices.ContainsFunc(vpc.CIDRBlocks, func(b netip.Prefix) bool { return b.Contains(t.IP) })
			if !inVPC && !t.IP.IsPrivate() && !sharedAddressSpace.Contains(t.IP) {
				v.add(SeverityError, t.Source.Field("ip"), ErrAddress, "S-81", "ip target %s is publicly routable; ip targets are in the VPC's subnets or private ranges (RFC 1918, 100.64.0.0/10)", t.IP)
			} else if !inVPC && t.AZ != "all" {
				v.add(SeverityError, t.Source.Field("ip"), ErrAddress, "S-81", "ip target %s is outside %s; a target outside the VPC needs az: all", t.IP, vpc.ID)
			}
		case TargetALB:
			if t.ID == "" {
				v.add(SeverityError, t.Source, ErrMissingField, "S-81", "targets of an alb target group are given by id")
				continue
			}
			if v.inVPC(t.Source.Field("id"), t.ID, vpc, "load balancer", KindLoadBalancer) && v.x.LoadBalancer(t.ID).Type != LBApplication {
				v.errorf(t.Source.Field("id"), ErrWrongRef, "%q is not an application load balancer", t.ID)
			}
		}
	}
}

func (v *validator) peerings() {
	pairs := map[[2]ID]ID{}
	for i := range v.m.PeeringConnections {
		p := &v.m.PeeringConnections[i]
		okR := v.ref(p.Source.Field("requester"), p.Requester, "VPC", KindVPC)
		okA := v.ref(p.Source.Field("accepter"), p.Accepter, "VPC", KindVPC)
		if !okR || !okA {
			continue
		}
		if p.Requester == p.Accepter {
			v.errorf(p.Source.Field("accepter"), ErrConflict, "a peering connection joins two different VPCs")
			continue
		}
		key := [2]ID{min(p.Requester, p.Accepter), max(p.Requester, p.Accepter)}
		if prev, dup := pairs[key]; dup && p.Status == PeeringActive {
			v.add(SeverityError, p.Source, ErrConflict, "S-44", "%s and %s are already peered by %s; two VPCs have at most one active peering", p.Requester, p.Accepter, prev)
		} else if p.Status == PeeringActive {
			pairs[key] = p.ID
		}
		r, a := v.x.VPC(p.Requester), v.x.VPC(p.Accepter)
		if !p.Status.Live() {
			// AWS creates a peering between overlapping VPCs and moves it to
			// failed; a dead peering is a faithful record, not an error.
			continue
		}
		if c1, c2, ok := firstOverlap(r.CIDRBlocks, a.CIDRBlocks); ok {
			v.add(SeverityError, p.Source, ErrAddress, "S-41", "%s (%s) and %s (%s) overlap; overlapping VPCs cannot be peered", r.ID, c1, a.ID, c2)
		} else if c1, c2, ok := firstOverlap(r.IPv6CIDRBlocks, a.IPv6CIDRBlocks); ok {
			v.add(SeverityError, p.Source, ErrAddress, "V-13", "%s (%s) and %s (%s) overlap; VPCs with overlapping IPv6 blocks cannot be peered", r.ID, c1, a.ID, c2)
		}
	}
}

// sharedAddressSpace is RFC 6598's 100.64.0.0/10, allowed for ip targets.
var sharedAddressSpace = netip.MustParsePrefix("100.64.0.0/10")

// firstOverlap returns the first pair of overlapping prefixes of a and b.
func firstOverlap(a, b []netip.Prefix) (netip.Prefix, netip.Prefix, bool) {
	for _, x := range a {
		for _, y := range b {
			if x.Overlaps(y) {
				return x, y, true
			}
		}
	}
	return netip.Prefix{}, netip.Prefix{}, false
}

func (v *validator) transitGateways() {
	for ti := range v.m.TransitGateways {
		t := &v.m.TransitGateways[ti]
		v.account(t.Source.Field("account"), t.Account)
		own := func(src Source, id ID, what string, k Kind) bool {
			if !v.ref(src, id, what, k) {
				return false
			}
			if o := v.x.OwnerTransitGateway(id); o != nil && o.ID != t.ID {
				v.errorf(src, ErrWrongRef, "%s %q belongs to transit gateway %s, not %s", what, id, o.ID, t.ID)
				return false
			}
			return true
		}
		for i := range t.RouteTables {
			for j := range t.RouteTables[i].Routes {
				r := &t.RouteTables[i].Routes[j]
				v.destination(r.Source.Field("destination"), r.Destination)
				switch {
				case r.Blackhole && r.Attachment != "":
					v.add(SeverityError, r.Source.Field("blackhole"), ErrConflict, "S-52", "a route has an attachment or is a blackhole, not both")
				case !r.Blackhole && r.Attachment == "":
					v.add(SeverityError, r.Source.Field("attachment"), ErrMissingField, "S-52", "a route needs an attachment (or blackhole: true)")
				case r.Attachment != "":
					own(r.Source.Field("attachment"), r.Attachment, "attachment", KindTGWAttachment)
				}
			}
		}
		for _, f := range []struct {
			key string
			id  ID
		}{{"default_association_route_table", t.DefaultAssociationRouteTable}, {"default_propagation_route_table", t.DefaultPropagationRouteTable}} {
			if f.id != "" {
				own(t.Source.Field(f.key), f.id, "transit gateway route table", KindTGWRouteTable)
			}
		}
		for i := range t.Attachments {
			a := &t.Attachments[i]
			v.account(a.Source.Field("account"), a.Account)
			if a.Association != "" {
				own(a.Source.Field("association"), a.Association, "transit gateway route table", KindTGWRouteTable)
			}
			for j, p := range a.Propagations {
				own(a.Source.Elem("propagations", j), p, "transit gateway route table", KindTGWRouteTable)
			}
			v.attachment(t, a)
		}
	}
}

func (v *validator) attachment(t *TransitGateway, a *TGWAttachment) {
	src := a.Source
	switch a.Type {
	case AttachmentVPC:
		if a.VPC == "" {
			v.errorf(src.Field("vpc"), ErrMissingField, "a vpc attachment names its vpc")
			return
		}
		if !v.ref(src.Field("vpc"), a.VPC, "VPC", KindVPC) {
			return
		}
		vpc := v.x.VPC(a.VPC)
		if vpc.Region != t.Region {
			v.add(SeverityError, src.Field("vpc"), ErrWrongRef, "S-50", "%s is in %s; transit gateway %s is in %s (attach VPCs of the gateway's region)", vpc.ID, vpc.Region, t.ID, t.Region)
		}
		if len(a.Subnets) == 0 {
			v.add(SeverityError, src.Field("subnets"), ErrMissingField, "S-51", "a vpc attachment needs at least one subnet")
		}
		v.subnetsOnePerAZ(src, vpc, a.Subnets, nil, "", a.ID, nil, "S-51")
	case AttachmentPeering:
		if len(a.Propagations) > 0 {
			v.add(SeverityError, src.Field("propagations"), ErrConflict, "S-54", "peering attachments do not propagate routes; add static routes")
		}
		if a.Peer == "" {
			v.errorf(src.Field("peer"), ErrMissingField, "a peering attachment names its peer attachment on the other transit gateway")
			return
		}
		if !v.ref(src.Field("peer"), a.Peer, "transit gateway attachment", KindTGWAttachment) {
			return
		}
		peer := v.x.TGWAttachment(a.Peer)
		if o := v.x.OwnerTransitGateway(a.Peer); o.ID == t.ID {
			v.errorf(src.Field("peer"), ErrWrongRef, "peer attachment %q is on the same transit gateway", a.Peer)
		} else if peer.Type != AttachmentPeering {
			v.errorf(src.Field("peer"), ErrWrongRef, "peer attachment %q is a %s attachment, not peering", a.Peer, peer.Type)
		} else if peer.Peer != a.ID {
			v.errorf(src.Field("peer"), ErrConflict, "peer attachment %q names %q as its peer, not %q", a.Peer, peer.Peer, a.ID)
		}
	}
	if a.Type != AttachmentVPC && (a.VPC != "" || len(a.Subnets) > 0) {
		v.errorf(src.Field("vpc"), ErrConflict, "only vpc attachments take vpc and subnets")
	}
	if a.Type != AttachmentVPC && a.ApplianceMode {
		v.errorf(src.Field("appliance_mode"), ErrConflict, "only vpc attachments take appliance_mode")
	}
	if a.Type != AttachmentVPC && a.IPv6Support {
		v.add(SeverityError, src.Field("ipv6_support"), ErrConflict, "V-14", "only vpc attachments take ipv6_support")
	}
	if a.Type != AttachmentVPC && a.SecurityGroupReferencing != nil {
		v.errorf(src.Field("security_group_referencing"), ErrConflict, "only vpc attachments take security_group_referencing")
	}
	switch {
	case a.OutsideSnapshot && a.Type != AttachmentVPN && a.Type != AttachmentDirectConnect:
		v.errorf(src.Field("outside_snapshot"), ErrConflict, "only vpn and direct-connect-gateway attachments take outside_snapshot (the networks they learn by BGP)")
	case a.OutsideSnapshot:
		v.add(SeverityWarning, src.Field("outside_snapshot"), ErrOutsideSnapshot, "", "the networks behind %s attachment %s (learned by BGP) are outside the imported snapshot: traffic its route tables have no route for is unknown (OUTSIDE_SNAPSHOT), not \"no\"", a.Type, a.ID)
	}
}

func (v *validator) prefixLists() {
	for i := range v.m.PrefixLists {
		pl := &v.m.PrefixLists[i]
		if pl.MaxEntries != 0 && pl.MaxEntries < len(pl.CIDRs) {
			v.errorf(pl.Source.Field("max_entries"), ErrConflict, "max_entries %d is less than the %d CIDRs listed", pl.MaxEntries, len(pl.CIDRs))
		}
		for j, c := range pl.CIDRs {
			if c.IsValid() && pl.CIDRs[0].IsValid() && c.Addr().Is6() != pl.CIDRs[0].Addr().Is6() {
				v.add(SeverityError, pl.Source.Elem("cidrs", j), ErrConflict, "V-04", "%s is of another address family than %s: a prefix list holds IPv4 or IPv6 CIDRs, not both", c, pl.CIDRs[0])
				break
			}
		}
	}
}

func (v *validator) endpointServices() {
	for i := range v.m.EndpointServices {
		s := &v.m.EndpointServices[i]
		v.account(s.Source.Field("account"), s.Account)
		for j, lb := range s.LoadBalancers {
			es := s.Source.Elem("load_balancers", j)
			if !v.ref(es, lb, "load balancer", KindLoadBalancer) {
				continue
			}
			l := v.x.LoadBalancer(lb)
			if l.Type == LBApplication {
				v.add(SeverityError, es, ErrWrongRef, "S-73", "%q is an application load balancer; endpoint services use network or gateway load balancers", lb)
			}
			if vpc := v.x.OwnerVPC(lb); vpc.Region != s.Region {
				v.add(SeverityError, es, ErrWrongRef, "S-75", "load balancer %q is in %s; the service is in %s", lb, vpc.Region, s.Region)
			}
			if s.AcceptsIPv6() && !l.IPAddressType.HasIPv6() {
				v.add(SeverityError, es, ErrConflict, "V-32", "endpoint service %s accepts IPv6 requests, so its load balancers must be dualstack; %s is %s", s.ID, lb, l.AddressType())
			}
		}
		v.supportedIPAddressTypes(s)
		for j := range s.Connections {
			c := &s.Connections[j]
			if !v.ref(c.Source.Field("endpoint"), c.Endpoint, "endpoint", KindEndpoint) {
				continue
			}
			e := v.x.Endpoint(c.Endpoint)
			if !s.Serves(e.Service) {
				v.errorf(c.Source.Field("endpoint"), ErrWrongRef, "endpoint %q connects to %q, not to this service", c.Endpoint, e.Service)
			}
			if e.State != 0 && c.State != 0 && e.State != c.State {
				v.add(SeverityError, c.Source.Field("state"), ErrConflict, "S-73", "connection state %s contradicts endpoint %s's state %s", c.State, e.ID, e.State)
			}
		}
	}
}

func (v *validator) hostedZones() {
	for i := range v.m.HostedZones {
		z := &v.m.HostedZones[i]
		v.account(z.Source.Field("account"), z.Account)
		zone := normName(z.Name)
		for j, id := range z.VPCs {
			if v.ref(z.Source.Elem("vpcs", j), id, "VPC", KindVPC) && z.IsPrivate() {
				if d := v.x.VPC(id).DNS; !d.SupportEnabled() || !d.HostnamesEnabled() {
					v.add(SeverityWarning, z.Source.Elem("vpcs", j), ErrConflict, "S-90", "private zone %s is associated with %s, whose DNS support or DNS hostnames is off: Route 53 needs both for private zones", z.Name, id)
				}
			}
		}
		if z.IsPrivate() && len(z.VPCs) == 0 {
			v.add(SeverityWarning, z.Source.Field("vpcs"), ErrMissingField, "S-90", "private zone %s is associated with no VPC: it answers nowhere", z.Name)
		}
		cnames := map[string]int{} // the first CNAME record of each name
		for j := range z.Records {
			r := &z.Records[j]
			name := normName(r.Name)
			if name != zone && !strings.HasSuffix(name, "."+zone) {
				switch {
				case strings.HasSuffix(strings.TrimSpace(r.Name), "."):
					v.add(SeverityError, r.Source.Field("name"), ErrInvalidValue, "S-90", "record %s is not inside zone %s", r.Name, z.Name)
				case strings.Contains(name, "."):
					v.add(SeverityWarning, r.Source.Field("name"), ErrInvalidValue, "S-90", "record %s is taken as relative to the zone (%s.%s); end it with a dot if it is a full name outside the zone", r.Name, name, zone)
				}
				name += "." + zone
			}
			switch r.Type {
			case RecordA, RecordAAAA:
				v.recordAddresses(r)
			case RecordCNAME:
				if len(r.Values) != 1 {
					v.add(SeverityError, r.Source.Field("values"), ErrInvalidValue, "S-91", "a CNAME record has exactly one value (a name)")
				}
				if name == zone {
					v.add(SeverityError, r.Source.Field("name"), ErrInvalidValue, "S-91", "a CNAME record cannot be at the zone apex %s; use an ALIAS record", z.Name)
				}
			case RecordAlias:
				if r.Target == "" {
					v.add(SeverityError, r.Source.Field("target"), ErrMissingField, "S-91", "an ALIAS record needs a target")
				}
			}
			if r.Type != RecordAlias && r.Target != "" {
				v.errorf(r.Source.Field("target"), ErrConflict, "only ALIAS records take a target; use values")
			}
			if _, ok := cnames[name]; !ok && r.Type == RecordCNAME {
				cnames[name] = j
			}
		}
		for j := range z.Records {
			r := &z.Records[j]
			name := normName(r.Name)
			if name != zone && !strings.HasSuffix(name, "."+zone) {
				name += "." + zone
			}
			if c, ok := cnames[name]; ok && r.Type != RecordCNAME {
				v.add(SeverityError, r.Source.Field("type"), ErrConflict, "S-91", "%s has a CNAME record (records[%d]); Route 53 allows no other record of the same name beside a CNAME", r.Name, c)
			}
		}
	}
}

// recordAddresses checks the values of an A record (IPv4 addresses) or an
// AAAA record (IPv6 addresses, V-15).
func (v *validator) recordAddresses(r *Record) {
	want, is := "IPv4", netip.Addr.Is4
	if r.Type == RecordAAAA {
		want, is = "IPv6", func(a netip.Addr) bool { return a.Is6() && !a.Is4In6() }
	}
	if len(r.Values) == 0 {
		v.errorf(r.Source.Field("values"), ErrMissingField, "an %s record needs values (addresses)", r.Type)
	}
	for k, s := range r.Values {
		a, err := netip.ParseAddr(strings.TrimSpace(s))
		switch {
		case err != nil:
			v.errorf(r.Source.Elem("values", k), ErrInvalidValue, "%q is not an %s address", s, want)
		case !is(a):
			other := "AAAA"
			if r.Type == RecordAAAA {
				other = "A"
			}
			v.add(SeverityError, r.Source.Elem("values", k), ErrInvalidValue, "V-15", "%q is not an %s address: an %s record holds %s addresses; write it in an %s record", s, want, r.Type, want, other)
		}
	}
}

// normName lowercases a DNS name and drops the final dot.
func normName(s string) string { return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".") }

func (v *validator) externalNetworks() {
	for i := range v.m.ExternalNetworks {
		n := &v.m.ExternalNetworks[i]
		src := n.Source.Field("via")
		if !v.ref(src, n.Via, "virtual private gateway or transit gateway attachment", KindVPNGateway, KindTGWAttachment) {
			continue
		}
		if a := v.x.TGWAttachment(n.Via); a != nil && a.Type != AttachmentVPN && a.Type != AttachmentDirectConnect {
			v.errorf(src, ErrWrongRef, "attachment %q is a %s attachment; external networks are reached through vpn or direct-connect-gateway attachments", n.Via, a.Type)
			continue
		}
		v.externalFamilies(n)
	}
	v.vpnInsideVersions()
}

// ExternalConnectionOf returns the kind of connection external network n
// is reached by: its connection field, else the type of its transit
// gateway attachment (vpn or direct-connect-gateway), else vpn, a virtual
// private gateway's default (V-35). x indexes the network's model.
func ExternalConnectionOf(x *Index, n *ExternalNetwork) ExternalConnection {
	if n.Connection != 0 {
		return n.Connection
	}
	if a := x.TGWAttachment(n.Via); a != nil && a.Type == AttachmentDirectConnect {
		return ConnectionDirectConnect
	}
	return ConnectionVPN
}

// TunnelInsideVersion returns the IP version a VPN connection's tunnels
// carry: tunnel_inside_ip_version, ipv4 when unset (V-35).
func (n *ExternalNetwork) TunnelInsideVersion() IPAddressType {
	if n.TunnelInsideIPVersion == 0 {
		return IPAddressIPv4
	}
	return n.TunnelInsideIPVersion
}

// externalFamilies checks that external network n's connection carries
// the families of its cidrs (V-35): Direct Connect carries both, a VPN
// connection the one IP version of its tunnels, and a VPN on a virtual
// private gateway IPv4 only.
func (v *validator) externalFamilies(n *ExternalNetwork) {
	att := v.x.TGWAttachment(n.Via)
	conn := ExternalConnectionOf(v.x, n)
	if att != nil && n.Connection != 0 {
		want := ConnectionVPN
		if att.Type == AttachmentDirectConnect {
			want = ConnectionDirectConnect
		}
		if n.Connection != want {
			v.add(SeverityError, n.Source.Field("connection"), ErrConflict, "V-35", "connection is %s, but %s is a %s attachment", n.Connection, n.Via, att.Type)
			return
		}
	}
	ver := n.TunnelInsideIPVersion
	switch {
	case ver != 0 && !FieldAccepts("ExternalNetwork.TunnelInsideIPVersion", ver.String()):
		v.add(SeverityError, n.Source.Field("tunnel_inside_ip_version"), ErrInvalidValue, "V-35", "a VPN connection's tunnels carry %s, not %s", fieldValuesText("ExternalNetwork.TunnelInsideIPVersion"), ver)
		return
	case ver != 0 && conn != ConnectionVPN:
		v.add(SeverityError, n.Source.Field("tunnel_inside_ip_version"), ErrConflict, "V-35", "tunnel_inside_ip_version applies to a VPN connection; %s is reached over Direct Connect, which carries IPv4 and IPv6", n.ID)
		return
	case ver == IPAddressIPv6 && att == nil:
		v.add(SeverityError, n.Source.Field("tunnel_inside_ip_version"), ErrConflict, "V-35", "a Site-to-Site VPN on a virtual private gateway carries IPv4 only: IPv6 inside the tunnels needs a VPN attachment on a transit gateway")
		return
	}
	if conn != ConnectionVPN {
		return
	}
	want := n.TunnelInsideVersion()
	for i, c := range n.CIDRs {
		if c.Addr().Is6() == (want == IPAddressIPv6) {
			continue
		}
		src := n.Source.Elem("cidrs", i)
		switch {
		case att == nil:
			v.add(SeverityError, src, ErrInvalidValue, "V-35", "%s is IPv6, but a Site-to-Site VPN on a virtual private gateway carries IPv4 only; write connection: direct-connect if %s is reached over Direct Connect, or reach it through a transit gateway VPN attachment", c, n.ID)
		case want == IPAddressIPv6:
			v.add(SeverityError, src, ErrInvalidValue, "V-35", "%s is IPv4, but the tunnels of VPN connection %s carry IPv6 (tunnel_inside_ip_version: ipv6): a VPN connection carries one IP version", c, n.ID)
		default:
			v.add(SeverityError, src, ErrInvalidValue, "V-35", "%s is IPv6, but the tunnels of VPN connection %s carry IPv4 (tunnel_inside_ip_version: ipv4, the default): write tunnel_inside_ip_version: ipv6, and only IPv6 cidrs, for a VPN that carries IPv6", c, n.ID)
		}
	}
}

// vpnInsideVersions checks that the external networks behind one transit
// gateway VPN attachment, one VPN connection, agree on the IP version its
// tunnels carry (V-35).
func (v *validator) vpnInsideVersions() {
	first := map[ID]*ExternalNetwork{}
	for i := range v.m.ExternalNetworks {
		n := &v.m.ExternalNetworks[i]
		if a := v.x.TGWAttachment(n.Via); a == nil || a.Type != AttachmentVPN {
			continue
		}
		f, ok := first[n.Via]
		if !ok {
			first[n.Via] = n
			continue
		}
		if f.TunnelInsideVersion() != n.TunnelInsideVersion() {
			v.add(SeverityError, n.Source.Field("via"), ErrConflict, "V-35", "%s and %s are both behind VPN attachment %s, one VPN connection, but their tunnel_inside_ip_version differ (%s, %s): a VPN connection carries one IP version",
				f.ID, n.ID, n.Via, f.TunnelInsideVersion(), n.TunnelInsideVersion())
		}
	}
}

// Endpoint spellings that are not ids.
const (
	// Internet names the public internet as a source or destination.
	Internet = "internet"
)

func (v *validator) expectations() {
	for i := range v.m.Expectations {
		e := &v.m.Expectations[i]
		v.endpointSpec(e.Source.Field("from"), e.From, false)
		v.endpointSpec(e.Source.Field("to"), e.To, true)
		switch {
		case e.Protocol.HasPorts() && e.Port == nil:
			v.errorf(e.Source.Field("port"), ErrMissingField, "a %s expectation needs a port", e.Protocol)
		case !e.Protocol.HasPorts() && e.Port != nil:
			v.errorf(e.Source.Field("port"), ErrInvalidValue, "port applies only to tcp and udp, not %s", e.Protocol)
		}
		if e.ICMP != nil && !e.Protocol.IsICMP() {
			v.errorf(e.Source.Field("icmp"), ErrInvalidValue, "icmp applies only to icmp expectations")
		}
		switch {
		case e.Family != "" && e.Family != "ipv4" && e.Family != "ipv6":
			v.errorf(e.Source.Field("family"), ErrInvalidValue, "family must be ipv4 or ipv6, not %q", e.Family)
		case e.Family == "ipv6" && e.Protocol == ProtocolICMP:
			v.errorf(e.Source.Field("family"), ErrInvalidValue, "icmp is IPv4's: over IPv6 expect icmpv6 (V-11)")
		case e.Family == "ipv4" && e.Protocol == ProtocolICMPv6:
			v.errorf(e.Source.Field("family"), ErrInvalidValue, "icmpv6 is IPv6's: over IPv4 expect icmp (V-11)")
		}
	}
}

// ServiceShortNames returns the AWS service names a query may use without
// the com.amazonaws.REGION. prefix, such as s3 and sts. The slice is the
// caller's.
func ServiceShortNames() []string { return slices.Clone(serviceShortNames) }

// IsServiceShortName reports whether a query may name an AWS service as
// name, without the com.amazonaws.REGION. prefix (see ServiceShortNames).
func IsServiceShortName(name string) bool { return slices.Contains(serviceShortNames, name) }

var serviceShortNames = []string{"s3", "dynamodb", "ec2", "ec2messages", "ecr.api", "ecr.dkr", "sts", "logs",
	"elasticloadbalancing", "autoscaling", "monitoring", "ssm", "ssmmessages", "kms", "secretsmanager",
	"sqs", "sns", "lambda", "ecs", "eks", "eks-auth", "rds", "execute-api", "xray", "events", "states"}

// endpointSpec checks the spelling of an expectation endpoint: an address
// (optionally ADDRESS@VPC), internet, a known id, the unique name of an
// instance, interface, NAT gateway, endpoint, load balancer or external
// network (Index.ResolveName), or, as a destination, an endpoint service,
// DNS or service name (anything with a dot), or a service short name.
func (v *validator) endpointSpec(src Source, s string, dest bool) {
	t := strings.TrimSpace(s)
	addr, vpc, qualified := strings.Cut(t, "@")
	if _, err := netip.ParseAddr(addr); err == nil {
		if qualified {
			v.ref(src, ID(vpc), "VPC", KindVPC)
		}
		return
	}
	if t == Internet || v.x.Kind(ID(t)) != KindUnknown {
		return
	}
	if dest && v.x.EndpointServiceFor(t) != nil {
		return
	}
	// A name in place of an id, as the solver reads it: after ids and
	// endpoint service names, before AWS service and DNS names.
	id, err := v.x.ResolveName(t)
	if err != nil {
		v.errorf(src, ErrAmbiguousName, "%s", err)
		return
	}
	if id != "" {
		return
	}
	if dest && (strings.Contains(t, ".") || IsServiceShortName(t)) {
		return
	}
	cands := append(v.x.IDs(KindInstance, KindNetworkInterface, KindExternalNetwork, KindLoadBalancer,
		KindEndpoint, KindEndpointService, KindNATGateway), Internet)
	cands = append(cands, v.x.NamedResources()...)
	if sug := Suggest(t, cands); sug != "" {
		v.errorf(src, ErrUnknownRef, "%q is not an id, address or name this model knows (did you mean %q?)", s, sug)
	} else {
		v.errorf(src, ErrUnknownRef, "%q is not an id, address or name this model knows", s)
	}
}

// countOf writes n with the singular or plural noun: "1 subnet", "2 subnets".
func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
