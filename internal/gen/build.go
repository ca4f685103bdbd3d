package gen

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/vpcreach/vpcreach/model"
)

func (g *generator) tgwID(r int) model.ID { return model.ID(fmt.Sprintf("tgw-%02d", r+1)) }

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
	v := &g.vpcs[i]
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
				ID: model.ID(fmt.Sprintf("sn-%s-%s-%s", v.num, subnetTierNames[t], azLetter(z))),
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
		for _, p := range v.peers {
			rs = append(rs, model.Route{Destination: model.Destination{CIDR: g.vpcs[p.other].cidr}, Target: p.pcx})
		}
		if dual {
			for _, p := range v.peers {
				rs = append(rs, model.Route{Destination: model.Destination{CIDR: g.vpcs[p.other].cidr6}, Target: p.pcx})
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
	if len(v.provides) > 0 {
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
	if len(v.provides) > 0 {
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
		e := model.Endpoint{ID: g.consumerEndpoint(v, sp), Type: model.EndpointInterface, Service: string(sp.id),
			SecurityGroups: []model.ID{sg("vpce")}}
		for z := range min(v.azs, g.vpcs[sp.provider].azs) {
			e.Subnets = append(e.Subnets, v.subnets[snApp][z])
			e.PrivateIPs = append(e.PrivateIPs, v.pools[snApp][z].mustTake())
		}
		mv.Endpoints = append(mv.Endpoints, e)
	}

	// PrivateLink load balancers (their target groups come after the
	// instances).
	for _, si := range v.provides {
		sp := &g.services[si]
		sp.nlb = model.ID("nlb-" + v.num + "-svc-" + sp.num)
		sp.tg = model.ID("tg-" + v.num + "-svc-" + sp.num)
		lb := model.LoadBalancer{ID: sp.nlb, Name: mv.Name + "-svc-" + sp.num, Type: model.LBNetwork, Scheme: model.SchemeInternal,
			SecurityGroups: []model.ID{sg("nlb")},
			Listeners:      []model.Listener{{Protocol: model.ListenerTCP, Port: portService, TargetGroup: sp.tg}}}
		for z := range v.azs {
			lb.Subnets = append(lb.Subnets, v.subnets[snApp][z])
			lb.PrivateIPs = append(lb.PrivateIPs, v.pools[snApp][z].mustTake())
		}
		mv.LoadBalancers = append(mv.LoadBalancers, lb)
	}

	g.buildInstances(v, mv)

	for _, si := range v.provides {
		sp := &g.services[si]
		tg := model.TargetGroup{ID: sp.tg, Protocol: model.ListenerTCP, Port: portApp}
		for _, in := range v.instances[tierApp][:min(4, len(v.instances[tierApp]))] {
			tg.Targets = append(tg.Targets, model.Target{ID: in})
		}
		mv.TargetGroups = append(mv.TargetGroups, tg)
	}
}

func (g *generator) consumerEndpoint(v *vpcPlan, sp *servicePlan) model.ID {
	return model.ID("vpce-" + v.num + "-svc-" + sp.num)
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
			in := model.Instance{ID: model.ID(fmt.Sprintf("i-%s-%s-%02d", v.num, tierNames[t], k+1)),
				Interface: model.Interface{Subnet: v.subnets[st][z], PrivateIP: a, SecurityGroups: []model.ID{sg}}}
			if g.o.DualStack {
				// The same interface identifier as the IPv4 address's host
				// part: never one of the /64's reserved addresses (V-02).
				host := u32(a) - u32(g.subnetPrefix(v, tierBlock[st]+z).Addr())
				in.IPv6Addresses = []netip.Addr{addr6(g.subnetPrefix6(v, tierBlock[st]+z), host)}
			}
			if t == tierWeb && k < nPublic && st == snPublic {
				in.PublicIP = g.publicIP()
				v.publicWeb = append(v.publicWeb, in.ID)
			}
			mv.Instances = append(mv.Instances, in)
			v.instances[t] = append(v.instances[t], in.ID)
		}
	}
}

// buildTransitGateways builds a hub-and-spoke transit gateway per region,
// and the peering between the first two regions' gateways.
func (g *generator) buildTransitGateways() {
	for r := range g.regions {
		rp := &g.regions[r]
		if len(rp.vpcs) == 0 {
			continue
		}
		rp.tgw = g.tgwID(r)
		prefix := fmt.Sprintf("tgw-%02d-rtb-", r+1)
		rp.spokeRT, rp.hubRT = model.ID(prefix+"spoke"), model.ID(prefix+"hub")
		t := model.TransitGateway{ID: rp.tgw, Account: g.accounts[0], Region: rp.name}
		hubAtt := model.ID("tgw-attach-" + g.vpcs[rp.vpcs[0]].num)
		t.RouteTables = []model.TGWRouteTable{
			{ID: rp.spokeRT, Routes: []model.TGWRoute{{Destination: model.Destination{CIDR: anywhere}, Attachment: hubAtt}}},
			{ID: rp.hubRT},
		}
		for _, i := range rp.vpcs {
			v := &g.vpcs[i]
			v.attach = model.ID("tgw-attach-" + v.num)
			a := model.TGWAttachment{ID: v.attach, Type: model.AttachmentVPC, VPC: v.id, Subnets: slices.Clone(v.subnets[snTGW]),
				Association: rp.spokeRT, Propagations: []model.ID{rp.hubRT, rp.spokeRT}}
			if v.hub {
				a.Association = rp.hubRT
			}
			// IPv6 blocks propagate only with the attachment's IPv6
			// support on (V-14).
			a.IPv6Support = g.o.DualStack
			if v.overlap {
				// A planted overlap: attached, but its routes would make the
				// tables ambiguous (S-55), so it propagates nowhere.
				a.Propagations = []model.ID{}
			}
			if v.account != 0 {
				a.Account = g.accounts[v.account]
			}
			t.Attachments = append(t.Attachments, a)
		}
		g.m.TransitGateways = append(g.m.TransitGateways, t)
	}
	if len(g.m.TransitGateways) < 2 || len(g.regions[0].vpcs) == 0 || len(g.regions[1].vpcs) == 0 {
		return
	}
	// Peering between the first two regions: static routes to the other
	// region's supernet in both tables of each side.
	for side := range 2 {
		r, o := side, 1-side
		rp := &g.regions[r]
		rp.peerAtt = model.ID(fmt.Sprintf("tgw-attach-%02d-peer-%02d", r+1, o+1))
		peer := model.ID(fmt.Sprintf("tgw-attach-%02d-peer-%02d", o+1, r+1))
		t := &g.m.TransitGateways[side]
		t.Attachments = append(t.Attachments, model.TGWAttachment{ID: rp.peerAtt, Type: model.AttachmentPeering, Peer: peer, Association: rp.hubRT})
		for k := range t.RouteTables {
			t.RouteTables[k].Routes = append(t.RouteTables[k].Routes,
				model.TGWRoute{Destination: model.Destination{CIDR: g.regions[o].supernet}, Attachment: rp.peerAtt})
			if g.o.DualStack {
				t.RouteTables[k].Routes = append(t.RouteTables[k].Routes,
					model.TGWRoute{Destination: model.Destination{CIDR: g.regions[o].supernet6}, Attachment: rp.peerAtt})
			}
		}
	}
}

func (g *generator) buildPeerings() {
	for i := range g.vpcs {
		v := &g.vpcs[i]
		for _, p := range v.peers {
			if p.other > i {
				g.m.PeeringConnections = append(g.m.PeeringConnections,
					model.PeeringConnection{ID: p.pcx, Requester: v.id, Accepter: g.vpcs[p.other].id})
			}
		}
	}
}

func (g *generator) buildPrefixLists() {
	for r := range g.regions {
		rp := &g.regions[r]
		if len(rp.vpcs) == 0 {
			continue
		}
		rp.pl = model.ID("pl-s3-" + rp.name)
		pl := model.PrefixList{ID: rp.pl, Name: "com.amazonaws." + rp.name + ".s3"}
		ranges, ok := s3Ranges[rp.name]
		if !ok {
			ranges = []string{fmt.Sprintf("15.%d.0.0/16", r%256)}
		}
		for _, c := range ranges {
			pl.CIDRs = append(pl.CIDRs, netip.MustParsePrefix(c))
		}
		g.m.PrefixLists = append(g.m.PrefixLists, pl)
	}
}

func (g *generator) buildServices() {
	for si := range g.services {
		sp := &g.services[si]
		pv := &g.vpcs[sp.provider]
		s := model.EndpointService{ID: sp.id, Account: g.accounts[pv.account], Region: g.regions[sp.region].name,
			LoadBalancers: []model.ID{sp.nlb}, AcceptanceRequired: true}
		var allowed []string
		for _, c := range sp.consumers {
			cv := &g.vpcs[c]
			arn := "arn:aws:iam::" + string(g.accounts[cv.account]) + ":root"
			if !slices.Contains(allowed, arn) {
				allowed = append(allowed, arn)
			}
			s.Connections = append(s.Connections, model.EndpointConnection{Endpoint: g.consumerEndpoint(cv, sp), State: model.EndpointAvailable})
		}
		s.AllowedPrincipals = allowed
		g.m.EndpointServices = append(g.m.EndpointServices, s)
	}
}

// buildExpectations states a handful of intents that hold by design.
func (g *generator) buildExpectations() {
	if len(g.vpcs) == 0 {
		return
	}
	port := func(p uint16) *uint16 { return &p }
	add := func(name, from, to string, p uint16, want model.Expect) {
		g.m.Expectations = append(g.m.Expectations, model.Expectation{Name: name, From: from, To: to,
			Protocol: model.ProtocolTCP, Port: port(p), Expect: want})
	}
	// A spoke of its own address space, or else the first hub.
	var spokes []int
	for i := range g.vpcs {
		if g.vpcs[i].eligible() {
			spokes = append(spokes, i)
		}
	}
	a := &g.vpcs[0]
	if len(spokes) > 0 {
		a = &g.vpcs[spokes[0]]
	}
	if app, db := first(a, tierApp), first(a, tierDB); app != "" && db != "" {
		add("the app tier reaches its database in "+string(a.id), string(app), string(db), portDB, model.ExpectReachable)
		add("the internet cannot reach the database in "+string(a.id), "internet", string(db), portDB, model.ExpectUnreachable)
	}
	for i := range g.vpcs {
		if v := &g.vpcs[i]; len(v.publicWeb) > 0 && !v.overlap {
			add("the internet reaches the public web server in "+string(v.id), "internet", string(v.publicWeb[0]), portWeb, model.ExpectReachable)
			break
		}
	}
	// Two spokes of one region, not peered: through the transit gateway.
	if b, c := g.spokePair(spokes); b != nil {
		add(fmt.Sprintf("%s's app reaches %s's app through transit gateway %s", b.id, c.id, g.regions[b.region].tgw),
			string(first(b, tierApp)), string(first(c, tierApp)), portApp, model.ExpectReachable)
		add(fmt.Sprintf("%s's database admits only its own app tier, not %s's", c.id, b.id),
			string(first(b, tierApp)), string(first(c, tierDB)), portDB, model.ExpectUnreachable)
	}
	if g.regions[0].peerAtt != "" {
		b, c := g.regionRep(0), g.regionRep(1)
		add(fmt.Sprintf("%s's app reaches %s's app across the transit gateway peering", b.id, c.id),
			string(first(b, tierApp)), string(first(c, tierApp)), portApp, model.ExpectReachable)
	}
	for _, i := range spokes {
		if v := &g.vpcs[i]; !v.public {
			add(fmt.Sprintf("%s's app reaches the internet through the egress hub of %s", v.id, g.regions[v.region].name),
				string(first(v, tierApp)), "internet", 443, model.ExpectReachable)
			break
		}
	}
	for _, i := range spokes {
		if v := &g.vpcs[i]; len(v.peers) > 0 {
			o := &g.vpcs[v.peers[0].other]
			add(fmt.Sprintf("%s's app reaches %s's app over peering %s", v.id, o.id, v.peers[0].pcx),
				string(first(v, tierApp)), string(first(o, tierApp)), portApp, model.ExpectReachable)
			break
		}
	}
}

func first(v *vpcPlan, tier int) model.ID {
	if len(v.instances[tier]) == 0 {
		return ""
	}
	return v.instances[tier][0]
}

func peered(v *vpcPlan, other int) bool {
	return slices.ContainsFunc(v.peers, func(p peerRef) bool { return p.other == other })
}

// spokePair returns two spokes of one region that are not peered, if any.
func (g *generator) spokePair(spokes []int) (*vpcPlan, *vpcPlan) {
	for _, i := range spokes {
		for _, j := range spokes {
			if j > i && g.vpcs[j].region == g.vpcs[i].region && !peered(&g.vpcs[i], j) {
				return &g.vpcs[i], &g.vpcs[j]
			}
		}
	}
	return nil, nil
}

// regionRep returns the first spoke of region r with its own address
// space, or else its hub.
func (g *generator) regionRep(r int) *vpcPlan {
	for _, i := range g.regions[r].vpcs {
		if g.vpcs[i].eligible() {
			return &g.vpcs[i]
		}
	}
	return &g.vpcs[g.regions[r].vpcs[0]]
}
