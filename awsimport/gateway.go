package awsimport

import (
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

// awsInternetGateway is an element of describe-internet-gateways'
// InternetGateways.
type awsInternetGateway struct {
	InternetGatewayId string
	OwnerId           string
	Attachments       []awsVPCAttachment
}

// awsEgressOnlyIGW is an element of describe-egress-only-internet-gateways'
// EgressOnlyInternetGateways.
type awsEgressOnlyIGW struct {
	EgressOnlyInternetGatewayId string
	Attachments                 []awsVPCAttachment
	Tags                        []awsTag
}

// awsVPCAttachment is a gateway's attachment to a VPC.
type awsVPCAttachment struct{ VpcId, State string }

// awsVPNGateway is an element of describe-vpn-gateways' VpnGateways.
type awsVPNGateway struct {
	VpnGatewayId   string
	State          string
	VpcAttachments []awsVPCAttachment
}

// awsNATGateway is an element of describe-nat-gateways' NatGateways.
type awsNATGateway struct {
	NatGatewayId        string
	SubnetId            string
	VpcId               string
	State               string
	ConnectivityType    string
	NatGatewayAddresses []struct {
		PrivateIp          string
		PublicIp           string
		NetworkInterfaceId string
		AllocationId       string
		IsPrimary          *bool
	}
	Tags []awsTag
}

// awsVPNConnection is an element of describe-vpn-connections'
// VpnConnections: a site-to-site VPN to a virtual private gateway or a
// transit gateway, with its static routes.
type awsVPNConnection struct {
	VpnConnectionId   string
	State             string
	VpnGatewayId      string
	TransitGatewayId  string
	CustomerGatewayId string
	Options           struct {
		StaticRoutesOnly      bool
		LocalIpv4NetworkCidr  jsonText
		RemoteIpv4NetworkCidr string
		// TunnelInsideIpVersion is the family the tunnels carry, ipv4
		// (also when absent) or ipv6 (V-35).
		TunnelInsideIpVersion string
		LocalIpv6NetworkCidr  jsonText
	}
	Routes []awsVPNRoute
	Tags   []awsTag
}

// awsVPNRoute is a static route of a VPN connection.
type awsVPNRoute struct {
	DestinationCidrBlock jsonText
	State, Source        string
}

func attached(state string) bool {
	return state == "" || state == "available" || state == "attached"
}

func (b *builder) buildGateways() {
	for _, it := range unique(b.s.igws, func(g *awsInternetGateway) string { return g.InternetGatewayId }) {
		a := &it.v
		b.attachGateway(it.src, "Attachments", "internet gateway", a.InternetGatewayId, model.KindInternetGateway, a.Attachments,
			func(v *vpcB) bool { v.v.InternetGateway = model.ID(a.InternetGatewayId); return true })
	}
	for _, it := range unique(b.s.eigws, func(g *awsEgressOnlyIGW) string { return g.EgressOnlyInternetGatewayId }) {
		a := &it.v
		b.attachGateway(it.src, "Attachments", "egress-only internet gateway", a.EgressOnlyInternetGatewayId, model.KindEgressOnlyInternetGateway, a.Attachments,
			func(v *vpcB) bool {
				if prev := v.v.EgressOnlyInternetGateway; prev != "" && string(prev) != a.EgressOnlyInternetGatewayId {
					b.warn(it.src, "Attachments", ErrSkipped, "%s already has egress-only internet gateway %s: %s left out (vpcreach models one per VPC, V-07)", v.v.ID, prev, a.EgressOnlyInternetGatewayId)
					return false
				}
				v.v.EgressOnlyInternetGateway = model.ID(a.EgressOnlyInternetGatewayId)
				return true
			})
	}
	for _, it := range unique(b.s.vgws, func(g *awsVPNGateway) string { return g.VpnGatewayId }) {
		a := &it.v
		if a.State == "deleted" || a.State == "deleting" {
			continue
		}
		b.attachGateway(it.src, "VpcAttachments", "virtual private gateway", a.VpnGatewayId, model.KindVPNGateway, a.VpcAttachments,
			func(v *vpcB) bool { v.v.VPNGateway = model.ID(a.VpnGatewayId); return true })
	}
}

// attachGateway records gateway id (of kind, described as what) on every
// VPC of the snapshot it is attached to; set writes it on the VPC (false:
// it could not).
func (b *builder) attachGateway(src model.Source, field, what, id string, kind model.Kind, atts []awsVPCAttachment, set func(*vpcB) bool) {
	for _, at := range atts {
		if !attached(at.State) {
			continue
		}
		v := b.vpcs[at.VpcId]
		if v == nil {
			b.note(src, field, ErrOutsideSnapshot, "%s %s is attached to %s, which is not in the snapshot", what, id, at.VpcId)
			continue
		}
		if set(v) {
			b.place(id, kind, at.VpcId)
		}
	}
}

func (b *builder) buildNATGateways() {
	seen := map[string]bool{}
	for _, it := range unique(b.s.nats, func(n *awsNATGateway) string { return n.NatGatewayId }) {
		a := &it.v
		seen[a.NatGatewayId] = true
		for _, ad := range a.NatGatewayAddresses {
			if ad.NetworkInterfaceId != "" {
				b.usedENIs[ad.NetworkInterfaceId] = true
			}
		}
		switch a.State {
		case "available", "":
		case "deleted", "failed":
			b.note(it.src, "State", ErrInactive, "NAT gateway %s is %s: skipped (routes to it are blackholes)", a.NatGatewayId, a.State)
			continue
		default:
			b.warn(it.src, "State", ErrInactive, "NAT gateway %s is %s, not available: skipped, so routes to it are kept as blackholes", a.NatGatewayId, a.State)
			continue
		}
		v := b.vpc(a.VpcId, it.src, "NAT gateway", a.NatGatewayId)
		if v == nil {
			continue
		}
		n := &model.NATGateway{ID: model.ID(a.NatGatewayId), Subnet: model.ID(a.SubnetId), Source: it.src}
		if a.ConnectivityType == "private" {
			n.Connectivity = model.NATPrivate
		}
		for k, ad := range a.NatGatewayAddresses {
			if ad.IsPrimary != nil && !*ad.IsPrimary {
				continue
			}
			if !n.PrivateIP.IsValid() {
				n.PrivateIP = parseAddr(ad.PrivateIp)
				if n.Connectivity == model.NATPublic {
					n.PublicIP = parseAddr(ad.PublicIp)
				}
			} else if k > 0 {
				b.count("nat-secondary", it.src, ErrNotModelled, "secondary addresses of NAT gateways skipped, as the model translates to the primary one: %N")
			}
		}
		b.addNAT(v, n, it.src)
	}
	// NAT gateways that only their interfaces show.
	for _, id := range sortedKeys(b.enis) {
		e := b.enis[id]
		if e.v.InterfaceType != "nat_gateway" {
			continue
		}
		b.usedENIs[id] = true
		natID := strings.TrimPrefix(e.v.Description, "Interface for NAT Gateway ")
		if seen[natID] || !strings.HasPrefix(natID, "nat-") || len(b.s.nats) > 0 {
			continue
		}
		v := b.vpc(e.v.VpcId, e.src, "NAT gateway", natID)
		if v == nil {
			continue
		}
		n := &model.NATGateway{ID: model.ID(natID), Subnet: model.ID(e.v.SubnetId), PrivateIP: parseAddr(e.v.PrivateIpAddress), Source: e.src}
		if e.v.Association != nil {
			n.PublicIP = parseAddr(e.v.Association.PublicIp)
		}
		if !n.PublicIP.IsValid() {
			n.Connectivity = model.NATPrivate
		}
		b.note(e.src, "Description", ErrInferred, "NAT gateway %s made from its network interface (no NatGateways in the snapshot)", natID)
		b.addNAT(v, n, e.src)
	}
}

func (b *builder) addNAT(v *vpcB, n *model.NATGateway, src model.Source) {
	if v.subnet(string(n.Subnet)) == nil {
		b.warn(src, "SubnetId", ErrOutsideSnapshot, "NAT gateway %s is in subnet %s, which is not in the snapshot: skipped", n.ID, n.Subnet)
		return
	}
	if !n.PrivateIP.IsValid() {
		b.warn(src, "NatGatewayAddresses", model.ErrMissingField, "NAT gateway %s has no private address: skipped", n.ID)
		return
	}
	if n.Connectivity == model.NATPublic && !n.PublicIP.IsValid() {
		b.warn(src, "NatGatewayAddresses", model.ErrMissingField, "public NAT gateway %s has no Elastic IP: skipped", n.ID)
		return
	}
	if !b.claim(v, n.PrivateIP, string(n.ID), src) {
		return
	}
	v.nats[string(n.ID)] = n
	b.place(string(n.ID), model.KindNATGateway, string(v.v.ID))
}

// buildVPNs turns site-to-site VPN connections into external networks:
// the networks their static routes name, reached through their virtual
// private gateway or transit gateway attachment.
func (b *builder) buildVPNs() {
	for _, it := range unique(b.s.vpns, func(c *awsVPNConnection) string { return c.VpnConnectionId }) {
		a := &it.v
		switch a.State {
		case "deleted", "deleting":
			continue
		case "available", "":
		default:
			b.warn(it.src, "State", ErrInactive, "VPN connection %s is %s, not available: the networks behind it are not modelled", a.VpnConnectionId, a.State)
			continue
		}
		via := ""
		switch {
		case a.VpnGatewayId != "":
			if b.kind[a.VpnGatewayId] == model.KindVPNGateway {
				via = a.VpnGatewayId
			}
		case a.TransitGatewayId != "":
			if t := b.tgws[a.TransitGatewayId]; t != nil {
				via = t.attachmentOf(a.VpnConnectionId)
			}
		}
		if via == "" {
			b.warn(it.src, "", ErrOutsideSnapshot, "VPN connection %s: its gateway is not in the snapshot (or not attached): the networks behind it are not modelled", a.VpnConnectionId)
			continue
		}
		n := model.ExternalNetwork{ID: model.ID(a.VpnConnectionId), Name: nameTag(a.Tags), Via: model.ID(via), Source: it.src}
		// A VPN connection's tunnels carry one IP version; IPv6 only on a
		// transit gateway (V-35).
		want := cidrIPv4
		switch v := strings.ToLower(a.Options.TunnelInsideIpVersion); v {
		case "", "ipv4":
		case "ipv6":
			if a.VpnGatewayId != "" {
				b.warn(it.src, "Options.TunnelInsideIpVersion", model.ErrInvalidValue, "VPN connection %s on virtual private gateway %s has tunnel inside IP version ipv6, which AWS offers only on a transit gateway (V-35): the networks behind it are not modelled", a.VpnConnectionId, a.VpnGatewayId)
				continue
			}
			want, n.TunnelInsideIPVersion = cidrIPv6, model.IPAddressIPv6
		default:
			b.warn(it.src, "Options.TunnelInsideIpVersion", model.ErrInvalidValue, "VPN connection %s: tunnel inside IP version %q is neither ipv4 nor ipv6: the networks behind it are not modelled", a.VpnConnectionId, a.Options.TunnelInsideIpVersion)
			continue
		}
		for k, r := range a.Routes {
			if r.State != "" && r.State != "available" {
				continue
			}
			field := "Routes[" + itoa(k) + "].DestinationCidrBlock"
			p, kind := b.block(r.DestinationCidrBlock, it.src, field, famAny, "")
			switch {
			case kind == want && !slices.Contains(n.CIDRs, p):
				n.CIDRs = append(n.CIDRs, p)
			case kind == cidrIPv4 || kind == cidrIPv6:
				b.warn(at(it.src, r.DestinationCidrBlock.Pos), field, model.ErrInvalidValue, "VPN connection %s: the static route to %s is skipped: the connection's tunnels carry %s only (tunnel inside IP version), one IP version (V-35)", a.VpnConnectionId, p, map[cidrKind]string{cidrIPv4: "IPv4", cidrIPv6: "IPv6"}[want])
			}
		}
		if len(n.CIDRs) == 0 {
			local, field, fam, other := a.Options.LocalIpv4NetworkCidr, "Options.LocalIpv4NetworkCidr", famIPv4, "LocalIpv6NetworkCidr"
			if want == cidrIPv6 {
				local, field, fam, other = a.Options.LocalIpv6NetworkCidr, "Options.LocalIpv6NetworkCidr", famIPv6, "LocalIpv4NetworkCidr"
			}
			if p, kind := b.block(local, it.src, field, fam, other); kind == want && p.Bits() > 0 {
				n.CIDRs = append(n.CIDRs, p)
			}
		}
		if len(n.CIDRs) == 0 {
			b.warn(it.src, "Routes", ErrOutsideSnapshot, "VPN connection %s has no static routes: the networks it learns by BGP are not in the snapshot, so they are not modelled", a.VpnConnectionId)
			continue
		}
		slices.SortFunc(n.CIDRs, comparePrefix)
		b.m.ExternalNetworks = append(b.m.ExternalNetworks, n)
		b.place(a.VpnConnectionId, model.KindExternalNetwork, "")
	}
	// Gateways to networks the snapshot does not describe.
	reached := map[model.ID]bool{}
	for _, n := range b.m.ExternalNetworks {
		reached[n.Via] = true
	}
	for _, id := range sortedKeys(b.vpcs) {
		v := b.vpcs[id]
		if g := v.v.VPNGateway; g != "" && !reached[g] {
			b.warn(v.v.Source, "", ErrOutsideSnapshot, "virtual private gateway %s of %s: the networks behind it are not in the snapshot (no VPN connection with static routes): traffic to them answers \"no route\" here, which means unknown, not \"no\"", g, id)
		}
	}
	for _, tid := range sortedKeys(b.tgws) {
		t := b.tgws[tid]
		for _, aid := range sortedKeys(t.atts) {
			a := t.atts[aid]
			if (a.Type == model.AttachmentVPN || a.Type == model.AttachmentDirectConnect) && !reached[a.ID] && a.State == model.AttachmentAvailable {
				a.OutsideSnapshot = true
				b.warn(a.Source, "", ErrOutsideSnapshot, "%s attachment %s of %s: the networks behind it (learned by BGP) are not in the snapshot: it is kept marked outside_snapshot, and traffic its route tables have no route for is unknown (OUTSIDE_SNAPSHOT), not \"no\"", a.Type, a.ID, tid)
			}
		}
	}
}
