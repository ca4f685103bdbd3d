package model

import (
	"net/netip"
	"slices"
)

// maxIPv6Blocks is AWS's quota of IPv6 CIDR blocks per VPC (V-01).
const maxIPv6Blocks = 5

// vpcIPv6 checks a VPC's IPv6 blocks: sizes, count, overlaps (V-01).
func (v *validator) vpcIPv6(vpc *VPC) {
	src := vpc.Source
	if len(vpc.IPv6CIDRBlocks) > maxIPv6Blocks {
		v.add(SeverityError, src.Field("ipv6_cidr_blocks"), ErrQuota, "V-01", "%d IPv6 CIDR blocks; a VPC has at most %d", len(vpc.IPv6CIDRBlocks), maxIPv6Blocks)
	}
	for i, c := range vpc.IPv6CIDRBlocks {
		if c.IsValid() && (c.Bits() < 44 || c.Bits() > 60) {
			v.add(SeverityError, src.Elem("ipv6_cidr_blocks", i), ErrAddress, "V-01", "VPC IPv6 block %s is /%d; VPC IPv6 blocks are /44 to /60 (Amazon-provided ones /56)", c, c.Bits())
		}
	}
	v.overlapsWithin(vpc.IPv6CIDRBlocks, func(i, j int) {
		v.add(SeverityError, src.Elem("ipv6_cidr_blocks", j), ErrAddress, "V-01", "VPC IPv6 block %s overlaps block %s of the same VPC", vpc.IPv6CIDRBlocks[j], vpc.IPv6CIDRBlocks[i])
	})
	// A private block is one of the VPC's blocks, named as written there.
	for i, c := range vpc.PrivateIPv6CIDRBlocks {
		switch {
		case !c.IsValid():
		case slices.ContainsFunc(vpc.PrivateIPv6CIDRBlocks[:i], func(p netip.Prefix) bool { return p.Masked() == c.Masked() }):
			v.add(SeverityError, src.Elem("private_ipv6_cidr_blocks", i), ErrConflict, "V-01", "private IPv6 block %s is listed twice", c)
		case !ipv6BlocksKnown(vpc):
		case !slices.ContainsFunc(vpc.IPv6CIDRBlocks, func(p netip.Prefix) bool { return p.Masked() == c.Masked() }):
			v.add(SeverityError, src.Elem("private_ipv6_cidr_blocks", i), ErrAddress, "V-01", "private IPv6 block %s is not one of the ipv6_cidr_blocks of %s (%s); list a block there and name it here", c, vpc.ID, joinPrefixes(vpc.IPv6CIDRBlocks))
		}
	}
}

// ipv6BlocksKnown reports whether every IPv6 block of vpc decoded.
func ipv6BlocksKnown(vpc *VPC) bool {
	return !slices.ContainsFunc(vpc.IPv6CIDRBlocks, func(b netip.Prefix) bool { return !b.IsValid() })
}

// subnetIPv6 checks a subnet's IPv6 block and its IPv6-only flag (V-02,
// V-03), and that a subnet that is not IPv6-only has an IPv4 block.
func (v *validator) subnetIPv6(vpc *VPC, sn *Subnet) {
	src := sn.Source
	switch {
	case sn.IPv6Only && sn.CIDRBlock.IsValid():
		v.add(SeverityError, src.Field("cidr_block"), ErrConflict, "V-03", "subnet %s is IPv6-only: it has no IPv4 cidr_block", sn.ID)
	case sn.IPv6Only && !sn.IPv6CIDRBlock.IsValid() && !v.written(src, "ipv6_cidr_block"):
		v.add(SeverityError, src.Field("ipv6_cidr_block"), ErrMissingField, "V-03", "subnet %s is IPv6-only and needs an ipv6_cidr_block", sn.ID)
	case !sn.IPv6Only && !sn.CIDRBlock.IsValid() && !v.written(src, "cidr_block"):
		v.add(SeverityError, src.Field("cidr_block"), ErrMissingField, "S-01", "subnet %s needs a cidr_block (only an IPv6-only subnet, ipv6_only: true, has none)", sn.ID)
	}
	if sn.EnableDNS64 && !sn.IPv6CIDRBlock.IsValid() && !v.written(src, "ipv6_cidr_block") {
		// DNS64 answers with IPv6 addresses, which a subnet without an
		// IPv6 block has no interface to use.
		v.add(SeverityWarning, src.Field("enable_dns64"), ErrConflict, "V-17", "subnet %s has DNS64 on but no ipv6_cidr_block: its interfaces have no IPv6 address to use the synthesised AAAA records, so DNS64 changes nothing here", sn.ID)
	}
	c := sn.IPv6CIDRBlock
	if !c.IsValid() {
		return
	}
	if c.Bits() < 44 || c.Bits() > 64 {
		v.add(SeverityError, src.Field("ipv6_cidr_block"), ErrAddress, "V-02", "subnet IPv6 block %s is /%d; subnet IPv6 blocks are /44 to /64", c, c.Bits())
	}
	switch {
	case len(vpc.IPv6CIDRBlocks) == 0:
		v.add(SeverityError, src.Field("ipv6_cidr_block"), ErrAddress, "V-02", "subnet %s has an IPv6 block but %s has no ipv6_cidr_blocks", sn.ID, vpc.ID)
	case ipv6BlocksKnown(vpc) && !slices.ContainsFunc(vpc.IPv6CIDRBlocks, func(b netip.Prefix) bool { return b.Bits() <= c.Bits() && b.Contains(c.Addr()) }):
		v.add(SeverityError, src.Field("ipv6_cidr_block"), ErrAddress, "V-02", "subnet %s is not inside any IPv6 block of %s (%s)", c, vpc.ID, joinPrefixes(vpc.IPv6CIDRBlocks))
	}
}

// written reports whether the field key was written in the file (and so
// failed to decode, having no value): its decoding error stands.
func (v *validator) written(src Source, key string) bool {
	for _, f := range src.fields {
		if f.key == key {
			return true
		}
	}
	return false
}

// ifaceIPv6 checks an interface's addresses against its subnet's families:
// IPv6 addresses need an IPv6 block, an IPv6-only subnet's interfaces have
// no IPv4 address, and other interfaces need a private_ip (V-02, V-03).
func (v *validator) ifaceIPv6(in *Interface, src Source, owner ID, addrs *addrBook) {
	sn := v.x.Subnet(in.Subnet)
	if sn == nil {
		return
	}
	if sn.IPv6Only {
		for _, f := range []struct {
			key string
			set bool
		}{{"private_ip", in.PrivateIP.IsValid()}, {"secondary_ips", len(in.SecondaryIPs) > 0},
			{"public_ip", in.PublicIP.IsValid()}, {"elastic_ip", in.ElasticIP.IsValid()}} {
			if f.set {
				v.add(SeverityError, src.Field(f.key), ErrConflict, "V-03", "%s is in IPv6-only subnet %s: it has no IPv4 addresses (%s)", owner, sn.ID, f.key)
			}
		}
		if len(in.IPv6Addresses) == 0 && !v.written(src, "ipv6_addresses") {
			v.add(SeverityError, src.Field("ipv6_addresses"), ErrMissingField, "V-03", "%s is in IPv6-only subnet %s and needs ipv6_addresses", owner, sn.ID)
		}
	} else if !in.PrivateIP.IsValid() && !v.written(src, "private_ip") {
		v.errorf(src.Field("private_ip"), ErrMissingField, "%s needs a private_ip (only interfaces in an IPv6-only subnet have none)", owner)
	}
	if slices.ContainsFunc(in.IPv6Addresses, netip.Addr.IsValid) && !sn.IPv6CIDRBlock.IsValid() && !sn.IPv6Only && !v.written(sn.Source, "ipv6_cidr_block") {
		v.add(SeverityError, src.Field("ipv6_addresses"), ErrAddress, "V-02", "%s has IPv6 addresses but subnet %s has no ipv6_cidr_block", owner, sn.ID)
		return
	}
	for i, a := range in.IPv6Addresses {
		addrs.claim(src.Elem("ipv6_addresses", i), a, in.Subnet, owner)
	}
}

// notInIPv6Only reports an IPv4-only resource (a NAT gateway, an endpoint
// or a load balancer, which vpcreach models with IPv4 addresses) placed in
// an IPv6-only subnet.
func (v *validator) notInIPv6Only(src Source, subnet ID, what string) {
	if sn := v.x.Subnet(subnet); sn != nil && sn.IPv6Only {
		if what == "NAT gateway" {
			v.add(SeverityError, src, ErrConflict, "V-16", "subnet %s is IPv6-only: a NAT gateway has IPv4 addresses, and is placed in a subnet with an IPv4 block (for NAT64 too)", subnet)
			return
		}
		v.add(SeverityError, src, ErrConflict, "V-03", "subnet %s is IPv6-only: vpcreach models a %s with IPv4 addresses, so it cannot be placed there (dual-stack and IPv6 %ss are not modelled)", subnet, what, what)
	}
}

// NAT64Prefix is the well-known prefix of RFC 6052, 64:ff9b::/96: an
// IPv6 packet to 64:ff9b::a.b.c.d routed to a NAT gateway is translated
// to IPv4 a.b.c.d (NAT64, V-16), and DNS64 synthesises its AAAA records
// in it (V-17).
func NAT64Prefix() netip.Prefix { return nat64Prefix }

var nat64Prefix = netip.MustParsePrefix("64:ff9b::/96")

// routeFamily checks a route's target against its destination's family:
// an egress-only internet gateway carries IPv6 only (V-07), a NAT
// gateway IPv4, and IPv6 only inside 64:ff9b::/96, which it translates
// to IPv4 (NAT64, V-16).
func (v *validator) routeFamily(r *Route, tsrc Source) {
	six, known := v.destinationFamily(r.Destination)
	if !known {
		return
	}
	switch v.x.Kind(r.Target) {
	case KindEgressOnlyInternetGateway:
		if !six {
			v.add(SeverityError, tsrc, ErrWrongRef, "V-07", "egress-only internet gateway %q carries IPv6 only; the route's destination %s is IPv4", r.Target, r.Destination)
		}
	case KindNATGateway:
		if six && !v.insideNAT64(r.Destination) {
			v.add(SeverityError, tsrc, ErrWrongRef, "V-16", "NAT gateway %q translates IPv6 only to IPv4 (NAT64), for destinations inside %s; %s is not inside it", r.Target, nat64Prefix, r.Destination)
		}
	}
}

// insideNAT64 reports whether every CIDR of d lies inside 64:ff9b::/96.
func (v *validator) insideNAT64(d Destination) bool { return d.InsideNAT64(v.x.PrefixList) }

// InsideNAT64 reports whether every CIDR of d lies inside 64:ff9b::/96,
// which a NAT gateway translates to IPv4 (NAT64, V-16): its CIDR, or the
// entries of its prefix list, found by list (an unknown list is not
// inside). Validation and both importers ask it.
func (d Destination) InsideNAT64(list func(ID) *PrefixList) bool {
	cidrs := []netip.Prefix{d.CIDR}
	if d.PrefixList != "" {
		if pl := list(d.PrefixList); pl != nil {
			cidrs = pl.CIDRs
		}
	}
	return !slices.ContainsFunc(cidrs, func(p netip.Prefix) bool { return !InsideNAT64(p) })
}

// InsideNAT64 reports whether p lies inside 64:ff9b::/96 (NAT64, V-16).
func InsideNAT64(p netip.Prefix) bool {
	return p.IsValid() && p.Addr().Is6() && p.Bits() >= nat64Prefix.Bits() && nat64Prefix.Contains(p.Addr())
}

// destinationFamily returns whether d is IPv6, and whether that is known
// (a CIDR, or a prefix list with entries).
func (v *validator) destinationFamily(d Destination) (six, known bool) {
	if d.CIDR.IsValid() {
		return d.CIDR.Addr().Is6(), true
	}
	if d.PrefixList != "" {
		if pl := v.x.PrefixList(d.PrefixList); pl != nil && len(pl.CIDRs) > 0 && pl.CIDRs[0].IsValid() {
			return pl.CIDRs[0].Addr().Is6(), true
		}
	}
	return false, false
}
