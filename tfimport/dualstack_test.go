package tfimport_test

import (
	"errors"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/tfimport"
)

// The dual-stack plan (testdata/dualstack-plan.json) imports to the
// topology of testdata/dualstack-plan.yaml: the VPC's generated IPv6 block
// and the subnets' blocks, unknown until apply, are assumed from
// 2001:db8::/32 with warnings (V-01, V-02), as are the addresses of
// ipv6_address_count; the IPv6-only subnet (V-03), the egress-only
// gateway and IPv6 routes (V-04, V-07), IPv6 and icmpv6 rules of groups
// and ACLs are read; the result is valid.
func TestDualStackPlan(t *testing.T) {
	im, diags, err := tfimport.Load("testdata/dualstack-plan.json")
	require.NoError(t, err)
	require.NoError(t, diags.Err())
	assumed := 0
	for _, d := range diags {
		if errors.Is(d, tfimport.ErrAssumed) {
			assumed++
		}
	}
	assert.GreaterOrEqual(t, assumed, 4, "%v", diags) // the VPC's block, two subnets' blocks, i-web's IPv6 address
	got, err := model.Encode(im.Planned)
	require.NoError(t, err)
	const want = "testdata/dualstack-plan.yaml"
	if *update {
		require.NoError(t, os.WriteFile(want, got, 0o644))
	}
	exp, err := os.ReadFile(want)
	require.NoError(t, err)
	assert.Equal(t, string(exp), string(got), "run go test ./tfimport -run TestDualStackPlan -update, and review the diff")
	_, vdiags, err := model.LoadBytes("dualstack-plan.yaml", got)
	require.NoError(t, err)
	assert.NoError(t, vdiags.Err())
	for _, d := range diags {
		assert.NotContains(t, d.Message, "is not read", "every IPv6 resource type is read")
	}
}
