package solver_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// TestHopSubnetIsTheInterfacesSubnet checks Hop.Subnet on every path of
// every seed expectation: each hop at a network interface names the
// subnet that interface lives in (an instance's, a NAT gateway's, one of
// a load balancer's or an interface endpoint's subnets), a transit
// gateway attachment that enters a VPC names one of its attachment
// subnets, and no other hop names a subnet.
func TestHopSubnetIsTheInterfacesSubnet(t *testing.T) {
	files, err := filepath.Glob("../testdata/seed*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		m, _, err := model.LoadFiles(f)
		require.NoError(t, err)
		s, err := solver.New(m)
		require.NoError(t, err)
		x := s.Index()
		// allowed returns the subnets a hop may name; nil: none.
		allowed := func(h solver.Hop) []model.ID {
			switch h.Kind {
			case solver.HopInstance:
				if i := x.Instance(h.Component); i != nil {
					return []model.ID{i.Subnet}
				}
			case solver.HopNetworkInterface:
				if n := x.NetworkInterface(h.Component); n != nil {
					return []model.ID{n.Subnet}
				}
			case solver.HopNATGateway:
				return []model.ID{x.NATGateway(h.Component).Subnet}
			case solver.HopLoadBalancer:
				if h.Decision == solver.DecisionSend || h.Decision == solver.DecisionDeliver {
					return x.LoadBalancer(h.Component).Subnets
				}
			case solver.HopInterfaceEndpoint:
				return x.Endpoint(h.Component).Subnets
			case solver.HopTGWAttachment:
				// Entering a VPC: "into vpc-b through subnet ..."; not
				// "into transit gateway ...".
				if a := x.TGWAttachment(h.Component); a.Type == model.AttachmentVPC && strings.HasPrefix(h.Rule, "into "+string(a.VPC)+" through subnet ") {
					return a.Subnets
				}
			}
			return nil
		}
		for _, e := range m.Expectations {
			q := solver.Query{From: e.From, To: e.To, Protocol: e.Protocol, ICMP: e.ICMP}
			if e.Port != nil {
				q.Port = *e.Port
			}
			res := s.Reach(q)
			for _, hops := range [][]solver.Hop{res.Forward, res.Return} {
				for i, h := range hops {
					want := allowed(h)
					if want == nil {
						assert.Empty(t, h.Subnet, "%s: %s: hop %d (%s %s) names subnet %s", f, q, i+1, h.Kind, h.Component, h.Subnet)
						continue
					}
					assert.Contains(t, want, h.Subnet, "%s: %s: hop %d (%s %s %s) is in subnet %q, not one of %v", f, q, i+1, h.Kind, h.Component, h.Decision, h.Subnet, want)
				}
			}
		}
	}
}
