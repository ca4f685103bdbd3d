package oracle

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"

	"github.com/vpcreach/vpcreach/model"
)

// Generate returns a small random model for a seed, valid by construction
// (model.Validate reports no error) and using only what the walker models:
// two to four VPCs with subnets in one or two zones, instances (some
// stopped, some with secondary or public addresses), secondary and
// standalone network interfaces, NAT and internet gateways, S3 gateway
// endpoints, appliances with the source/destination check off (and on),
// peering connections (active or not, between overlapping VPCs failed,
// sometimes between regions), a transit gateway with route tables,
// associations, propagations, static, prefix-list and blackhole routes,
// network ACLs with deny rules and rule ordering, and security groups with
// CIDR, prefix-list and group rules. Its models are IPv4 only (see
// GenerateDualStack). The same seed gives the same model.
func Generate(seed uint64) *model.Model {
	g := &generator{r: rand.New(rand.NewPCG(seed, 0x0dd5eed)), m: &model.Model{Version: 1}}
	g.build()
	return g.m
}

// GenerateDualStack is Generate with IPv6 (V-01..V-14): about half the
// VPCs are dual-stack, with subnets with /64s and IPv6-only subnets,
// interfaces with IPv6 addresses, egress-only internet gateways, IPv6
// routes to internet and egress-only gateways, peerings, the transit
// gateway and appliances, IPv6 rules in groups and ACLs, icmpv6. The
// random draws it adds come only where IPv6 is, so a model with no
// dual-stack VPC is Generate's for the same seed.
func GenerateDualStack(seed uint64) *model.Model {
	g := &generator{r: rand.New(rand.NewPCG(seed, 0x0dd5eed)), m: &model.Model{Version: 1}, ipv6: true}
	g.build()
	return g.m
}

// GenerateNAT64 is GenerateDualStack with NAT64 and DNS64 (V-16, V-17):
// every dual-stack VPC gets a NAT gateway (public or private), and some of
// its route tables send 64:ff9b::/96 to it (now and then elsewhere); the
// queries of such a model (Queries) send from IPv6 and dual-stack
// interfaces to 64:ff9b::/96 addresses of internet hosts, public and
// private addresses of this and other VPCs, and NAT gateways.
func GenerateNAT64(seed uint64) *model.Model {
	g := &generator{r: rand.New(rand.NewPCG(seed, 0x0dd5eed)), m: &model.Model{Version: 1}, ipv6: true, nat64: true}
	g.build()
	return g.m
}

// GenerateIPv6Services is GenerateWithInspection with IPv6 on the
// services (V-30, V-32, V-33): S3 gets an IPv6 prefix list beside its
// IPv4 one, gateway endpoints are of IP address type ipv4, dualstack or
// ipv6 as their route tables' subnets allow (so their routes carry the
// service's IPv4 list, both, or the IPv6 one); the security VPC is
// dual-stack, its Gateway Load Balancer dualstack, its endpoint service
// accepts IPv4 and IPv6, and its endpoints are dualstack in dual-stack
// subnets, ipv4 in IPv4-only ones, and ipv6 in IPv6-only ones.
func GenerateIPv6Services(seed uint64) *model.Model {
	g := &generator{r: rand.New(rand.NewPCG(seed, 0x0dd5eed)), m: &model.Model{Version: 1}, ipv6: true, services6: true}
	g.build()
	if g.chance(0.8) {
		g.inspection()
	}
	return g.m
}

// s3Ranges6 are the IPv6 prefix lists of S3 in GenerateIPv6Services's
// models (written, so not vpcreach's placeholders).
var s3Ranges6 = map[string]string{mainRegion: "2600:1ffa:1::/48", otherRegion: "2600:1ffa:2::/48"}

// zoneNames and zoneIDs are the availability zones of the two regions
// models use.
var (
	mainRegion, otherRegion = "eu-west-1", "us-east-1"
	zoneNames               = map[string][2]string{mainRegion: {"eu-west-1a", "eu-west-1b"}, otherRegion: {"us-east-1a", "us-east-1b"}}
	zoneIDs                 = map[string][2]string{mainRegion: {"euw1-az1", "euw1-az2"}, otherRegion: {"use1-az1", "use1-az2"}}
	s3Ranges                = map[string]string{mainRegion: "52.218.0.0/16", otherRegion: "52.216.0.0/16"}
	// Public ranges rules name, around the addresses of interfaces, the
	// internet hosts and S3 that queries use.
	publicRanges = []string{"0.0.0.0/0", "203.0.113.0/24", "198.51.100.0/24", "54.100.0.0/16", "52.218.0.0/16", "54.100.1.0/24"}
	// The same for IPv6: around the internet hosts queries use.
	publicRanges6 = []string{"::/0", "2001:db8::/32", "2001:db8:100::/48", "2a00:1450::/32"}
)

type generator struct {
	r *rand.Rand
	m *model.Model
	// ipv6 makes dual-stack models (GenerateDualStack).
	ipv6 bool
	// nat64 adds NAT64 routes and DNS64 (GenerateNAT64).
	nat64 bool
	// services6 gives gateway endpoints and Gateway Load Balancer
	// endpoints IP address types with IPv6 (GenerateIPv6Services).
	services6 bool
	// appliances holds, per VPC, the ids of interfaces that routes may
	// send traffic through (middleboxes, whatever their state).
	appliances [][]model.ID
	nats       [][]model.ID
	tgwVPCs    []bool // which VPCs the transit gateway attaches
	publicNext int
}

func (g *generator) chance(p float64) bool { return g.r.Float64() < p }

func pick[T any](g *generator, xs []T) T { return xs[g.r.IntN(len(xs))] }

func (g *generator) build() {
	nv := 2 + g.r.IntN(3)
	g.m.VPCs = make([]model.VPC, nv)
	g.appliances = make([][]model.ID, nv)
	g.nats = make([][]model.ID, nv)
	g.tgwVPCs = make([]bool, nv)
	for i := range g.m.VPCs {
		g.vpcShell(i)
	}
	g.prefixLists()
	for i := range g.m.VPCs {
		g.interfaces(i)
	}
	g.peerings()
	g.transitGateway()
	for i := range g.m.VPCs {
		g.securityGroupRules(i)
		g.networkACLs(i)
		g.routeTables(i)
		g.gatewayEndpoint(i)
		if g.nat64 {
			g.natOnwards(i)
		}
	}
	if g.nat64 {
		g.hostedZone()
	}
}

// zoneName is the private hosted zone GenerateNAT64 writes; its records
// are the names of zoneRecords, and a query for another name below it is
// NXDOMAIN (S-90).
const zoneName = "corp.internal"

// hostedZone writes a private hosted zone associated with most VPCs, with
// names of A records only (which DNS64 answers with synthesised AAAA
// records where a subnet has it on, V-17), of A and AAAA records, and of
// AAAA records only (V-15); turns DNS hostnames on in every VPC (S-90)
// and DNS64 on in most subnets with an IPv6 block.
func (g *generator) hostedZone() {
	z := model.HostedZone{ID: "Z-corp", Name: zoneName}
	var v4, v6 []netip.Addr
	for i := range g.m.VPCs {
		v := &g.m.VPCs[i]
		v.DNS.Hostnames = ptr(true)
		if g.chance(0.8) {
			z.VPCs = append(z.VPCs, v.ID)
		}
		for k := range v.Subnets {
			if sn := &v.Subnets[k]; sn.IPv6CIDRBlock.IsValid() && g.chance(0.7) {
				sn.EnableDNS64 = true
			}
		}
		// Addresses that one VPC holds: no other's blocks overlap it.
		unique := true
		for j := range g.m.VPCs {
			if j != i && overlapping(v, &g.m.VPCs[j]) {
				unique = false
			}
		}
		for _, in := range v.Instances {
			if unique && in.PrivateIP.IsValid() {
				v4 = append(v4, in.PrivateIP)
			}
			if in.PublicAddress().IsValid() {
				v4 = append(v4, in.PublicAddress())
			}
			v6 = append(v6, in.IPv6Addresses...)
		}
	}
	v4 = append(v4, netip.MustParseAddr(pick(g, internetHosts)))
	v6 = append(v6, netip.MustParseAddr(pick(g, internetHosts6)))
	rec := func(name string, t model.RecordType, a netip.Addr) {
		z.Records = append(z.Records, model.Record{Name: name + "." + zoneName, Type: t, Values: []string{a.String()}})
	}
	for k := range 3 {
		rec(fmt.Sprintf("v4-%d", k), model.RecordA, pick(g, v4))
	}
	rec("dual", model.RecordA, pick(g, v4))
	rec("dual", model.RecordAAAA, pick(g, v6))
	rec("v6", model.RecordAAAA, pick(g, v6))
	if len(z.VPCs) == 0 {
		z.VPCs = []model.ID{g.m.VPCs[0].ID}
	}
	g.m.HostedZones = append(g.m.HostedZones, z)
}

// natOnwards gives, mostly, the table of each NAT gateway's subnet a way
// on for IPv4: a public gateway's to the internet gateway, a private
// one's to the transit gateway (S-61, V-16), where it has none yet.
func (g *generator) natOnwards(i int) {
	v := &g.m.VPCs[i]
	for _, nat := range v.NATGateways {
		rt := routeTable(v, findSubnet(v, nat.Subnet))
		if rt == nil || !g.chance(0.75) || slices.ContainsFunc(rt.Routes, func(r model.Route) bool { return r.Destination.CIDR.Bits() == 0 && r.Destination.CIDR.Addr().Is4() }) {
			continue
		}
		target := v.InternetGateway
		if nat.Connectivity == model.NATPrivate || target == "" {
			target = g.target(i, "tgw")
		}
		if target != "" {
			rt.Routes = append(rt.Routes, model.Route{Destination: model.Destination{CIDR: netip.MustParsePrefix("0.0.0.0/0")}, Target: target})
		}
	}
}

// vpcShell writes a VPC's blocks, subnets and empty route tables, groups
// and gateways.
func (g *generator) vpcShell(i int) {
	v := &g.m.VPCs[i]
	letter := string(rune('a' + i))
	v.ID, v.Account, v.Region = model.ID("vpc-"+letter), "111111111111", mainRegion
	if i == len(g.m.VPCs)-1 && i >= 2 && g.chance(0.3) {
		v.Region = otherRegion
	}
	v.CIDRBlocks = []netip.Prefix{netip.MustParsePrefix(fmt.Sprintf("10.%d.0.0/16", i))}
	if i > 0 && g.chance(0.15) {
		// Overlapping address spaces (S-41, S-55).
		v.CIDRBlocks[0] = g.m.VPCs[g.r.IntN(i)].CIDRBlocks[0]
	}
	if g.chance(0.15) {
		v.CIDRBlocks = append(v.CIDRBlocks, netip.MustParsePrefix(fmt.Sprintf("172.%d.0.0/16", 16+i)))
	}
	if g.chance(0.6) {
		v.InternetGateway = model.ID("igw-" + letter)
	}
	if g.ipv6 && g.chance(0.5) {
		// Dual-stack (V-01): an Amazon-provided /56, sometimes a second.
		v.IPv6CIDRBlocks = []netip.Prefix{netip.MustParsePrefix(fmt.Sprintf("2600:1f18:%x:100::/56", i+1))}
		if g.chance(0.1) {
			v.IPv6CIDRBlocks = append(v.IPv6CIDRBlocks, netip.MustParsePrefix(fmt.Sprintf("2600:1f18:%x:200::/56", i+1)))
		}
		if g.chance(0.5) {
			v.EgressOnlyInternetGateway = model.ID("eigw-" + letter)
		}
		if g.chance(0.3) {
			// A private GUA range from IPAM (V-01): its last block, the
			// VPC's only one or its second, is not advertised.
			v.PrivateIPv6CIDRBlocks = []netip.Prefix{v.IPv6CIDRBlocks[len(v.IPv6CIDRBlocks)-1]}
		}
	}
	zones := 1 + g.r.IntN(2)
	for k := range 2 + g.r.IntN(3) {
		block := v.CIDRBlocks[0]
		if len(v.CIDRBlocks) > 1 && k == 3 {
			block = v.CIDRBlocks[1]
		}
		b := block.Addr().As4()
		z := g.r.IntN(zones)
		if k < zones {
			z = k
		}
		sn := model.Subnet{
			ID:        model.ID(fmt.Sprintf("subnet-%s%d", letter, k)),
			AZ:        zoneNames[v.Region][z],
			AZID:      zoneIDs[v.Region][z],
			CIDRBlock: netip.PrefixFrom(netip.AddrFrom4([4]byte{b[0], b[1], byte(k), 0}), 24),
		}
		// In a dual-stack VPC, the first subnet of each zone is
		// dual-stack (transit gateway attachments use them, V-14); others
		// may be IPv4-only, dual-stack or IPv6-only (V-02, V-03).
		if v.HasIPv6() && (k < zones || g.chance(0.7)) {
			b6 := v.IPv6CIDRBlocks[0]
			if len(v.IPv6CIDRBlocks) > 1 && k == 2 {
				b6 = v.IPv6CIDRBlocks[1]
			}
			a := b6.Addr().As16()
			a[7] = byte(k)
			sn.IPv6CIDRBlock = netip.PrefixFrom(netip.AddrFrom16(a), 64)
			if k >= zones && g.chance(0.35) {
				sn.IPv6Only, sn.CIDRBlock = true, netip.Prefix{}
			}
		}
		v.Subnets = append(v.Subnets, sn)
	}
	for k := range 1 + g.r.IntN(3) {
		v.RouteTables = append(v.RouteTables, model.RouteTable{ID: model.ID(fmt.Sprintf("rtb-%s%d", letter, k)), Main: k == 0 && (g.chance(0.8) || g.nat64)})
	}
	for k := range 1 + g.r.IntN(3) {
		v.SecurityGroups = append(v.SecurityGroups, model.SecurityGroup{ID: model.ID(fmt.Sprintf("sg-%s%d", letter, k))})
	}
	if g.chance(0.25) {
		v.SecurityGroups[0].Default = true
	}
	// A group for appliances.
	v.SecurityGroups = append(v.SecurityGroups, model.SecurityGroup{ID: model.ID("sg-" + letter + "-box")})
	for k := range g.r.IntN(3) {
		v.NetworkACLs = append(v.NetworkACLs, model.NetworkACL{ID: model.ID(fmt.Sprintf("acl-%s%d", letter, k)), Default: k == 0 && g.chance(0.2)})
	}
	for k := range v.Subnets {
		sn := &v.Subnets[k]
		if g.chance(0.6) {
			sn.RouteTable = pick(g, v.RouteTables).ID
		}
		if len(v.NetworkACLs) > 0 && g.chance(0.6) {
			sn.NetworkACL = pick(g, v.NetworkACLs).ID
		}
	}
}

// host6 returns IPv6 address ::h of subnet sn's IPv6 block.
func host6(sn *model.Subnet, h int) netip.Addr {
	a := sn.IPv6CIDRBlock.Addr().As16()
	a[15] = byte(h)
	return netip.AddrFrom16(a)
}

// withIPv4 lists the subnets of v with an IPv4 block: all but the
// IPv6-only ones.
func withIPv4(v *model.VPC) []model.Subnet {
	var out []model.Subnet
	for _, sn := range v.Subnets {
		if !sn.IPv6Only {
			out = append(out, sn)
		}
	}
	return out
}

// host returns address .h of subnet sn.
func host(sn *model.Subnet, h int) netip.Addr {
	b := sn.CIDRBlock.Addr().As4()
	b[3] = byte(h)
	return netip.AddrFrom4(b)
}

// nextPublic returns a fresh public address, in 54.100.0.0/16.
func (g *generator) nextPublic() netip.Addr {
	g.publicNext++
	return netip.AddrFrom4([4]byte{54, 100, byte(g.publicNext / 200), byte(1 + g.publicNext%200)})
}

// interfaces places a VPC's instances, network interfaces and NAT
// gateway.
func (g *generator) interfaces(i int) {
	v := &g.m.VPCs[i]
	box := v.SecurityGroups[len(v.SecurityGroups)-1].ID
	plain := v.SecurityGroups[:len(v.SecurityGroups)-1]
	n := 0
	for k := range v.Subnets {
		sn := &v.Subnets[k]
		for j := range g.r.IntN(3) {
			in := model.Instance{ID: model.ID(fmt.Sprintf("i-%s%d", v.ID[4:], n))}
			n++
			in.Subnet = sn.ID
			switch {
			case g.chance(0.06):
				in.State = model.InstanceStopped
			case g.chance(0.02):
				in.State = model.InstanceTerminated
			}
			if sn.IPv6CIDRBlock.IsValid() && (sn.IPv6Only || g.chance(0.65)) {
				in.IPv6Addresses = []netip.Addr{host6(sn, 10+j)}
				if g.chance(0.15) {
					in.IPv6Addresses = append(in.IPv6Addresses, host6(sn, 100+j))
				}
			}
			if !sn.IPv6Only {
				in.PrivateIP = host(sn, 10+j)
				if g.chance(0.25) {
					in.SecondaryIPs = []netip.Addr{host(sn, 100+j)}
				}
				switch {
				case g.chance(0.2):
					in.PublicIP = g.nextPublic()
				case g.chance(0.12):
					in.ElasticIP = g.nextPublic()
				}
			}
			if g.chance(0.25) {
				// An appliance: its check off (usually), its own group.
				in.SourceDestCheck = ptr(g.chance(0.2))
				in.SecurityGroups = []model.ID{box}
				g.appliances[i] = append(g.appliances[i], in.ID)
			} else {
				for _, sg := range plain {
					if g.chance(0.5) && len(in.SecurityGroups) < 2 {
						in.SecurityGroups = append(in.SecurityGroups, sg.ID)
					}
				}
			}
			v.Instances = append(v.Instances, in)
		}
	}
	for k := range g.r.IntN(3) {
		sn := pick(g, v.Subnets)
		ni := model.NetworkInterface{ID: model.ID(fmt.Sprintf("eni-%s%d", v.ID[4:], k))}
		ni.Subnet = sn.ID
		if sn.IPv6CIDRBlock.IsValid() && (sn.IPv6Only || g.chance(0.6)) {
			ni.IPv6Addresses = []netip.Addr{host6(&sn, 200+k)}
		}
		if !sn.IPv6Only {
			ni.PrivateIP = host(&sn, 200+k)
			if g.chance(0.2) {
				ni.SecondaryIPs = []netip.Addr{host(&sn, 220+k)}
			}
		}
		// Attached to an instance of its zone, or standalone.
		for _, in := range v.Instances {
			if findSubnet(v, in.Subnet).AZ == sn.AZ && g.chance(0.5) && ni.Instance == "" {
				ni.Instance = in.ID
			}
		}
		if !sn.IPv6Only && g.chance(0.15) {
			ni.PublicIP = g.nextPublic()
		}
		if g.chance(0.4) {
			ni.SourceDestCheck = ptr(false)
			ni.SecurityGroups = []model.ID{box}
			g.appliances[i] = append(g.appliances[i], ni.ID)
		} else if g.chance(0.5) {
			ni.SecurityGroups = []model.ID{pick(g, plain).ID}
		}
		v.NetworkInterfaces = append(v.NetworkInterfaces, ni)
	}
	if g.chance(0.5) || (g.nat64 && v.HasIPv6()) {
		// NAT gateways are IPv4 (V-03, V-05).
		sn := pick(g, withIPv4(v))
		nat := model.NATGateway{ID: model.ID("nat-" + string(v.ID[4:])), Subnet: sn.ID, PrivateIP: host(&sn, 5)}
		if v.InternetGateway != "" && g.chance(0.8) {
			nat.PublicIP = g.nextPublic()
		} else {
			nat.Connectivity = model.NATPrivate
		}
		v.NATGateways = append(v.NATGateways, nat)
		g.nats[i] = append(g.nats[i], nat.ID)
	}
}

func ptr[T any](x T) *T { return &x }

// portRanges parses port ranges written as the topology format writes
// them.
func portRanges(texts ...string) []model.PortRange {
	out := make([]model.PortRange, len(texts))
	for i, t := range texts {
		r, err := model.ParsePortRange(t)
		if err != nil {
			panic("oracle: " + err.Error())
		}
		out[i] = r
	}
	return out
}

// prefixLists writes a customer prefix list and the S3 lists gateway
// endpoints route (S-70).
func (g *generator) prefixLists() {
	corp := model.PrefixList{ID: "pl-corp", Name: "corp"}
	for _, v := range g.m.VPCs {
		if g.chance(0.5) && !slices.Contains(corp.CIDRs, v.CIDRBlocks[0]) {
			corp.CIDRs = append(corp.CIDRs, v.CIDRBlocks[0])
		}
	}
	corp.CIDRs = append(corp.CIDRs, netip.MustParsePrefix("203.0.113.0/24"))
	if g.chance(0.3) {
		corp.CIDRs = append(corp.CIDRs, netip.MustParsePrefix("10.0.0.0/8"))
	}
	g.m.PrefixLists = append(g.m.PrefixLists, corp)
	if !g.ipv6 {
		g.s3PrefixLists()
		return
	}
	// An IPv6 list (a list holds one family, V-04).
	corp6 := model.PrefixList{ID: "pl-corp6", Name: "corp6", CIDRs: []netip.Prefix{netip.MustParsePrefix("2001:db8:100::/48")}}
	for _, v := range g.m.VPCs {
		if v.HasIPv6() && g.chance(0.5) {
			corp6.CIDRs = append(corp6.CIDRs, v.IPv6CIDRBlocks[0])
		}
	}
	g.m.PrefixLists = append(g.m.PrefixLists, corp6)
	g.s3PrefixLists()
}

// s3PrefixLists writes the S3 lists gateway endpoints route (S-70), and,
// for GenerateIPv6Services, S3's IPv6 lists (V-30).
func (g *generator) s3PrefixLists() {
	for _, region := range []string{mainRegion, otherRegion} {
		g.m.PrefixLists = append(g.m.PrefixLists, model.PrefixList{ID: model.ID("pl-s3-" + region), Name: "com.amazonaws." + region + ".s3",
			CIDRs: []netip.Prefix{netip.MustParsePrefix(s3Ranges[region])}})
		if g.services6 {
			g.m.PrefixLists = append(g.m.PrefixLists, model.PrefixList{ID: model.ID("pl-s3-" + region + "-6"), Name: "com.amazonaws." + region + ".s3",
				CIDRs: []netip.Prefix{netip.MustParsePrefix(s3Ranges6[region])}})
		}
	}
}

func overlapping(a, b *model.VPC) bool {
	for _, x := range a.AllCIDRBlocks() {
		for _, y := range b.AllCIDRBlocks() {
			if x.Overlaps(y) {
				return true
			}
		}
	}
	return false
}

// peerings joins some pairs of VPCs; overlapping ones only by a failed
// peering (S-41).
func (g *generator) peerings() {
	for i := range g.m.VPCs {
		for j := i + 1; j < len(g.m.VPCs); j++ {
			if !g.chance(0.45) {
				continue
			}
			a, b := &g.m.VPCs[i], &g.m.VPCs[j]
			p := model.PeeringConnection{ID: model.ID("pcx-" + string(a.ID[4:]) + string(b.ID[4:])), Requester: a.ID, Accepter: b.ID}
			switch {
			case overlapping(a, b):
				p.Status = model.PeeringFailed
			case g.chance(0.12):
				p.Status = pick(g, []model.PeeringStatus{model.PeeringPendingAcceptance, model.PeeringDeleted, model.PeeringExpired})
			}
			if g.chance(0.5) {
				p.Requester, p.Accepter = p.Accepter, p.Requester
			}
			g.m.PeeringConnections = append(g.m.PeeringConnections, p)
		}
	}
}

// peering returns the peering joining VPCs a and b, if any.
func (g *generator) peering(a, b model.ID) *model.PeeringConnection {
	for k := range g.m.PeeringConnections {
		p := &g.m.PeeringConnections[k]
		if p.Joins(a) && p.Joins(b) {
			return p
		}
	}
	return nil
}

// transitGateway writes, most of the time, one transit gateway in the main
// region with its attachments and route tables.
func (g *generator) transitGateway() {
	if !g.chance(0.6) {
		return
	}
	t := model.TransitGateway{ID: "tgw-hub", Region: mainRegion, SecurityGroupReferencing: g.chance(0.6)}
	for k := range 1 + g.r.IntN(2) {
		t.RouteTables = append(t.RouteTables, model.TGWRouteTable{ID: model.ID(fmt.Sprintf("tgw-rtb-%d", k))})
	}
	if g.chance(0.5) {
		t.DefaultAssociationRouteTable = t.RouteTables[0].ID
	}
	if g.chance(0.5) {
		t.DefaultPropagationRouteTable = pick(g, t.RouteTables).ID
	}
	for i := range g.m.VPCs {
		v := &g.m.VPCs[i]
		if v.Region != mainRegion || !g.chance(0.8) {
			continue
		}
		a := model.TGWAttachment{ID: model.ID("tgw-attach-" + string(v.ID[4:])), Type: model.AttachmentVPC, VPC: v.ID}
		if v.HasIPv6() {
			// Drawn only for dual-stack VPCs, so that IPv4-only models
			// stay as they were.
			a.IPv6Support = g.chance(0.8)
		}
		for _, z := range zoneNames[v.Region] {
			var in []model.ID
			for _, sn := range v.Subnets {
				// Attachment subnets carry both families where the VPC
				// has IPv6 (V-14).
				if sn.AZ == z && !sn.IPv6Only && (!v.HasIPv6() || sn.IPv6CIDRBlock.IsValid()) {
					in = append(in, sn.ID)
				}
			}
			if len(in) > 0 && (len(a.Subnets) == 0 || g.chance(0.85)) {
				a.Subnets = append(a.Subnets, pick(g, in))
			}
		}
		if g.chance(0.1) {
			a.State = pick(g, []model.AttachmentState{model.AttachmentPending, model.AttachmentDeleting})
		}
		if g.chance(0.6) {
			a.Association = pick(g, t.RouteTables).ID
		}
		switch {
		case g.chance(0.4):
			a.Propagations = []model.ID{}
			for _, rt := range t.RouteTables {
				if g.chance(0.6) {
					a.Propagations = append(a.Propagations, rt.ID)
				}
			}
		case g.chance(0.2):
			a.Propagations = []model.ID{}
		}
		a.ApplianceMode = g.chance(0.2)
		switch {
		case g.chance(0.15):
			a.SecurityGroupReferencing = ptr(false)
		case g.chance(0.15):
			a.SecurityGroupReferencing = ptr(true)
		}
		t.Attachments = append(t.Attachments, a)
		g.tgwVPCs[i] = true
	}
	if len(t.Attachments) == 0 {
		return
	}
	for k := range t.RouteTables {
		rt := &t.RouteTables[k]
		var dests []model.Destination
		n, kinds := 5, 5
		if g.ipv6 {
			n, kinds = 6, 8
		}
		for range g.r.IntN(n) {
			var d model.Destination
			k := g.r.IntN(kinds)
			if !g.ipv6 && k == 4 {
				k = 7 // IPv4's last case, the prefix list
			}
			switch k {
			case 0:
				d.CIDR = pick(g, g.m.VPCs).CIDRBlocks[0]
			case 1:
				d.CIDR = pick(g, withIPv4(ptr(pick(g, g.m.VPCs)))).CIDRBlock
			case 2:
				d.CIDR = netip.MustParsePrefix("0.0.0.0/0")
			case 3:
				d.CIDR = netip.MustParsePrefix("10.0.0.0/8")
			case 4:
				d.CIDR = netip.MustParsePrefix("::/0")
			case 5:
				// An IPv6 block or subnet block (V-14).
				if v := pick(g, g.m.VPCs); v.HasIPv6() {
					d.CIDR = pick(g, v.IPv6CIDRBlocks)
					if sn := pick(g, v.Subnets); sn.IPv6CIDRBlock.IsValid() && g.chance(0.4) {
						d.CIDR = sn.IPv6CIDRBlock
					}
				} else {
					d.PrefixList = "pl-corp6"
				}
			case 6:
				d.PrefixList = "pl-corp6"
			default:
				d.PrefixList = "pl-corp"
			}
			if slices.Contains(dests, d) {
				continue
			}
			dests = append(dests, d)
			r := model.TGWRoute{Destination: d}
			if g.chance(0.25) {
				r.Blackhole = true
			} else {
				r.Attachment = pick(g, t.Attachments).ID
			}
			rt.Routes = append(rt.Routes, r)
		}
		if g.nat64 && g.chance(0.6) {
			// Centralised NAT64: the prefix to a VPC whose NAT gateway
			// translates it (V-16).
			att := pick(g, t.Attachments)
			for _, a := range t.Attachments {
				if v := g.m.VPCs[slices.IndexFunc(g.m.VPCs, func(v model.VPC) bool { return v.ID == a.VPC })]; len(v.NATGateways) > 0 && g.chance(0.5) {
					att = a
				}
			}
			rt.Routes = append(rt.Routes, model.TGWRoute{Destination: model.Destination{CIDR: wellKnownPrefix}, Attachment: att.ID})
		}
	}
	g.m.TransitGateways = append(g.m.TransitGateways, t)
}

// addresses lists the addresses of a VPC's interfaces, IPv4 and IPv6.
func addresses(v *model.VPC) []netip.Addr {
	var out []netip.Addr
	for _, in := range v.Instances {
		out = append(out, in.Addrs()...)
	}
	for _, ni := range v.NetworkInterfaces {
		out = append(out, ni.Addrs()...)
	}
	return out
}

// service returns a random rule service: protocol, ports, ICMP.
func (g *generator) service() model.SGRule {
	n := 20
	if g.ipv6 {
		n = 22
	}
	switch x := g.r.IntN(n); {
	case x >= 20:
		// ICMPv6 (V-11): all, echo request or reply, or an error type.
		r := model.SGRule{Protocol: model.ProtocolICMPv6}
		if g.chance(0.6) {
			r.ICMP = ptr(pick(g, []model.ICMPMatch{{Type: 128, Code: -1}, {Type: 129, Code: -1}, {Type: 1, Code: 4}, {Type: 8, Code: -1}}))
		}
		return r
	case x < 10:
		r := model.SGRule{Protocol: model.ProtocolTCP}
		r.Ports = ptr(pick(g, portRanges("22", "80", "443", "1000-2000", "all", "3306")))
		return r
	case x < 13:
		return model.SGRule{Protocol: model.ProtocolUDP, Ports: ptr(pick(g, portRanges("53", "all")))}
	case x < 16:
		r := model.SGRule{Protocol: model.ProtocolICMP}
		if g.chance(0.5) {
			r.ICMP = ptr(pick(g, []model.ICMPMatch{{Type: 8, Code: -1}, {Type: 0, Code: -1}, {Type: 3, Code: 4}}))
		}
		return r
	case x < 19:
		return model.SGRule{Protocol: model.ProtocolAll}
	}
	return model.SGRule{Protocol: 50}
}

// peer returns a random security group rule peer as VPC v sees it.
func (g *generator) peer(v *model.VPC, refs bool) model.Peer {
	if g.ipv6 && g.chance(0.3) {
		return g.peer6()
	}
	switch x := g.r.IntN(20); {
	case x < 3:
		return model.Peer{CIDR: pick(g, pick(g, g.m.VPCs).CIDRBlocks)}
	case x < 5:
		return model.Peer{CIDR: pick(g, withIPv4(ptr(pick(g, g.m.VPCs)))).CIDRBlock}
	case x < 6:
		if as := addresses(&g.m.VPCs[g.r.IntN(len(g.m.VPCs))]); len(as) > 0 {
			a := pick(g, as)
			return model.Peer{CIDR: netip.PrefixFrom(a, a.BitLen())}
		}
	case x < 8:
		return model.Peer{CIDR: netip.MustParsePrefix(pick(g, publicRanges))}
	case x < 16 && refs:
		return g.groupPeer(v)
	case x < 18:
		return model.Peer{Ref: pick(g, []model.ID{"pl-corp", "pl-s3-" + model.ID(v.Region)})}
	}
	return model.Peer{CIDR: netip.MustParsePrefix("0.0.0.0/0")}
}

// peer6 returns a random IPv6 peer: a VPC's or a subnet's IPv6 block, an
// interface's IPv6 address, an internet range or the IPv6 prefix list
// (V-09).
func (g *generator) peer6() model.Peer {
	w := pick(g, g.m.VPCs)
	switch x := g.r.IntN(10); {
	case x < 2 && w.HasIPv6():
		return model.Peer{CIDR: pick(g, w.IPv6CIDRBlocks)}
	case x < 4 && w.HasIPv6():
		if sn := pick(g, w.Subnets); sn.IPv6CIDRBlock.IsValid() {
			return model.Peer{CIDR: sn.IPv6CIDRBlock}
		}
	case x < 5:
		var six []netip.Addr
		for _, a := range addresses(&w) {
			if a.Is6() {
				six = append(six, a)
			}
		}
		if len(six) > 0 {
			return model.Peer{CIDR: netip.PrefixFrom(pick(g, six), 128)}
		}
	case x < 8:
		return model.Peer{CIDR: netip.MustParsePrefix(pick(g, publicRanges6))}
	case x < 9:
		return model.Peer{Ref: "pl-corp6"}
	}
	return model.Peer{CIDR: netip.MustParsePrefix("::/0")}
}

// groupPeer returns a group of VPC v, or of another (across peering or
// the transit gateway, or not connected at all).
func (g *generator) groupPeer(v *model.VPC) model.Peer {
	w := v
	if g.chance(0.4) {
		w = &g.m.VPCs[g.r.IntN(len(g.m.VPCs))]
	}
	return model.Peer{Ref: pick(g, w.SecurityGroups).ID}
}

// securityGroupRules writes the rules of a VPC's groups.
func (g *generator) securityGroupRules(i int) {
	v := &g.m.VPCs[i]
	for k := range v.SecurityGroups {
		sg := &v.SecurityGroups[k]
		box := k == len(v.SecurityGroups)-1
		if box && g.chance(0.7) {
			sg.Ingress = []model.IngressRule{{SGRule: model.SGRule{Protocol: model.ProtocolAll}, Sources: []model.Peer{{CIDR: netip.MustParsePrefix("0.0.0.0/0")}}}}
			if g.ipv6 && g.chance(0.6) {
				sg.Ingress[0].Sources = append(sg.Ingress[0].Sources, model.Peer{CIDR: netip.MustParsePrefix("::/0")})
			}
		} else {
			switch x := g.r.Float64(); {
			case x < 0.35:
				// Open to the private networks.
				r := model.IngressRule{SGRule: model.SGRule{Protocol: model.ProtocolAll}, Sources: []model.Peer{{CIDR: netip.MustParsePrefix("10.0.0.0/8")}}}
				if g.ipv6 && g.chance(0.6) {
					// And to every VPC's IPv6 block (V-09).
					r.Sources = append(r.Sources, model.Peer{CIDR: netip.MustParsePrefix("2600:1f18::/32")})
				}
				sg.Ingress = append(sg.Ingress, r)
			case x < 0.65:
				// Open to the members of a group.
				sg.Ingress = append(sg.Ingress, model.IngressRule{SGRule: model.SGRule{Protocol: model.ProtocolAll}, Sources: []model.Peer{g.groupPeer(v)}})
			}
			for range g.r.IntN(3) {
				r := model.IngressRule{SGRule: g.service()}
				for range 1 + g.r.IntN(2) {
					r.Sources = append(r.Sources, g.peer(v, true))
				}
				sg.Ingress = append(sg.Ingress, r)
			}
			if sg.Default && g.chance(0.7) {
				sg.Ingress = append(sg.Ingress, model.IngressRule{SGRule: model.SGRule{Protocol: model.ProtocolAll}, Sources: []model.Peer{{Ref: sg.ID}}})
			}
		}
		switch x := g.r.Float64(); {
		case x < 0.6:
			// Not written: all outbound (S-20).
		case x < 0.95:
			sg.Egress = []model.EgressRule{}
			for range 1 + g.r.IntN(3) {
				r := model.EgressRule{SGRule: g.service()}
				for range 1 + g.r.IntN(2) {
					r.Destinations = append(r.Destinations, g.peer(v, true))
				}
				sg.Egress = append(sg.Egress, r)
			}
		default:
			sg.Egress = []model.EgressRule{}
		}
	}
}

// aclRules returns random network ACL rules for one direction.
func (g *generator) aclRules(v *model.VPC) []model.ACLRule {
	numbers := []int{10, 20, 50, 90, 100, 110, 120, 200, 300}
	g.r.Shuffle(len(numbers), func(a, b int) { numbers[a], numbers[b] = numbers[b], numbers[a] })
	var out []model.ACLRule
	for k := range g.r.IntN(5) {
		r := model.ACLRule{Rule: numbers[k], Action: model.ACLAllow}
		if g.chance(0.35) {
			r.Action = model.ACLDeny
		}
		switch x := g.r.IntN(20); {
		case x < 9:
			r.Protocol = model.ProtocolTCP
			r.Ports = ptr(pick(g, portRanges("22", "80", "443", "1024-65535", "32768-60999", "0-1023", "all", "1000-2000")))
		case x < 11:
			r.Protocol = model.ProtocolUDP
			r.Ports = ptr(pick(g, portRanges("53", "1024-65535", "all")))
		case x < 13:
			r.Protocol = model.ProtocolICMP
			if g.chance(0.5) {
				r.ICMP = ptr(pick(g, []model.ICMPMatch{{Type: 8, Code: -1}, {Type: 0, Code: 0}}))
			}
		case x < 14 && g.ipv6:
			r.Protocol = model.ProtocolICMPv6
			if g.chance(0.5) {
				r.ICMP = ptr(pick(g, []model.ICMPMatch{{Type: 128, Code: -1}, {Type: 129, Code: 0}}))
			}
		default:
			r.Protocol = model.ProtocolAll
		}
		if g.ipv6 && g.chance(0.3) {
			// An IPv6 rule (V-09).
			r.CIDR = netip.MustParsePrefix(pick(g, publicRanges6))
			if w := pick(g, g.m.VPCs); w.HasIPv6() && g.chance(0.5) {
				r.CIDR = pick(g, w.IPv6CIDRBlocks)
				if sn := pick(g, w.Subnets); sn.IPv6CIDRBlock.IsValid() && g.chance(0.5) {
					r.CIDR = sn.IPv6CIDRBlock
				}
			}
			out = append(out, r)
			continue
		}
		switch g.r.IntN(4) {
		case 0, 1:
			r.CIDR = netip.MustParsePrefix("0.0.0.0/0")
		case 2:
			r.CIDR = pick(g, pick(g, g.m.VPCs).CIDRBlocks)
		default:
			if g.chance(0.5) {
				r.CIDR = pick(g, withIPv4(ptr(pick(g, g.m.VPCs)))).CIDRBlock
			} else {
				r.CIDR = netip.MustParsePrefix(pick(g, publicRanges[1:]))
			}
		}
		out = append(out, r)
	}
	if g.chance(0.75) {
		out = append(out, model.ACLRule{Rule: 32000, Protocol: model.ProtocolAll, CIDR: netip.MustParsePrefix("0.0.0.0/0"), Action: model.ACLAllow})
	}
	if v.HasIPv6() && g.chance(0.6) {
		// A written ACL has only its own rules: the IPv6 allow-all is
		// there when written (V-12).
		out = append(out, model.ACLRule{Rule: 32001, Protocol: model.ProtocolAll, CIDR: netip.MustParsePrefix("::/0"), Action: model.ACLAllow})
	}
	return out
}

func (g *generator) networkACLs(i int) {
	v := &g.m.VPCs[i]
	for k := range v.NetworkACLs {
		v.NetworkACLs[k].Ingress = g.aclRules(v)
		v.NetworkACLs[k].Egress = g.aclRules(v)
	}
}

// target returns a random route target of VPC i for a destination
// outside the VPC, or "" for none.
func (g *generator) target(i int, kinds ...string) model.ID {
	v := &g.m.VPCs[i]
	var cands []model.ID
	for _, k := range kinds {
		switch k {
		case "igw":
			if v.InternetGateway != "" {
				cands = append(cands, v.InternetGateway)
			}
		case "eigw":
			if v.EgressOnlyInternetGateway != "" {
				cands = append(cands, v.EgressOnlyInternetGateway)
			}
		case "nat":
			cands = append(cands, g.nats[i]...)
		case "tgw":
			if g.tgwVPCs[i] {
				cands = append(cands, g.m.TransitGateways[0].ID)
			}
		case "box":
			cands = append(cands, g.appliances[i]...)
		case "pcx":
			for _, p := range g.m.PeeringConnections {
				if p.Joins(v.ID) {
					cands = append(cands, p.ID)
				}
			}
		}
	}
	if len(cands) == 0 {
		return ""
	}
	return pick(g, cands)
}

// routeTables writes the routes of a VPC's tables. A route more specific
// than a local route is written only for the exact CIDR of a subnet, to a
// NAT gateway or an appliance (S-17); none equals a VPC block.
func (g *generator) routeTables(i int) {
	v := &g.m.VPCs[i]
	for k := range v.RouteTables {
		rt := &v.RouteTables[k]
		add := func(d model.Destination, target model.ID, state model.RouteState) {
			if target == "" && state != model.RouteBlackhole {
				return
			}
			for _, r := range rt.Routes {
				if r.Destination == d {
					return
				}
			}
			if d.CIDR.IsValid() {
				for _, b := range v.AllCIDRBlocks() {
					if b.Overlaps(d.CIDR) && d.CIDR.Bits() >= b.Bits() {
						isSubnet := slices.ContainsFunc(v.Subnets, func(sn model.Subnet) bool {
							return sn.CIDRBlock == d.CIDR || sn.IPv6CIDRBlock == d.CIDR
						})
						if !isSubnet || d.CIDR == b || !(slices.Contains(g.appliances[i], target) || slices.Contains(g.nats[i], target)) {
							return
						}
					}
				}
			}
			rt.Routes = append(rt.Routes, model.Route{Destination: d, Target: target, State: state})
			if (slices.Contains(g.appliances[i], target) || slices.Contains(g.nats[i], target)) && len(v.RouteTables) > 1 && g.chance(0.7) {
				// Mostly, the appliance's or NAT gateway's subnet is routed
				// by another table.
				g.moveOff(v, target, rt.ID)
			}
		}
		if g.chance(0.75) {
			add(model.Destination{CIDR: netip.MustParsePrefix("0.0.0.0/0")}, g.target(i, pick(g, []string{"igw", "igw", "igw", "nat", "nat", "tgw", "box"})), 0)
		}
		for j := range g.m.VPCs {
			if j == i || !g.chance(0.8) {
				continue
			}
			// Mostly the sensible way there (the peering, else the transit
			// gateway), sometimes any other.
			var target model.ID
			p := g.peering(v.ID, g.m.VPCs[j].ID)
			switch {
			case p != nil && g.chance(0.75):
				target = p.ID
			case g.tgwVPCs[i] && g.tgwVPCs[j] && g.chance(0.8):
				target = g.target(i, "tgw")
			default:
				target = g.target(i, pick(g, []string{"pcx", "tgw", "box", "nat", "igw"}))
			}
			for _, b := range g.m.VPCs[j].CIDRBlocks {
				add(model.Destination{CIDR: b}, target, 0)
			}
			if v.HasIPv6() && g.chance(0.8) {
				// The peer's IPv6 blocks, mostly the same way (V-13, V-14).
				if g.chance(0.2) || slices.Contains(g.nats[i], target) {
					target = g.target(i, pick(g, []string{"pcx", "tgw", "box", "igw", "eigw"}))
				}
				for _, b := range g.m.VPCs[j].IPv6CIDRBlocks {
					add(model.Destination{CIDR: b}, target, 0)
				}
			}
		}
		if v.HasIPv6() && g.chance(0.75) {
			// The IPv6 default route: no NAT gateway takes it (V-05).
			add(model.Destination{CIDR: netip.MustParsePrefix("::/0")}, g.target(i, pick(g, []string{"igw", "igw", "eigw", "eigw", "tgw", "box"})), 0)
		}
		if g.nat64 && v.HasIPv6() && g.chance(0.85) {
			// NAT64's prefix, mostly to the NAT gateway (V-05, V-16).
			target := g.target(i, pick(g, []string{"nat", "nat", "nat", "nat", "nat", "igw", "eigw", "box", "tgw", "tgw"}))
			if target == "" {
				target = g.target(i, "nat")
			}
			add(model.Destination{CIDR: wellKnownPrefix}, target, 0)
		}
		if v.HasIPv6() && g.chance(0.15) {
			add(model.Destination{PrefixList: "pl-corp6"}, g.target(i, "tgw", "pcx", "igw", "eigw"), 0)
		}
		if v.HasIPv6() && g.chance(0.2) {
			// Middlebox routing to a subnet's IPv6 block (V-04, S-17).
			if sn := pick(g, v.Subnets); sn.IPv6CIDRBlock.IsValid() {
				add(model.Destination{CIDR: sn.IPv6CIDRBlock}, g.target(i, "box"), 0)
			}
		}
		if g.chance(0.2) {
			add(model.Destination{CIDR: netip.MustParsePrefix("10.0.0.0/8")}, g.target(i, "tgw", "pcx"), 0)
		}
		if g.chance(0.25) {
			add(model.Destination{PrefixList: "pl-corp"}, g.target(i, "tgw", "pcx", "igw"), 0)
		}
		if g.chance(0.35) {
			// Middlebox routing to a subnet of the VPC (S-17), maybe the
			// subnet of this very table (S-16).
			add(model.Destination{CIDR: pick(g, withIPv4(v)).CIDRBlock}, g.target(i, "box", "box", "nat"), 0)
		}
		if g.chance(0.1) {
			add(model.Destination{CIDR: netip.MustParsePrefix("192.168.0.0/16")}, "nat-deleted", model.RouteBlackhole)
		}
		if g.chance(0.1) {
			j := g.r.IntN(len(g.m.VPCs))
			add(model.Destination{CIDR: g.m.VPCs[j].CIDRBlocks[0]}, "", model.RouteBlackhole)
		}
	}
}

// moveOff associates the subnet of appliance or NAT gateway id with a table other than
// table.
func (g *generator) moveOff(v *model.VPC, id, table model.ID) {
	subnet := model.ID("")
	for _, in := range v.Instances {
		if in.ID == id {
			subnet = in.Subnet
		}
	}
	for _, ni := range v.NetworkInterfaces {
		if ni.ID == id {
			subnet = ni.Subnet
		}
	}
	for _, n := range v.NATGateways {
		if n.ID == id {
			subnet = n.Subnet
		}
	}
	for k := range v.Subnets {
		if v.Subnets[k].ID == subnet {
			for _, rt := range v.RouteTables {
				if rt.ID != table {
					v.Subnets[k].RouteTable = rt.ID
					return
				}
			}
		}
	}
}

// gatewayEndpoint adds, sometimes, an S3 gateway endpoint to a VPC.
func (g *generator) gatewayEndpoint(i int) {
	v := &g.m.VPCs[i]
	if !g.chance(0.3) && !(g.services6 && g.chance(0.5)) {
		return
	}
	e := model.Endpoint{ID: model.ID("vpce-" + string(v.ID[4:]) + "-s3"), Type: model.EndpointGateway, Service: "com.amazonaws." + v.Region + ".s3"}
	for _, rt := range v.RouteTables {
		// A table routing the list elsewhere already cannot take it.
		if g.chance(0.6) && !slices.ContainsFunc(rt.Routes, func(r model.Route) bool {
			return r.Destination.PrefixList != "" && r.Destination.PrefixList != "pl-corp"
		}) {
			e.RouteTables = append(e.RouteTables, rt.ID)
		}
	}
	if g.services6 {
		e.IPAddressType = g.gatewayEndpointType(v, e.RouteTables)
	}
	v.Endpoints = append(v.Endpoints, e)
}

// gatewayEndpointType picks a gateway endpoint's IP address type that
// the subnets of its route tables allow (V-30): ipv6 where they are all
// IPv6-only, dualstack where they all have both blocks, else (and now
// and then anyway) ipv4.
func (g *generator) gatewayEndpointType(v *model.VPC, tables []model.ID) model.IPAddressType {
	only6, both := true, true
	for _, sn := range v.Subnets {
		rt := routeTable(v, &sn)
		if rt == nil || !slices.Contains(tables, rt.ID) {
			continue
		}
		only6 = only6 && sn.IPv6Only
		both = both && !sn.IPv6Only && sn.IPv6CIDRBlock.IsValid()
	}
	switch x := g.r.Float64(); {
	case x < 0.15:
		return 0
	case only6 && x < 0.85:
		return model.IPAddressIPv6
	case both:
		return model.IPAddressDualstack
	}
	return model.IPAddressIPv4
}
