package solver

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go4.org/netipx"

	"github.com/vpcreach/vpcreach/model"
)

func TestOneDefinitionOfPublicAddress(t *testing.T) {
	// Query ends, the internet's atoms and the internet part of an answer
	// agree on which addresses are public: 0.0.0.0/8 and 240.0.0.0/4 are
	// not, whichever asks.
	m := &model.Model{VPCs: []model.VPC{{ID: "vpc-1", Region: "eu-west-1", CIDRBlocks: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}}}}
	s, err := New(m)
	require.NoError(t, err)
	var all netipx.IPSetBuilder
	all.AddPrefix(netip.MustParsePrefix("0.0.0.0/0"))
	allSet, _ := all.IPSet()
	var pub netipx.IPSetBuilder
	for _, p := range publicOnly(allSet) {
		pub.AddPrefix(p)
	}
	pubSet, _ := pub.IPSet()
	atoms := map[netip.Addr]bool{}
	for _, a := range s.publicAtoms() {
		atoms[a] = true
	}
	for _, c := range []struct {
		addr   string
		public bool
	}{
		{"8.8.8.8", true}, {"198.51.100.1", true}, {"1.0.0.1", true}, {"223.255.255.254", true},
		{"0.1.2.3", false}, {"240.0.0.1", false}, {"255.255.255.255", false}, {"224.0.0.5", false},
		{"10.1.2.3", false}, {"100.64.0.1", false}, {"127.0.0.1", false}, {"169.254.169.254", false},
		{"172.16.0.1", false}, {"192.168.1.1", false},
	} {
		a := netip.MustParseAddr(c.addr)
		assert.Equal(t, c.public, s.publicAddress(a), "publicAddress(%s)", a)
		assert.Equal(t, c.public, pubSet.Contains(a), "publicOnly holds %s", a)
		o, err := s.resolve(c.addr, false)
		if c.public {
			if assert.NoError(t, err, "resolve(%s) as a source", a) {
				assert.Equal(t, termInternet, o.kind, "resolve(%s) is an internet host", a)
			}
		} else {
			assert.Error(t, err, "resolve(%s) as a source: not an internet host", a)
		}
		if !c.public {
			// No public atom's representative is a non-public address.
			assert.False(t, atoms[a], "public atoms hold %s", a)
		}
	}
	for a := range atoms {
		assert.True(t, s.publicAddress(a), "public atom %s", a)
	}
}
