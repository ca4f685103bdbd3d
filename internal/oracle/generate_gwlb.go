package oracle

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"

	"github.com/vpcreach/vpcreach/model"
)

// GenerateWithInspection is GenerateDualStack with, sometimes, inspection
// appliances behind a Gateway Load Balancer (V-20..V-25): a security VPC
// with the load balancer, its geneve target group of appliances (some
// stopped or unhealthy, some without the GENEVE rule in their groups) and
// drop rules, and an endpoint service; Gateway Load Balancer endpoints in
// VPCs with an internet gateway, routes to them from subnet tables, and
// gateway route tables at the internet gateway (ingress routing), in the
// right zone or not; in dual-stack VPCs, IPv6 routes to the endpoints
// (::/0 in subnet tables, subnets' IPv6 blocks in the gateway route
// table).
func GenerateWithInspection(seed uint64) *model.Model {
	g := &generator{r: rand.New(rand.NewPCG(seed, 0x0dd5eed)), m: &model.Model{Version: 1}, ipv6: true}
	g.build()
	if g.chance(0.7) {
		g.inspection()
	}
	return g.m
}

// inspection adds the security VPC and the endpoints that use it.
func (g *generator) inspection() {
	sec := model.VPC{ID: "vpc-sec", Account: "111111111111", Region: mainRegion, CIDRBlocks: []netip.Prefix{netip.MustParsePrefix("10.50.0.0/16")}}
	zones := zoneNames[mainRegion]
	for z := range 2 {
		sec.Subnets = append(sec.Subnets, model.Subnet{ID: model.ID(fmt.Sprintf("subnet-sec%d", z)), AZ: zones[z], AZID: zoneIDs[mainRegion][z],
			CIDRBlock: netip.MustParsePrefix(fmt.Sprintf("10.50.%d.0/24", z+1))})
	}
	fw := model.SecurityGroup{ID: "sg-fw"}
	if g.chance(0.85) {
		fw.Ingress = []model.IngressRule{{SGRule: model.SGRule{Protocol: model.ProtocolUDP, Ports: ptr(portRanges("6081")[0])},
			Sources: []model.Peer{{CIDR: sec.CIDRBlocks[0]}}}}
	}
	if g.chance(0.1) {
		fw.Egress = []model.EgressRule{}
	}
	sec.SecurityGroups = []model.SecurityGroup{fw}
	if g.chance(0.15) {
		// An ACL that lets no GENEVE into the second zone's subnet.
		sec.NetworkACLs = []model.NetworkACL{{ID: "acl-sec", Ingress: []model.ACLRule{{Rule: 100, Protocol: model.ProtocolTCP, Ports: ptr(portRanges("all")[0]), CIDR: netip.MustParsePrefix("0.0.0.0/0"), Action: model.ACLAllow}},
			Egress: []model.ACLRule{{Rule: 100, Protocol: model.ProtocolAll, CIDR: netip.MustParsePrefix("0.0.0.0/0"), Action: model.ACLAllow}}}}
		sec.Subnets[1].NetworkACL = "acl-sec"
	}
	tg := model.TargetGroup{ID: "tg-fw", Protocol: model.ListenerGENEVE, Port: 6081}
	for z := range 2 {
		if z == 1 && g.chance(0.2) {
			continue
		}
		in := model.Instance{ID: model.ID(fmt.Sprintf("i-fw%d", z))}
		in.Subnet, in.PrivateIP, in.SecurityGroups = sec.Subnets[z].ID, host(&sec.Subnets[z], 10), []model.ID{"sg-fw"}
		if g.chance(0.08) {
			in.State = model.InstanceStopped
		}
		sec.Instances = append(sec.Instances, in)
		t := model.Target{ID: in.ID}
		if g.chance(0.15) {
			t.Health = model.HealthUnhealthy
		}
		tg.Targets = append(tg.Targets, t)
	}
	if g.chance(0.6) {
		tg.Inspection = &model.Inspection{}
		for range 1 + g.r.IntN(2) {
			tg.Inspection.Drops = append(tg.Inspection.Drops, pick(g, []model.InspectionRule{
				{Protocol: model.ProtocolTCP, Ports: ptr(portRanges("22")[0]), DestinationCIDR: netip.MustParsePrefix("10.0.0.0/8")},
				{Protocol: model.ProtocolUDP, Ports: ptr(portRanges("53")[0])},
				{Protocol: model.ProtocolTCP, Ports: ptr(portRanges("3306")[0]), SourceCIDR: netip.MustParsePrefix("198.51.100.0/24")},
				{Protocol: model.ProtocolICMP},
				{DestinationCIDR: netip.MustParsePrefix("10.1.0.0/16")},
			}))
		}
	}
	sec.TargetGroups = []model.TargetGroup{tg}
	lb := model.LoadBalancer{ID: "gwlb-fw", Type: model.LBGateway, Scheme: model.SchemeInternal, Listeners: []model.Listener{{TargetGroup: "tg-fw"}}}
	for z := range 2 {
		if z == 1 && g.chance(0.2) {
			continue
		}
		lb.Subnets = append(lb.Subnets, sec.Subnets[z].ID)
		lb.PrivateIPs = append(lb.PrivateIPs, host(&sec.Subnets[z], 5))
	}
	svc := model.EndpointService{ID: "vpce-svc-fw", Region: mainRegion, LoadBalancers: []model.ID{"gwlb-fw"}}
	if g.services6 {
		// A dualstack load balancer, in a VPC and subnets with IPv6
		// blocks, lets its service accept IPv6 (V-32, V-33).
		sec.IPv6CIDRBlocks = []netip.Prefix{netip.MustParsePrefix("2600:1f18:50:100::/56")}
		for z := range sec.Subnets {
			sec.Subnets[z].IPv6CIDRBlock = netip.MustParsePrefix(fmt.Sprintf("2600:1f18:50:%x::/64", 0x101+z))
		}
		lb.IPAddressType = model.IPAddressDualstack
		svc.SupportedIPAddressTypes = []model.IPAddressType{model.IPAddressIPv4, model.IPAddressIPv6}
	}
	sec.LoadBalancers = []model.LoadBalancer{lb}
	g.m.EndpointServices = append(g.m.EndpointServices, svc)
	n := len(g.m.VPCs)
	for i := range n {
		v := &g.m.VPCs[i]
		if v.Region == mainRegion && v.InternetGateway != "" && g.chance(0.7) {
			g.useInspection(v)
		}
	}
	g.m.VPCs = append(g.m.VPCs, sec)
}

// useInspection puts Gateway Load Balancer endpoints in VPC v and routes
// traffic through them: some subnet tables' default route, and, often, the
// internet gateway's route table for some subnets (V-24, V-25).
func (g *generator) useInspection(v *model.VPC) {
	letter := string(v.ID[4:])
	// The endpoint subnets go out to the internet gateway.
	out := model.RouteTable{ID: model.ID("rtb-" + letter + "-gwlbe"), Routes: []model.Route{{Destination: model.Destination{CIDR: netip.MustParsePrefix("0.0.0.0/0")}, Target: v.InternetGateway}}}
	var endpoints []model.ID
	places := withIPv4(v)
	if g.services6 {
		// IPv6-only subnets too, for ipv6 endpoints (V-30).
		places = v.Subnets
	}
	for _, sn := range places {
		if len(endpoints) == 2 || !g.chance(0.6) {
			continue
		}
		e := model.Endpoint{ID: model.ID(fmt.Sprintf("vpce-%s-fw%d", letter, len(endpoints))), Type: model.EndpointGatewayLoadBalancer, Service: "vpce-svc-fw", Subnets: []model.ID{sn.ID}}
		if g.services6 {
			// The type the subnet allows (V-30); the service accepts
			// both families (V-32).
			switch {
			case sn.IPv6Only:
				e.IPAddressType = model.IPAddressIPv6
			case sn.IPv6CIDRBlock.IsValid() && g.chance(0.85):
				e.IPAddressType = model.IPAddressDualstack
			case g.chance(0.5):
				e.IPAddressType = model.IPAddressIPv4
			}
		}
		v.Endpoints = append(v.Endpoints, e)
		endpoints = append(endpoints, e.ID)
		if g.chance(0.85) {
			for k := range v.Subnets {
				if v.Subnets[k].ID == sn.ID {
					v.Subnets[k].RouteTable = out.ID
				}
			}
		}
	}
	if len(endpoints) == 0 {
		return
	}
	v.RouteTables = append(v.RouteTables, out)
	for k := range v.RouteTables {
		rt := &v.RouteTables[k]
		if rt.ID == out.ID || !g.chance(0.5) {
			continue
		}
		d := model.Destination{CIDR: netip.MustParsePrefix("0.0.0.0/0")}
		i := slices.IndexFunc(rt.Routes, func(r model.Route) bool { return r.Destination == d })
		if i < 0 {
			rt.Routes = append(rt.Routes, model.Route{Destination: d})
			i = len(rt.Routes) - 1
		}
		rt.Routes[i].Target, rt.Routes[i].State = pick(g, endpoints), model.RouteActive
	}
	if g.chance(0.6) {
		edge := model.RouteTable{ID: model.ID("rtb-" + letter + "-edge"), EdgeAssociations: []model.ID{v.InternetGateway}}
		for _, sn := range withIPv4(v) {
			if g.chance(0.6) {
				edge.Routes = append(edge.Routes, model.Route{Destination: model.Destination{CIDR: sn.CIDRBlock}, Target: pick(g, endpoints)})
			}
		}
		v.RouteTables = append(v.RouteTables, edge)
	}
	if v.HasIPv6() {
		g.inspectIPv6(v, out.ID)
	}
}

// inspectIPv6 routes IPv6 traffic of dual-stack VPC v through its Gateway
// Load Balancer endpoints in dual-stack subnets (V-05: an IPv6 route may
// target an endpoint; AWS needs a dualstack endpoint, so an IPv6 block in
// its subnet): the endpoint subnets' table (out) sends ::/0 to the
// internet gateway, some subnet tables send ::/0 to an endpoint, and the
// gateway route table sends some subnets' IPv6 blocks to one (V-24).
func (g *generator) inspectIPv6(v *model.VPC, out model.ID) {
	var endpoints []model.ID
	for _, e := range v.Endpoints {
		if e.Type == model.EndpointGatewayLoadBalancer && findSubnet(v, e.Subnets[0]).IPv6CIDRBlock.IsValid() {
			endpoints = append(endpoints, e.ID)
		}
	}
	if len(endpoints) == 0 {
		return
	}
	all6 := model.Destination{CIDR: netip.MustParsePrefix("::/0")}
	for k := range v.RouteTables {
		rt := &v.RouteTables[k]
		target := model.ID("")
		switch {
		case rt.ID == out:
			target = v.InternetGateway
		case len(rt.EdgeAssociations) > 0:
			for _, sn := range v.Subnets {
				if sn.IPv6CIDRBlock.IsValid() && g.chance(0.5) {
					rt.Routes = append(rt.Routes, model.Route{Destination: model.Destination{CIDR: sn.IPv6CIDRBlock}, Target: pick(g, endpoints)})
				}
			}
			continue
		case g.chance(0.5):
			target = pick(g, endpoints)
		default:
			continue
		}
		i := slices.IndexFunc(rt.Routes, func(r model.Route) bool { return r.Destination == all6 })
		if i < 0 {
			rt.Routes = append(rt.Routes, model.Route{Destination: all6})
			i = len(rt.Routes) - 1
		}
		rt.Routes[i].Target, rt.Routes[i].State = target, model.RouteActive
	}
}
