package solver

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
)

// TestPlaceholderServiceRanges pins the documented placeholder public
// ranges of AWS services (S-70, S-92): S3 a /16 in 52.0.0.0/10 and
// DynamoDB a /16 in 52.64.0.0/10 per region, every other service one
// address in 54.240.0.0/12; stable, so that answers and goldens do not move.
func TestPlaceholderServiceRanges(t *testing.T) {
	s3, ddb := netip.MustParsePrefix("52.0.0.0/10"), netip.MustParsePrefix("52.64.0.0/10")
	others := netip.MustParsePrefix("54.240.0.0/12")
	seen := map[netip.Prefix]string{}
	for _, region := range []string{"us-east-1", "eu-west-1", "ap-southeast-1", "sa-east-1"} {
		p := managedPrefixList("com.amazonaws." + region + ".s3")
		require.Len(t, p, 1)
		assert.True(t, s3.Contains(p[0].Addr()) && p[0].Bits() == 16, "%s s3 %s", region, p[0])
		d := managedPrefixList("com.amazonaws." + region + ".dynamodb")
		require.Len(t, d, 1)
		assert.True(t, ddb.Contains(d[0].Addr()) && d[0].Bits() == 16, "%s dynamodb %s", region, d[0])
		assert.Equal(t, p, managedPrefixList("com.amazonaws."+region+".s3"), "stable")
		seen[p[0]] = region
	}
	assert.Len(t, seen, 4, "regions get different S3 placeholders")
	// Every known region has its own range: a gateway endpoint of one
	// region never matches another region's service (S-70).
	slots := map[byte]string{}
	for _, r := range regions {
		slot := regionSlot(r)
		assert.Less(t, slot, byte(64))
		assert.Empty(t, slots[slot], "%s shares a range with %s", r, slots[slot])
		slots[slot] = r
	}
	assert.Nil(t, managedPrefixList("com.amazonaws.eu-west-1.sts"))

	m, _, err := model.LoadBytes("t.yaml", []byte("version: 1\n"))
	require.NoError(t, err)
	s, err := New(m)
	require.NoError(t, err)
	a := s.serviceAddress("com.amazonaws.eu-west-1.sts")
	assert.True(t, others.Contains(a), a.String())
	assert.Equal(t, a, s.serviceAddress("com.amazonaws.eu-west-1.sts"), "stable")
	assert.NotEqual(t, a, s.serviceAddress("com.amazonaws.eu-west-1.ec2"))
}
