package solver_test

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// plantNAT64 changes a dual-stack generated topology so that the
// analyses meet NAT64 (V-03, V-16, V-17): VPCs 1, 2, 4, 5, ... get an
// IPv6-only subnet in zone a (DNS64 on in every other one) with two
// instances, one in the web tier's group and one in the app tier's; its
// route table, a copy of the zone's private one, sends 64:ff9b::/96 to
// the zone's NAT gateway but in VPCs 8, 17, ..., which keep no route for
// it. The database instances of every VPC and the web instances of odd
// VPCs lose their IPv6 addresses, so that IPv6-only clients have
// IPv4-only servers to reach, in their own VPC and across the transit
// gateway, and the internet beyond the public NAT gateways.
func plantNAT64(t testing.TB, m *model.Model) *model.Model {
	t.Helper()
	for vi := range m.VPCs {
		v := &m.VPCs[vi]
		for ii := range v.Instances {
			in := &v.Instances[ii]
			if strings.Contains(string(in.Subnet), "-data-") || (vi%2 == 1 && strings.Contains(string(in.Subnet), "-public-")) {
				in.IPv6Addresses = nil
			}
		}
		if vi%3 == 0 || len(v.IPv6CIDRBlocks) == 0 {
			continue
		}
		var app *model.Subnet
		for si := range v.Subnets {
			if strings.HasSuffix(string(v.Subnets[si].ID), "-app-a") {
				app = &v.Subnets[si]
			}
		}
		if app == nil {
			continue
		}
		// A route table of its own, a copy of the zone's.
		var rt model.RouteTable
		for _, r := range v.RouteTables {
			if r.ID == app.RouteTable {
				rt = r
			}
		}
		id := strings.TrimPrefix(string(v.ID), "vpc-")
		rt.ID, rt.Main = model.ID("rtb-"+id+"-six"), false
		rt.Routes = append([]model.Route(nil), rt.Routes...)
		if vi%9 != 8 {
			nat := model.ID("nat-" + id + "-a")
			if !slices.ContainsFunc(v.NATGateways, func(n model.NATGateway) bool { return n.ID == nat }) {
				// A workload VPC sends its IPv4 egress to the transit
				// gateway: a private NAT gateway of its own, in the app
				// subnet, does NAT64.
				nat = model.ID("nat-" + id + "-six")
				a := app.CIDRBlock.Addr().As4()
				a[3] = 250
				v.NATGateways = append(v.NATGateways, model.NATGateway{ID: nat, Subnet: app.ID, Connectivity: model.NATPrivate, PrivateIP: netip.AddrFrom4(a)})
			}
			rt.Routes = append(rt.Routes, model.Route{Destination: model.Destination{CIDR: netip.MustParsePrefix("64:ff9b::/96")}, Target: nat})
		}
		v.RouteTables = append(v.RouteTables, rt)
		// Block 0x20 of the VPC's /56, which the generator leaves free.
		b := v.IPv6CIDRBlocks[0].Addr().As16()
		b[7] = 0x20
		block := netip.PrefixFrom(netip.AddrFrom16(b), 64)
		sn := model.ID("sn-" + id + "-six-a")
		v.Subnets = append(v.Subnets, model.Subnet{ID: sn, AZ: app.AZ, IPv6Only: true, IPv6CIDRBlock: block, EnableDNS64: vi%2 == 0, RouteTable: rt.ID})
		for k, tier := range []string{"web", "app"} {
			b[15] = byte(0x10 + k)
			v.Instances = append(v.Instances, model.Instance{ID: model.ID("i-" + id + "-six-" + tier),
				Interface: model.Interface{Subnet: sn, IPv6Addresses: []netip.Addr{netip.AddrFrom16(b)}, SecurityGroups: []model.ID{model.ID("sg-" + id + "-" + tier)}}})
		}
	}
	require.NoError(t, model.Validate(m).Err())
	return m
}

// singleFamily returns the instances and network interfaces of a model
// with IPv6 addresses only, and those with IPv4 addresses only.
func singleFamily(m *model.Model) (six, four map[model.ID]bool) {
	six, four = map[model.ID]bool{}, map[model.ID]bool{}
	add := func(id model.ID, x model.Interface) {
		switch v4, v6 := x.PrivateIP.IsValid(), len(x.IPv6Addresses) > 0; {
		case v6 && !v4:
			six[id] = true
		case v4 && !v6:
			four[id] = true
		}
	}
	for _, v := range m.VPCs {
		for _, in := range v.Instances {
			add(in.ID, in.Interface)
		}
		for _, ni := range v.NetworkInterfaces {
			add(ni.ID, ni.Interface)
		}
	}
	return six, four
}

// nat64Models are the NAT64 topologies the analyses are checked on: the
// NAT64 scenario and planted generated networks.
func nat64Models(t *testing.T) map[string]*model.Model {
	m, _, err := model.LoadFiles(nat64File)
	require.NoError(t, err)
	return map[string]*model.Model{
		"nat64-dns64.yaml": m,
		"planted/seed=1":   plantNAT64(t, gen.Generate(gen.Options{VPCs: 8, Seed: 1, InstancesPerVPC: 8, DualStack: true})),
		"planted/seed=2":   plantNAT64(t, gen.Generate(gen.Options{VPCs: 10, Seed: 2, InstancesPerVPC: 7, DualStack: true})),
	}
}

// TestNAT64AnalysesAgreeWithReach: the instance and subnet matrices (one
// port, and every port), and who-can-reach, answer the pairs of an
// IPv6-only and an IPv4-only interface as Reach does, through NAT64
// (V-16), on topologies where some of them reach and some do not; a
// disagreement fails.
func TestNAT64AnalysesAgreeWithReach(t *testing.T) {
	for name, m := range nat64Models(t) {
		t.Run(name, func(t *testing.T) {
			s, err := solver.New(m)
			require.NoError(t, err)
			// The planted networks do exercise NAT64 both ways.
			six, four := singleFamily(m)
			require.NotEmpty(t, six)
			require.NotEmpty(t, four)
			through, not := 0, 0
			for a := range six {
				for b := range four {
					r := s.Reach(tcp(string(a), string(b), 443))
					require.Equal(t, solver.TranslationNAT64, r.Translation)
					if r.Reachable() {
						through++
					} else {
						not++
					}
				}
			}
			if name != "nat64-dns64.yaml" {
				assert.Positive(t, through, "some IPv6-only interface reaches an IPv4-only one through NAT64 on tcp/443")
				assert.Positive(t, not, "some does not")
			}
			for _, q := range []solver.Query{
				{Protocol: model.ProtocolTCP, Port: 8080},
				{Protocol: model.ProtocolTCP, Port: 443},
				{Protocol: model.ProtocolTCP, Port: 5432},
				{Protocol: model.ProtocolICMP},
				{Protocol: model.ProtocolICMPv6},
			} {
				checkMatrixByBruteForce(t, m, s, q)
			}
			checkPortMatrixByBruteForce(t, m, s, rand.New(rand.NewPCG(7, 64)))
			for b := range four {
				q := tcp("", string(b), 8080)
				who, err := s.WhoCanReach(q, solver.AnalysisOptions{})
				require.NoError(t, err)
				reaching := map[model.ID]bool{}
				for _, id := range who.Instances() {
					reaching[id] = true
				}
				for a := range six {
					pq := q
					pq.From = string(a)
					assert.Equal(t, s.Reach(pq).Reachable(), reaching[a], "who-can-reach vs Reach(%s -> %s tcp/8080)", a, b)
				}
			}
		})
	}
}

// TestNAT64CreatesNoExposure: NAT64 is started from the IPv6 side only; a
// NAT gateway accepts only responses (S-61, V-16), so no IPv6-only or
// IPv4-only interface behind it is exposed through it, and exposure
// equals what point queries from the internet find.
func TestNAT64CreatesNoExposure(t *testing.T) {
	for name, m := range nat64Models(t) {
		t.Run(name, func(t *testing.T) {
			s, err := solver.New(m)
			require.NoError(t, err)
			ports := []uint16{443, 5432, 8080}
			exposed := map[string]bool{}
			for _, e := range s.Exposure([]model.Protocol{model.ProtocolTCP}, []model.PortRange{{First: 443, Last: 443}, {First: 5432, Last: 5432}, {First: 8080, Last: 8080}}, solver.AnalysisOptions{}) {
				for _, id := range append([]model.ID{e.Destination}, e.Members...) {
					for _, ep := range e.Ports {
						for port := uint32(ep.Ports.First); port <= uint32(ep.Ports.Last); port++ {
							exposed[fmt.Sprintf("%s/%s/%d", e.Family, id, port)] = true
						}
					}
				}
			}
			for _, x := range interfaces(m) {
				for _, port := range ports {
					for fam, ok := range famReach(s, solver.Query{From: "internet", To: string(x.id), Protocol: model.ProtocolTCP, Port: port}) {
						assert.Equal(t, ok, exposed[fmt.Sprintf("%s/%s/%d", fam, x.id, port)], "exposure vs Reach(internet -> %s tcp/%d) over %s", x.id, port, fam)
					}
				}
			}
			// Nothing through a NAT gateway, though its Elastic IP is the
			// source of every NAT64 flow to the internet.
			for _, v := range m.VPCs {
				for _, n := range v.NATGateways {
					assert.False(t, exposed["ipv4/"+string(n.ID)+"/443"], "%s is exposed", n.ID)
					if n.PublicIP.IsValid() {
						r := s.Reach(tcp("internet", n.PublicIP.String(), 443))
						assert.False(t, r.Reachable())
						assert.Contains(t, codes(r), "forward:NGW_INBOUND_NOT_ALLOWED", "from the internet to %s's Elastic IP", n.ID)
					}
				}
			}
			// The IPv4 internet does not reach an IPv6-only interface: there
			// is no family in common, and NAT64 does not carry it.
			six, _ := singleFamily(m)
			for id := range six {
				r := s.Reach(tcp(solver.InternetHost().String(), string(id), 443))
				assert.False(t, r.Reachable(), "%s", r.Text())
				assert.Empty(t, r.Translation)
			}
		})
	}
}

// BenchmarkMatrixSubnetNAT64 is the subnet matrix of a dual-stack
// generated network with IPv6-only subnets (plantNAT64): the pairs of an
// IPv6-only and an IPv4-only class are answered by Reach, one by one.
func BenchmarkMatrixSubnetNAT64(b *testing.B) {
	for _, n := range []int{30, 100} {
		s, err := solver.New(plantNAT64(b, gen.Generate(gen.Options{VPCs: n, Seed: 1, DualStack: true})))
		require.NoError(b, err)
		s.Classes()
		b.Run(fmt.Sprintf("vpcs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s.Matrix(solver.Query{Protocol: model.ProtocolTCP, Port: 443}, solver.LevelSubnet, solver.AnalysisOptions{})
			}
		})
	}
}
