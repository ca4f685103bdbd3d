package awsimport_test

import (
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/awsimport"
	"github.com/vpcreach/vpcreach/model"
)

// externalsOf returns the external networks of m by id.
func externalsOf(m *model.Model) map[model.ID]model.ExternalNetwork {
	out := map[model.ID]model.ExternalNetwork{}
	for _, n := range m.ExternalNetworks {
		out[n.ID] = n
	}
	return out
}

// A VPN connection's Options.TunnelInsideIpVersion is its external
// network's tunnel_inside_ip_version, and its static routes of that family
// are the network's prefixes; a route of the other family is skipped with
// a warning, since a VPN connection carries one IP version (V-35). Direct
// Connect is not in a snapshot: the scenario's Direct Connect network comes
// back as a VPN on its virtual private gateway, IPv4 only, with a warning.
func TestVPNTunnelInsideIPVersionImport(t *testing.T) {
	m, _, err := model.LoadFiles("../testdata/dualstack-onprem.yaml")
	require.NoError(t, err)
	m2, diags := exportImport(t, m)
	require.NoError(t, diags.Err())
	got := externalsOf(m2)
	require.Contains(t, got, model.ID("branch-v6"))
	assert.Equal(t, model.IPAddressIPv6, got["branch-v6"].TunnelInsideIPVersion)
	assert.Equal(t, []netip.Prefix{netip.MustParsePrefix("2001:db8:bb::/48")}, got["branch-v6"].CIDRs)
	assert.Equal(t, model.ID("att-branch-v6"), got["branch-v6"].Via)
	assert.Equal(t, model.IPAddressType(0), got["branch-v4"].TunnelInsideIPVersion)
	assert.Equal(t, []netip.Prefix{netip.MustParsePrefix("192.168.0.0/16")}, got["datacentre"].CIDRs)
	var skipped []string
	for _, d := range diags {
		if strings.Contains(d.Error(), "V-35") {
			skipped = append(skipped, d.Error())
		}
	}
	require.Len(t, skipped, 1, "%v", diags)
	assert.Contains(t, skipped[0], "VPN connection datacentre: the static route to 2001:db8:dc::/48 is skipped: the connection's tunnels carry IPv4 only")

	// The IPv6 VPN's answers survive the round trip.
	_, vdiags, err := model.LoadBytes("again.yaml", mustEncode(t, m2))
	require.NoError(t, err)
	require.NoError(t, vdiags.Err())
}

// A VPN connection on a virtual private gateway whose snapshot says its
// tunnels carry IPv6, which AWS offers only on a transit gateway, is
// reported and left out (V-35).
func TestVPNOnVirtualPrivateGatewayIPv6Refused(t *testing.T) {
	m, _, err := model.LoadFiles("../testdata/dualstack-onprem.yaml")
	require.NoError(t, err)
	dir := t.TempDir()
	require.NoError(t, awsimport.Export(m, dir))
	path := filepath.Join(dir, "eu-west-1", "VpnConnections.json")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	src := string(data)
	i := strings.Index(src, `"VpnConnectionId": "datacentre"`)
	require.Positive(t, i)
	j := strings.LastIndex(src[:i], `"Options": {}`)
	require.Positive(t, j)
	src = src[:j] + `"Options": {"TunnelInsideIpVersion": "ipv6"}` + src[j+len(`"Options": {}`):]
	require.NoError(t, os.WriteFile(path, []byte(src), 0o644))
	m2, diags, err := awsimport.ImportDir(dir)
	require.NoError(t, err)
	assert.NotContains(t, externalsOf(m2), model.ID("datacentre"))
	var found bool
	for _, d := range diags {
		found = found || (errors.Is(d, model.ErrInvalidValue) && strings.Contains(d.Error(), "VPN connection datacentre on virtual private gateway vgw-dc has tunnel inside IP version ipv6, which AWS offers only on a transit gateway (V-35)"))
	}
	assert.True(t, found, "%v", diags)
}

func mustEncode(t *testing.T, m *model.Model) []byte {
	t.Helper()
	b, err := model.Encode(m)
	require.NoError(t, err)
	return b
}
