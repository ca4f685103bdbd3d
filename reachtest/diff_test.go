package reachtest_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/reachtest"
	rrequire "github.com/vpcreach/vpcreach/reachtest/require"
)

// shopWith loads testdata/shop.yaml with one edit.
func shopWith(t *testing.T, old, new string) string {
	t.Helper()
	data, err := os.ReadFile("testdata/shop.yaml")
	require.NoError(t, err)
	require.Contains(t, string(data), old)
	return strings.Replace(string(data), old, new, 1)
}

func TestOpensNothingAndChangesNothing(t *testing.T) {
	data, err := os.ReadFile("testdata/shop.yaml")
	require.NoError(t, err)
	base := reachtest.LoadString(t, string(data))

	t.Run("same network", func(t *testing.T) {
		ft := newFakeT()
		assert.True(t, reachtest.OpensNothing(ft, base, base))
		assert.True(t, reachtest.ChangesNothing(ft, base, base))
		assert.Empty(t, ft.errors)
	})
	t.Run("closing a flow opens nothing but changes something", func(t *testing.T) {
		closed := reachtest.LoadString(t, shopWith(t, "          - {protocol: tcp, ports: 8080, sources: [sg-web]}\n", ""))
		ft := newFakeT()
		assert.True(t, reachtest.OpensNothing(ft, base, closed), "%v", ft.errors)
		assert.False(t, reachtest.ChangesNothing(ft, base, closed))
		require.Len(t, ft.errors, 1)
		assert.Contains(t, ft.errors[0], "lost:\n  i-web -> i-app  tcp 8080\n")
	})
	t.Run("opening ssh to the world", func(t *testing.T) {
		open := reachtest.LoadString(t, shopWith(t, "ingress: [{protocol: tcp, ports: 443, sources: [0.0.0.0/0]}]",
			"ingress: [{protocol: tcp, ports: 443, sources: [0.0.0.0/0]}, {protocol: tcp, ports: 22, sources: [0.0.0.0/0]}]"))
		ft := newFakeT()
		assert.False(t, reachtest.OpensNothing(ft, base, open))
		require.Len(t, ft.errors, 1)
		assert.Contains(t, ft.errors[0], "exposure gained:\n  i-web  tcp 22 from anywhere\n")
		assert.Contains(t, ft.errors[0], "cause: sg-web (security group) modified: allow tcp 22 from 0.0.0.0/0 at inline.yaml:")

		ft = newFakeT()
		stops(func() { rrequire.OpensNothing(ft, base, open) })
		assert.True(t, ft.stopped)
	})
	t.Run("no solver", func(t *testing.T) {
		ft := newFakeT()
		assert.False(t, reachtest.OpensNothing(ft, nil, base))
		assert.Equal(t, []string{"reachtest: no solver (did Load fail?)"}, ft.errors)
	})
}
