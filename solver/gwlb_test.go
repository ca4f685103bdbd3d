package solver_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/portset"
	"github.com/vpcreach/vpcreach/solver"
)

// loadFile builds a solver from a testdata topology, with each pair of
// replacements applied to its text first.
func loadFile(t *testing.T, path string, replace ...string) *solver.Solver {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	text := string(data)
	for i := 0; i+1 < len(replace); i += 2 {
		require.Contains(t, text, replace[i], "the topology changed: %q is not in %s", replace[i], path)
		text = strings.Replace(text, replace[i], replace[i+1], 1)
	}
	return load(t, text)
}

// kinds returns the hop kinds of a path, with their components.
func kinds(hops []solver.Hop) []string {
	var out []string
	for _, h := range hops {
		if h.Kind == solver.HopGWLBEndpoint || h.Kind == solver.HopAppliance || h.Kind == solver.HopRouteTable {
			out = append(out, h.Kind.String()+" "+string(h.Component)+" "+h.Decision.String())
		}
	}
	return out
}

const ingressTopology = "testdata/gwlb-ingress.yaml"

func TestGWLBIngressRouting(t *testing.T) {
	// VPC user guide, "Gateway route tables" and "Routing for a middlebox
	// appliance (ingress routing)"; ELB guide, "Gateway Load Balancers";
	// PrivateLink guide, "Gateway Load Balancer endpoints".
	s := loadFile(t, ingressTopology)
	runReachCases(t, s, []reachCase{
		{"V-25", "the internet gateway's route table sends the web subnet through the appliance", tcp("internet", "i-web-a", 443), reachable, nil},
		{"V-22", "the appliance drops SSH from the internet", tcp("internet", "i-web-a", 22), unreachable, []string{"forward:GWLB_INSPECTION_DROP"}},
		{"V-23", "the response skips the appliance: the subnet routes to the internet gateway", tcp("internet", "i-web-b", 443), warned, []string{"warning:GWLB_RETURN_SKIPS_APPLIANCE"}},
		{"V-20", "outbound through the endpoint, the response back by the gateway route table", tcp("i-web-a", "internet", 443), reachable, nil},
		{"V-22", "the drop rule names the web tier as destination: outbound SSH passes", tcp("i-web-a", "internet", 22), reachable, nil},
	})

	// V-25, V-20, V-23: the path shows the endpoint and the appliance,
	// both ways, through the same endpoint.
	r := s.Reach(tcp("internet", "i-web-a", 443))
	assert.Equal(t, []string{
		"route-table rt-edge route",
		"gateway-load-balancer-endpoint vpce-fw-a forward",
		"appliance i-fw-a forward",
		"gateway-load-balancer-endpoint vpce-fw-a forward",
		"route-table rt-gwlbe route",
	}, kinds(r.Forward), explain(r))
	assert.Equal(t, []string{
		"route-table rt-web-a route",
		"gateway-load-balancer-endpoint vpce-fw-a forward",
		"appliance i-fw-a forward",
		"gateway-load-balancer-endpoint vpce-fw-a forward",
		"route-table rt-gwlbe route",
	}, kinds(r.Return), explain(r))
	i := slices.IndexFunc(r.Forward, func(h solver.Hop) bool { return h.Kind == solver.HopLoadBalancer })
	require.GreaterOrEqual(t, i, 0, explain(r))
	assert.Contains(t, r.Forward[i].Rule, "GENEVE (udp 6081) to appliance i-fw-a")
	assert.Contains(t, r.Forward[i].Rule, "in eu-west-1a")

	// V-22: the blocker names the rule of the inspection that drops.
	r = s.Reach(tcp("internet", "i-web-a", 22))
	require.Len(t, r.Blockers, 1, explain(r))
	assert.Equal(t, model.ID("i-fw-a"), r.Blockers[0].Component)
	assert.Contains(t, r.Blockers[0].Message, "drop tcp port 22 to 10.0.0.0/16 (no SSH from outside)")
	assert.Empty(t, r.Return, "a dropped request has no response")

	// V-22: all traffic, of which the appliance drops a part.
	open := loadFile(t, ingressTopology, "{protocol: tcp, ports: 443, sources: [0.0.0.0/0]}", "{protocol: all, sources: [0.0.0.0/0]}")
	r = open.Reach(solver.Query{From: "internet", To: "i-web-a", Protocol: model.ProtocolAll})
	assert.Equal(t, warned, r.Verdict, explain(r))
	assert.Equal(t, []string{"warning:GWLB_INSPECTION_DROP"}, codes(r))
}

func TestGWLBApplianceFilters(t *testing.T) {
	// ELB guide, "Target groups for your Gateway Load Balancers" (GENEVE on
	// port 6081) and "Health checks"; the appliances' security groups and
	// their subnets' network ACLs must pass GENEVE both ways.
	t.Run("V-21 the appliance's security group does not admit GENEVE", func(t *testing.T) {
		s := loadFile(t, ingressTopology, "{protocol: udp, ports: 6081, sources: [10.50.0.0/16]}", "{protocol: tcp, ports: 443, sources: [10.50.0.0/16]}")
		r := s.Reach(tcp("internet", "i-web-a", 443))
		assert.Equal(t, unreachable, r.Verdict, explain(r))
		assert.Equal(t, []string{"forward:ENI_SG_RULES_MISMATCH"}, codes(r))
		assert.Contains(t, r.Blockers[0].Message, "GENEVE (udp 6081) ingress from Gateway Load Balancer node 10.50.1.5")
	})
	t.Run("V-21 a network ACL between node and appliance denies GENEVE", func(t *testing.T) {
		acl := `    network_acls:
      - id: acl-fw
        ingress: [{rule: 100, protocol: tcp, ports: 0-65535, cidr: 0.0.0.0/0, action: allow}]
        egress: [{rule: 100, protocol: all, cidr: 0.0.0.0/0, action: allow}]
    instances:
      - {id: i-fw-a`
		s := loadFile(t, ingressTopology,
			"    instances:\n      - {id: i-fw-a", acl,
			"{id: sn-sec-a, az: eu-west-1a, cidr_block: 10.50.1.0/24}", "{id: sn-sec-a, az: eu-west-1a, cidr_block: 10.50.1.0/24, network_acl: acl-fw}",
			"private_ips: [10.50.1.5, 10.50.2.5]", "private_ips: [10.50.0.5, 10.50.2.5]",
			"subnets: [sn-sec-a, sn-sec-b]", "subnets: [sn-sec-lb, sn-sec-b]",
			"      - {id: sn-sec-b,", "      - {id: sn-sec-lb, az: eu-west-1a, cidr_block: 10.50.0.0/24}\n      - {id: sn-sec-b,")
		r := s.Reach(tcp("internet", "i-web-a", 443))
		assert.Equal(t, unreachable, r.Verdict, explain(r))
		assert.Equal(t, []string{"forward:SUBNET_ACL_RESTRICTION"}, codes(r))
		assert.Contains(t, r.Blockers[0].Message, "denies GENEVE (udp 6081) from 10.50.0.5 to 10.50.1.10 ingress")
	})
	t.Run("V-21 no healthy appliance in the endpoint's zone", func(t *testing.T) {
		s := loadFile(t, ingressTopology, "{id: i-fw-a}", "{id: i-fw-a, health: unhealthy}")
		r := s.Reach(tcp("internet", "i-web-a", 443))
		assert.Equal(t, unreachable, r.Verdict, explain(r))
		assert.Equal(t, []string{"forward:ELBV2_NO_TARGETS_IN_AZ"}, codes(r))
		// Cross-zone load balancing sends it to the other zone's appliance.
		s = loadFile(t, ingressTopology, "{id: i-fw-a}", "{id: i-fw-a, health: unhealthy}", "scheme: internal", "scheme: internal\n        cross_zone: true")
		r = s.Reach(tcp("internet", "i-web-a", 443))
		assert.Equal(t, reachable, r.Verdict, explain(r))
		assert.Contains(t, kinds(r.Forward), "appliance i-fw-b forward")
	})
	t.Run("V-20 the endpoint's connection is pending acceptance", func(t *testing.T) {
		s := loadFile(t, ingressTopology, "load_balancers: [gwlb-fw]", "load_balancers: [gwlb-fw]\n    acceptance_required: true")
		r := s.Reach(tcp("internet", "i-web-a", 443))
		assert.Equal(t, unreachable, r.Verdict, explain(r))
		assert.Equal(t, []string{"forward:VPCE_CONNECTION_NOT_ACCEPTED"}, codes(r))
	})
	t.Run("V-20 the load balancer has no node in the endpoint's zone", func(t *testing.T) {
		s := loadFile(t, ingressTopology, "subnets: [sn-sec-a, sn-sec-b]", "subnets: [sn-sec-b]", "private_ips: [10.50.1.5, 10.50.2.5]", "private_ips: [10.50.2.5]")
		r := s.Reach(tcp("internet", "i-web-a", 443))
		assert.Equal(t, unreachable, r.Verdict, explain(r))
		assert.Equal(t, []string{"forward:VPCE_SERVICE_NOT_INSTALLED_IN_AZ"}, codes(r))
	})
}

const inspectionTopology = "testdata/gwlb-inspection-vpc.yaml"

func TestGWLBInspectionVPC(t *testing.T) {
	// Transit Gateway guide, "Appliance in a shared services VPC" and
	// "Example: centralized inspection"; ELB guide, "Gateway Load Balancers".
	s := loadFile(t, inspectionTopology)
	runReachCases(t, s, []reachCase{
		{"V-26", "spoke to spoke through the inspection VPC, appliance mode keeps the response in the request's zone", tcp("i-1", "i-2", 443), reachable, nil},
		{"V-26", "the other way too", tcp("i-2", "i-1", 443), reachable, nil},
		{"V-22", "the appliances drop RDP between spokes", tcp("i-1", "i-2", 3389), unreachable, []string{"forward:GWLB_INSPECTION_DROP"}},
	})
	r := s.Reach(tcp("i-1", "i-2", 443))
	assert.Contains(t, kinds(r.Forward), "appliance i-fw-a forward", explain(r))
	assert.Contains(t, kinds(r.Return), "appliance i-fw-a forward", explain(r))

	// V-23, V-26: without appliance mode the response enters the inspection
	// VPC in its own zone, through the other endpoint, to an appliance that
	// never saw the request.
	off := loadFile(t, inspectionTopology, "appliance_mode: true", "appliance_mode: false")
	r = off.Reach(tcp("i-1", "i-2", 443))
	assert.Equal(t, warned, r.Verdict, explain(r))
	assert.Equal(t, []string{"warning:APPLIANCE_ASYMMETRIC_ROUTING"}, codes(r))
	assert.Contains(t, kinds(r.Return), "appliance i-fw-b forward", explain(r))
	assert.Contains(t, r.Warnings[0].Message, "the request passed appliance i-fw-a through endpoint vpce-insp-a")
}

func TestGWLBMatrixAgreesWithReach(t *testing.T) {
	// V-22: the matrix asks Reach for every path through an appliance (its
	// verdict depends on exact addresses and ports): its answers are
	// Reach's.
	for _, path := range []string{ingressTopology, inspectionTopology} {
		s := loadFile(t, path)
		for _, port := range []uint16{22, 443, 3389} {
			q := solver.Query{Protocol: model.ProtocolTCP, Port: port}
			mx := s.Matrix(q, solver.LevelInstance, solver.AnalysisOptions{})
			got := map[[2]model.ID]bool{}
			for a, row := range mx.Reach {
				for _, b := range row {
					got[[2]model.ID{mx.Nodes[a], mx.Nodes[b]}] = true
				}
			}
			for _, a := range mx.Nodes {
				for _, b := range mx.Nodes {
					if a == b {
						continue
					}
					q.From, q.To = string(a), string(b)
					r := s.Reach(q)
					assert.Equal(t, r.Reachable(), got[[2]model.ID{a, b}], "%s: matrix and Reach differ on %s -> %s tcp/%d%s", path, a, b, port, explain(r))
				}
			}
		}
	}
}

// V-22: the appliances' drop rules split ports and addresses as filter
// rules do, so the every-port matrix probes each side of them: between
// the spokes, tcp passes on every port but the dropped 3389, as Reach
// answers port by port. (The matrix said "tcp all": 3389 was no port
// boundary, and the one probe of the tcp atom passed.)
func TestGWLBPortMatrixSeesDropRules(t *testing.T) {
	s := loadFile(t, inspectionTopology)
	pm := s.PortMatrix(solver.LevelInstance, solver.AnalysisOptions{})
	for a, row := range pm.Reach {
		for _, c := range row {
			from, to := pm.Nodes[a], pm.Nodes[c.To]
			for _, port := range []uint16{1, 3388, 3389, 3390, 65535} {
				r := s.Reach(solver.Query{From: string(from), To: string(to), Protocol: model.ProtocolTCP, Port: port})
				assert.Equal(t, r.Reachable(), c.Ports.Contains(model.ProtocolTCP, port), "%s -> %s tcp/%d: %s", from, to, port, c.Ports)
			}
		}
	}
	var spokes portset.Set
	for a, row := range pm.Reach {
		for _, c := range row {
			if pm.Nodes[a] == "i-1" && pm.Nodes[c.To] == "i-2" {
				spokes = c.Ports
			}
		}
	}
	assert.Equal(t, []model.PortRange{{First: 1, Last: 3388}, {First: 3390, Last: 65535}}, spokes.Ranges(model.ProtocolTCP))
}
