package tfimport

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

// DefaultRegion is the region of a VPC whose plan names none: no region
// argument, no constant region in its provider block, no ARN and no
// subnet zone. A warning says so.
const DefaultRegion = "us-east-1"

func boolPtr(b bool) *bool { return &b }

func (b *builder) buildVPCs() {
	b.each("aws_vpc", func(e elem) {
		id := model.ID(e.r.addr)
		v := &vpcB{m: model.VPC{ID: id, Name: nameTag(e), Account: b.accountOf(e), Source: e.src()}, region: b.regionOf(e.r)}
		cidr := e.str("cidr_block")
		switch {
		case cidr != "":
			p, err := model.ParseCIDR(cidr)
			if err != nil {
				e.errorf("cidr_block", model.ErrInvalidValue, "%s", err)
				return
			}
			v.m.CIDRBlocks = append(v.m.CIDRBlocks, p)
		case e.unknown("cidr_block"):
			e.errorf("cidr_block", ErrUnknownValue, "the VPC's CIDR block is unknown until apply (allocated from an IPAM pool?): vpcreach needs the VPC's addresses; set cidr_block, or import the state after apply")
			return
		default:
			e.errorf("cidr_block", model.ErrMissingField, "the VPC has no IPv4 cidr_block")
			return
		}
		b.vpcIPv6(e, v, "ipv6_cidr_block", "the VPC's IPv6 block", false)
		if x, ok := e.val("enable_dns_support").boolVal(); ok {
			v.m.DNS.Support = boolPtr(x)
		}
		if x, ok := e.val("enable_dns_hostnames").boolVal(); ok {
			v.m.DNS.Hostnames = boolPtr(x)
		}
		b.vpcs[id] = v
	})
	b.each("aws_vpc_ipv4_cidr_block_association", func(e elem) {
		v := b.vpcRef(e, "vpc_id")
		if v == nil {
			return
		}
		cidr := e.str("cidr_block")
		if cidr == "" {
			e.warnf("cidr_block", ErrUnknownValue, "the secondary CIDR block is unknown until apply (an IPAM pool?): it is left out, and subnets in it will be refused")
			return
		}
		p, err := model.ParseCIDR(cidr)
		if err != nil {
			e.errorf("cidr_block", model.ErrInvalidValue, "%s", err)
			return
		}
		v.m.CIDRBlocks = append(v.m.CIDRBlocks, p)
	})
	b.each("aws_vpc_ipv6_cidr_block_association", func(e elem) {
		if v := b.vpcRef(e, "vpc_id"); v != nil {
			b.vpcIPv6(e, v, "ipv6_cidr_block", "the VPC's secondary IPv6 block", true)
		}
	})
}

// vpcIPv6 reads an IPv6 block of a VPC (V-01): a known one, or, unknown
// until apply (assign_generated_ipv6_cidr_block, an IPAM pool), an
// assumed /56 (or the ipv6_netmask_length asked for).
// added marks an association resource, whose block is there to be
// added.
func (b *builder) vpcIPv6(e elem, v *vpcB, key, what string, added bool) {
	switch c := e.str(key); {
	case c != "":
		p, err := model.ParseIPv6CIDR(c)
		if err != nil {
			e.errorf(key, model.ErrInvalidValue, "%s", err)
			return
		}
		v.m.IPv6CIDRBlocks = append(v.m.IPv6CIDRBlocks, p)
		b.ipv6Blocks = append(b.ipv6Blocks, p)
		if added && privateIPv6(e, p) {
			v.m.PrivateIPv6CIDRBlocks = append(v.m.PrivateIPv6CIDRBlocks, p)
		}
	case e.boolean("assign_generated_ipv6_cidr_block", false) || e.given("ipv6_ipam_pool_id") || (e.unknown(key) && (added || (e.r.cfg != nil && !e.computed(key)))):
		// Unknown because AWS (or IPAM) allocates it; a block the
		// provider only computes, not asked for, is none.
		bits := 56
		if n, ok := e.integer("ipv6_netmask_length"); ok && n >= 44 && n <= 60 {
			bits = int(n)
		}
		b.lateIPv6 = append(b.lateIPv6, func() {
			if p, ok := b.assumeIPv6Block(e, key, netip.Prefix{}, bits, what); ok {
				v.m.IPv6CIDRBlocks = append(v.m.IPv6CIDRBlocks, p)
			}
		})
	}
}

// vpcRef resolves a vpc_id attribute to a VPC of the file. A VPC the file
// does not hold is a warning, and the result is nil.
func (b *builder) vpcRef(e elem, key string) *vpcB {
	r := e.ref(key, "aws_vpc", "aws_vpc_ipv4_cidr_block_association")
	if r.ID == "" {
		if !e.unknown(key) && e.str(key) == "" {
			e.warnf(key, model.ErrMissingField, "no %s: %s is left out", key, e.r.addr)
		}
		return nil
	}
	if r.typ == "aws_vpc_ipv4_cidr_block_association" {
		r = b.top(b.byAddr[string(r.ID)]).ref("vpc_id", "aws_vpc")
	}
	if v := b.vpcs[r.ID]; v != nil {
		return v
	}
	if r.outside {
		e.warnf(key, ErrOutsidePlan, "VPC %s is not managed in this file (a data source, or another configuration's): %s is left out", r.ID, e.r.addr)
	} else if r.typ != "aws_vpc" {
		e.warnf(key, model.ErrWrongRef, "%s names %s, not a VPC: %s is left out", key, r.ID, e.r.addr)
	}
	return nil
}

func (b *builder) buildSubnets() {
	b.each("aws_subnet", func(e elem) {
		v := b.vpcRef(e, "vpc_id")
		if v == nil {
			return
		}
		id := model.ID(e.r.addr)
		s := &model.Subnet{ID: id, Name: nameTag(e), AZ: e.str("availability_zone"), AZID: e.str("availability_zone_id"), Source: e.src()}
		s.IPv6Only = e.boolean("ipv6_native", false)
		s.EnableDNS64 = e.boolean("enable_dns64", false)
		cidr := e.str("cidr_block")
		switch {
		case s.IPv6Only && cidr != "":
			e.errorf("cidr_block", model.ErrInvalidValue, "an IPv6-only subnet (ipv6_native) has no IPv4 cidr_block (V-03)")
			return
		case s.IPv6Only:
		case cidr == "":
			e.warnf("cidr_block", ErrUnknownValue, "the subnet's IPv4 CIDR block is unknown until apply: the subnet is left out")
			return
		default:
			p, err := model.ParseCIDR(cidr)
			if err != nil {
				e.errorf("cidr_block", model.ErrInvalidValue, "%s", err)
				return
			}
			s.CIDRBlock = p
		}
		switch c := e.str("ipv6_cidr_block"); {
		case c != "":
			p, err := model.ParseIPv6CIDR(c)
			if err != nil {
				e.errorf("ipv6_cidr_block", model.ErrInvalidValue, "%s", err)
				return
			}
			s.IPv6CIDRBlock = p
			b.ipv6Blocks = append(b.ipv6Blocks, p)
		case e.unknown("ipv6_cidr_block") && !e.computed("ipv6_cidr_block"):
			// Usually cidrsubnet() of the VPC's IPv6 block, itself unknown
			// until apply: a /64 of the VPC's first block is assumed.
			b.lateIPv6 = append(b.lateIPv6, func() {
				if len(v.m.IPv6CIDRBlocks) == 0 {
					e.warnf("ipv6_cidr_block", ErrUnknownValue, "the subnet's IPv6 block is unknown until apply, and %s has no IPv6 block to assume it in: left out", v.m.ID)
					return
				}
				if p, ok := b.assumeIPv6Block(e, "ipv6_cidr_block", v.m.IPv6CIDRBlocks[0], 64, "the subnet's IPv6 block"); ok {
					s.IPv6CIDRBlock = p
				}
			})
		case s.IPv6Only:
			e.errorf("ipv6_cidr_block", model.ErrMissingField, "an IPv6-only subnet (ipv6_native) needs an ipv6_cidr_block (V-03)")
			return
		}
		b.ipv6OnCreation[id] = e.boolean("assign_ipv6_address_on_creation", false)
		v.subnets = append(v.subnets, s)
		b.mapPublic[id] = e.boolean("map_public_ip_on_launch", false)
		b.subnets[id] = s
		b.objVPC[id] = v
		if v.region == "" && s.AZ != "" {
			v.region = regionOfZone(s.AZ)
		}
	})
	// Assumed IPv6 blocks, once every known one is collected: VPCs'
	// first, then subnets', in file order.
	for _, f := range b.lateIPv6 {
		f()
	}
	b.lateIPv6 = nil
	for _, id := range sortedKeys(b.vpcs) {
		v := b.vpcs[id]
		if v.region == "" {
			b.diag(model.SeverityWarning, b.byAddr[string(id)].node, string(id)+".region", ErrAssumed,
				"the region is unknown (no region argument, no constant region in the provider block, no ARN, no subnet zone): assumed %s", DefaultRegion)
			v.region = DefaultRegion
		}
		v.m.Region = v.region
		for _, s := range v.subnets {
			if s.AZ == "" {
				if s.AZID != "" {
					s.AZ = v.region + "-" + s.AZID
				} else {
					s.AZ = v.region + "a"
					b.diag(model.SeverityWarning, b.byAddr[string(s.ID)].node, string(s.ID)+".availability_zone", ErrAssumed,
						"the availability zone is unknown until apply: assumed %s", s.AZ)
				}
			}
		}
	}
}

// regionOfZone turns us-west-2a into us-west-2 (and a Local Zone's
// us-west-2-lax-1a into us-west-2).
func regionOfZone(az string) string {
	parts := strings.Split(az, "-")
	if len(parts) >= 3 {
		last := parts[2]
		n := 0
		for n < len(last) && last[n] >= '0' && last[n] <= '9' {
			n++
		}
		return parts[0] + "-" + parts[1] + "-" + last[:n]
	}
	return strings.TrimRight(az, "abcdefghijklmnopqrstuvwxyz")
}

// privateIPv6 reports whether the block p of an
// aws_vpc_ipv6_cidr_block_association is private global unicast space, as
// the provider's computed ipv6_address_attribute (private) or ip_source
// (none) say, once applied (V-01). A unique local block is private
// unlisted; aws_vpc says nothing of its own IPv6 block, which is taken as
// public unless unique local. A value AWS never writes is an error.
func privateIPv6(e elem, p netip.Prefix) bool {
	attr, src := e.str("ipv6_address_attribute"), e.str("ip_source")
	if attr != "" && !slices.Contains(model.IPv6AddressAttributes(), attr) {
		e.errorf("ipv6_address_attribute", model.ErrInvalidValue, "ipv6_address_attribute %q is not public or private, the values AWS writes", attr)
	}
	if src != "" && !slices.Contains(model.IPv6Sources(), src) {
		e.errorf("ip_source", model.ErrInvalidValue, "ip_source %q is not amazon, byoip or none, the values AWS writes", src)
	}
	return model.ListsPrivateIPv6(p, attr, src)
}
