package model_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
)

// onPrem6 is a valid topology with IPv6 external networks (V-35): a
// Direct Connect network of both families behind a virtual private
// gateway, and two VPN connections on a transit gateway, one per family.
const onPrem6 = `version: 1
vpcs:
  - id: vpc-a
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    ipv6_cidr_blocks: [2600:1f18:a:c00::/56]
    vpn_gateway: vgw-a
transit_gateways:
  - id: tgw-a
    region: eu-west-1
    attachments:
      - {id: att-vpn4, type: vpn}
      - {id: att-vpn6, type: vpn}
      - {id: att-dx, type: direct-connect-gateway}
external_networks:
  - {id: dc, cidrs: [192.168.0.0/16, "2001:db8:dc::/48"], via: vgw-a, connection: direct-connect}
  - {id: branch4, cidrs: [172.20.0.0/16], via: att-vpn4}
  - {id: branch6, cidrs: ["2001:db8:bb::/48"], via: att-vpn6, tunnel_inside_ip_version: ipv6}
  - {id: campus, cidrs: [172.30.0.0/16, "2001:db8:cc::/48"], via: att-dx}
`

// TestExternalNetworkIPv6Loads: IPv6 prefixes load where the connection
// carries IPv6 (V-35), and the connection kind defaults as documented.
func TestExternalNetworkIPv6Loads(t *testing.T) {
	m, warns, err := model.LoadBytes("t.yaml", []byte(onPrem6))
	require.NoError(t, err)
	require.Empty(t, warns)
	x, _ := model.NewIndex(m)
	got := map[model.ID]string{}
	for i := range m.ExternalNetworks {
		n := &m.ExternalNetworks[i]
		got[n.ID] = model.ExternalConnectionOf(x, n).String() + "/" + n.TunnelInsideVersion().String()
	}
	assert.Equal(t, map[model.ID]string{"dc": "direct-connect/ipv4", "branch4": "vpn/ipv4", "branch6": "vpn/ipv6", "campus": "direct-connect/ipv4"}, got)
	assert.Equal(t, "2001:db8:dc::/48", m.ExternalNetworks[0].CIDRs[1].String())
}

// TestExternalNetworkIPv6Validation: each connection that cannot carry a
// prefix's family is one positioned error naming V-35.
func TestExternalNetworkIPv6Validation(t *testing.T) {
	tests := []struct{ name, old, new, want string }{
		{"V-35 IPv6 over a VPN on a virtual private gateway", `via: vgw-a, connection: direct-connect}`, `via: vgw-a}`,
			`t.yaml:16:38: external_networks[0].cidrs[1]: 2001:db8:dc::/48 is IPv6, but a Site-to-Site VPN on a virtual private gateway carries IPv4 only; write connection: direct-connect if dc is reached over Direct Connect, or reach it through a transit gateway VPN attachment (V-35)`},
		{"V-35 explicit vpn on a virtual private gateway", `connection: direct-connect}`, `connection: vpn}`,
			`t.yaml:16:38: external_networks[0].cidrs[1]: 2001:db8:dc::/48 is IPv6, but a Site-to-Site VPN on a virtual private gateway carries IPv4 only; write connection: direct-connect if dc is reached over Direct Connect, or reach it through a transit gateway VPN attachment (V-35)`},
		{"V-35 ipv6 tunnels on a virtual private gateway", `via: vgw-a, connection: direct-connect}`, `via: vgw-a, tunnel_inside_ip_version: ipv6}`,
			`t.yaml:16:97: external_networks[0].tunnel_inside_ip_version: a Site-to-Site VPN on a virtual private gateway carries IPv4 only: IPv6 inside the tunnels needs a VPN attachment on a transit gateway (V-35)`},
		{"V-35 IPv6 prefix on an IPv4 VPN", `["2001:db8:bb::/48"], via: att-vpn6, tunnel_inside_ip_version: ipv6}`, `["2001:db8:bb::/48"], via: att-vpn6}`,
			`t.yaml:18:27: external_networks[2].cidrs[0]: 2001:db8:bb::/48 is IPv6, but the tunnels of VPN connection branch6 carry IPv4 (tunnel_inside_ip_version: ipv4, the default): write tunnel_inside_ip_version: ipv6, and only IPv6 cidrs, for a VPN that carries IPv6 (V-35)`},
		{"V-35 one VPN, one family", `cidrs: ["2001:db8:bb::/48"]`, `cidrs: [172.21.0.0/16, "2001:db8:bb::/48"]`,
			`t.yaml:18:27: external_networks[2].cidrs[0]: 172.21.0.0/16 is IPv4, but the tunnels of VPN connection branch6 carry IPv6 (tunnel_inside_ip_version: ipv6): a VPN connection carries one IP version (V-35)`},
		{"V-35 tunnel version on Direct Connect", `via: att-dx}`, `via: att-dx, tunnel_inside_ip_version: ipv6}`,
			`t.yaml:19:101: external_networks[3].tunnel_inside_ip_version: tunnel_inside_ip_version applies to a VPN connection; campus is reached over Direct Connect, which carries IPv4 and IPv6 (V-35)`},
		{"V-35 connection against the attachment type", `via: att-dx}`, `via: att-dx, connection: vpn}`,
			`t.yaml:19:87: external_networks[3].connection: connection is vpn, but att-dx is a direct-connect-gateway attachment (V-35)`},
		{"V-35 tunnel version is ipv4 or ipv6", `tunnel_inside_ip_version: ipv6}`, `tunnel_inside_ip_version: dualstack}`,
			`t.yaml:18:89: external_networks[2].tunnel_inside_ip_version: a VPN connection's tunnels carry ipv4 or ipv6, not dualstack (V-35)`},
		{"V-35 networks behind one VPN share its version", `via: att-vpn4}`, `via: att-vpn6}`,
			`t.yaml:18:53: external_networks[2].via: branch4 and branch6 are both behind VPN attachment att-vpn6, one VPN connection, but their tunnel_inside_ip_version differ (ipv4, ipv6): a VPN connection carries one IP version (V-35)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Contains(t, onPrem6, tt.old)
			src := stringsReplace(onPrem6, tt.old, tt.new)
			_, _, err := model.LoadBytes("t.yaml", []byte(src))
			var got []string
			for _, d := range diagsOf(t, err) {
				got = append(got, d.Error())
			}
			assert.Contains(t, got, tt.want)
		})
	}
}
