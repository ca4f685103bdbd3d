package solver

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
)

// ownersNet has 10.1.0.10 held in two VPCs (overlapping address spaces),
// 10.1.0.20 and an IPv6 address held in one, and 10.1.0.30 in none.
const ownersNet = `version: 1
vpcs:
  - id: vpc-a
    region: eu-west-1
    cidr_blocks: [10.1.0.0/16]
    ipv6_cidr_blocks: [2600:1f18:a:c00::/56]
    subnets:
      - {id: s-a, az: eu-west-1a, cidr_block: 10.1.0.0/24, ipv6_cidr_block: 2600:1f18:a:c01::/64}
    instances:
      - {id: i-a1, subnet: s-a, private_ip: 10.1.0.10, ipv6_addresses: [2600:1f18:a:c01::10]}
      - {id: i-a2, subnet: s-a, private_ip: 10.1.0.20}
  - id: vpc-b
    region: eu-west-1
    cidr_blocks: [10.1.0.0/16]
    subnets:
      - {id: s-b, az: eu-west-1a, cidr_block: 10.1.0.0/24}
    instances:
      - {id: i-b1, subnet: s-b, private_ip: 10.1.0.10}
`

// TestOwnerScanAgreesWithIndex checks that the lookups answered by scanning
// the VPCs and those answered by the index built once scanning has cost
// enough agree: the interface when one VPC holds the address, -1 when
// several do (S-41), none when no VPC does.
func TestOwnerScanAgreesWithIndex(t *testing.T) {
	m, err := model.Parse("owners.yaml", []byte(ownersNet))
	require.NoError(t, err)
	s, err := New(m)
	require.NoError(t, err)
	type answer struct {
		e  model.ID
		ok bool
	}
	ask := func(a string) answer {
		e, ok := s.owner(netip.MustParseAddr(a))
		switch {
		case !ok:
			return answer{}
		case e < 0:
			return answer{"several", true}
		}
		return answer{s.enis[e].id, true}
	}
	want := map[string]answer{
		"10.1.0.10":           {"several", true},
		"10.1.0.20":           {"i-a2", true},
		"2600:1f18:a:c01::10": {"i-a1", true},
		"10.1.0.30":           {},
		"2600:1f18:a:c01::99": {},
	}
	ask("10.1.0.10")
	require.Equal(t, int64(2), s.owners.limit, "4 addresses held in 2 VPCs")
	s.owners.limit = 100 // scan every lookup below
	for a, w := range want {
		assert.Equal(t, w, ask(a), "scanned: %s", a)
	}
	require.Nil(t, s.owners.index, "a few lookups built the index")
	s.owners.lookups.Store(s.owners.limit)
	for a, w := range want {
		assert.Equal(t, w, ask(a), "indexed: %s", a)
	}
	require.NotNil(t, s.owners.index, "lookups beyond the limit did not build the index")
}
