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
	Ipv6CidrBlockAssociationSet []struct{ Ipv6CidrBlock string }
	Tags                        []awsTag
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
	Tags               []awsTag
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
			if p, kind := b.ipv4CIDR(c.CidrBlock, it.src, "CidrBlockAssociationSet["+itoa(k)+"].CidrBlock", "the block"); kind == cidrIPv4 && !slices.Contains(v.v.CIDRBlocks, p) {
				v.v.CIDRBlocks = append(v.v.CIDRBlocks, p)
			}
		}
		if p, kind := b.ipv4CIDR(a.CidrBlock, it.src, "CidrBlock", "the block"); kind == cidrIPv4 {
			// The primary block first, as AWS lists it.
			switch i := slices.Index(v.v.CIDRBlocks, p); {
			case len(a.CidrBlockAssociationSet) == 0:
				v.v.CIDRBlocks = append(v.v.CIDRBlocks, p)
			case i > 0:
				v.v.CIDRBlocks = slices.Insert(slices.Delete(v.v.CIDRBlocks, i, i+1), 0, p)
			}
		}
		if len(a.Ipv6CidrBlockAssociationSet) > 0 {
			b.count("ipv6-vpc", it.src, ErrNotModelled, "IPv6 is not modelled yet: the IPv6 CIDR blocks of VPCs are skipped: %N")
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
		p, kind := b.ipv4CIDR(a.CidrBlock, it.src, "CidrBlock", "the block")
		switch kind {
		case cidrAbsent:
			b.ipv6(it.src, "CidrBlock", "subnet %s has no IPv4 CIDR block (it is IPv6-only): skipped", a.SubnetId)
			continue
		case cidrIPv6, cidrBad:
			continue
		}
		v.subnets[a.SubnetId] = &model.Subnet{ID: model.ID(a.SubnetId), Name: nameTag(a.Tags), AZ: a.AvailabilityZone,
			AZID: a.AvailabilityZoneId, CIDRBlock: p, Source: it.src}
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
				if e.PrivateDNS {
					// AWS enables private DNS on an endpoint only in a VPC
					// with DNS support and hostnames on.
					if v.v.DNS.Support == nil {
						v.v.DNS.Support = ptr(true)
					}
					if v.v.DNS.Hostnames == nil {
						v.v.DNS.Hostnames = ptr(true)
					}
					b.note(e.Source, "PrivateDnsEnabled", ErrInferred, "DNS support and hostnames of %s taken as on: endpoint %s has private DNS, which AWS allows only then (no VpcAttributes in the snapshot)", id, e.ID)
					break
				}
			}
		}
	}
}

// inVPC reports whether address a is inside one of v's blocks.
func (v *vpcB) inVPC(a netip.Addr) bool {
	return slices.ContainsFunc(v.v.CIDRBlocks, func(p netip.Prefix) bool { return p.Contains(a) })
}
