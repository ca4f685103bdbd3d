package solver_test

import (
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// onPremFile is the scenario of IPv6 external networks (V-35).
const onPremFile = "../testdata/dualstack-onprem.yaml"

// onPremSolver loads the scenario, with old replaced by new when given.
func onPremSolver(t *testing.T, edits ...string) *solver.Solver {
	t.Helper()
	data, err := os.ReadFile(onPremFile)
	require.NoError(t, err)
	src := string(data)
	for i := 0; i+1 < len(edits); i += 2 {
		require.Contains(t, src, edits[i])
		src = strings.Replace(src, edits[i], edits[i+1], 1)
	}
	m, _, err := model.LoadBytes("dualstack-onprem.yaml", []byte(src))
	require.NoError(t, err)
	s, err := solver.New(m)
	require.NoError(t, err)
	return s
}

// An external network named by id has the families of its prefixes: a
// Direct Connect network of both families is answered per family, an
// IPv6 VPN's network over IPv6 only, an IPv4 VPN's over IPv4 only
// (V-35).
func TestExternalNetworkFamilies(t *testing.T) {
	s := onPremSolver(t)
	tests := []struct {
		name     string
		q        solver.Query
		want     map[string]bool
		wantHops []model.ID // components the answer's first path passes
	}{
		{"V-35 Direct Connect carries both families; the group admits IPv6 only",
			tcp("datacentre", "i-dc-db", 5432), map[string]bool{"ipv4": false, "ipv6": true}, nil},
		{"V-35 an IPv6 VPN on a transit gateway",
			tcp("branch-v6", "i-hub-app", 443), map[string]bool{"ipv6": true}, []model.ID{"branch-v6", "att-branch-v6", "tgw-rtb-onprem", "att-hub", "i-hub-app"}},
		{"V-35 an IPv4 VPN on a transit gateway",
			tcp("branch-v4", "i-hub-app", 443), map[string]bool{"ipv4": true}, []model.ID{"branch-v4", "att-branch-v4"}},
		{"V-35 to an IPv6 VPN's network by id",
			tcp("i-hub-app", "branch-v6", 443), map[string]bool{"ipv6": true}, []model.ID{"i-hub-app", "rtb-hub-app", "att-hub", "tgw-rtb-onprem", "branch-v6"}},
		{"V-35 an IPv6 address inside the network's prefix stands for it",
			tcp("2001:db8:bb::20", "i-hub-app", 443), map[string]bool{"ipv6": true}, []model.ID{"branch-v6", "att-branch-v6"}},
		{"V-35 S-43 no IPv6 return route from the subnet",
			tcp("branch-v6", "i-hub-v4routes", 443), map[string]bool{"ipv6": false}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := famReach(s, tt.q)
			assert.Equal(t, tt.want, got, "Reach(%s -> %s tcp/%d) per family", tt.q.From, tt.q.To, tt.q.Port)
			if tt.wantHops == nil {
				return
			}
			r := s.Reach(tt.q)
			var comps []model.ID
			for _, h := range r.Forward {
				comps = append(comps, h.Component)
			}
			for _, c := range tt.wantHops {
				assert.Contains(t, comps, c, "forward path of %s -> %s", tt.q.From, tt.q.To)
			}
		})
	}
	r := s.Reach(tcp("branch-v6", "i-hub-v4routes", 443))
	require.NotEmpty(t, r.Blockers)
	assert.Equal(t, solver.NoRouteToDestination, r.Blockers[0].Code)
	assert.Equal(t, solver.LegReturn, r.Blockers[0].Leg, "the request arrives; the response has no IPv6 route back (S-43)")
}

// A family the network does not have is refused as for any end without
// it (V-03, V-35): the IPv6 VPN's network has no IPv4 address.
func TestExternalNetworkMissingFamily(t *testing.T) {
	s := onPremSolver(t)
	q := tcp("branch-v6", "i-hub-app", 443)
	q.Family = "ipv4"
	r := s.Reach(q)
	assert.False(t, r.Reachable())
	require.NotEmpty(t, r.Blockers)
	assert.Equal(t, solver.DestinationNotFound, r.Blockers[0].Code)
}

// who-can-reach lists an external network's IPv6 prefixes, cut to the
// part the destination's rules admit (V-35).
func TestWhoCanReachExternalIPv6(t *testing.T) {
	s := onPremSolver(t, `sources: ["2001:db8:dc::/48"]`, `sources: ["2001:db8:dc:1::/64"]`)
	res, err := s.WhoCanReach(tcp("", "i-dc-db", 5432), solver.AnalysisOptions{})
	require.NoError(t, err)
	require.Len(t, res.External, 1)
	assert.Equal(t, model.ID("datacentre"), res.External[0].ID)
	assert.Equal(t, []netip.Prefix{netip.MustParsePrefix("2001:db8:dc:1::/64")}, res.External[0].CIDRs)
	// A single-address prefix is probed at its one address.
	s1 := onPremSolver(t, `cidrs: [192.168.0.0/16, "2001:db8:dc::/48"]`, `cidrs: [192.168.0.0/16, "2001:db8:dc::5/128"]`)
	res, err = s1.WhoCanReach(tcp("", "i-dc-db", 5432), solver.AnalysisOptions{})
	require.NoError(t, err)
	require.Len(t, res.External, 1)
	assert.Equal(t, []netip.Prefix{netip.MustParsePrefix("2001:db8:dc::5/128")}, res.External[0].CIDRs)
	res, err = s.WhoCanReach(tcp("", "i-hub-app", 443), solver.AnalysisOptions{})
	require.NoError(t, err)
	got := map[model.ID][]netip.Prefix{}
	for _, e := range res.External {
		got[e.ID] = e.CIDRs
	}
	assert.Equal(t, map[model.ID][]netip.Prefix{
		"branch-v4": {netip.MustParsePrefix("172.20.0.0/16")},
		"branch-v6": {netip.MustParsePrefix("2001:db8:bb::/48")},
	}, got)
}

// An external network's IPv6 prefixes are global addresses, but they are
// the network's, not the internet's: a VPC with an internet gateway whose
// group admits only the data centre's IPv6 prefix is not exposed to the
// internet, and who-can-reach puts the prefix under the network (V-35).
func TestExternalIPv6PrefixIsNotInternet(t *testing.T) {
	s := onPremSolver(t,
		"    vpn_gateway: vgw-dc\n", "    vpn_gateway: vgw-dc\n    internet_gateway: igw-dc\n",
		"        propagations: [vgw-dc]\n", "        propagations: [vgw-dc]\n        routes:\n          - {destination: \"::/0\", target: igw-dc}\n")
	exp := s.Exposure([]model.Protocol{model.ProtocolTCP}, []model.PortRange{{First: 5432, Last: 5432}}, solver.AnalysisOptions{})
	assert.Empty(t, exp, "only the data centre's prefix is admitted: nothing is exposed to the internet")
	res, err := s.WhoCanReach(tcp("", "i-dc-db", 5432), solver.AnalysisOptions{})
	require.NoError(t, err)
	assert.Empty(t, res.Internet)
	require.Len(t, res.External, 1)
	assert.Equal(t, []netip.Prefix{netip.MustParsePrefix("2001:db8:dc::/48")}, res.External[0].CIDRs)
}

// The virtual private gateway's hop names the connection a Direct Connect
// network is reached by (V-35).
func TestVirtualPrivateGatewayHopNamesDirectConnect(t *testing.T) {
	s := onPremSolver(t)
	q := tcp("i-dc-db", "datacentre", 22)
	q.Family = "ipv6"
	r := s.Reach(q)
	require.True(t, r.Reachable(), "%s", r.Text())
	var rules []string
	for _, h := range r.Forward {
		if h.Kind == solver.HopVPNGateway {
			rules = append(rules, h.Rule)
		}
	}
	assert.Equal(t, []string{"to Direct Connect"}, rules)
}

// IPv6 routed to a connection that cannot carry it goes nowhere (V-35):
// to a VPN attachment whose tunnels carry IPv4, or to a virtual private
// gateway with only VPN connections behind it. Behind Direct Connect it
// goes on, to the network behind the gateway.
func TestIPv6ToAConnectionThatCannotCarryIt(t *testing.T) {
	s := onPremSolver(t,
		`          - {destination: "2001:db8:bb::/48", target: tgw-onprem}`,
		`          - {destination: "2001:db8:bb::/48", target: tgw-onprem}
          - {destination: "2001:db8:ee::/48", target: tgw-onprem}`,
		"      - id: tgw-rtb-onprem\n",
		"      - id: tgw-rtb-onprem\n        routes:\n          - {destination: \"2001:db8:ee::/48\", attachment: att-branch-v4}\n",
		"        propagations: [vgw-dc]\n",
		"        propagations: [vgw-dc]\n        routes:\n          - {destination: \"2001:db8:ff::/48\", target: vgw-dc}\n")
	r := s.Reach(tcp("i-hub-app", "2001:db8:ee::5", 443))
	assert.False(t, r.Reachable(), "%s", r.Text())
	require.NotEmpty(t, r.Blockers)
	assert.Equal(t, solver.NoRouteToDestination, r.Blockers[0].Code)
	assert.Equal(t, model.ID("att-branch-v4"), r.Blockers[0].Component)
	assert.Contains(t, r.Blockers[0].Message, "carry IPv4 only (tunnel_inside_ip_version ipv4)")

	// Behind Direct Connect, the gateway takes IPv6 on, out to the
	// network behind it (which the model does not name: no response
	// comes back from there).
	r = s.Reach(tcp("i-dc-db", "2001:db8:ff::5", 443))
	require.NotEmpty(t, r.Forward)
	last := r.Forward[len(r.Forward)-1]
	assert.Equal(t, solver.DecisionDeliver, last.Decision, "%s", r.Text())
	assert.Equal(t, model.ID("vgw-dc"), last.Component)

	s = onPremSolver(t,
		`cidrs: [192.168.0.0/16, "2001:db8:dc::/48"], via: vgw-dc, connection: direct-connect}`,
		`cidrs: [192.168.0.0/16], via: vgw-dc}`,
		"        propagations: [vgw-dc]\n",
		"        propagations: [vgw-dc]\n        routes:\n          - {destination: \"2001:db8:ff::/48\", target: vgw-dc}\n")
	r = s.Reach(tcp("i-dc-db", "2001:db8:ff::5", 443))
	assert.False(t, r.Reachable(), "%s", r.Text())
	require.NotEmpty(t, r.Blockers)
	assert.Equal(t, model.ID("vgw-dc"), r.Blockers[0].Component)
	assert.Contains(t, r.Blockers[0].Message, "carry IPv4 only on a virtual private gateway")
}
