package solver_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// services6File is the scenario of IPv6 on interface endpoints, endpoint
// services and load balancers; its comments name the AWS page that
// decides each query.
const services6File = "../testdata/dualstack-privatelink.yaml"

// TestServicesIPv6Scenario answers the scenario's queries (V-30..V-34).
func TestServicesIPv6Scenario(t *testing.T) {
	s := loadFile(t, services6File)
	runReachCases(t, s, []reachCase{
		{"V-30", "an IPv6-only client reaches an ipv6 endpoint at its IPv6 address", tcp("i-c6-six", "vpce-c6-six", 443), reachable, nil},
		{"V-30", "a dual-stack client reaches a dualstack endpoint over IPv6", six(tcp("i-c6-dual", "vpce-c6-dual", 443)), reachable, nil},
		{"V-30", "and over IPv4", four(tcp("i-c6-dual", "vpce-c6-dual", 443)), reachable, nil},
		{"V-30", "the endpoint's group is checked against the IPv6 source", tcp("i-c6-six", "vpce-c6-dual", 443), unreachable, []string{"forward:ENI_SG_RULES_MISMATCH"}},
		{"V-30", "an ipv6 endpoint has no IPv4 address", four(tcp("i-c6-dual", "vpce-c6-six", 443)), unreachable, []string{"forward:DESTINATION_NOT_FOUND"}},
		{"V-31", "service-defined: the private DNS name answers A records only", tcp("i-c6-six", "sqs.eu-west-1.amazonaws.com", 443), unreachable, []string{"forward:DESTINATION_NOT_FOUND"}},
		{"V-31", "service-defined: the regional name answers AAAA records too", six(tcp("i-c6-dual", "vpce-c6-sqs-abcd1234.sqs.eu-west-1.vpce.amazonaws.com", 443)), reachable, nil},
		{"V-31", "the zonal name answers both families of its zone's interface", six(tcp("i-c6-dual", "vpce-c6-sqs-abcd1234-eu-west-1a.sqs.eu-west-1.vpce.amazonaws.com", 443)), reachable, nil},
		{"V-34", "an IPv6 client of an IPv4 target is seen from the load balancer's IPv4 address", six(tcp("internet", "nlb-p6-pub", 9000)), reachable, nil},
		{"S-81", "an IPv4 client's address is preserved, and refused", four(tcp("internet", "nlb-p6-pub", 9000)), unreachable, []string{"forward:ELBV2_SOURCE_ADDRESS_PRESERVATION"}},
		{"V-34", "an IPv4 client of an IPv6 target group is seen from the load balancer's IPv6 address", four(tcp("internet", "nlb-p6-pub", 9443)), reachable, nil},
		{"V-34", "an IPv6 client of an IPv6 target group keeps its address, which the target refuses", six(tcp("internet", "nlb-p6-pub", 9443)), unreachable, []string{"forward:ELBV2_SOURCE_ADDRESS_PRESERVATION"}},
		{"V-34", "an IPv6 target group of instance targets reaches the instance at its primary IPv6 address", four(tcp("internet", "nlb-p6-pub", 9444)), reachable, nil},
		{"V-34", "and an IPv6 client's address is preserved for it, and refused", six(tcp("internet", "nlb-p6-pub", 9444)), unreachable, []string{"forward:ELBV2_SOURCE_ADDRESS_PRESERVATION"}},
		{"V-33", "dualstack-without-public-ipv4: the internet reaches the ALB over IPv6", tcp("internet", "alb-p6-pub", 443), reachable, nil},
		{"V-33", "dualstack-without-public-ipv4: no public IPv4 address answers", four(tcp("internet", "alb-p6-pub", 443)), unreachable, []string{"forward:DESTINATION_NOT_FOUND"}},
		{"V-33", "an internal dualstack load balancer's IPv6 address is not reached from the internet", six(tcp("internet", "2600:1f18:80:800::5", 443)), unreachable, []string{"forward:NO_PUBLIC_ADDRESS"}},
	})
}

// TestServicesIPv6Addresses: dualstack and ipv6 nodes get IPv6 addresses
// of their subnets' blocks, written or the highest free one (V-30,
// V-33); a dualstack load balancer's name answers A and AAAA records,
// a dualstack endpoint's endpoint-specific name too (V-31).
func TestServicesIPv6Addresses(t *testing.T) {
	s := loadFile(t, services6File)
	r := s.Reach(tcp("i-c6-six", "vpce-c6-six", 443))
	require.True(t, r.Reachable(), "%s", r.Text())
	assert.Equal(t, solver.FamilyIPv6, r.Family)
	assert.Contains(t, r.Text(), "to 2600:1f18:70:702:ffff:ffff:ffff:fffe", "the highest address of the subnet's /64 that AWS does not reserve")
	assert.Contains(t, r.Text(), "source becomes the load balancer's address 10.80.0.5 (IPv6 client, IPv4 target, V-34)")

	r = s.Reach(tcp("i-c6-dual", "vpce-c6-dual", 443))
	require.Len(t, r.Families, 2, "%s", r.Text())
	assert.Contains(t, r.Families[1].Text(), "2600:1f18:70:701::50")

	r = s.Reach(six(tcp("internet", "nlb-p6-pub", 9000)))
	assert.Contains(t, r.Text(), "an IPv6 client of an IPv4 target: the target sees the load balancer's address 10.80.0.9 (V-34)")

	// The response of an IPv6 target returns to the node's IPv6 address.
	r = s.Reach(four(tcp("internet", "nlb-p6-pub", 9443)))
	require.True(t, r.Reachable(), "%s", r.Text())
	assert.Contains(t, r.Text(), "an IPv4 client of an IPv6 target: the target sees the load balancer's address 2600:1f18:80:800::9 (V-34)")
	assert.Contains(t, r.Text(), "i-p6-six sends tcp/1024-65535 from 2600:1f18:80:803::10 to 2600:1f18:80:800::9")

	// An instance of an IPv6 target group is reached at its primary IPv6
	// address (V-34).
	r = s.Reach(four(tcp("internet", "nlb-p6-pub", 9444)))
	require.True(t, r.Reachable(), "%s", r.Text())
	assert.Contains(t, r.Text(), "2600:1f18:80:803::10")
	assert.Contains(t, r.Text(), "an IPv4 client of an IPv6 target: the target sees the load balancer's address 2600:1f18:80:800::9 (V-34)")
}

// six and four ask a query over one family.
func six(q solver.Query) solver.Query  { q.Family = solver.FamilyIPv6; return q }
func four(q solver.Query) solver.Query { q.Family = solver.FamilyIPv4; return q }

// TestServicesIPv6Exposure: exposure reports a dualstack internet-facing
// load balancer over IPv6, and a dualstack-without-public-ipv4 one over
// IPv6 only, as the point queries answer (V-33).
func TestServicesIPv6Exposure(t *testing.T) {
	s := loadFile(t, services6File)
	got := map[string]bool{}
	ports := map[string][]model.PortRange{}
	for _, e := range s.Exposure([]model.Protocol{model.ProtocolTCP}, nil, solver.AnalysisOptions{}) {
		got[string(e.Destination)+"/"+e.Family] = true
		for _, p := range e.Ports {
			ports[string(e.Destination)+"/"+e.Family] = append(ports[string(e.Destination)+"/"+e.Family], p.Ports)
		}
		for _, p := range e.Ports {
			for port := p.Ports.First; ; port++ {
				q := solver.Query{From: "internet", To: string(e.Destination), Protocol: model.ProtocolTCP, Port: port, Family: e.Family}
				assert.True(t, s.Reach(q).Reachable(), "exposure says %s is reached over %s on %d; the point query says not", e.Destination, e.Family, port)
				if port == p.Ports.Last || port-p.Ports.First > 3 {
					break
				}
			}
		}
	}
	assert.True(t, got["nlb-p6-pub/ipv6"], "the dualstack NLB over IPv6: %v", got)
	assert.True(t, got["alb-p6-pub/ipv6"], "the ALB over IPv6: %v", got)
	assert.False(t, got["alb-p6-pub/ipv4"], "dualstack-without-public-ipv4 has no public IPv4 address: %v", got)
	assert.Equal(t, []model.PortRange{{First: 9443, Last: 9444}}, ports["nlb-p6-pub/ipv4"],
		"over IPv4 the preserved address is refused on 9000, and the IPv6 target groups (ip and instance targets) admit the node's address on 9443 and 9444")
	assert.Equal(t, []model.PortRange{{First: 9000, Last: 9000}}, ports["nlb-p6-pub/ipv6"],
		"over IPv6 the IPv4 target sees the node's address on 9000, and the IPv6 target refuses the preserved client on 9443")
	assert.False(t, got["nlb-p6/ipv6"] || got["nlb-p6/ipv4"], "internal: %v", got)
}

// TestServicesIPv6AnalysesAgree: on the scenario, the instance matrix and
// who-can-reach agree with point queries between every pair of
// instances, and exposure lists a load balancer's listener port for a
// family exactly when the point query from the internet over that family
// reaches it (V-33, V-34).
func TestServicesIPv6AnalysesAgree(t *testing.T) {
	s := loadFile(t, services6File)
	m, _, err := model.LoadFiles(services6File)
	require.NoError(t, err)
	var ids []model.ID
	for _, v := range m.VPCs {
		for _, in := range v.Instances {
			ids = append(ids, in.ID)
		}
	}
	for _, port := range []uint16{443, 9000, 9443} {
		q := solver.Query{Protocol: model.ProtocolTCP, Port: port}
		mx := s.Matrix(q, solver.LevelInstance, solver.AnalysisOptions{})
		index := map[model.ID]int{}
		for i, id := range mx.Nodes {
			index[id] = i
		}
		for _, a := range ids {
			for _, b := range ids {
				if a == b {
					continue
				}
				pq := q
				pq.From, pq.To = string(a), string(b)
				_, in := slices.BinarySearch(mx.Reach[index[a]], index[b])
				assert.Equal(t, s.Reach(pq).Reachable(), in, "matrix vs Reach(%s -> %s tcp/%d)", a, b, port)
			}
			wq := q
			wq.To = string(a)
			who, err := s.WhoCanReach(wq, solver.AnalysisOptions{})
			require.NoError(t, err)
			pq := wq
			pq.From = "internet"
			assert.Equal(t, s.Reach(pq).Reachable(), len(who.Internet) > 0, "who-can-reach internet vs Reach(internet -> %s tcp/%d)", a, port)
		}
	}
	exposed := map[string]bool{}
	for _, e := range s.Exposure([]model.Protocol{model.ProtocolTCP}, nil, solver.AnalysisOptions{}) {
		for _, p := range e.Ports {
			for port := uint32(p.Ports.First); port <= uint32(p.Ports.Last); port++ {
				exposed[fmt.Sprintf("%s/%s/%d", e.Destination, e.Family, port)] = true
			}
		}
	}
	for _, v := range m.VPCs {
		for _, lb := range v.LoadBalancers {
			for _, l := range lb.Listeners {
				for _, fam := range []string{solver.FamilyIPv4, solver.FamilyIPv6} {
					q := solver.Query{From: "internet", To: string(lb.ID), Protocol: model.ProtocolTCP, Port: l.Port, Family: fam}
					k := fmt.Sprintf("%s/%s/%d", lb.ID, fam, l.Port)
					assert.Equal(t, s.Reach(q).Reachable(), exposed[k], "exposure vs Reach(internet -> %s tcp/%d) over %s", lb.ID, l.Port, fam)
				}
			}
		}
	}
}

// TestGatewayEndpointIPv6: a gateway endpoint's IP address type decides
// which of the service's prefix lists it routes (V-30; PrivateLink
// guide, gateway endpoints, IP address type): a dualstack one takes both
// families to S3, an ipv4 one leaves IPv6 without a route, an ipv6 one
// serves an IPv6-only subnet; S3's dualstack name answers A and AAAA
// records.
func TestGatewayEndpointIPv6(t *testing.T) {
	s := loadFile(t, "testdata/gateway-endpoint-ipv6.yaml")
	const name = "s3.dualstack.eu-west-1.amazonaws.com"
	runReachCases(t, s, []reachCase{
		{"V-30", "a dualstack gateway endpoint carries IPv6", six(tcp("i-dual", name, 443)), reachable, nil},
		{"V-30", "and IPv4", four(tcp("i-dual", name, 443)), reachable, nil},
		{"V-30", "an ipv4 gateway endpoint adds no IPv6 route", six(tcp("i-four", name, 443)), unreachable, []string{"forward:NO_ROUTE_TO_DESTINATION"}},
		{"V-30", "but IPv4 goes through it", four(tcp("i-four", name, 443)), reachable, nil},
		{"V-30", "an ipv6 gateway endpoint serves an IPv6-only subnet", tcp("i-six", name, 443), reachable, nil},
		{"S-70", "a gateway endpoint carries tcp and icmp echo only, over IPv6 too", six(solver.Query{From: "i-dual", To: name, Protocol: model.ProtocolUDP, Port: 443}), unreachable, []string{"forward:VPCE_GATEWAY_PROTOCOL_RESTRICTION"}},
	})
	r := s.Reach(six(tcp("i-dual", name, 443)))
	assert.Contains(t, r.Text(), "2600:1ffa:15::/48 (com.amazonaws.eu-west-1.s3 (IPv6)) -> vpce-s3-dual", "the IPv6 placeholder prefix list's route")
	require.True(t, r.Reachable(), explain(r))
	var via []string
	for _, h := range r.Forward {
		if h.Kind == solver.HopGatewayEndpoint || h.Kind == solver.HopAWSService {
			via = append(via, string(h.Component))
		}
	}
	assert.Equal(t, []string{"vpce-s3-dual", "com.amazonaws.eu-west-1.s3"}, via, explain(r))
}

// TestGatewayEndpointIPv6PrefixListOverride: a prefix list named after the
// service, with IPv6 entries, takes the place of vpcreach's IPv6
// placeholder (V-30), as one with IPv4 entries does over IPv4 (S-70); an
// IPv6-only list leaves the IPv4 placeholder in place.
func TestGatewayEndpointIPv6PrefixListOverride(t *testing.T) {
	s := loadFile(t, "testdata/gateway-endpoint-ipv6.yaml", "\nvpcs:\n", `
prefix_lists:
  - {id: pl-s3-six, name: com.amazonaws.eu-west-1.s3, cidrs: ["2001:db8:5300::/40"]}
vpcs:
`)
	const name = "s3.dualstack.eu-west-1.amazonaws.com"
	r := s.Reach(six(tcp("i-dual", name, 443)))
	require.True(t, r.Reachable(), explain(r))
	assert.Contains(t, r.Text(), "2001:db8:5300::/40 (pl-s3-six) -> vpce-s3-dual", "the written list's route")
	assert.Contains(t, r.Text(), "2001:db8:5300::1", "the dualstack name answers from the written list")
	r = s.Reach(four(tcp("i-dual", name, 443)))
	require.True(t, r.Reachable(), explain(r))
	assert.Contains(t, r.Text(), "(com.amazonaws.eu-west-1.s3) -> vpce-s3-dual", "IPv4 keeps the placeholder list")
}

// TestGatewayEndpointDNSRecordType: a gateway endpoint's DNS record IP
// type decides the records S3's names answer to the subnets of its route
// tables (V-30; PrivateLink guide, gateway endpoints, DNS record IP type):
// service-defined follows the name called (the regional name A, the
// dualstack name A and AAAA), ipv4 answers A, ipv6 AAAA, dualstack both.
// The scenario's expectations are asked too.
func TestGatewayEndpointDNSRecordType(t *testing.T) {
	const file = "testdata/gateway-endpoint-dns.yaml"
	s := loadFile(t, file)
	const regional, dual = "s3.eu-west-1.amazonaws.com", "s3.dualstack.eu-west-1.amazonaws.com"
	runReachCases(t, s, []reachCase{
		{"V-30", "service-defined: the regional name answers A records only", six(tcp("i-g-sd", regional, 443)), unreachable, []string{"forward:DESTINATION_NOT_FOUND"}},
		{"V-30", "service-defined: and IPv4 goes through the endpoint", four(tcp("i-g-sd", regional, 443)), reachable, nil},
		{"V-30", "service-defined: the dualstack name answers AAAA too", six(tcp("i-g-sd", dual, 443)), reachable, nil},
		{"V-30", "dualstack: the regional name answers AAAA too", six(tcp("i-g-dd", regional, 443)), reachable, nil},
		{"V-30", "dualstack: and A", four(tcp("i-g-dd", regional, 443)), reachable, nil},
		{"V-30", "ipv4: the dualstack name answers A records only", six(tcp("i-g-d4", dual, 443)), unreachable, []string{"forward:DESTINATION_NOT_FOUND"}},
		{"V-30", "ipv4: and IPv4 goes through the endpoint", four(tcp("i-g-d4", dual, 443)), reachable, nil},
		{"V-30", "ipv6: an IPv6-only client reaches S3 at the regional name", tcp("i-g-66", regional, 443), reachable, nil},
		{"V-30", "ipv6: and at the dualstack name", tcp("i-g-66", dual, 443), reachable, nil},
		{"V-30", "service-defined: an IPv6-only client finds no AAAA record at the regional name", tcp("i-g-6sd", regional, 443), unreachable, []string{"forward:DESTINATION_NOT_FOUND"}},
		{"V-30", "service-defined: but at the dualstack name", tcp("i-g-6sd", dual, 443), reachable, nil},
	})
	r := s.Reach(six(tcp("i-g-dd", regional, 443)))
	require.True(t, r.Reachable(), explain(r))
	assert.Contains(t, r.Text(), "(DNS record IP type dualstack of gateway endpoint vpce-g-dd)", "the hop names the endpoint whose type decided the records")
	r = s.Reach(six(tcp("i-g-sd", dual, 443)))
	assert.NotContains(t, r.Text(), "DNS record IP type", "service-defined is the name's own answer, no endpoint's")

	m, _, err := model.LoadFiles(file)
	require.NoError(t, err)
	require.NotEmpty(t, m.Expectations)
	for _, e := range m.Expectations {
		q := solver.Query{From: e.From, To: e.To, Protocol: e.Protocol, Port: *e.Port, Family: e.Family}
		r := s.Reach(q)
		assert.Equal(t, e.Expect == model.ExpectReachable, r.Reachable(), "%s: %s", e.Name, explain(r))
	}
}

// TestEndpointServiceIPAddressTypes asks the scenario of endpoint
// services' IP address types (V-32; PrivateLink guide, share your
// services, IP address types): an IPv6 client reaches a service that
// accepts IPv6 through an ipv6 or dualstack endpoint; the load balancer's
// group, which applies to PrivateLink traffic by default (S-80), is
// matched against the consumer's IPv6 address; an IPv4-only service's
// endpoint has no IPv6 address. The scenario's expectations are asked too.
func TestEndpointServiceIPAddressTypes(t *testing.T) {
	const file = "testdata/endpoint-service-ip-types.yaml"
	s := loadFile(t, file)
	runReachCases(t, s, []reachCase{
		{"V-32", "an IPv6-only client through an ipv6 endpoint of a service that accepts both", tcp("i-c-six", "vpce-c-six", 443), reachable, nil},
		{"V-32", "a dual-stack client through a dualstack endpoint, over IPv6", six(tcp("i-c-dual", "vpce-c-dual", 443)), reachable, nil},
		{"V-32", "and over IPv4", four(tcp("i-c-dual", "vpce-c-dual", 443)), reachable, nil},
		{"V-32", "an ipv6-only service through its ipv6 endpoint", tcp("i-c-six", "vpce-c-six2", 443), reachable, nil},
		{"S-80", "the load balancer's group is matched against the consumer's IPv6 address", six(tcp("i-c-dual", "vpce-c-six2", 443)), unreachable, []string{"forward:ENI_SG_RULES_MISMATCH"}},
		{"V-32", "an IPv4-only service's endpoint has no IPv6 address", six(tcp("i-c-dual", "vpce-c-four", 443)), unreachable, []string{"forward:DESTINATION_NOT_FOUND"}},
		{"V-32", "but is reached over IPv4", four(tcp("i-c-dual", "vpce-c-four", 443)), reachable, nil},
	})
	r := s.Reach(tcp("i-c-six", "vpce-c-six", 443))
	require.True(t, r.Reachable(), explain(r))
	assert.Equal(t, solver.FamilyIPv6, r.Family)
	assert.Contains(t, r.Text(), "10.60.0.5", "the target is reached from the load balancer's IPv4 address (V-34)")

	// With the group not applied to PrivateLink traffic (S-80), the IPv6
	// client the group refused passes.
	open := loadFile(t, file, "private_ips: [10.60.0.6], security_groups: [sg-p-six],",
		"private_ips: [10.60.0.6], security_groups: [sg-p-six], enforce_security_group_inbound_rules_on_private_link_traffic: false,")
	r = open.Reach(six(tcp("i-c-dual", "vpce-c-six2", 443)))
	assert.True(t, r.Reachable(), explain(r))

	m, _, err := model.LoadFiles(file)
	require.NoError(t, err)
	require.NotEmpty(t, m.Expectations)
	for _, e := range m.Expectations {
		r := s.Reach(solver.Query{From: e.From, To: e.To, Protocol: e.Protocol, Port: *e.Port, Family: e.Family})
		assert.Equal(t, e.Expect == model.ExpectReachable, r.Reachable(), "%s: %s", e.Name, explain(r))
	}
}
