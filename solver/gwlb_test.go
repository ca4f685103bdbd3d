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

// ingressIPv6 makes the ingress topology dual-stack: the gateway route
// table routes each web subnet's IPv6 block to its zone's endpoint, the
// subnets route ::/0 as they route 0.0.0.0/0, and the appliances drop
// SSH whatever its addresses.
var ingressIPv6 = []string{
	"cidr_blocks: [10.0.0.0/16]\n    internet_gateway: igw-web", "cidr_blocks: [10.0.0.0/16]\n    ipv6_cidr_blocks: ['2600:1f18:1:100::/56']\n    internet_gateway: igw-web",
	"{id: sn-web-a, az: eu-west-1a, cidr_block: 10.0.1.0/24,", "{id: sn-web-a, az: eu-west-1a, cidr_block: 10.0.1.0/24, ipv6_cidr_block: '2600:1f18:1:101::/64',",
	"{id: sn-web-b, az: eu-west-1b, cidr_block: 10.0.2.0/24,", "{id: sn-web-b, az: eu-west-1b, cidr_block: 10.0.2.0/24, ipv6_cidr_block: '2600:1f18:1:102::/64',",
	"{id: sn-gwlbe-a, az: eu-west-1a, cidr_block: 10.0.10.0/24,", "{id: sn-gwlbe-a, az: eu-west-1a, cidr_block: 10.0.10.0/24, ipv6_cidr_block: '2600:1f18:1:10a::/64',",
	"{id: sn-gwlbe-b, az: eu-west-1b, cidr_block: 10.0.11.0/24,", "{id: sn-gwlbe-b, az: eu-west-1b, cidr_block: 10.0.11.0/24, ipv6_cidr_block: '2600:1f18:1:10b::/64',",
	"- {destination: 10.0.2.0/24, target: vpce-fw-b}", "- {destination: 10.0.2.0/24, target: vpce-fw-b}\n          - {destination: '2600:1f18:1:101::/64', target: vpce-fw-a}\n          - {destination: '2600:1f18:1:102::/64', target: vpce-fw-b}",
	"{id: rt-web-a, routes: [{destination: 0.0.0.0/0, target: vpce-fw-a}]}", "{id: rt-web-a, routes: [{destination: 0.0.0.0/0, target: vpce-fw-a}, {destination: '::/0', target: vpce-fw-a}]}",
	"{id: rt-web-b, routes: [{destination: 0.0.0.0/0, target: igw-web}]}", "{id: rt-web-b, routes: [{destination: 0.0.0.0/0, target: igw-web}, {destination: '::/0', target: igw-web}]}",
	"{id: rt-gwlbe, routes: [{destination: 0.0.0.0/0, target: igw-web}]}", "{id: rt-gwlbe, routes: [{destination: 0.0.0.0/0, target: igw-web}, {destination: '::/0', target: igw-web}]}",
	"{protocol: tcp, ports: 443, sources: [0.0.0.0/0]}", "{protocol: tcp, ports: 443, sources: [0.0.0.0/0, '::/0']}",
	"{protocol: tcp, ports: 22, sources: [0.0.0.0/0]}", "{protocol: tcp, ports: 22, sources: [0.0.0.0/0, '::/0']}",
	"private_ip: 10.0.1.10,", "private_ip: 10.0.1.10, ipv6_addresses: ['2600:1f18:1:101::10'],",
	"private_ip: 10.0.2.10,", "private_ip: 10.0.2.10, ipv6_addresses: ['2600:1f18:1:102::10'],",
	"{protocol: tcp, ports: 22, destination: 10.0.0.0/16, description: no SSH from outside}", "{protocol: tcp, ports: 22, description: no SSH (inspection rules take IPv4 CIDRs only)}",
}

func TestGWLBIngressRoutingIPv6(t *testing.T) {
	// VPC user guide, "Gateway route tables": with a Gateway Load Balancer
	// endpoint as target, the destination may be "the entire IPv4 or IPv6
	// CIDR block" of the VPC or of a subnet. IPv6 traffic from the
	// internet comes in untranslated (V-06) and is routed by the gateway
	// route table as IPv4 traffic is (V-24, V-25).
	s := loadFile(t, ingressTopology, ingressIPv6...)
	const host = "2001:db8::1"
	runReachCases(t, s, []reachCase{
		{"V-25", "IPv6: the internet gateway's route table sends the web subnet through the appliance", tcp(host, "2600:1f18:1:101::10", 443), reachable, nil},
		{"V-22", "IPv6: the appliance drops SSH", tcp(host, "2600:1f18:1:101::10", 22), unreachable, []string{"forward:GWLB_INSPECTION_DROP"}},
		{"V-23", "IPv6: the response skips the appliance: the subnet routes ::/0 to the internet gateway", tcp(host, "2600:1f18:1:102::10", 443), warned, []string{"warning:GWLB_RETURN_SKIPS_APPLIANCE"}},
		{"V-20", "IPv6: out through the endpoint, the response back by the gateway route table", tcp("2600:1f18:1:101::10", host, 443), reachable, nil},
	})
	r := s.Reach(tcp(host, "2600:1f18:1:101::10", 443))
	assert.Equal(t, []string{
		"route-table rt-edge route",
		"gateway-load-balancer-endpoint vpce-fw-a forward",
		"appliance i-fw-a forward",
		"gateway-load-balancer-endpoint vpce-fw-a forward",
		"route-table rt-gwlbe route",
	}, kinds(r.Forward), explain(r))
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
	for _, path := range []string{ingressTopology, inspectionTopology, egressTopology} {
		s := loadFile(t, path)
		for _, port := range []uint16{22, 25, 443, 3389} {
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
	spokes := portMatrixAgrees(t, loadFile(t, inspectionTopology), 1, 3388, 3389, 3390, 65535)
	assert.Equal(t, []model.PortRange{{First: 1, Last: 3388}, {First: 3390, Last: 65535}}, spokes.Ranges(model.ProtocolTCP))
	// V-22, V-26: the centralised egress topology's appliances drop SMTP
	// from the spokes, to each other as well.
	spokes = portMatrixAgrees(t, loadFile(t, egressTopology), 1, 24, 25, 26, 65535)
	assert.Equal(t, []model.PortRange{{First: 1, Last: 24}, {First: 26, Last: 65535}}, spokes.Ranges(model.ProtocolTCP))
}

// portMatrixAgrees checks that the every-port matrix of s answers as Reach
// does on each of the tcp ports given, for every pair it lists, and
// returns the ports it lists from i-1 to i-2.
func portMatrixAgrees(t *testing.T, s *solver.Solver, ports ...uint16) portset.Set {
	t.Helper()
	pm := s.PortMatrix(solver.LevelInstance, solver.AnalysisOptions{})
	listed := map[[2]model.ID]portset.Set{}
	for a, row := range pm.Reach {
		for _, c := range row {
			listed[[2]model.ID{pm.Nodes[a], pm.Nodes[c.To]}] = c.Ports
		}
	}
	// A pair the matrix does not list reaches on no port.
	for _, from := range pm.Nodes {
		for _, to := range pm.Nodes {
			if from == to {
				continue
			}
			got := listed[[2]model.ID{from, to}]
			for _, port := range ports {
				r := s.Reach(solver.Query{From: string(from), To: string(to), Protocol: model.ProtocolTCP, Port: port})
				assert.Equal(t, r.Reachable(), got.Contains(model.ProtocolTCP, port), "%s -> %s tcp/%d: %s", from, to, port, got)
			}
		}
	}
	return listed[[2]model.ID{"i-1", "i-2"}]
}

const egressTopology = "testdata/gwlb-inspection-egress.yaml"

// route returns the hops of a path that move the packet, without the
// filters that only allow it (security groups, network ACLs).
func route(hops []solver.Hop) []string {
	var out []string
	for _, h := range hops {
		if h.Kind != solver.HopSecurityGroup && h.Kind != solver.HopNetworkACL {
			out = append(out, h.Kind.String()+" "+string(h.Component))
		}
	}
	return out
}

func TestGWLBInspectionEgress(t *testing.T) {
	// Centralised egress with inspection: Transit Gateway guide, "Example:
	// Appliance in a shared services VPC" (appliance mode); PrivateLink
	// guide, "Gateway Load Balancer endpoints" (routing through the
	// endpoint, both ways); VPC user guide, "NAT gateways" (the NAT
	// gateway's subnet routes the translated-back response).
	s := loadFile(t, egressTopology)
	runReachCases(t, s, []reachCase{
		{"V-26", "spoke to the internet: transit gateway, endpoint, appliance, NAT gateway, internet gateway", tcp("i-1", "internet", 443), reachable, nil},
		{"V-26", "the other zone's spoke through its zone's endpoint, appliance and NAT gateway", tcp("i-2", "internet", 443), reachable, nil},
		{"V-22", "the appliances drop SMTP from the spokes", tcp("i-1", "internet", 25), unreachable, []string{"forward:GWLB_INSPECTION_DROP"}},
		{"V-22", "the drop rule names the spokes as source: it drops SMTP between them too", tcp("i-1", "i-2", 25), unreachable, []string{"forward:GWLB_INSPECTION_DROP"}},
		{"V-26", "spoke to spoke through the same appliance, appliance mode keeping the response in the request's zone", tcp("i-1", "i-2", 443), reachable, nil},
		{"V-26", "nothing on the internet opens a connection to a spoke", tcp("internet", "i-1", 443), unreachable, []string{"forward:NO_PUBLIC_ADDRESS"}},
	})

	// V-20, V-23, V-26: the request passes the endpoint and the appliance of
	// its zone before the NAT gateway; the response, translated back by the
	// NAT gateway, passes the same endpoint and appliance before the
	// transit gateway.
	r := s.Reach(tcp("i-1", "internet", 443))
	assert.Equal(t, []string{
		"instance i-1",
		"route-table rt-1",
		"transit-gateway-attachment att-1",
		"transit-gateway-route-table tgw-rt-spokes",
		"transit-gateway-attachment att-egress",
		"route-table rt-tgw-a",
		"gateway-load-balancer-endpoint vpce-egress-a",
		"load-balancer gwlb-egress",
		"appliance i-fw-a",
		"gateway-load-balancer-endpoint vpce-egress-a",
		"route-table rt-gwlbe-a",
		"nat-gateway nat-a",
		"route-table rt-public-a",
		"internet-gateway igw-egress",
		"internet internet",
	}, route(r.Forward), explain(r))
	assert.Equal(t, []string{
		"internet internet",
		"internet-gateway igw-egress",
		"nat-gateway nat-a",
		"route-table rt-public-a",
		"gateway-load-balancer-endpoint vpce-egress-a",
		"load-balancer gwlb-egress",
		"appliance i-fw-a",
		"gateway-load-balancer-endpoint vpce-egress-a",
		"route-table rt-gwlbe-a",
		"transit-gateway-attachment att-egress",
		"transit-gateway-route-table tgw-rt-egress",
		"transit-gateway-attachment att-1",
		"subnet sn-1a",
		"instance i-1",
	}, route(r.Return), explain(r))
	i := slices.IndexFunc(r.Forward, func(h solver.Hop) bool { return h.Kind == solver.HopInternetGateway })
	require.GreaterOrEqual(t, i, 0, explain(r))
	assert.Contains(t, r.Forward[i].Rule, "203.0.113.10", "the internet sees nat-a's address")

	// V-20: the spoke in eu-west-1b enters the inspection VPC in its zone
	// and uses that zone's endpoint, appliance and NAT gateway.
	r = s.Reach(tcp("i-2", "internet", 443))
	for _, want := range []string{"gateway-load-balancer-endpoint vpce-egress-b", "appliance i-fw-b", "nat-gateway nat-b"} {
		assert.Contains(t, route(r.Forward), want, explain(r))
		assert.Contains(t, route(r.Return), want, explain(r))
	}

	// V-22: the blocker names the drop rule; a dropped request has no
	// response.
	r = s.Reach(tcp("i-1", "internet", 25))
	require.Len(t, r.Blockers, 1, explain(r))
	assert.Equal(t, model.ID("i-fw-a"), r.Blockers[0].Component)
	assert.Contains(t, r.Blockers[0].Message, "drop tcp port 25 from 10.0.0.0/8 (no SMTP from the spokes)")
	assert.NotContains(t, route(r.Forward), "nat-gateway nat-a", "the appliance drops it before the NAT gateway")
	assert.Empty(t, r.Return)
}

func TestGWLBInspectionEgressAsymmetricReturn(t *testing.T) {
	// V-23: AWS does not support asymmetric routing through an appliance
	// (PrivateLink guide, "Gateway Load Balancer endpoints"; ELB guide,
	// "Gateway Load Balancers").
	const back = "{destination: 10.0.0.0/8, target: vpce-egress-a}"
	t.Run("V-23 the public subnet sends the responses straight to the transit gateway", func(t *testing.T) {
		s := loadFile(t, egressTopology, back, "{destination: 10.0.0.0/8, target: tgw}")
		r := s.Reach(tcp("i-1", "internet", 443))
		assert.Equal(t, warned, r.Verdict, explain(r))
		assert.Equal(t, []string{"warning:GWLB_RETURN_SKIPS_APPLIANCE"}, codes(r))
		assert.Contains(t, r.Warnings[0].Message, "endpoint vpce-egress-a and appliance i-fw-a")
		assert.NotContains(t, route(r.Return), "appliance i-fw-a", explain(r))
		assert.Contains(t, route(r.Return), "transit-gateway-attachment att-egress", explain(r))
		// The spoke in the other zone still returns through its endpoint.
		r = s.Reach(tcp("i-2", "internet", 443))
		assert.Equal(t, reachable, r.Verdict, explain(r))
	})
	t.Run("V-23 the public subnet sends the responses to the other zone's endpoint", func(t *testing.T) {
		s := loadFile(t, egressTopology, back, "{destination: 10.0.0.0/8, target: vpce-egress-b}")
		r := s.Reach(tcp("i-1", "internet", 443))
		assert.Equal(t, warned, r.Verdict, explain(r))
		assert.Equal(t, []string{"warning:APPLIANCE_ASYMMETRIC_ROUTING"}, codes(r))
		assert.Contains(t, r.Warnings[0].Message, "the request passed appliance i-fw-a through endpoint vpce-egress-a")
		i := slices.IndexFunc(r.Return, func(h solver.Hop) bool { return h.Kind == solver.HopAppliance })
		require.GreaterOrEqual(t, i, 0, explain(r))
		assert.Equal(t, model.ID("i-fw-b"), r.Return[i].Component)
		// The path does not claim that i-fw-b checked its drop rules on
		// the response: they match requests.
		assert.Equal(t, "a response whose request it did not see (V-23)", r.Return[i].Rule)
	})
	t.Run("V-23 the public subnet has no route back to the spokes", func(t *testing.T) {
		s := loadFile(t, egressTopology, "          - "+back+"\n", "")
		r := s.Reach(tcp("i-1", "internet", 443))
		assert.Equal(t, unreachable, r.Verdict, explain(r))
		assert.Equal(t, []string{"return:IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"}, codes(r))
	})
	t.Run("V-26 without appliance mode the spoke-to-spoke response enters in its own zone", func(t *testing.T) {
		s := loadFile(t, egressTopology, "appliance_mode: true", "appliance_mode: false")
		r := s.Reach(tcp("i-1", "i-2", 443))
		assert.Equal(t, warned, r.Verdict, explain(r))
		assert.Equal(t, []string{"warning:APPLIANCE_ASYMMETRIC_ROUTING"}, codes(r))
		// Egress is unaffected: its response never re-enters through the
		// transit gateway.
		r = s.Reach(tcp("i-2", "internet", 443))
		assert.Equal(t, reachable, r.Verdict, explain(r))
	})
}

// TestGWLBIPv6Endpoint: a Gateway Load Balancer endpoint of IP address
// type ipv6, in an IPv6-only subnet, takes the IPv6 traffic its
// consumer's route tables send it, both ways, through the appliances of
// a dualstack Gateway Load Balancer (V-30; PrivateLink guide, "Access
// virtual appliances through AWS PrivateLink", IP address types).
func TestGWLBIPv6Endpoint(t *testing.T) {
	s := loadFile(t, "testdata/gwlb-ipv6-endpoint.yaml")
	const host = "2001:db8::1"
	runReachCases(t, s, []reachCase{
		{"V-30", "out through the ipv6 endpoint and the appliance", tcp("i-web6", host, 443), reachable, nil},
		{"V-30", "in by the gateway route table, through the ipv6 endpoint", tcp(host, "i-web6", 443), reachable, nil},
		{"V-22", "the appliance drops SSH", tcp("i-web6", host, 22), unreachable, []string{"forward:GWLB_INSPECTION_DROP"}},
	})
	r := s.Reach(tcp("i-web6", host, 443))
	assert.Equal(t, []string{
		"route-table rt-web6 route",
		"gateway-load-balancer-endpoint vpce-fw6 forward",
		"appliance i-fw-a forward",
		"gateway-load-balancer-endpoint vpce-fw6 forward",
		"route-table rt-gwlbe6 route",
	}, kinds(r.Forward), explain(r))
}
