package tfimport_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/tfimport"
)

// TestPrivateIPv6GUAState: an aws_vpc_ipv6_cidr_block_association whose
// computed ipv6_address_attribute is private (or ip_source none) adds a
// private block (private_ipv6_cidr_blocks); a public one, and aws_vpc's own
// block, of which the provider says nothing, are public; a unique local
// block is private unlisted; a value AWS never writes is an error (V-01).
func TestPrivateIPv6GUAState(t *testing.T) {
	state := `{"format_version": "1.0", "values": {"root_module": {"resources": [
  {"address": "aws_vpc.main", "type": "aws_vpc", "name": "main", "mode": "managed", "values": {"id": "vpc-1", "cidr_block": "10.0.0.0/16", "ipv6_cidr_block": "2600:1f18:1:100::/56"}},
  {"address": "aws_vpc_ipv6_cidr_block_association.pub", "type": "aws_vpc_ipv6_cidr_block_association", "name": "pub", "mode": "managed", "values": {"id": "vpc-cidr-assoc-1", "vpc_id": "vpc-1", "ipv6_cidr_block": "2600:1f18:1:200::/56", "ip_source": "amazon", "ipv6_address_attribute": "public"}},
  {"address": "aws_vpc_ipv6_cidr_block_association.priv", "type": "aws_vpc_ipv6_cidr_block_association", "name": "priv", "mode": "managed", "values": {"id": "vpc-cidr-assoc-2", "vpc_id": "vpc-1", "ipv6_cidr_block": "2600:1f18:1:300::/56", "ip_source": "none", "ipv6_address_attribute": "private"}},
  {"address": "aws_vpc_ipv6_cidr_block_association.none", "type": "aws_vpc_ipv6_cidr_block_association", "name": "none", "mode": "managed", "values": {"id": "vpc-cidr-assoc-3", "vpc_id": "vpc-1", "ipv6_cidr_block": "2600:1f18:1:400::/56", "ip_source": "none"}},
  {"address": "aws_vpc_ipv6_cidr_block_association.ula", "type": "aws_vpc_ipv6_cidr_block_association", "name": "ula", "mode": "managed", "values": {"id": "vpc-cidr-assoc-4", "vpc_id": "vpc-1", "ipv6_cidr_block": "fd80:1:1:100::/56", "ip_source": "none", "ipv6_address_attribute": "private"}}]}}}`
	im, diags := tfimport.Decode("state.json", []byte(state))
	require.NotNil(t, im, messages(diags))
	require.NoError(t, diags.Err())
	v := im.Planned.VPCs[0]
	p := netip.MustParsePrefix
	assert.Equal(t, []netip.Prefix{p("2600:1f18:1:300::/56"), p("2600:1f18:1:400::/56")}, v.PrivateIPv6CIDRBlocks, "V-01")
	assert.Equal(t, []netip.Prefix{p("2600:1f18:1:300::/56"), p("2600:1f18:1:400::/56"), p("fd80:1:1:100::/56")}, v.PrivateIPv6Blocks(), "V-01")
	_, vdiags, err := model.LoadBytes("t.yaml", mustEncode(t, im.Planned))
	require.NoError(t, err)
	assert.NoError(t, vdiags.Err())

	for _, bad := range []string{`"ipv6_address_attribute": "Private"`, `"ip_source": "ipam", "ipv6_address_attribute": "private"`} {
		_, diags := tfimport.Decode("state.json", []byte(strings.Replace(state, `"ip_source": "none", "ipv6_address_attribute": "private"}},
  {"address": "aws_vpc_ipv6_cidr_block_association.none"`, bad+`}},
  {"address": "aws_vpc_ipv6_cidr_block_association.none"`, 1)))
		require.Error(t, diags.Err(), bad)
		assert.ErrorIs(t, diags.Err(), model.ErrInvalidValue, bad)
		assert.Contains(t, diags.Err().Error(), "aws_vpc_ipv6_cidr_block_association.priv", bad)
	}
}

func mustEncode(t *testing.T, m *model.Model) []byte {
	t.Helper()
	out, err := model.Encode(m)
	require.NoError(t, err)
	return out
}
