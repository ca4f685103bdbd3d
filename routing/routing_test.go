package routing_test

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/routing"
)

type fakeResolver struct {
	kinds    map[model.ID]model.Kind
	pls      map[model.ID][]netip.Prefix
	external map[model.ID][]netip.Prefix
	vpcs     map[model.ID][]netip.Prefix
}

func (f fakeResolver) Kind(id model.ID) model.Kind               { return f.kinds[id] }
func (f fakeResolver) EndpointType(model.ID) model.EndpointType  { return model.EndpointGateway }
func (f fakeResolver) PrefixList(id model.ID) []netip.Prefix     { return f.pls[id] }
func (f fakeResolver) ExternalCIDRs(via model.ID) []netip.Prefix { return f.external[via] }
func (f fakeResolver) VPCCIDRs(id model.ID) []netip.Prefix       { return f.vpcs[id] }
func (f fakeResolver) ServicePrefixList(string) (model.ID, []netip.Prefix) {
	return "pl-s3", f.pls["pl-s3"]
}
func (f fakeResolver) ServicePrefixList6(string) (model.ID, []netip.Prefix) {
	return "pl-s3-6", f.pls["pl-s3-6"]
}

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }
func addr(s string) netip.Addr  { return netip.MustParseAddr(s) }

func baseResolver() fakeResolver {
	return fakeResolver{
		kinds: map[model.ID]model.Kind{"igw": model.KindInternetGateway, "nat": model.KindNATGateway, "pcx": model.KindPeeringConnection,
			"tgw": model.KindTransitGateway, "vpce-s3": model.KindEndpoint, "eni-fw": model.KindNetworkInterface, "vgw": model.KindVPNGateway,
			"pl-a": model.KindPrefixList, "pl-b": model.KindPrefixList, "pl-s3": model.KindPrefixList},
		pls: map[model.ID][]netip.Prefix{"pl-a": {pfx("52.0.0.0/16"), pfx("54.1.0.0/16")}, "pl-b": {pfx("52.0.0.0/16")},
			"pl-s3": {pfx("52.218.0.0/17")}, "pl-s3-6": {pfx("2600:1ffa:15::/48")}},
		external: map[model.ID][]netip.Prefix{"vgw": {pfx("192.168.0.0/16")}},
	}
}

func TestVPCTableRules(t *testing.T) {
	vpc := &model.VPC{ID: "vpc-a", CIDRBlocks: []netip.Prefix{pfx("10.0.0.0/16"), pfx("100.64.0.0/24")},
		Endpoints: []model.Endpoint{{ID: "vpce-s3", Type: model.EndpointGateway, Service: "com.amazonaws.eu-west-1.s3", RouteTables: []model.ID{"rtb"}}}}
	rt := &model.RouteTable{ID: "rtb", Routes: []model.Route{
		{Destination: model.Destination{CIDR: pfx("0.0.0.0/0")}, Target: "nat"},
		{Destination: model.Destination{CIDR: pfx("10.1.0.0/16")}, Target: "pcx"},
		{Destination: model.Destination{PrefixList: "pl-a"}, Target: "igw"},
		{Destination: model.Destination{CIDR: pfx("52.0.0.0/16")}, Target: "tgw"},
		{Destination: model.Destination{CIDR: pfx("10.0.5.0/24")}, Target: "eni-fw"},
		{Destination: model.Destination{CIDR: pfx("10.2.0.0/16")}, Target: "nat-deleted", State: model.RouteBlackhole},
	}, Propagations: []model.ID{"vgw"}}
	table := routing.CompileVPCTable(vpc, rt, baseResolver())
	tests := []struct {
		name, rule, dst string
		target          model.ID
		kind            routing.TargetKind
		blackhole       bool
	}{
		{"local route for the primary block", "S-11", "10.0.9.9", "local", routing.TargetLocal, false},
		{"local route for a secondary block", "S-11", "100.64.0.10", "local", routing.TargetLocal, false},
		{"longest prefix beats the local route", "S-12", "10.0.5.5", "eni-fw", routing.TargetNetworkInterface, false},
		{"default route", "S-12", "8.8.8.8", "nat", routing.TargetNATGateway, false},
		{"peering route", "S-13", "10.1.2.3", "pcx", routing.TargetPeering, false},
		{"CIDR route beats prefix-list route of equal length", "S-12", "52.0.1.1", "tgw", routing.TargetTransitGateway, false},
		{"prefix-list route", "S-12", "54.1.1.1", "igw", routing.TargetInternetGateway, false},
		{"gateway endpoint adds its service prefix list", "S-70", "52.218.5.5", "vpce-s3", routing.TargetGatewayEndpoint, false},
		{"blackhole route", "S-13", "10.2.0.1", "nat-deleted", routing.TargetUnknown, true},
		{"propagated VPN route", "S-13", "192.168.1.1", "vgw", routing.TargetVPNGateway, false},
	}
	for _, tt := range tests {
		t.Run(tt.rule+" "+tt.name, func(t *testing.T) {
			r := table.Lookup(addr(tt.dst))
			require.NotNil(t, r)
			assert.Equal(t, tt.target, r.Target)
			assert.Equal(t, tt.kind, r.Kind)
			assert.Equal(t, tt.blackhole, r.Blackhole)
		})
	}
	t.Run("S-14 no route", func(t *testing.T) {
		implicit := routing.CompileVPCTable(vpc, nil, baseResolver())
		assert.Nil(t, implicit.Lookup(addr("8.8.8.8")))
		assert.True(t, implicit.Implicit)
	})
}

// TestGatewayEndpointFamilies: a gateway endpoint adds the service's IPv4
// prefix list, its IPv6 one or both, as its IP address type says (V-30;
// PrivateLink guide, gateway endpoints, IP address type).
func TestGatewayEndpointFamilies(t *testing.T) {
	for _, tt := range []struct {
		t         model.IPAddressType
		four, six bool
	}{
		{0, true, false},
		{model.IPAddressIPv4, true, false},
		{model.IPAddressDualstack, true, true},
		{model.IPAddressIPv6, false, true},
	} {
		t.Run("V-30 "+tt.t.String(), func(t *testing.T) {
			vpc := &model.VPC{ID: "vpc-a", CIDRBlocks: []netip.Prefix{pfx("10.0.0.0/16")},
				Endpoints: []model.Endpoint{{ID: "vpce-s3", Type: model.EndpointGateway, Service: "com.amazonaws.eu-west-1.s3", RouteTables: []model.ID{"rtb"}, IPAddressType: tt.t}}}
			table := routing.CompileVPCTable(vpc, &model.RouteTable{ID: "rtb"}, baseResolver())
			r4, r6 := table.Lookup(addr("52.218.5.5")), table.Lookup(addr("2600:1ffa:15::1"))
			assert.Equal(t, tt.four, r4 != nil && r4.Target == "vpce-s3", "IPv4 list")
			assert.Equal(t, tt.six, r6 != nil && r6.Target == "vpce-s3", "IPv6 list")
			if r6 != nil {
				assert.Equal(t, model.ID("pl-s3-6"), r6.PrefixList)
			}
		})
	}
}

func TestPrefixListTieIsAmbiguous(t *testing.T) {
	// S-12: two prefix-list routes of equal length to different targets:
	// AWS picks one; so do we, deterministically, and say so.
	vpc := &model.VPC{ID: "vpc-a", CIDRBlocks: []netip.Prefix{pfx("10.0.0.0/16")}}
	rt := &model.RouteTable{ID: "rtb", Routes: []model.Route{
		{Destination: model.Destination{PrefixList: "pl-b"}, Target: "nat"},
		{Destination: model.Destination{PrefixList: "pl-a"}, Target: "igw"},
	}}
	table := routing.CompileVPCTable(vpc, rt, baseResolver())
	assert.Equal(t, model.ID("igw"), table.Lookup(addr("52.0.0.1")).Target, "pl-a sorts first")
	amb := table.Ambiguities()
	require.Len(t, amb, 1)
	assert.Equal(t, pfx("52.0.0.0/16"), amb[0].Destination)
}

func TestTGWTableRules(t *testing.T) {
	res := baseResolver()
	res.vpcs = map[model.ID][]netip.Prefix{"vpc-a": {pfx("10.0.0.0/16")}, "vpc-b": {pfx("10.1.0.0/16")}, "vpc-c": {pfx("10.1.0.0/16")}}
	res.external = map[model.ID][]netip.Prefix{"att-vpn": {pfx("10.1.0.0/16"), pfx("192.168.0.0/16")}}
	tgw := &model.TransitGateway{ID: "tgw", Attachments: []model.TGWAttachment{
		{ID: "att-a", Type: model.AttachmentVPC, VPC: "vpc-a", Propagations: []model.ID{"rt"}},
		{ID: "att-b", Type: model.AttachmentVPC, VPC: "vpc-b", Propagations: []model.ID{"rt"}},
		{ID: "att-c", Type: model.AttachmentVPC, VPC: "vpc-c", Propagations: []model.ID{"rt"}},
		{ID: "att-vpn", Type: model.AttachmentVPN, Propagations: []model.ID{"rt"}},
		{ID: "att-pending", Type: model.AttachmentVPC, VPC: "vpc-d", State: model.AttachmentPending, Propagations: []model.ID{"rt"}},
	}}
	rt := &model.TGWRouteTable{ID: "rt", Routes: []model.TGWRoute{
		{Destination: model.Destination{CIDR: pfx("0.0.0.0/0")}, Attachment: "att-egress"},
		{Destination: model.Destination{CIDR: pfx("10.0.0.0/16")}, Blackhole: true},
	}}
	res.vpcs["vpc-d"] = []netip.Prefix{pfx("10.9.0.0/16")}
	table := routing.CompileTGWTable(tgw, rt, res)
	t.Run("S-52 static blackhole beats propagated", func(t *testing.T) {
		r := table.Lookup(addr("10.0.1.1"))
		assert.True(t, r.Blackhole)
	})
	t.Run("S-52 propagated VPC beats propagated VPN", func(t *testing.T) {
		r := table.Lookup(addr("10.1.1.1"))
		assert.Equal(t, model.ID("att-b"), r.Attachment)
	})
	t.Run("S-55 overlapping VPC propagations are ambiguous", func(t *testing.T) {
		amb := table.Ambiguities()
		require.Len(t, amb, 1)
		assert.Equal(t, pfx("10.1.0.0/16"), amb[0].Destination)
	})
	t.Run("S-52 VPN propagation", func(t *testing.T) {
		assert.Equal(t, model.ID("att-vpn"), table.Lookup(addr("192.168.3.3")).Attachment)
	})
	t.Run("S-50 unavailable attachments propagate nothing", func(t *testing.T) {
		assert.Equal(t, model.ID("att-egress"), table.Lookup(addr("10.9.0.1")).Attachment)
	})
}

// TestLookupMatchesBruteForce compares longest prefix match with a scan
// of every route on random tables (S-12).
func TestLookupMatchesBruteForce(t *testing.T) {
	for seed := uint64(1); seed <= 200; seed++ {
		r := rand.New(rand.NewPCG(seed, 3))
		vpc := &model.VPC{ID: "vpc", CIDRBlocks: []netip.Prefix{pfx("10.0.0.0/16")}}
		rt := &model.RouteTable{ID: "rtb"}
		seen := map[netip.Prefix]bool{}
		targets := []model.ID{"igw", "nat", "pcx", "tgw", "eni-fw"}
		for range 1 + r.IntN(30) {
			p := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(r.IntN(2)), byte(r.IntN(4)), byte(r.IntN(256))}), r.IntN(33)).Masked()
			if seen[p] {
				continue
			}
			seen[p] = true
			rt.Routes = append(rt.Routes, model.Route{Destination: model.Destination{CIDR: p}, Target: targets[r.IntN(len(targets))]})
		}
		table := routing.CompileVPCTable(vpc, rt, baseResolver())
		for range 300 {
			a := netip.AddrFrom4([4]byte{10, byte(r.IntN(3)), byte(r.IntN(5)), byte(r.IntN(256))})
			// Brute force: the longest matching prefix; a written route for
			// the whole VPC block replaces its local route.
			best, bestBits := model.ID(""), -1
			if pfx("10.0.0.0/16").Contains(a) {
				best, bestBits = "local", 16
			}
			for _, route := range rt.Routes {
				c := route.Destination.CIDR
				if c.Contains(a) && (c.Bits() > bestBits || (c == pfx("10.0.0.0/16") && best == "local")) {
					best, bestBits = route.Target, route.Destination.CIDR.Bits()
				}
			}
			requireLookup(t, table, a, best, seed)
		}
	}
}

// requireLookup checks that table looks address a up to a route to
// target best, or to none when best is empty (seed names the case).
func requireLookup(t *testing.T, table *routing.Table, a netip.Addr, best model.ID, seed uint64) {
	t.Helper()
	got := table.Lookup(a)
	if best == "" {
		require.Nil(t, got, "seed %d %s", seed, a)
		return
	}
	require.NotNil(t, got, "seed %d %s", seed, a)
	require.Equal(t, best, got.Target, "seed %d %s", seed, a)
}

func TestLookupDoesNotAllocate(t *testing.T) {
	table := benchTable(200)
	a := addr("10.3.7.9")
	assert.Zero(t, testing.AllocsPerRun(100, func() { table.Lookup(a) }))
}

func benchTable(n int) *routing.Table {
	vpc := &model.VPC{ID: "vpc", CIDRBlocks: []netip.Prefix{pfx("10.0.0.0/16")}}
	rt := &model.RouteTable{ID: "rtb", Routes: []model.Route{{Destination: model.Destination{CIDR: pfx("0.0.0.0/0")}, Target: "nat"}}}
	for i := 1; i < n; i++ {
		rt.Routes = append(rt.Routes, model.Route{Destination: model.Destination{CIDR: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i), 0, 0}), 16+i%9).Masked()}, Target: "tgw"})
	}
	return routing.CompileVPCTable(vpc, rt, baseResolver())
}

func BenchmarkVPCLookup(b *testing.B) {
	for _, n := range []int{10, 50, 1000} {
		table := benchTable(n)
		b.Run(fmt.Sprintf("routes=%d", n), func(b *testing.B) {
			a := addr("10.3.7.9")
			b.ReportAllocs()
			for b.Loop() {
				table.Lookup(a)
			}
		})
	}
}

func TestS52TGWRouteOrderAtEqualLengthIsFixed(t *testing.T) {
	// S-52: at equal prefix length a static route (a blackhole too) beats
	// a prefix-list reference route, which beats propagated routes (VPC,
	// then Direct Connect, then Connect, then VPN). That order is AWS's,
	// not an ambiguity.
	res := baseResolver()
	res.vpcs = map[model.ID][]netip.Prefix{"vpc-a": {pfx("10.0.0.0/16")}, "vpc-b": {pfx("10.1.0.0/16")}, "vpc-c": {pfx("10.2.0.0/16")}}
	res.pls["pl-ref"] = []netip.Prefix{pfx("10.0.0.0/16"), pfx("10.1.0.0/16"), pfx("10.3.0.0/16"), pfx("10.4.0.0/16")}
	res.external = map[model.ID][]netip.Prefix{
		"att-dx":      {pfx("10.2.0.0/16"), pfx("10.5.0.0/16")},
		"att-connect": {pfx("10.5.0.0/16"), pfx("10.6.0.0/16")},
		"att-vpn":     {pfx("10.2.0.0/16"), pfx("10.5.0.0/16"), pfx("10.6.0.0/16")},
	}
	tgw := &model.TransitGateway{ID: "tgw", Attachments: []model.TGWAttachment{
		{ID: "att-a", Type: model.AttachmentVPC, VPC: "vpc-a", Propagations: []model.ID{"rt"}},
		{ID: "att-b", Type: model.AttachmentVPC, VPC: "vpc-b", Propagations: []model.ID{"rt"}},
		{ID: "att-c", Type: model.AttachmentVPC, VPC: "vpc-c", Propagations: []model.ID{"rt"}},
		{ID: "att-dx", Type: model.AttachmentDirectConnect, Propagations: []model.ID{"rt"}},
		{ID: "att-connect", Type: model.AttachmentConnect, Propagations: []model.ID{"rt"}},
		{ID: "att-vpn", Type: model.AttachmentVPN, Propagations: []model.ID{"rt"}},
	}}
	rt := &model.TGWRouteTable{ID: "rt", Routes: []model.TGWRoute{
		{Destination: model.Destination{PrefixList: "pl-ref"}, Attachment: "att-pl"},
		{Destination: model.Destination{CIDR: pfx("10.0.0.0/16")}, Attachment: "att-static"},
		{Destination: model.Destination{CIDR: pfx("10.3.0.0/16")}, Blackhole: true},
	}}
	table := routing.CompileTGWTable(tgw, rt, res)
	for _, c := range []struct {
		name, dst string
		want      model.ID
		blackhole bool
	}{
		{"static beats a prefix-list reference and a VPC propagation", "10.0.1.1", "att-static", false},
		{"static blackhole beats a prefix-list reference", "10.3.1.1", "", true},
		{"prefix-list reference beats a VPC propagation", "10.1.1.1", "att-pl", false},
		{"prefix-list reference alone", "10.4.1.1", "att-pl", false},
		{"VPC beats Direct Connect and VPN propagations", "10.2.1.1", "att-c", false},
		{"Direct Connect beats Connect and VPN", "10.5.1.1", "att-dx", false},
		{"Connect beats VPN", "10.6.1.1", "att-connect", false},
	} {
		t.Run("S-52 "+c.name, func(t *testing.T) {
			r := table.Lookup(addr(c.dst))
			require.NotNil(t, r)
			assert.Equal(t, c.want, r.Attachment)
			assert.Equal(t, c.blackhole, r.Blackhole)
		})
	}
	assert.Empty(t, table.Ambiguities(), "a fixed order is no ambiguity (S-52)")
}

func TestLocalRouteTargetCanBeReplaced(t *testing.T) {
	// VPC user guide, "Replace or restore the target for a local route": a
	// route for a whole VPC block to another target takes the place of the
	// block's local route; the other blocks keep theirs.
	vpc := &model.VPC{ID: "vpc-a", CIDRBlocks: []netip.Prefix{pfx("10.0.0.0/16"), pfx("100.64.0.0/24")}}
	rt := &model.RouteTable{ID: "rtb", Routes: []model.Route{
		{Destination: model.Destination{CIDR: pfx("10.0.0.0/16")}, Target: "eni-fw"},
	}}
	table := routing.CompileVPCTable(vpc, rt, baseResolver())
	r := table.Lookup(addr("10.0.3.3"))
	require.NotNil(t, r)
	assert.Equal(t, model.ID("eni-fw"), r.Target)
	assert.Equal(t, routing.TargetLocal, table.Lookup(addr("100.64.0.9")).Kind)
	assert.Empty(t, table.Ambiguities())
	for _, r := range table.Routes() {
		assert.False(t, r.Kind == routing.TargetLocal && r.Destination == pfx("10.0.0.0/16"), "the replaced local route is gone")
	}
	// Written with target local, it is the local route itself.
	rt.Routes[0].Target = "local"
	assert.Equal(t, routing.TargetLocal, routing.CompileVPCTable(vpc, rt, baseResolver()).Lookup(addr("10.0.3.3")).Kind)
}

// TestLookupMatchesBruteForce6 is TestLookupMatchesBruteForce for IPv6
// routes (S-12, V-04), of every length from 0 to 128, so that prefixes
// end in either half of the address.
func TestLookupMatchesBruteForce6(t *testing.T) {
	addr6 := func(r *rand.Rand) netip.Addr {
		// Few distinct bits, at both ends and around the middle, so that
		// random prefixes and addresses match each other often.
		var b [16]byte
		b[0], b[1], b[2], b[3] = 0x20, 0x01, 0x0d, 0xb8
		b[7] = byte(r.IntN(4)) << 6
		b[8] = byte(r.IntN(4))
		b[15] = byte(r.IntN(4))
		return netip.AddrFrom16(b)
	}
	for seed := uint64(1); seed <= 200; seed++ {
		r := rand.New(rand.NewPCG(seed, 6))
		vpc := &model.VPC{ID: "vpc", CIDRBlocks: []netip.Prefix{pfx("10.0.0.0/16")}}
		rt := &model.RouteTable{ID: "rtb"}
		seen := map[netip.Prefix]bool{}
		targets := []model.ID{"igw", "eigw", "pcx", "tgw", "eni-fw"}
		for range 1 + r.IntN(30) {
			bits := []int{0, 32, 56, 57, 58, 63, 64, 65, 70, 72, 120, 126, 127, 128}[r.IntN(14)]
			p := netip.PrefixFrom(addr6(r), bits).Masked()
			if seen[p] {
				continue
			}
			seen[p] = true
			rt.Routes = append(rt.Routes, model.Route{Destination: model.Destination{CIDR: p}, Target: targets[r.IntN(len(targets))]})
		}
		table := routing.CompileVPCTable(vpc, rt, baseResolver())
		for range 300 {
			a := addr6(r)
			best, bestBits := model.ID(""), -1
			for _, route := range rt.Routes {
				if c := route.Destination.CIDR; c.Contains(a) && c.Bits() > bestBits {
					best, bestBits = route.Target, c.Bits()
				}
			}
			requireLookup(t, table, a, best, seed)
		}
	}
}

// BenchmarkVPCLookup6 is BenchmarkVPCLookup for an IPv6 address, on a
// table of IPv6 routes of several lengths.
func BenchmarkVPCLookup6(b *testing.B) {
	vpc := &model.VPC{ID: "vpc", CIDRBlocks: []netip.Prefix{pfx("10.0.0.0/16")}}
	rt := &model.RouteTable{ID: "rtb", Routes: []model.Route{{Destination: model.Destination{CIDR: pfx("::/0")}, Target: "eigw"}}}
	for i := 1; i < 50; i++ {
		p := netip.PrefixFrom(netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, byte(i)}), 40+i%3*8).Masked()
		rt.Routes = append(rt.Routes, model.Route{Destination: model.Destination{CIDR: p}, Target: "tgw"})
	}
	table := routing.CompileVPCTable(vpc, rt, baseResolver())
	a := addr("2001:db8:3:7::9")
	b.ReportAllocs()
	for b.Loop() {
		table.Lookup(a)
	}
}
