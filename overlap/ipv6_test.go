package overlap_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/overlap"
)

// Overlap analysis covers IPv6 blocks (V-01): two VPCs with one BYOIP
// range are found, and an IPv4 block never overlaps an IPv6 one.
func TestIPv6Overlap(t *testing.T) {
	m, _, err := model.LoadBytes("t.yaml", []byte(`version: 1
vpcs:
  - {id: vpc-a, region: r, cidr_blocks: [10.0.0.0/16], ipv6_cidr_blocks: ["2600:1f18:a:c00::/56"]}
  - {id: vpc-b, region: r, cidr_blocks: [10.1.0.0/16], ipv6_cidr_blocks: ["2600:1f18:a:c00::/56"]}
  - {id: vpc-c, region: r, cidr_blocks: [0.0.0.0/16], ipv6_cidr_blocks: ["::/56"]}
`))
	require.NoError(t, err)
	os := overlap.Find(m)
	require.Len(t, os, 1)
	assert.Equal(t, model.ID("vpc-a"), os[0].A.ID)
	assert.Equal(t, model.ID("vpc-b"), os[0].B.ID)
	assert.Equal(t, "2600:1f18:a:c00::/56", os[0].Pairs[0].A.String())
}

// An external network's IPv6 prefix that overlaps a VPC's IPv6 block is
// found like an IPv4 one (V-35): here both propagate into one transit
// gateway route table (S-55), so one of them is unreachable.
func TestExternalIPv6Overlap(t *testing.T) {
	m, _, err := model.LoadBytes("t.yaml", []byte(`version: 1
vpcs:
  - id: vpc-a
    region: r
    cidr_blocks: [10.0.0.0/16]
    ipv6_cidr_blocks: ["2600:1f18:a:c00::/56"]
    subnets: [{id: sn-a, az: ra, cidr_block: 10.0.1.0/24, ipv6_cidr_block: "2600:1f18:a:c01::/64"}]
transit_gateways:
  - id: tgw-a
    region: r
    default_association_route_table: rt
    default_propagation_route_table: rt
    route_tables: [{id: rt}]
    attachments:
      - {id: att-a, type: vpc, vpc: vpc-a, subnets: [sn-a], ipv6_support: true}
      - {id: att-vpn6, type: vpn}
external_networks:
  - {id: branch6, cidrs: ["2600:1f18:a:c80::/57"], via: att-vpn6, tunnel_inside_ip_version: ipv6}
`))
	require.NoError(t, err)
	os := overlap.Find(m)
	require.Len(t, os, 1)
	assert.Equal(t, model.ID("branch6"), os[0].A.ID)
	assert.Equal(t, model.ID("vpc-a"), os[0].B.ID)
	assert.Equal(t, overlap.TGWRouteTable, os[0].Class)
	assert.Equal(t, "2600:1f18:a:c80::/57", os[0].Pairs[0].A.String())
	// Without IPv6 support on its attachment, the VPC's IPv6 block does
	// not propagate (V-14): the two meet only through the gateway.
	m.TransitGateways[0].Attachments[0].IPv6Support = false
	os = overlap.Find(m)
	require.Len(t, os, 1)
	assert.Equal(t, overlap.Routed, os[0].Class)
}
