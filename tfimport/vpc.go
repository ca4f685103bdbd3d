package tfimport

import (
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
		cidr := e.str("cidr_block")
		if cidr == "" {
			e.warnf("cidr_block", ErrUnknownValue, "the subnet's IPv4 CIDR block is unknown until apply (or it is IPv6-only): the subnet is left out")
			return
		}
		p, err := model.ParseCIDR(cidr)
		if err != nil {
			e.errorf("cidr_block", model.ErrInvalidValue, "%s", err)
			return
		}
		s.CIDRBlock = p
		v.subnets = append(v.subnets, s)
		b.mapPublic[id] = e.boolean("map_public_ip_on_launch", false)
		b.subnets[id] = s
		b.objVPC[id] = v
		if v.region == "" && s.AZ != "" {
			v.region = regionOfZone(s.AZ)
		}
	})
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
