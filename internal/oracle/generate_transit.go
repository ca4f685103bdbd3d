package oracle

import (
	"fmt"
	"math/rand/v2"
	"net/netip"

	"github.com/vpcreach/vpcreach/model"
)

// GenerateInspectionVPC returns a random centralised inspection network
// behind a transit gateway (V-26, with V-14 and V-20..V-23): two or three
// spoke VPCs whose instances sit in random zones, and an inspection VPC
// with, per zone, a transit gateway attachment subnet routed to the
// Gateway Load Balancer endpoint of its zone (or, sometimes, of the other
// zone), an endpoint subnet routed back to the transit gateway (and to a
// NAT gateway or the internet gateway for spoke-to-internet traffic), and
// appliances behind the load balancer (some stopped or unhealthy, drop
// rules stated or not). The transit gateway's spoke route table sends
// everything to the inspection attachment, with appliance mode on or off;
// the inspection table holds the spokes' propagated blocks (some spokes'
// attachments have appliance mode too). About half the
// models are dual-stack, with ::/0 routes to the transit gateway and to
// the endpoints, IPv6 support on or off on the attachments. The same seed
// gives the same model.
func GenerateInspectionVPC(seed uint64) *model.Model {
	g := &generator{r: rand.New(rand.NewPCG(seed, 0x1a5bec7)), m: &model.Model{Version: 1}}
	g.ipv6 = g.chance(0.5)
	g.inspectionVPC()
	return g.m
}

// The transit inspection network's names.
const (
	tgwID       = "tgw-hub"
	tgwSpokes   = "tgw-rtb-spokes"
	tgwInspect  = "tgw-rtb-insp"
	inspAttach  = "tgw-attach-insp"
	inspService = "vpce-svc-insp"
)

// spoke6 is the IPv6 block of spoke i, and inspection6 the inspection
// VPC's.
func spoke6(i int) netip.Prefix {
	return netip.MustParsePrefix(fmt.Sprintf("2600:1f18:%x:100::/56", i+1))
}

var inspection6 = netip.MustParsePrefix("2600:1f18:50:100::/56")

// subnet6 returns the /64 k of IPv6 block b.
func subnet6(b netip.Prefix, k int) netip.Prefix {
	a := b.Addr().As16()
	a[7] = byte(k)
	return netip.PrefixFrom(netip.AddrFrom16(a), 64)
}

func (g *generator) inspectionVPC() {
	t := model.TransitGateway{ID: tgwID, Region: mainRegion, SecurityGroupReferencing: g.chance(0.5),
		RouteTables: []model.TGWRouteTable{{ID: tgwSpokes}, {ID: tgwInspect}}}
	ns := 2 + g.r.IntN(2)
	for i := range ns {
		v, att := g.spoke(i)
		g.m.VPCs = append(g.m.VPCs, v)
		t.Attachments = append(t.Attachments, att)
	}
	insp, att := g.inspectionHub()
	t.Attachments = append(t.Attachments, att)
	g.m.VPCs = append(g.m.VPCs, insp)
	// The spokes' table sends everything to the inspection VPC; the
	// inspection VPC's table holds the spokes' blocks (propagated, S-50).
	spokes := &t.RouteTables[0]
	spokes.Routes = append(spokes.Routes, model.TGWRoute{Destination: model.Destination{CIDR: netip.MustParsePrefix("0.0.0.0/0")}, Attachment: inspAttach})
	if g.ipv6 && g.chance(0.9) {
		spokes.Routes = append(spokes.Routes, model.TGWRoute{Destination: model.Destination{CIDR: netip.MustParsePrefix("::/0")}, Attachment: inspAttach})
	}
	if g.chance(0.1) {
		// A blackhole for one spoke (S-52).
		spokes.Routes = append(spokes.Routes, model.TGWRoute{Destination: model.Destination{CIDR: g.m.VPCs[g.r.IntN(ns)].CIDRBlocks[0]}, Blackhole: true})
	}
	if g.ipv6 && g.chance(0.15) {
		// A static route for a spoke's IPv6 block, whatever its
		// attachment's IPv6 support (V-14).
		i := g.r.IntN(ns)
		if g.m.VPCs[i].HasIPv6() {
			t.RouteTables[1].Routes = append(t.RouteTables[1].Routes, model.TGWRoute{Destination: model.Destination{CIDR: g.m.VPCs[i].IPv6CIDRBlocks[0]}, Attachment: t.Attachments[i].ID})
		}
	}
	g.m.TransitGateways = []model.TransitGateway{t}
	g.m.EndpointServices = []model.EndpointService{{ID: inspService, Region: mainRegion, LoadBalancers: []model.ID{"gwlb-insp"}}}
	// Random network ACLs, now that every VPC is there to name.
	for i := range g.m.VPCs {
		v := &g.m.VPCs[i]
		if !g.chance(0.2) {
			continue
		}
		acl := model.NetworkACL{ID: model.ID("acl-" + string(v.ID[4:])), Ingress: g.aclRules(v), Egress: g.aclRules(v)}
		v.NetworkACLs = append(v.NetworkACLs, acl)
		sn := &v.Subnets[g.r.IntN(len(v.Subnets))]
		sn.NetworkACL = acl.ID
	}
}

// spoke returns spoke VPC i, with its transit gateway attachment.
func (g *generator) spoke(i int) (model.VPC, model.TGWAttachment) {
	letter := string(rune('a' + i))
	v := model.VPC{ID: model.ID("vpc-" + letter), Account: "111111111111", Region: mainRegion,
		CIDRBlocks: []netip.Prefix{netip.MustParsePrefix(fmt.Sprintf("10.%d.0.0/16", i+1))}}
	if g.ipv6 && g.chance(0.85) {
		v.IPv6CIDRBlocks = []netip.Prefix{spoke6(i)}
	}
	rt := model.RouteTable{ID: model.ID("rtb-" + letter), Main: true}
	switch {
	case g.chance(0.85):
		rt.Routes = append(rt.Routes, model.Route{Destination: model.Destination{CIDR: netip.MustParsePrefix("0.0.0.0/0")}, Target: tgwID})
	case g.chance(0.7):
		rt.Routes = append(rt.Routes, model.Route{Destination: model.Destination{CIDR: netip.MustParsePrefix("10.0.0.0/8")}, Target: tgwID})
	}
	if v.HasIPv6() && g.chance(0.85) {
		rt.Routes = append(rt.Routes, model.Route{Destination: model.Destination{CIDR: netip.MustParsePrefix("::/0")}, Target: tgwID})
	}
	v.RouteTables = []model.RouteTable{rt}
	sg := model.SecurityGroup{ID: model.ID("sg-" + letter)}
	switch x := g.r.Float64(); {
	case x < 0.7:
		sg.Ingress = append(sg.Ingress, model.IngressRule{SGRule: model.SGRule{Protocol: model.ProtocolAll}, Sources: []model.Peer{{CIDR: netip.MustParsePrefix("10.0.0.0/8")}}})
	case x < 0.85:
		sg.Ingress = append(sg.Ingress, model.IngressRule{SGRule: model.SGRule{Protocol: model.ProtocolTCP, Ports: ptr(portRanges("443")[0])}, Sources: []model.Peer{{CIDR: netip.MustParsePrefix("0.0.0.0/0")}}})
	}
	if v.HasIPv6() && g.chance(0.7) {
		sg.Ingress = append(sg.Ingress, model.IngressRule{SGRule: model.SGRule{Protocol: model.ProtocolAll}, Sources: []model.Peer{{CIDR: netip.MustParsePrefix("2600:1f18::/32")}}})
	}
	if g.chance(0.2) {
		sg.Ingress = append(sg.Ingress, model.IngressRule{SGRule: model.SGRule{Protocol: model.ProtocolTCP, Ports: ptr(portRanges("22")[0])},
			Sources: []model.Peer{{CIDR: netip.MustParsePrefix("10.1.0.0/16")}}})
	}
	v.SecurityGroups = []model.SecurityGroup{sg}
	// Subnets in one zone or both; the attachment takes one per zone.
	zones := []int{0, 1}
	if g.chance(0.35) {
		zones = []int{g.r.IntN(2)}
	}
	att := model.TGWAttachment{ID: model.ID("tgw-attach-" + letter), Type: model.AttachmentVPC, VPC: v.ID, Association: tgwSpokes, Propagations: []model.ID{tgwInspect}}
	if g.chance(0.1) {
		// The spokes' table learns the spoke directly: traffic to it
		// bypasses the inspection VPC one way.
		att.Propagations = append(att.Propagations, tgwSpokes)
	}
	if g.chance(0.05) {
		att.Association = ""
	}
	if v.HasIPv6() {
		att.IPv6Support = g.chance(0.85)
	}
	// Appliance mode on a spoke's attachment keeps a response that enters
	// the spoke where its request did.
	att.ApplianceMode = g.chance(0.15)
	switch {
	case g.chance(0.3):
		att.SecurityGroupReferencing = ptr(false)
	case g.chance(0.3):
		att.SecurityGroupReferencing = ptr(true)
	}
	k := 0
	for _, z := range zones {
		for j := range 1 + g.r.IntN(2) {
			sn := model.Subnet{ID: model.ID(fmt.Sprintf("subnet-%s%d", letter, k)), AZ: zoneNames[mainRegion][z], AZID: zoneIDs[mainRegion][z],
				CIDRBlock: netip.MustParsePrefix(fmt.Sprintf("10.%d.%d.0/24", i+1, k))}
			if v.HasIPv6() {
				sn.IPv6CIDRBlock = subnet6(v.IPv6CIDRBlocks[0], k)
			}
			if j == 0 && (len(att.Subnets) == 0 || g.chance(0.85)) {
				att.Subnets = append(att.Subnets, sn.ID)
			}
			v.Subnets = append(v.Subnets, sn)
			k++
		}
	}
	for _, sn := range v.Subnets {
		for j := range 1 + g.r.IntN(2) {
			in := model.Instance{ID: model.ID(fmt.Sprintf("i-%s%d", letter, len(v.Instances)))}
			in.Subnet, in.PrivateIP, in.SecurityGroups = sn.ID, host(&sn, 10+j), []model.ID{sg.ID}
			if sn.IPv6CIDRBlock.IsValid() && g.chance(0.8) {
				in.IPv6Addresses = []netip.Addr{host6(&sn, 10+j)}
			}
			if g.chance(0.05) {
				in.State = model.InstanceStopped
			}
			v.Instances = append(v.Instances, in)
		}
	}
	return v, att
}

// inspectionHub returns the inspection VPC, with its attachment: per zone
// (both, or only the first), a transit gateway subnet, an endpoint subnet
// and an appliance subnet; the Gateway Load Balancer, its target group and
// appliances; sometimes an internet gateway, with NAT gateways, for the
// spokes' internet traffic.
func (g *generator) inspectionHub() (model.VPC, model.TGWAttachment) {
	v := model.VPC{ID: "vpc-insp", Account: "111111111111", Region: mainRegion, CIDRBlocks: []netip.Prefix{netip.MustParsePrefix("10.50.0.0/16")}}
	if g.ipv6 {
		v.IPv6CIDRBlocks = []netip.Prefix{inspection6}
	}
	egress := g.chance(0.5)
	if egress {
		v.InternetGateway = "igw-insp"
	}
	nz := 2
	if g.chance(0.15) {
		nz = 1
	}
	att := model.TGWAttachment{ID: inspAttach, Type: model.AttachmentVPC, VPC: v.ID, Association: tgwInspect, Propagations: []model.ID{},
		ApplianceMode: g.chance(0.5), IPv6Support: g.ipv6 && g.chance(0.9)}
	// One table per zone for the attachment subnets, each to its zone's
	// endpoint, or sometimes one table for both (to the first zone's).
	shared := nz == 2 && g.chance(0.15)
	fw := model.SecurityGroup{ID: "sg-fw"}
	if g.chance(0.9) {
		fw.Ingress = []model.IngressRule{{SGRule: model.SGRule{Protocol: model.ProtocolUDP, Ports: ptr(portRanges("6081")[0])}, Sources: []model.Peer{{CIDR: v.CIDRBlocks[0]}}}}
	}
	v.SecurityGroups = []model.SecurityGroup{fw}
	v.RouteTables = []model.RouteTable{{ID: "rtb-insp-fw", Main: true}}
	tg := model.TargetGroup{ID: "tg-insp", Protocol: model.ListenerGENEVE, Port: 6081}
	lb := model.LoadBalancer{ID: "gwlb-insp", Type: model.LBGateway, Scheme: model.SchemeInternal, Listeners: []model.Listener{{TargetGroup: tg.ID}}}
	for z := range nz {
		zoneName, zoneID := zoneNames[mainRegion][z], zoneIDs[mainRegion][z]
		sub := func(name string, third int, six bool, table model.ID) model.Subnet {
			sn := model.Subnet{ID: model.ID(fmt.Sprintf("subnet-insp-%s%d", name, z)), AZ: zoneName, AZID: zoneID, RouteTable: table,
				CIDRBlock: netip.MustParsePrefix(fmt.Sprintf("10.50.%d.0/24", third+z))}
			if six && g.ipv6 {
				sn.IPv6CIDRBlock = subnet6(inspection6, third+z)
			}
			return sn
		}
		endpoint := model.ID(fmt.Sprintf("vpce-insp%d", z))
		tgwTable := model.ID(fmt.Sprintf("rtb-insp-tgw%d", z))
		if shared {
			tgwTable = "rtb-insp-tgw0"
		}
		if z == 0 || !shared {
			rt := model.RouteTable{ID: tgwTable, Routes: []model.Route{{Destination: model.Destination{CIDR: netip.MustParsePrefix("0.0.0.0/0")}, Target: endpoint}}}
			if g.ipv6 && g.chance(0.9) {
				rt.Routes = append(rt.Routes, model.Route{Destination: model.Destination{CIDR: netip.MustParsePrefix("::/0")}, Target: endpoint})
			}
			v.RouteTables = append(v.RouteTables, rt)
		}
		// Back from the appliance: the spokes through the transit
		// gateway, the internet through the zone's NAT gateway (IPv4) or
		// the internet gateway (IPv6, which carries only the VPC's own
		// addresses out, V-06).
		back := model.RouteTable{ID: model.ID(fmt.Sprintf("rtb-insp-gwlbe%d", z)), Routes: []model.Route{{Destination: model.Destination{CIDR: netip.MustParsePrefix("10.0.0.0/8")}, Target: tgwID}}}
		if g.ipv6 {
			back.Routes = append(back.Routes, model.Route{Destination: model.Destination{CIDR: netip.MustParsePrefix("2600:1f18::/32")}, Target: tgwID})
		}
		tgwSn, gwlbeSn, fwSn := sub("tgw", 1, true, tgwTable), sub("gwlbe", 11, true, back.ID), sub("fw", 21, false, "")
		if egress {
			pub := sub("pub", 31, true, model.ID(fmt.Sprintf("rtb-insp-pub%d", z)))
			nat := model.NATGateway{ID: model.ID(fmt.Sprintf("nat-insp%d", z)), Subnet: pub.ID, PrivateIP: host(&pub, 5), PublicIP: g.nextPublic()}
			v.NATGateways = append(v.NATGateways, nat)
			back.Routes = append(back.Routes, model.Route{Destination: model.Destination{CIDR: netip.MustParsePrefix("0.0.0.0/0")}, Target: nat.ID})
			if g.ipv6 && g.chance(0.7) {
				back.Routes = append(back.Routes, model.Route{Destination: model.Destination{CIDR: netip.MustParsePrefix("::/0")}, Target: v.InternetGateway})
			}
			// The NAT gateway's subnet: out by the internet gateway, the
			// spokes back through the zone's endpoint (or, the mistake,
			// straight to the transit gateway).
			toSpokes := endpoint
			if g.chance(0.2) {
				toSpokes = tgwID
			}
			v.RouteTables = append(v.RouteTables, model.RouteTable{ID: pub.RouteTable, Routes: []model.Route{
				{Destination: model.Destination{CIDR: netip.MustParsePrefix("0.0.0.0/0")}, Target: v.InternetGateway},
				{Destination: model.Destination{CIDR: netip.MustParsePrefix("10.0.0.0/8")}, Target: toSpokes}}})
			v.Subnets = append(v.Subnets, pub)
		}
		v.RouteTables = append(v.RouteTables, back)
		v.Subnets = append(v.Subnets, tgwSn, gwlbeSn, fwSn)
		if len(att.Subnets) == 0 || g.chance(0.9) {
			att.Subnets = append(att.Subnets, tgwSn.ID)
		}
		v.Endpoints = append(v.Endpoints, model.Endpoint{ID: endpoint, Type: model.EndpointGatewayLoadBalancer, Service: inspService, Subnets: []model.ID{gwlbeSn.ID}})
		if z == 0 || g.chance(0.9) {
			lb.Subnets = append(lb.Subnets, fwSn.ID)
			lb.PrivateIPs = append(lb.PrivateIPs, host(&fwSn, 5))
		}
		if z == 0 || g.chance(0.9) {
			in := model.Instance{ID: model.ID(fmt.Sprintf("i-fw%d", z))}
			in.Subnet, in.PrivateIP, in.SecurityGroups = fwSn.ID, host(&fwSn, 10), []model.ID{fw.ID}
			if g.chance(0.05) {
				in.State = model.InstanceStopped
			}
			v.Instances = append(v.Instances, in)
			t := model.Target{ID: in.ID}
			if g.chance(0.1) {
				t.Health = model.HealthUnhealthy
			}
			tg.Targets = append(tg.Targets, t)
		}
	}
	if g.chance(0.6) {
		// The appliances' verdict (V-22); inspection rules name IPv4
		// ranges only, so IPv6 flows are dropped by protocol and port.
		tg.Inspection = &model.Inspection{}
		for range 1 + g.r.IntN(2) {
			tg.Inspection.Drops = append(tg.Inspection.Drops, pick(g, []model.InspectionRule{
				{Protocol: model.ProtocolTCP, Ports: ptr(portRanges("22")[0])},
				{Protocol: model.ProtocolTCP, Ports: ptr(portRanges("3306")[0]), DestinationCIDR: netip.MustParsePrefix("10.2.0.0/16")},
				{Protocol: model.ProtocolUDP, Ports: ptr(portRanges("53")[0])},
				{Protocol: model.ProtocolICMP},
				{Protocol: model.ProtocolICMPv6},
				{SourceCIDR: netip.MustParsePrefix("10.3.0.0/16")},
				{Protocol: model.ProtocolTCP, Ports: ptr(portRanges("443")[0]), DestinationCIDR: netip.MustParsePrefix("8.8.8.0/24")},
			}))
		}
	}
	v.TargetGroups = []model.TargetGroup{tg}
	v.LoadBalancers = []model.LoadBalancer{lb}
	return v, att
}
