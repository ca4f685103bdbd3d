package solver_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/vpcreach/vpcreach/solver"
)

// outsideVPN is a VPC routing 172.16.0.0/12 to a transit gateway whose
// route table takes the routes of a VPN attachment, marked
// outside_snapshot or not, with an external network or without.
const outsideVPN = `version: 1
vpcs:
  - id: vpc-a
    region: us-east-2
    cidr_blocks: [10.0.0.0/16]
    subnets: [{id: sn-a, az: us-east-2a, cidr_block: 10.0.1.0/24}]
    route_tables: [{id: rtb, main: true, routes: [{destination: 172.16.0.0/12, target: tgw-1}]}]
    security_groups: [{id: sg-a, description: a, ingress: [{protocol: all, sources: [0.0.0.0/0]}]}]
    instances: [{id: i-a, subnet: sn-a, private_ip: 10.0.1.10, security_groups: [sg-a]}]
transit_gateways:
  - id: tgw-1
    region: us-east-2
    route_tables: [{id: tgw-rtb-1}]
    attachments:
      - {id: tgw-attach-a, type: vpc, vpc: vpc-a, subnets: [sn-a], association: tgw-rtb-1, propagations: [tgw-rtb-1]}
      - {id: tgw-attach-vpn, type: vpn, association: tgw-rtb-1, propagations: [%s], outside_snapshot: %t}
%s`

// A transit gateway route table with no route for the destination drops
// the packet (S-52), unless an attachment marked outside_snapshot
// propagates into it: then the networks it learns by BGP may hold the
// destination, and the answer is OUTSIDE_SNAPSHOT (unknown). A destination
// some route matches is answered as usual.
func TestS52NoTGWRouteBesideOutsideSnapshotVPNIsUnknown(t *testing.T) {
	const onprem = "external_networks: [{id: onprem, cidrs: [172.16.0.0/24], via: tgw-attach-vpn}]\n"
	for _, c := range []struct {
		name      string
		propagate string
		outside   bool
		extra     string
		to        string
		want      string
	}{
		{"marked", "tgw-rtb-1", true, "", "172.16.5.5", "forward:OUTSIDE_SNAPSHOT"},
		{"not marked: a plain no", "tgw-rtb-1", false, "", "172.16.5.5", "forward:TGW_RTB_CANNOT_ROUTE"},
		{"marked, not propagating", "", true, "", "172.16.5.5", "forward:TGW_RTB_CANNOT_ROUTE"},
		{"marked, with a known network elsewhere", "tgw-rtb-1", true, onprem, "172.16.5.5", "forward:OUTSIDE_SNAPSHOT"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := load(t, fmt.Sprintf(outsideVPN, c.propagate, c.outside, c.extra))
			r := s.Reach(tcp("i-a", c.to, 22))
			assert.Equal(t, solver.VerdictUnreachable, r.Verdict, explain(r))
			assert.Equal(t, []string{c.want}, codes(r), explain(r))
		})
	}
	// A destination the known network covers leaves through the VPN as usual.
	s := load(t, fmt.Sprintf(outsideVPN, "tgw-rtb-1", true, onprem))
	r := s.Reach(tcp("i-a", "onprem", 22))
	assert.NotContains(t, codes(r), "forward:OUTSIDE_SNAPSHOT", explain(r))
	assert.NotContains(t, codes(r), "forward:TGW_RTB_CANNOT_ROUTE", explain(r))
}
