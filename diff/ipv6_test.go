package diff

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/model"
)

// V-06, V-09: on a dual-stack instance, exposure is per address family.
// Opening ssh to ::/0 exposes it over IPv6 only (its IPv4 exposure, https
// from anywhere, is unchanged), and the report says so: family ipv6, "tcp
// 22 over IPv6", from ::/0 ("anywhere"), caused by the rule.
func TestIPv6ExposureIsItsOwn(t *testing.T) {
	data, err := os.ReadFile("../testdata/dualstack-bastion.yaml")
	require.NoError(t, err)
	before := strings.Replace(string(data), `ingress: [{protocol: tcp, ports: 22, sources: ["::/0"]}]`,
		`ingress: [{protocol: tcp, ports: 443, sources: [0.0.0.0/0, "::/0"]}]`, 1)
	after := strings.Replace(before, `ingress: [{protocol: tcp, ports: 443, sources: [0.0.0.0/0, "::/0"]}]`,
		`ingress: [{protocol: tcp, ports: 443, sources: [0.0.0.0/0, "::/0"]}, {protocol: tcp, ports: 22, sources: ["::/0"]}]`, 1)
	require.NotEqual(t, string(data), before)
	require.NotEqual(t, before, after)
	load := func(name, text string) *model.Model { return loadText(t, name, text) }
	r := compare(t, load("old.yaml", before), load("new.yaml", after))
	require.Len(t, r.ExposureGained, 1, "%+v", r.ExposureGained)
	e := r.ExposureGained[0]
	assert.Equal(t, model.ID("i-dualstack-bastion"), e.Destination)
	assert.Equal(t, "ipv6", e.Family)
	assert.Equal(t, "tcp 22 over IPv6", e.Service())
	assert.Equal(t, "anywhere", e.From)
	require.NotEmpty(t, e.Cause)
	assert.Equal(t, model.ID("sg-dualstack-bastion"), e.Cause[0].Resource)
	assert.Empty(t, r.ExposureLost)

	// The reverse loses it, and nothing else.
	r = compare(t, load("new2.yaml", after), load("old2.yaml", before))
	require.Len(t, r.ExposureLost, 1)
	assert.Equal(t, "ipv6", r.ExposureLost[0].Family)
	assert.Empty(t, r.ExposureGained)
}

// An exposure to part of the internet is explained from an address of
// that part: the cause is the rule that admits it, not the blocker an
// arbitrary internet host meets.
func TestPartialExposureCauseIsTheRule(t *testing.T) {
	data, err := os.ReadFile("../testdata/dualstack-bastion.yaml")
	require.NoError(t, err)
	before := strings.Replace(string(data), `ingress: [{protocol: tcp, ports: 22, sources: ["::/0"]}]`, `ingress: []`, 1)
	after := strings.Replace(string(data), `sources: ["::/0"]`, `sources: ["2001:db8:ffff::/48"]`, 1)
	require.NotEqual(t, string(data), before)
	require.NotEqual(t, string(data), after)
	load := func(name, text string) *model.Model { return loadText(t, name, text) }
	r := compare(t, load("old.yaml", before), load("new.yaml", after))
	require.Len(t, r.ExposureGained, 1)
	e := r.ExposureGained[0]
	assert.Equal(t, "2001:db8:ffff::/48", e.From)
	require.NotEmpty(t, e.Cause)
	var rules []string
	for _, c := range e.Cause {
		rules = append(rules, c.Rule)
	}
	assert.Contains(t, rules, "allow tcp 22 from 2001:db8:ffff::/48")
}

// V-03: between dual-stack interfaces each family has its own path. A
// change that moves only the IPv6 traffic (the IPv6 route to a peered VPC
// removed, so that IPv6 goes by the transit gateway while IPv4 keeps the
// peering) is a changed flow, and the report says it is over IPv6.
func TestIPv6OnlyPathChange(t *testing.T) {
	old := gen.Generate(gen.Options{VPCs: 12, Seed: 5, DualStack: true, InstancesPerVPC: 3})
	next := gen.Generate(gen.Options{VPCs: 12, Seed: 5, DualStack: true, InstancesPerVPC: 3})
	var table model.ID
	for vi := range next.VPCs {
		for ti := range next.VPCs[vi].RouteTables {
			rt := &next.VPCs[vi].RouteTables[ti]
			for ri, r := range rt.Routes {
				if table == "" && r.Destination.CIDR.Addr().Is6() && strings.HasPrefix(string(r.Target), "pcx-") {
					rt.Routes = slices.Delete(rt.Routes, ri, ri+1)
					table = rt.ID
					break
				}
			}
		}
	}
	require.NotEmpty(t, table, "the generated network has an IPv6 route to a peering connection")
	r := compare(t, old, next)
	require.NotEmpty(t, r.Changed)
	for _, f := range r.Changed {
		assert.True(t, strings.HasPrefix(f.Detail, "over IPv6: "), "%s -> %s: %s", f.From.Name(), f.To.Name(), f.Detail)
		assert.NotEqual(t, f.Before, f.After)

		assert.True(t, slices.ContainsFunc(append(f.Before, f.After...), func(h string) bool { return strings.Contains(h, "pcx-") }), "%v -> %v", f.Before, f.After)
		require.NotEmpty(t, f.Cause)
		assert.Equal(t, table, f.Cause[0].Resource)
	}
	// From the VPC that lost the route, the request goes by the transit
	// gateway now.
	assert.True(t, slices.ContainsFunc(r.Changed, func(f Flow) bool {
		return f.Detail == "over IPv6: now via transit-gateway; no longer via peering-connection"
	}), "%+v", r.Changed[0])
	assert.Empty(t, r.Lost, "IPv6 still passes, by the transit gateway")
	assert.Empty(t, r.Gained)
}
