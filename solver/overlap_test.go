package solver_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/overlap"
	"github.com/vpcreach/vpcreach/solver"
)

// TestOverlapsForwardsToPackageOverlap checks that the deprecated names
// still answer, and answer as package overlap does (S-41).
func TestOverlapsForwardsToPackageOverlap(t *testing.T) {
	m, err := model.Parse("t.yaml", []byte(`version: 1
vpcs:
  - {id: vpc-a, region: eu-west-1, cidr_blocks: [10.1.0.0/16]}
  - {id: vpc-b, region: eu-west-1, cidr_blocks: [10.1.0.0/20]}
peering_connections:
  - {id: pcx, requester: vpc-a, accepter: vpc-b}
`))
	require.NoError(t, err)
	got := solver.Overlaps(m)
	assert.Equal(t, overlap.Find(m), got)
	require.Len(t, got, 1)
	var class solver.OverlapClass = got[0].Class
	assert.Equal(t, solver.OverlapPeered, class)
	assert.Equal(t, solver.Space{Kind: solver.SpaceVPC, ID: "vpc-a"}, got[0].A)
}
