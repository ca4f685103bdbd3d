package solver_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// asymmetricTopology routes a->b through appliance i-fw1 and b->a through
// i-fw2: each sees one direction of every connection.
const asymmetricTopology = `version: 1
vpcs:
  - id: vpc-1
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    subnets:
      - {id: sn-a, az: eu-west-1a, cidr_block: 10.0.1.0/24, route_table: rt-a}
      - {id: sn-b, az: eu-west-1a, cidr_block: 10.0.2.0/24, route_table: rt-b}
      - {id: sn-fw, az: eu-west-1a, cidr_block: 10.0.3.0/24}
    route_tables:
      - {id: rt-main, main: true}
      - id: rt-a
        routes: [{destination: 10.0.2.0/24, target: i-fw1}]
      - id: rt-b
        routes: [{destination: 10.0.1.0/24, target: i-fw2}]
    security_groups:
      - id: sg-fw
        description: appliances
        ingress: [FW_RULE]
      - id: sg-open
        description: hosts
        ingress: [{protocol: all, sources: [0.0.0.0/0]}]
    instances:
      - {id: i-a, subnet: sn-a, private_ip: 10.0.1.10, security_groups: [sg-open]}
      - {id: i-b, subnet: sn-b, private_ip: 10.0.2.10, security_groups: [sg-open]}
      - {id: i-fw1, subnet: sn-fw, private_ip: 10.0.3.10, source_dest_check: false, security_groups: [sg-fw]}
      - {id: i-fw2, subnet: sn-fw, private_ip: 10.0.3.11, source_dest_check: false, security_groups: [sg-fw]}
`

func TestAsymmetricApplianceSeesResponseAsNewTraffic(t *testing.T) {
	// S-15, S-20: security groups are stateful per interface. i-fw2 never
	// saw the request, so the response must pass its rules as new traffic,
	// to every port of the client's ephemeral range.
	open := load(t, strings.Replace(asymmetricTopology, "FW_RULE", "{protocol: all, sources: [10.0.0.0/8]}", 1))
	r := open.Reach(tcp("i-a", "i-b", 443))
	assert.Equal(t, warned, r.Verdict, explain(r))
	assert.Equal(t, []string{"warning:APPLIANCE_ASYMMETRIC_ROUTING"}, codes(r))

	narrow := load(t, strings.Replace(asymmetricTopology, "FW_RULE", "{protocol: tcp, ports: 443, sources: [10.0.0.0/8]}", 1))
	r = narrow.Reach(tcp("i-a", "i-b", 443))
	assert.Equal(t, unreachable, r.Verdict, explain(r))
	assert.Equal(t, []string{"return:ENI_SG_RULES_MISMATCH", "warning:APPLIANCE_ASYMMETRIC_ROUTING"}, codes(r))
	assert.Contains(t, r.Blockers[0].Message, "the request did not pass i-fw2")

	// Part of the ephemeral range open is still not enough.
	part := load(t, strings.Replace(asymmetricTopology, "FW_RULE", "{protocol: tcp, ports: 443, sources: [10.0.0.0/8]}, {protocol: tcp, ports: 1024-40000, sources: [10.0.0.0/8]}", 1))
	r = part.Reach(tcp("i-a", "i-b", 443))
	assert.Equal(t, unreachable, r.Verdict, explain(r))
	assert.Contains(t, r.Blockers[0].Message, "(port 40001)")
}

func TestOverlappingPeersDeliverToTheRoutedHolder(t *testing.T) {
	// S-41, S-14: with two peers sharing a CIDR, the longest prefix decides
	// which VPC gets the packet; the other holder of the address is not
	// reached, whatever the query names.
	m, _, err := model.LoadFiles("testdata/overlapping-peers.yaml")
	require.NoError(t, err)
	s, err := solver.New(m)
	require.NoError(t, err)
	runReachCases(t, s, []reachCase{
		{"S-41", "the more specific route wins", tcp("i-a", "i-e", 443), reachable, nil},
		{"S-41", "the other holder is not reached", tcp("i-a", "i-b", 443), unreachable, []string{"forward:DESTINATION_NOT_FOUND"}},
		{"S-41", "not by its qualified address either", tcp("i-a", "10.1.2.10@vpc-b", 443), unreachable, []string{"forward:DESTINATION_NOT_FOUND"}},
	})
}

func TestInternetCannotAddressAPrivateAddress(t *testing.T) {
	// S-60: the internet gateway translates only traffic to an interface's
	// public address; a query that names the private address gets no
	// silent substitution.
	s := network(t)
	runReachCases(t, s, []reachCase{
		{"S-60", "the instance by id is reached at its public address", solver.Query{From: "internet", To: "i-a-web", Protocol: model.ProtocolTCP, Port: 443}, reachable, nil},
		{"S-60", "its private address is not routable from the internet", solver.Query{From: "internet", To: "10.0.0.20", Protocol: model.ProtocolTCP, Port: 443}, unreachable, []string{"forward:DESTINATION_NOT_FOUND"}},
	})
}

func TestTransitGatewayApplianceMode(t *testing.T) {
	// Without appliance mode the transit gateway enters the inspection VPC
	// in the zone the packet comes from, so the response of a cross-zone
	// flow meets the other zone's firewall, which drops it (here its group
	// also refuses the response's ports). Appliance mode keeps both
	// directions on the subnet the request entered through.
	data, err := os.ReadFile("testdata/inspection-vpc.yaml")
	require.NoError(t, err)
	require.Equal(t, 1, strings.Count(string(data), "propagations: []}"))
	off := load(t, string(data))
	r := off.Reach(tcp("i-1", "i-2", 443))
	assert.Equal(t, unreachable, r.Verdict, explain(r))
	assert.Equal(t, []string{"return:ENI_SG_RULES_MISMATCH", "warning:APPLIANCE_ASYMMETRIC_ROUTING"}, codes(r))
	assert.Contains(t, r.Warnings[len(r.Warnings)-1].Message, "appliance mode")

	on := load(t, strings.Replace(string(data), "propagations: []}", "propagations: [], appliance_mode: true}", 1))
	r = on.Reach(tcp("i-1", "i-2", 443))
	assert.Equal(t, reachable, r.Verdict, explain(r))
	var fws []string
	for _, h := range append(r.Forward, r.Return...) {
		if strings.HasPrefix(string(h.Component), "i-fw") && h.Kind == solver.HopInstance {
			fws = append(fws, string(h.Component))
		}
	}
	assert.Equal(t, []string{"i-fw-a", "i-fw-a"}, fws, explain(r))
}

func TestApplianceWithTwoInterfacesKeepsItsState(t *testing.T) {
	// One appliance instance, one interface per direction: the instance
	// saw the request, so no asymmetry warning; the second interface's
	// groups still check the response, as AWS tracks per interface.
	two := strings.Replace(asymmetricTopology,
		"      - {id: i-fw2, subnet: sn-fw, private_ip: 10.0.3.11, source_dest_check: false, security_groups: [sg-fw]}\n",
		"    network_interfaces:\n      - {id: eni-fw1-b, instance: i-fw1, subnet: sn-fw, private_ip: 10.0.3.11, source_dest_check: false, security_groups: [sg-fw]}\n", 1)
	two = strings.Replace(two, "target: i-fw2", "target: eni-fw1-b", 1)
	r := load(t, strings.Replace(two, "FW_RULE", "{protocol: all, sources: [10.0.0.0/8]}", 1)).Reach(tcp("i-a", "i-b", 443))
	assert.Equal(t, reachable, r.Verdict, explain(r))

	r = load(t, strings.Replace(two, "FW_RULE", "{protocol: tcp, ports: 443, sources: [10.0.0.0/8]}", 1)).Reach(tcp("i-a", "i-b", 443))
	assert.Equal(t, []string{"return:ENI_SG_RULES_MISMATCH"}, codes(r), explain(r))
}

func TestHostServicesAreNamedForWhatTheyAre(t *testing.T) {
	// S-34: the metadata service and Time Sync answer on the host; the
	// link-local resolver is the VPC's resolver.
	s := network(t)
	for _, c := range []struct {
		to   string
		kind solver.HopKind
	}{{"169.254.169.254", solver.HopHostService}, {"169.254.169.123", solver.HopHostService}, {"169.254.169.253", solver.HopDNSResolver}} {
		r := s.Reach(solver.Query{From: "i-a-app", To: c.to, Protocol: model.ProtocolUDP, Port: 123})
		require.Equal(t, reachable, r.Verdict, explain(r))
		last := r.Forward[len(r.Forward)-1]
		assert.Equal(t, c.kind, last.Kind, c.to)
		assert.Equal(t, c.kind, r.Return[0].Kind, c.to)
	}
}

func TestZoneNamesResolveToZoneIDsWithinAnAccount(t *testing.T) {
	// S-51: a subnet written without az_id is in the zone another subnet
	// of the same account names with the same zone name: its traffic
	// reaches the transit gateway through that zone's attachment subnet.
	data, err := os.ReadFile("testdata/inspection-vpc.yaml")
	require.NoError(t, err)
	text := strings.Replace(string(data),
		"      - {id: sn-2b, az: eu-west-1b, az_id: euw1-az2, cidr_block: 10.2.2.0/24}\n",
		"      - {id: sn-2b, az: eu-west-1b, az_id: euw1-az2, cidr_block: 10.2.2.0/24}\n      - {id: sn-2x, az: eu-west-1b, cidr_block: 10.2.3.0/24}\n", 1)
	text = strings.Replace(text, "{id: i-2, subnet: sn-2b, private_ip: 10.2.2.10,", "{id: i-2, subnet: sn-2x, private_ip: 10.2.3.10,", 1)
	require.Contains(t, text, "sn-2x, private_ip")
	r := load(t, text).Reach(tcp("i-2", "i-1", 443))
	assert.NotContains(t, codes(r), "forward:TGW_ROUTE_AZ_RESTRICTION", explain(r))
}
