package diff

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	dir := t.TempDir()
	load := func(name, text string) *model.Model {
		f := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(f, []byte(text), 0o600))
		m, _, err := model.LoadFiles(f)
		require.NoError(t, err)
		return m
	}
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
	dir := t.TempDir()
	load := func(name, text string) *model.Model {
		f := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(f, []byte(text), 0o600))
		m, _, err := model.LoadFiles(f)
		require.NoError(t, err)
		return m
	}
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
