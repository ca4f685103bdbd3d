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
