package awsimport

import (
	"net/netip"
	"slices"

	"github.com/vpcreach/vpcreach/model"
)

// awsVpc is an element of describe-vpcs' Vpcs.
type awsVpc struct {
	VpcId                       string
	OwnerId                     string
	CidrBlock                   jsonText
	State                       string
	IsDefault                   bool
	CidrBlockAssociationSet     []awsCIDRAssociation
	Ipv6CidrBlockAssociationSet []awsIPv6Association
	Tags                        []awsTag
}

// awsIPv6Association is an IPv6 block associated with a VPC or a subnet
// (VpcIpv6CidrBlockAssociation, SubnetIpv6CidrBlockAssociation).
// IpSource is amazon, byoip or none (private space); Ipv6Pool names the
// pool of a BYOIP or IPAM block.
type awsIPv6Association struct {
	AssociationId        string
	Ipv6CidrBlock        jsonText
	Ipv6CidrBlockState   struct{ State string }
	Ipv6Pool             string
	NetworkBorderGroup   string
	IpSource             string
	Ipv6AddressAttribute string
}

// associatedNow reports whether an association holds: state associated
// (or not written, as in older outputs).
func (a *awsIPv6Association) associatedNow() bool {
	return a.Ipv6CidrBlockState.State == "" || a.Ipv6CidrBlockState.State == "associated"
}

// awsCIDRAssociation is an IPv4 block associated with a VPC.
type awsCIDRAssociation struct {
	CidrBlock      jsonText
	CidrBlockState struct{ State string }
}

// awsVpcAttribute is the output of describe-vpc-attribute (one attribute
// per call), gathered in a VpcAttributes list by the collection script.
type awsVpcAttribute struct {
	VpcId              string
	EnableDnsSupport   *struct{ Value *bool }
	EnableDnsHostnames *struct{ Value *bool }
}

// awsSubnet is an element of describe-subnets' Subnets.
type awsSubnet struct {
	SubnetId           string
	VpcId              string
	CidrBlock          jsonText
	AvailabilityZone   string
	AvailabilityZoneId string
	OwnerId            string
	SubnetArn          string
	State              string
	// Ipv6CidrBlockAssociationSet holds the subnet's IPv6 block (one
	// associated at most); Ipv6Native marks an IPv6-only subnet, which
	// has no CidrBlock.
	Ipv6CidrBlockAssociationSet []awsIPv6Association
	Ipv6Native                  bool
	// EnableDns64 is the subnet's DNS64 attribute (V-17).
	EnableDns64 bool
	Tags        []awsTag
}

func (b *builder) buildVPCs() {
	for _, it := range unique(b.s.vpcs, func(v *awsVpc) string { return v.VpcId }) {
		a := &it.v
		v := newVPCB()
		v.v = model.VPC{ID: model.ID(a.VpcId), Name: nameTag(a.Tags), Account: b.ownerOf(a.OwnerId, it.sc),
			Region: it.sc.region, Source: it.src}
		for k, c := range a.CidrBlockAssociationSet {
			if c.CidrBlockState.State != "" && c.CidrBlockState.State != "associated" {
				continue // disassociated (or being associated): not the VPC's
			}
			if p, kind := b.block(c.CidrBlock, it.src, "CidrBlockAssociationSet["+itoa(k)+"].CidrBlock", famIPv4, "Ipv6CidrBlockAssociationSet"); kind == cidrIPv4 && !slices.Contains(v.v.CIDRBlocks, p) {
				v.v.CIDRBlocks = append(v.v.CIDRBlocks, p)
			}
		}
		if p, kind := b.block(a.CidrBlock, it.src, "CidrBlock", famIPv4, "Ipv6CidrBlockAssociationSet"); kind == cidrIPv4 {
			// The primary block first, as AWS lists it.
			switch i := slices.Index(v.v.CIDRBlocks, p); {
			case len(a.CidrBlockAssociationSet) == 0:
				v.v.CIDRBlocks = append(v.v.CIDRBlocks, p)
			case i > 0:
				v.v.CIDRBlocks = slices.Insert(slices.Delete(v.v.CIDRBlocks, i, i+1), 0, p)
			}
		}
		for k := range a.Ipv6CidrBlockAssociationSet {
			c := &a.Ipv6CidrBlockAssociationSet[k]
			if !c.associatedNow() {
				continue // disassociated (or being associated): not the VPC's
			}
			field := "Ipv6CidrBlockAssociationSet[" + itoa(k) + "].Ipv6CidrBlock"
			p, kind := b.block(c.Ipv6CidrBlock, it.src, field, famIPv6, "CidrBlockAssociationSet")
			if kind == cidrAbsent {
				b.errorf(it.src, field, model.ErrMissingField, "an associated IPv6 block has an Ipv6CidrBlock, and this one has none")
			}
			if kind != cidrIPv6 || slices.Contains(v.v.IPv6CIDRBlocks, p) {
				continue
			}
			v.v.IPv6CIDRBlocks = append(v.v.IPv6CIDRBlocks, p)
			if b.privateIPv6(c, p, it.src, "Ipv6CidrBlockAssociationSet["+itoa(k)+"]", a.VpcId) {
				v.v.PrivateIPv6CIDRBlocks = append(v.v.PrivateIPv6CIDRBlocks, p)
			}
		}
		if len(v.v.CIDRBlocks) == 0 {
			b.warn(it.src, "CidrBlock", ErrSkipped, "VPC %s has no associated IPv4 CIDR block: skipped", a.VpcId)
			continue
		}
		b.vpcs[a.VpcId] = v
		b.place(a.VpcId, model.KindVPC, "")
	}
	// DNS attributes.
	for i := range b.s.vpcAttributes {
		it := &b.s.vpcAttributes[i]
		v := b.vpcs[it.v.VpcId]
		if v == nil {
			continue
		}
		if a := it.v.EnableDnsSupport; a != nil && a.Value != nil {
			v.v.DNS.Support = ptr(*a.Value)
		}
		if a := it.v.EnableDnsHostnames; a != nil && a.Value != nil {
			v.v.DNS.Hostnames = ptr(*a.Value)
		}
	}
}

func (b *builder) buildSubnets() {
	for _, it := range unique(b.s.subnets, func(s *awsSubnet) string { return s.SubnetId }) {
		a := &it.v
		v := b.vpc(a.VpcId, it.src, "subnet", a.SubnetId)
		if v == nil {
			continue
		}
		p, kind := b.block(a.CidrBlock, it.src, "CidrBlock", famIPv4, "Ipv6CidrBlockAssociationSet")
		switch {
		case kind == cidrBad:
			continue
		case kind == cidrAbsent && !a.Ipv6Native:
			b.errorf(it.src, "CidrBlock", model.ErrMissingField, "a subnet that is not IPv6-only (Ipv6Native) has a CidrBlock, and this one has none (%s)", a.SubnetId)
			continue
		case kind != cidrAbsent && a.Ipv6Native:
			b.errorf(at(it.src, a.CidrBlock.Pos), "CidrBlock", model.ErrInvalidValue, "subnet %s is IPv6-only (Ipv6Native) and has a CidrBlock, which AWS never writes (V-03)", a.SubnetId)
			continue
		}
		sn := &model.Subnet{ID: model.ID(a.SubnetId), Name: nameTag(a.Tags), AZ: a.AvailabilityZone,
			AZID: a.AvailabilityZoneId, CIDRBlock: p, IPv6Only: a.Ipv6Native, EnableDNS64: a.EnableDns64, Source: it.src}
		ok := true
		for k := range a.Ipv6CidrBlockAssociationSet {
			c := &a.Ipv6CidrBlockAssociationSet[k]
			if !c.associatedNow() {
				continue
			}
			field := "Ipv6CidrBlockAssociationSet[" + itoa(k) + "].Ipv6CidrBlock"
			q, kind := b.block(c.Ipv6CidrBlock, it.src, field, famIPv6, "CidrBlock")
			switch {
			case kind == cidrAbsent:
				b.errorf(it.src, field, model.ErrMissingField, "an associated IPv6 block has an Ipv6CidrBlock, and this one has none")
				ok = false
			case kind == cidrBad:
				ok = false
			case sn.IPv6CIDRBlock.IsValid() && sn.IPv6CIDRBlock != q:
				b.errorf(at(it.src, c.Ipv6CidrBlock.Pos), field, model.ErrInvalidValue, "subnet %s has a second associated IPv6 block %s (the first is %s): AWS associates one at most (V-02)", a.SubnetId, q, sn.IPv6CIDRBlock)
				ok = false
			default:
				sn.IPv6CIDRBlock = q
			}
		}
		if ok && a.Ipv6Native && !sn.IPv6CIDRBlock.IsValid() {
			b.errorf(it.src, "Ipv6CidrBlockAssociationSet", model.ErrMissingField, "an IPv6-only subnet (Ipv6Native) has an associated IPv6 block (V-03), and this one has none (%s)", a.SubnetId)
			ok = false
		}
		if !ok {
			continue
		}
		v.subnets[a.SubnetId] = sn
		b.place(a.SubnetId, model.KindSubnet, a.VpcId)
	}
}

// subnet returns subnet id of VPC v, or nil.
func (v *vpcB) subnet(id string) *model.Subnet { return v.subnets[id] }

// finishVPCs settles what the snapshot implies about VPCs: subnets shared
// with the accounts that own interfaces in them (VPC sharing), and DNS
// attributes shown by endpoints with private DNS.
func (b *builder) finishVPCs() {
	for _, id := range sortedKeys(b.vpcs) {
		v := b.vpcs[id]
		share := func(subnet model.ID, acct model.ID, src model.Source) {
			if acct == "" || acct == v.v.Account {
				return
			}
			sn := v.subnets[string(subnet)]
			if sn == nil || slices.Contains(sn.SharedWith, acct) {
				return
			}
			sn.SharedWith = append(sn.SharedWith, acct)
			slices.Sort(sn.SharedWith)
			b.note(src, "", ErrInferred, "subnet %s of account %s holds resources of account %s: shared with it (VPC sharing)", subnet, v.v.Account, acct)
		}
		for _, k := range sortedKeys(v.instances) {
			in := v.instances[k]
			share(in.Subnet, in.Account, in.Source)
		}
		for _, k := range sortedKeys(v.enis) {
			ni := v.enis[k]
			share(ni.Subnet, ni.Account, ni.Source)
		}
		if v.v.DNS.Hostnames == nil || v.v.DNS.Support == nil {
			for _, k := range sortedKeys(v.endpoints) {
				e := v.endpoints[k]
				if e.PrivateDNS || e.GatewayDNSRecordNeedsDNS() {
					// AWS enables private DNS on an endpoint, or a gateway
					// endpoint's DNS record IP type other than
					// service-defined, only in a VPC with DNS support and
					// hostnames on (V-30).
					if v.v.DNS.Support == nil {
						v.v.DNS.Support = ptr(true)
					}
					if v.v.DNS.Hostnames == nil {
						v.v.DNS.Hostnames = ptr(true)
					}
					what, field := "private DNS", "PrivateDnsEnabled"
					if !e.PrivateDNS {
						what, field = "DNS record IP type "+e.DNSRecordIPType.String(), "DnsOptions.DnsRecordIpType"
					}
					b.note(e.Source, field, ErrInferred, "DNS support and hostnames of %s taken as on: endpoint %s has %s, which AWS allows only then (no VpcAttributes in the snapshot)", id, e.ID, what)
					break
				}
			}
		}
		// A snapshot that says the VPC's DNS is off: the endpoint's type
		// cannot hold there (V-30).
		if !(v.v.DNS.SupportEnabled() && v.v.DNS.HostnamesEnabled()) {
			for _, k := range sortedKeys(v.endpoints) {
				if e := v.endpoints[k]; e.GatewayDNSRecordNeedsDNS() {
					b.warn(e.Source, "DnsOptions.DnsRecordIpType", model.ErrConflict, "gateway endpoint %s: DNS record IP type %s needs the DNS support and DNS hostnames of %s on, which the snapshot says are not (V-30): taken as service-defined", e.ID, e.DNSRecordIPType, id)
					e.DNSRecordIPType = 0
				}
			}
		}
	}
}

// inVPC reports whether address a is inside one of v's blocks, of either
// family.
func (v *vpcB) inVPC(a netip.Addr) bool {
	return slices.ContainsFunc(v.v.AllCIDRBlocks(), func(p netip.Prefix) bool { return p.Contains(a) })
}

// privateIPv6 reports whether a VPC's IPv6 block p is listed as private
// global unicast space, which AWS does not advertise to the internet
// (V-01, model.ListsPrivateIPv6): Ipv6AddressAttribute private, or
// IpSource none. A unique local block is private unlisted; one said to
// be public is warned of. A value AWS never writes is an error (field
// names the association).
func (b *builder) privateIPv6(c *awsIPv6Association, p netip.Prefix, src model.Source, field, vpc string) bool {
	ok := true
	if c.Ipv6AddressAttribute != "" && !slices.Contains(model.IPv6AddressAttributes(), c.Ipv6AddressAttribute) {
		b.errorf(src, field+".Ipv6AddressAttribute", model.ErrInvalidValue, "Ipv6AddressAttribute %q is not public or private, the values AWS writes", c.Ipv6AddressAttribute)
		ok = false
	}
	if c.IpSource != "" && !slices.Contains(model.IPv6Sources(), c.IpSource) {
		b.errorf(src, field+".IpSource", model.ErrInvalidValue, "IpSource %q is not amazon, byoip or none, the values AWS writes", c.IpSource)
		ok = false
	}
	if model.ULAPrefix().Overlaps(p) && ok && c.Ipv6AddressAttribute == "public" {
		b.warn(at(src, c.Ipv6CidrBlock.Pos), field+".Ipv6AddressAttribute", ErrNotModelled, "IPv6 block %s of %s is unique local space (fc00::/7) said to be public; AWS does not advertise unique local addresses, and vpcreach takes the block as private (V-01)", p, vpc)
	}
	return model.ListsPrivateIPv6(p, c.Ipv6AddressAttribute, c.IpSource)
}
