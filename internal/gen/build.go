package gen

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/vpcreach/vpcreach/model"
)

func (g *generator) tgwID(r int) model.ID { return model.ID(fmt.Sprintf("tgw-%02d", r+1)) }

// spokeRT and hubRT return the ids of region r's transit gateway route
// tables.
func (g *generator) spokeRT(r int) model.ID { return model.ID(fmt.Sprintf("tgw-%02d-rtb-spoke", r+1)) }

func (g *generator) hubRT(r int) model.ID { return model.ID(fmt.Sprintf("tgw-%02d-rtb-hub", r+1)) }

// attachID returns the id of VPC number num's transit gateway attachment.
func attachID(num string) model.ID { return model.ID("tgw-attach-" + num) }

// peerAttID returns the id of region r's transit gateway's peering
// attachment to region o's.
func peerAttID(r, o int) model.ID {
	return model.ID(fmt.Sprintf("tgw-attach-%02d-peer-%02d", r+1, o+1))
}

// subnetID returns the id of VPC number num's subnet of tier t in zone z.
func subnetID(num string, t, z int) model.ID {
	return model.ID(fmt.Sprintf("sn-%s-%s-%s", num, subnetTierNames[t], azLetter(z)))
}

// instanceID returns the id of VPC number num's k-th instance (from 0) of
// tier t.
func instanceID(num string, t, k int) model.ID {
	return model.ID(fmt.Sprintf("i-%s-%s-%02d", num, tierNames[t], k+1))
}

// subnetPrefix6 returns IPv6 block k of the VPC, a /64 (Options.DualStack).
func (g *generator) subnetPrefix6(v *vpcPlan, k int) netip.Prefix {
	return prefix6(v.cidr6, 64, uint64(k))
}

// subnetPrefix returns block k of the VPC, of the subnet size.
func (g *generator) subnetPrefix(v *vpcPlan, k int) netip.Prefix {
	return netip.PrefixFrom(addrOf(u32(v.cidr.Addr())+uint32(k)<<(32-g.snBits)), g.snBits)
}

// Blocks of the VPC per subnet tier (zone z adds z); attachment subnets
// are the first /28 of blocks 12 to 14.
var tierBlock = [numSubnetTiers]int{snPublic: 0, snApp: 4, snData: 8, snTGW: 12}

func (g *generator) buildVPC(i int, mv *model.VPC) {
	v := g.vpc(i)
	rp := &g.regions[v.region]
	tgw := g.tgwID(v.region)
	mv.ID = v.id
	if v.hub {
		mv.Name = "egress-hub-" + rp.name
	} else {
		mv.Name = appNames[g.r.IntN(len(appNames))] + "-" + envNames[g.r.IntN(len(envNames))]
	}
	mv.Account = g.accounts[v.account]
	mv.Region = rp.name
	mv.CIDRBlocks = []netip.Prefix{v.cidr}
	mv.DNS = model.DNSSettings{Hostnames: ptr(true)}
	igw := model.ID("")
	if v.public {
		igw = model.ID("igw-" + v.num)
		mv.InternetGateway = igw
	}
	dual := g.o.DualStack
	eigw := model.ID("")
	if dual {
		mv.IPv6CIDRBlocks = []netip.Prefix{v.cidr6}
		eigw = model.ID("eigw-" + v.num)
		mv.EgressOnlyInternetGateway = eigw
	}

	// Route table ids, decided before the subnets that use them.
	mainRT := model.ID("rtb-" + v.num + "-main")
	publicRT := model.ID("rtb-" + v.num + "-public")
	natOf := func(z int) model.ID {
		if !v.perAZNAT {
			z = 0
		}
		return model.ID("nat-" + v.num + "-" + azLetter(z))
	}
	privRTOf := func(z int) model.ID {
		if v.public && v.perAZNAT {
			return model.ID("rtb-" + v.num + "-private-" + azLetter(z))
		}
		return model.ID("rtb-" + v.num + "-private")
	}

	// Subnets.
	for t := range numSubnetTiers {
		if t == snPublic && !v.public {
			continue
		}
		for z := range v.azs {
			sn := model.Subnet{
				ID: subnetID(v.num, t, z),
				AZ: azName(rp.name, z),
			}
			p := g.subnetPrefix(v, tierBlock[t]+z)
			switch t {
			case snPublic:
				sn.RouteTable = publicRT
			case snApp:
				sn.RouteTable = privRTOf(z)
			case snData:
				sn.RouteTable = privRTOf(z)
				sn.NetworkACL = model.ID("acl-" + v.num + "-data")
			case snTGW:
				p = netip.PrefixFrom(p.Addr(), 28)
				if v.hub {
					sn.RouteTable = model.ID("rtb-" + v.num + "-tgw-" + azLetter(z))
				}
			}
			sn.CIDRBlock = p
			if dual {
				sn.IPv6CIDRBlock = g.subnetPrefix6(v, tierBlock[t]+z)
			}
			mv.Subnets = append(mv.Subnets, sn)
			v.subnets[t] = append(v.subnets[t], sn.ID)
			v.pools[t] = append(v.pools[t], newPool(p))
		}
	}

	// Route tables: main (local only), public, private, and the hub's
	// attachment subnet tables that send egress to the NAT of their zone.
	peerRoutes := func() []model.Route {
		var rs []model.Route
		for _, o := range v.peers {
			rs = append(rs, model.Route{Destination: model.Destination{CIDR: g.cidr(int(o))}, Target: g.pcx(i, int(o))})
		}
		if dual {
			for _, o := range v.peers {
				rs = append(rs, model.Route{Destination: model.Destination{CIDR: g.cidr6(int(o))}, Target: g.pcx(i, int(o))})
			}
		}
		return rs
	}
	// routes6 are the IPv6 routes of a public (to the internet gateway)
	// or private (to the egress-only one) route table.
	routes6 := func(internet model.ID) []model.Route {
		if !dual {
			return nil
		}
		return []model.Route{
			{Destination: model.Destination{CIDR: anywhere6}, Target: internet},
			{Destination: model.Destination{CIDR: internal6}, Target: tgw},
		}
	}
	mv.RouteTables = append(mv.RouteTables, model.RouteTable{ID: mainRT, Main: true})
	if v.public {
		rs := []model.Route{
			{Destination: model.Destination{CIDR: anywhere}, Target: igw},
			{Destination: model.Destination{CIDR: internal}, Target: tgw},
		}
		rs = append(rs, routes6(igw)...)
		mv.RouteTables = append(mv.RouteTables, model.RouteTable{ID: publicRT, Routes: append(rs, peerRoutes()...)})
	}
	nPriv := 1
	if v.public && v.perAZNAT {
		nPriv = v.azs
	}
	for z := range nPriv {
		var rs []model.Route
		if v.public {
			rs = append(rs, model.Route{Destination: model.Destination{CIDR: anywhere}, Target: natOf(z)},
				model.Route{Destination: model.Destination{CIDR: internal}, Target: tgw})
		} else {
			rs = append(rs, model.Route{Destination: model.Destination{CIDR: anywhere}, Target: tgw})
		}
		rs = append(rs, routes6(eigw)...)
		rt := model.RouteTable{ID: privRTOf(z), Routes: append(rs, peerRoutes()...)}
		mv.RouteTables = append(mv.RouteTables, rt)
		v.privRTs = append(v.privRTs, rt.ID)
	}
	if v.hub {
		for z := range v.azs {
			mv.RouteTables = append(mv.RouteTables, model.RouteTable{
				ID:     model.ID("rtb-" + v.num + "-tgw-" + azLetter(z)),
				Routes: []model.Route{{Destination: model.Destination{CIDR: anywhere}, Target: natOf(z)}},
			})
		}
	}

	// The data subnets' network ACL: internal traffic, and responses.
	mv.NetworkACLs = []model.NetworkACL{{
		ID: model.ID("acl-" + v.num + "-data"),
		Ingress: []model.ACLRule{
			{Rule: 100, Protocol: model.ProtocolAll, CIDR: internal, Action: model.ACLAllow},
			{Rule: 200, Protocol: model.ProtocolTCP, Ports: &model.PortRange{First: 1024, Last: 65535}, CIDR: anywhere, Action: model.ACLAllow},
		},
		Egress: []model.ACLRule{
			{Rule: 100, Protocol: model.ProtocolAll, CIDR: anywhere, Action: model.ACLAllow},
		},
	}}
	if dual {
		acl := &mv.NetworkACLs[0]
		acl.Ingress = []model.ACLRule{acl.Ingress[0],
			{Rule: 101, Protocol: model.ProtocolAll, CIDR: internal6, Action: model.ACLAllow},
			acl.Ingress[1],
			{Rule: 201, Protocol: model.ProtocolTCP, Ports: &model.PortRange{First: 1024, Last: 65535}, CIDR: anywhere6, Action: model.ACLAllow},
		}
		acl.Egress = append(acl.Egress, model.ACLRule{Rule: 101, Protocol: model.ProtocolAll, CIDR: anywhere6, Action: model.ACLAllow})
	}

	// Security groups: three tiers that reference each other, the
	// interface endpoints' group, and the load balancer's.
	sg := func(name string) model.ID { return model.ID("sg-" + v.num + "-" + name) }
	tcpIn := func(p uint16, desc string, src ...model.Peer) model.IngressRule {
		return model.IngressRule{SGRule: model.SGRule{Protocol: model.ProtocolTCP, Ports: ports(p), Description: desc}, Sources: src}
	}
	cidrPeer := func(p netip.Prefix) model.Peer { return model.Peer{CIDR: p} }
	refPeer := func(id model.ID) model.Peer { return model.Peer{Ref: id} }
	// both lists a CIDR peer and, dual-stack, its IPv6 twin.
	both := func(p, p6 netip.Prefix) []model.Peer {
		if dual {
			return []model.Peer{cidrPeer(p), cidrPeer(p6)}
		}
		return []model.Peer{cidrPeer(p)}
	}
	app := model.SecurityGroup{ID: sg("app"), Name: mv.Name + "-app", Description: "application tier",
		Ingress: []model.IngressRule{
			tcpIn(portApp, "from the web tier", refPeer(sg("web"))),
			tcpIn(portApp, "service calls from internal networks", both(internal, internal6)...),
		}}
	if v.provides >= 0 {
		app.Ingress = append(app.Ingress, tcpIn(portApp, "from the PrivateLink load balancer", refPeer(sg("nlb"))))
	}
	mv.SecurityGroups = []model.SecurityGroup{
		{ID: sg("web"), Name: mv.Name + "-web", Description: "web tier",
			Ingress: []model.IngressRule{tcpIn(portWeb, "https from anywhere", both(anywhere, anywhere6)...)}},
		app,
		{ID: sg("db"), Name: mv.Name + "-db", Description: "database tier",
			Ingress: []model.IngressRule{tcpIn(portDB, "postgres from the app tier", refPeer(sg("app")))}},
	}
	if len(v.aws) > 0 || len(v.consumes) > 0 {
		mv.SecurityGroups = append(mv.SecurityGroups, model.SecurityGroup{ID: sg("vpce"), Name: mv.Name + "-endpoints",
			Description: "interface endpoints",
			Ingress:     []model.IngressRule{tcpIn(443, "https from the VPC", cidrPeer(v.cidr))}})
	}
	if v.provides >= 0 {
		mv.SecurityGroups = append(mv.SecurityGroups, model.SecurityGroup{ID: sg("nlb"), Name: mv.Name + "-nlb",
			Description: "PrivateLink network load balancer",
			Ingress:     []model.IngressRule{tcpIn(portService, "service port from internal networks", cidrPeer(internal))}})
	}

	// NAT gateways: one per zone, or one in the first zone.
	if v.public {
		n := 1
		if v.perAZNAT {
			n = v.azs
		}
		for z := range n {
			mv.NATGateways = append(mv.NATGateways, model.NATGateway{ID: natOf(z), Subnet: v.subnets[snPublic][z],
				PrivateIP: v.pools[snPublic][z].mustTake(), PublicIP: g.publicIP()})
		}
	}

	// Endpoints: S3 on the private route tables, AWS interface endpoints,
	// and endpoints to PrivateLink services of the region.
	mv.Endpoints = append(mv.Endpoints, model.Endpoint{ID: model.ID("vpce-" + v.num + "-s3"), Type: model.EndpointGateway,
		Service: "com.amazonaws." + rp.name + ".s3", RouteTables: slices.Clone(v.privRTs)})
	for _, svc := range v.aws {
		e := model.Endpoint{ID: model.ID("vpce-" + v.num + "-" + svc), Type: model.EndpointInterface,
			Service: "com.amazonaws." + rp.name + "." + svc, SecurityGroups: []model.ID{sg("vpce")}, PrivateDNS: true}
		for z := range v.azs {
			e.Subnets = append(e.Subnets, v.subnets[snApp][z])
			e.PrivateIPs = append(e.PrivateIPs, v.pools[snApp][z].mustTake())
		}
		mv.Endpoints = append(mv.Endpoints, e)
	}
	for _, si := range v.consumes {
		sp := &g.services[si]
		e := model.Endpoint{ID: consumerEndpoint(v.num, sp), Type: model.EndpointInterface, Service: string(g.serviceID(int(si))),
			SecurityGroups: []model.ID{sg("vpce")}}
		for z := range min(v.azs, int(g.recs[sp.provider].azs)) {
			e.Subnets = append(e.Subnets, v.subnets[snApp][z])
			e.PrivateIPs = append(e.PrivateIPs, v.pools[snApp][z].mustTake())
		}
		mv.Endpoints = append(mv.Endpoints, e)
	}

	// PrivateLink load balancers (their target groups come after the
	// instances).
	if si := v.provides; si >= 0 {
		lb := model.LoadBalancer{ID: g.nlbID(si), Name: mv.Name + "-svc-" + g.services[si].num, Type: model.LBNetwork, Scheme: model.SchemeInternal,
			SecurityGroups: []model.ID{sg("nlb")},
			Listeners:      []model.Listener{{Protocol: model.ListenerTCP, Port: portService, TargetGroup: g.tgID(si)}}}
		for z := range v.azs {
			lb.Subnets = append(lb.Subnets, v.subnets[snApp][z])
			lb.PrivateIPs = append(lb.PrivateIPs, v.pools[snApp][z].mustTake())
		}
		mv.LoadBalancers = append(mv.LoadBalancers, lb)
	}

	g.buildInstances(v, mv)

	if si := v.provides; si >= 0 {
		tg := model.TargetGroup{ID: g.tgID(si), Protocol: model.ListenerTCP, Port: portApp}
		for _, in := range v.instances[tierApp][:min(4, len(v.instances[tierApp]))] {
			tg.Targets = append(tg.Targets, model.Target{ID: in})
		}
		mv.TargetGroups = append(mv.TargetGroups, tg)
	}
}

// consumerEndpoint returns the id of VPC number num's endpoint to
// service sp.
func consumerEndpoint(num string, sp *servicePlan) model.ID {
	return model.ID("vpce-" + num + "-svc-" + sp.num)
}

// buildInstances spreads about InstancesPerVPC instances (±15%) over the
// tiers (a fifth web, a quarter db, the rest app) and zones; a few web
// instances of public VPCs get public addresses.
func (g *generator) buildInstances(v *vpcPlan, mv *model.VPC) {
	c := max(MinInstancesPerVPC, g.o.InstancesPerVPC*(85+g.r.IntN(31))/100)
	web, db := max(1, c/5), max(1, c/4)
	counts := [numTiers]int{tierWeb: web, tierApp: c - web - db, tierDB: db}
	nPublic := 0
	if v.public {
		nPublic = 1 + g.r.IntN(3)
	}
	for t := range numTiers {
		st := snApp
		switch {
		case t == tierWeb && v.public:
			st = snPublic
		case t == tierDB:
			st = snData
		}
		start := g.r.IntN(v.azs)
		sg := model.ID("sg-" + v.num + "-" + tierNames[t])
		for k := range counts[t] {
			z, a, ok := 0, netip.Addr{}, false
			for try := range v.azs {
				z = (start + k + try) % v.azs
				if a, ok = v.pools[st][z].take(); ok {
					break
				}
			}
			if !ok {
				// Every subnet of the tier is full: not the VPC asked for.
				g.err = fmt.Errorf("%s (a /%d, with /%d subnets) has no room for its %d instances: its %s subnets are full after %d; ask for fewer instances per VPC, or fewer VPCs (the more VPCs in a region, the smaller each VPC)",
					v.id, g.vpcBits, g.snBits, c, subnetTierNames[st], len(mv.Instances))
				return
			}
			in := model.Instance{ID: instanceID(v.num, t, k),
				Interface: model.Interface{Subnet: v.subnets[st][z], PrivateIP: a, SecurityGroups: []model.ID{sg}}}
			if g.o.DualStack {
				// The same interface identifier as the IPv4 address's host
				// part: never one of the /64's reserved addresses (V-02).
				host := u32(a) - u32(g.subnetPrefix(v, tierBlock[st]+z).Addr())
				in.IPv6Addresses = []netip.Addr{addr6(g.subnetPrefix6(v, tierBlock[st]+z), host)}
			}
			if t == tierWeb && k < nPublic && st == snPublic {
				// At least the first web instance of every public VPC.
				in.PublicIP = g.publicIP()
			}
			mv.Instances = append(mv.Instances, in)
			v.instances[t] = append(v.instances[t], in.ID)
		}
	}
}
