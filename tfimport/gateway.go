package tfimport

import (
	"net/netip"

	"github.com/vpcreach/vpcreach/model"
)

func (b *builder) buildGateways() {
	attach := func(e elem, key string, set func(v *vpcB, id model.ID), id model.ID) {
		if e.str(key) == "" && !e.unknown(key) {
			return
		}
		if v := b.vpcRef(e, key); v != nil {
			set(v, id)
		}
	}
	igw := func(v *vpcB, id model.ID) { v.m.InternetGateway = id }
	vgw := func(v *vpcB, id model.ID) { v.m.VPNGateway = id }
	b.each("aws_internet_gateway", func(e elem) { attach(e, "vpc_id", igw, model.ID(e.r.addr)) })
	b.each("aws_vpn_gateway", func(e elem) { attach(e, "vpc_id", vgw, model.ID(e.r.addr)) })
	b.each("aws_egress_only_internet_gateway", func(e elem) {
		attach(e, "vpc_id", func(v *vpcB, id model.ID) {
			if v.m.EgressOnlyInternetGateway != "" && v.m.EgressOnlyInternetGateway != id {
				e.warnf("vpc_id", ErrSkipped, "%s already has egress-only internet gateway %s: %s is left out (vpcreach models one per VPC, V-07)", v.m.ID, v.m.EgressOnlyInternetGateway, id)
				return
			}
			v.m.EgressOnlyInternetGateway = id
		}, model.ID(e.r.addr))
	})
	b.each("aws_internet_gateway_attachment", func(e elem) {
		g := e.ref("internet_gateway_id", "aws_internet_gateway")
		if g.ID != "" {
			attach(e, "vpc_id", igw, g.ID)
		}
	})
	b.each("aws_vpn_gateway_attachment", func(e elem) {
		g := e.ref("vpn_gateway_id", "aws_vpn_gateway")
		if g.ID != "" {
			attach(e, "vpc_id", vgw, g.ID)
		}
	})
	b.each("aws_eip", func(e elem) {
		x := &eip{r: e.r}
		if s := e.str("public_ip"); s != "" {
			a, err := model.ParseAddr(s)
			if err != nil {
				e.errorf("public_ip", model.ErrInvalidValue, "%s", err)
				return
			}
			x.addr = a
		}
		b.eips[model.ID(e.r.addr)] = x
	})
	b.each("aws_nat_gateway", func(e elem) {
		s := b.subnetRef(e, "subnet_id")
		if s == nil {
			return
		}
		v := b.objVPC[s.ID]
		id := model.ID(e.r.addr)
		n := &model.NATGateway{ID: id, Subnet: s.ID, Source: e.src()}
		if e.str("connectivity_type") == "private" {
			n.Connectivity = model.NATPrivate
		}
		b.privateAddr(e, "private_ip", s, func(a netip.Addr) { n.PrivateIP = a }, "the NAT gateway's private address")
		if n.Connectivity == model.NATPublic {
			if a := e.str("public_ip"); a != "" {
				n.PublicIP, _ = model.ParseAddr(a)
			} else if r := e.ref("allocation_id", "aws_eip"); b.eips[r.ID] != nil {
				n.PublicIP = b.eipAddr(e, "allocation_id", b.eips[r.ID])
			} else {
				n.PublicIP = b.assumePublic(e, "public_ip", "the NAT gateway's Elastic IP")
			}
		}
		v.nats = append(v.nats, n)
		b.nats[id] = n
		b.objVPC[id] = v
	})
}

// eipAddr returns an Elastic IP's address, assuming one when it is unknown
// until apply.
func (b *builder) eipAddr(e elem, key string, x *eip) netip.Addr {
	if !x.addr.IsValid() {
		x.addr = b.assumePublic(b.top(x.r), "public_ip", "the Elastic IP")
	}
	return x.addr
}
