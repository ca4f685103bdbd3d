package oracle

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"

	"github.com/vpcreach/vpcreach/model"
)

// Internet hosts and AWS service addresses that queries use: inside and
// outside the public ranges the generator's rules name.
var internetHosts = []string{"198.51.100.1", "203.0.113.9", "8.8.8.8", "54.100.250.1"}

// The same for IPv6: inside the documentation range and the other ranges
// rules name, and outside them all.
var internetHosts6 = []string{"2001:db8::1", "2001:db8:100::9", "2a00:1450::5", "2606:4700::1111"}

// Queries returns count random queries about a generated model, the same
// for the same seed: between interfaces (by id, or by a primary or
// secondary address), from and to internet hosts and public addresses, to
// S3 (through a gateway endpoint or the internet), to NAT gateways and to
// private addresses nobody holds; over tcp, udp, icmp, icmpv6, another
// protocol or all traffic, with various ephemeral ranges. IPv6 addresses
// (interfaces', IPv6 internet hosts, unheld ones of a subnet's /64) stand
// at either end; an id asks about every family the ends share. A model
// with a NAT64 route gets queries from IPv6 interfaces to 64:ff9b::/96
// addresses (V-16), one with a hosted zone queries to its names (V-17),
// one with S3's IPv6 list queries from IPv6 interfaces to it (V-30).
func Queries(m *model.Model, seed uint64, count int) []Query {
	r := rand.New(rand.NewPCG(seed, 0x9e7))
	type held struct {
		id      model.ID
		vpc     model.ID
		primary netip.Addr
		others  []netip.Addr
		public  netip.Addr
		v6      []netip.Addr
	}
	var ifs []held
	var nats []model.ID
	var subnets, subnets6 []netip.Prefix
	for _, v := range m.VPCs {
		for _, in := range v.Instances {
			ifs = append(ifs, held{in.ID, v.ID, in.PrivateIP, in.SecondaryIPs, in.PublicAddress(), in.IPv6Addresses})
		}
		for _, ni := range v.NetworkInterfaces {
			ifs = append(ifs, held{ni.ID, v.ID, ni.PrivateIP, ni.SecondaryIPs, ni.PublicAddress(), ni.IPv6Addresses})
		}
		for _, g := range v.NATGateways {
			nats = append(nats, g.ID)
		}
		for _, sn := range v.Subnets {
			if sn.CIDRBlock.IsValid() {
				subnets = append(subnets, sn.CIDRBlock)
			}
			if sn.IPv6CIDRBlock.IsValid() {
				subnets6 = append(subnets6, sn.IPv6CIDRBlock)
			}
		}
	}
	if len(ifs) == 0 {
		return nil
	}
	chance := func(p float64) bool { return r.Float64() < p }
	// A model with no IPv6 gets the queries it got before IPv6: the
	// draws IPv6 adds are made only when some VPC is dual-stack.
	hasV6 := slices.ContainsFunc(m.VPCs, model.VPC.HasIPv6)
	anyIface := func() held { return ifs[r.IntN(len(ifs))] }
	// S3's IPv6 list written in the model: queries go to it too (the
	// draw is made only then).
	s3v6 := slices.ContainsFunc(m.PrefixLists, func(pl model.PrefixList) bool {
		return pl.Name == "com.amazonaws."+mainRegion+".s3" && slices.ContainsFunc(pl.CIDRs, func(c netip.Prefix) bool { return c.Addr().Is6() })
	})
	// NAT64 (V-16): a model with a route to 64:ff9b::/96 gets queries
	// from IPv6 interfaces to the prefix's addresses of IPv4 ones.
	var v4Targets []netip.Addr
	var v6Clients []held
	if hasNAT64Route(m) {
		for _, x := range ifs {
			if len(x.v6) > 0 {
				v6Clients = append(v6Clients, x)
			}
			for _, a := range []netip.Addr{x.primary, x.public} {
				if a.IsValid() {
					v4Targets = append(v4Targets, a)
				}
			}
		}
		for _, v := range m.VPCs {
			for _, g := range v.NATGateways {
				v4Targets = append(v4Targets, g.PrivateIP)
				if g.PublicIP.IsValid() {
					v4Targets = append(v4Targets, g.PublicIP)
				}
			}
		}
		for _, h := range internetHosts {
			v4Targets = append(v4Targets, netip.MustParseAddr(h), netip.MustParseAddr(h))
		}
		if len(subnets) > 0 {
			b := subnets[0].Addr().As4()
			b[3] = 250
			v4Targets = append(v4Targets, netip.AddrFrom4(b))
		}
	}
	var out []Query
	for len(out) < count {
		var q Query
		if s3v6 && chance(0.25) {
			// An IPv6 client of S3 at its IPv6 address: through a gateway
			// endpoint whose type carries the IPv6 list, or elsewhere
			// (V-30).
			var c held
			for range 4 {
				if c = anyIface(); len(c.v6) > 0 {
					break
				}
			}
			q = nat64Query(r, c.id, c.v6, []netip.Addr{netip.MustParseAddr("52.218.0.10")})
			q.To = []string{"2600:1ffa:1::10", "2600:1ffa:1::10", "2600:1ffa:2::10"}[r.IntN(3)]
			out = append(out, q)
			continue
		}
		if len(m.HostedZones) > 0 && chance(0.2) {
			// A name (S-90, V-15, V-17), from any interface.
			q = nat64Query(r, anyIface().id, nil, []netip.Addr{netip.MustParseAddr(internetHosts[0])})
			q.To = []string{"v4-0", "v4-1", "v4-2", "dual", "v6", "missing"}[r.IntN(6)] + "." + m.HostedZones[0].Name
			out = append(out, q)
			continue
		}
		if len(v6Clients) > 0 && chance(0.45) {
			c := v6Clients[r.IntN(len(v6Clients))]
			q := nat64Query(r, c.id, c.v6, v4Targets)
			if to, _ := embedded(netip.MustParseAddr(q.To)); to == c.primary || to == c.public || slices.Contains(c.others, to) {
				// A query from an interface to itself asks nothing.
				continue
			}
			out = append(out, q)
			continue
		}
		fromInternet := chance(0.15)
		var from model.ID
		six := hasV6 && chance(0.3)
		if fromInternet {
			q.From = internetHosts[r.IntN(len(internetHosts))]
			if six {
				q.From = internetHosts6[r.IntN(len(internetHosts6))]
			}
		} else {
			x := anyIface()
			from = x.id
			q.From = string(x.id)
			switch {
			case len(x.others) > 0 && chance(0.3):
				q.From = fmt.Sprintf("%s@%s", x.others[0], x.vpc)
			case len(x.v6) > 0 && chance(0.3):
				q.From = x.v6[r.IntN(len(x.v6))].String()
			}
		}
		x := anyIface()
		if fromInternet {
			// The internet reaches public addresses: mostly ask about those.
			for range 4 {
				if (!six && x.public.IsValid()) || (six && len(x.v6) > 0) {
					break
				}
				x = anyIface()
			}
		}
		if x.id == from {
			// A query from an interface to itself asks nothing.
			continue
		}
		kinds := 100
		if hasV6 {
			kinds = 110
		}
		switch k := r.IntN(kinds); {
		case k < 55:
			q.To = string(x.id)
		case k < 63 && len(x.others) > 0:
			q.To = fmt.Sprintf("%s@%s", x.others[0], x.vpc)
		case k < 68 && x.primary.IsValid():
			q.To = fmt.Sprintf("%s@%s", x.primary, x.vpc)
		case k >= 100 && k < 105 && len(x.v6) > 0:
			q.To = x.v6[r.IntN(len(x.v6))].String()
		case k >= 105 && len(subnets6) > 0:
			// An IPv6 address of a subnet that no interface holds.
			b := subnets6[r.IntN(len(subnets6))].Addr().As16()
			b[15] = 250
			q.To = netip.AddrFrom16(b).String()
		case k >= 100 && !fromInternet:
			q.To = internetHosts6[r.IntN(len(internetHosts6))]
			if chance(0.15) {
				// A unique local address: no internet host's (V-06).
				q.To = "fd12:3456::1"
			}
		case k < 76 && x.public.IsValid():
			q.To = x.public.String()
		case k < 79 && len(nats) > 0:
			q.To = string(nats[r.IntN(len(nats))])
		case k < 83:
			// An address of a subnet that no interface holds.
			b := subnets[r.IntN(len(subnets))].Addr().As4()
			b[3] = 250
			q.To = netip.AddrFrom4(b).String()
		case k < 92 && !fromInternet:
			q.To = internetHosts[r.IntN(len(internetHosts))]
		case k < 100 && !fromInternet:
			q.To = []string{"52.218.0.10", "52.216.0.10"}[r.IntN(2)]
			if s3v6 && chance(0.5) {
				// S3 over IPv6, through a gateway endpoint that routes
				// its IPv6 list or the internet (V-30).
				q.To = []string{"2600:1ffa:1::10", "2600:1ffa:2::10"}[r.IntN(2)]
			}
		default:
			q.To = string(x.id)
		}
		switch k := r.IntN(100); {
		case k < 60:
			q.Protocol = model.ProtocolTCP
			q.Port = []uint16{22, 80, 443, 1500, 3306, 8080}[r.IntN(6)]
		case k < 72:
			q.Protocol = model.ProtocolUDP
			q.Port = []uint16{53, 123}[r.IntN(2)]
		case k < 80 || (k < 87 && !hasV6):
			q.Protocol = model.ProtocolICMP
			switch r.IntN(4) {
			case 0:
				q.ICMP = &model.ICMPMatch{Type: 3, Code: 4}
			case 1:
				q.ICMP = &model.ICMPMatch{Type: 13, Code: 0}
			}
		case k < 87:
			q.Protocol = model.ProtocolICMPv6
			switch r.IntN(4) {
			case 0:
				q.ICMP = &model.ICMPMatch{Type: 1, Code: 4}
			case 1:
				q.ICMP = &model.ICMPMatch{Type: 8, Code: 0}
			}
		case k < 97:
			q.Protocol = model.ProtocolAll
		default:
			q.Protocol = 50
		}
		switch r.IntN(10) {
		case 0, 1:
			q.Ephemeral = model.PortRange{First: 32768, Last: 60999}
		case 2:
			q.Ephemeral = model.PortRange{First: 49152, Last: 65535}
		case 3:
			q.Ephemeral = model.PortRange{First: 1000, Last: 1100}
		}
		out = append(out, q)
	}
	return out
}

// String renders a query as the CLI would take it.
func (q Query) String() string {
	s := fmt.Sprintf("%s -> %s %s", q.From, q.To, q.Protocol)
	switch {
	case q.Protocol.HasPorts():
		s += fmt.Sprintf("/%d", q.Port)
	case q.Protocol.IsICMP() && q.ICMP != nil:
		s += fmt.Sprintf(" type %d code %d", q.ICMP.Type, q.ICMP.Code)
	}
	if q.Ephemeral != (model.PortRange{}) {
		s += " ephemeral " + q.Ephemeral.String()
	}
	return s
}

// hasNAT64Route reports whether a route table of the model has a route
// for 64:ff9b::/96 or part of it (V-16).
func hasNAT64Route(m *model.Model) bool {
	for _, v := range m.VPCs {
		for _, rt := range v.RouteTables {
			for _, r := range rt.Routes {
				if d := r.Destination.CIDR; d.IsValid() && d.Bits() >= wellKnownPrefix.Bits() && wellKnownPrefix.Contains(d.Addr()) {
					return true
				}
			}
		}
	}
	return false
}

// nat64Query returns a query from an IPv6 client (by id, or by one of
// its IPv6 addresses v6) to 64:ff9b::a.b.c.d, a.b.c.d one of targets:
// over tcp, udp, ICMPv6 echo (translated) and other ICMPv6 types, icmp,
// all traffic and another protocol (not translated, V-16).
func nat64Query(r *rand.Rand, id model.ID, v6 []netip.Addr, targets []netip.Addr) Query {
	q := Query{From: string(id), To: embed(targets[r.IntN(len(targets))]).String()}
	if r.IntN(3) == 0 && len(v6) > 0 {
		q.From = v6[r.IntN(len(v6))].String()
	}
	switch k := r.IntN(100); {
	case k < 40:
		q.Protocol = model.ProtocolTCP
		q.Port = []uint16{22, 80, 443, 8080}[r.IntN(4)]
	case k < 55:
		q.Protocol = model.ProtocolUDP
		q.Port = []uint16{53, 123}[r.IntN(2)]
	case k < 75:
		q.Protocol = model.ProtocolICMPv6
	case k < 80:
		q.Protocol = model.ProtocolICMPv6
		q.ICMP = &model.ICMPMatch{Type: 1, Code: 4}
	case k < 85:
		q.Protocol = model.ProtocolICMP
	case k < 95:
		q.Protocol = model.ProtocolAll
	default:
		q.Protocol = 50
	}
	if r.IntN(4) == 0 {
		q.Ephemeral = model.PortRange{First: 32768, Last: 60999}
	}
	return q
}
