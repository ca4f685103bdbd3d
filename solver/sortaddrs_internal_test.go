package solver

import (
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestSortAddrsOrdersAsCompare checks that sortAddrs orders addresses as
// netip.Addr.Compare does: zoneless IPv6 ones as 128-bit numbers
// (IPv4-mapped ones among them, duplicates kept), and a list holding an
// IPv4 or zoned address by Compare itself.
func TestSortAddrsOrdersAsCompare(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var as []netip.Addr
	for range 2000 {
		var b [16]byte
		for i := range b {
			b[i] = byte(r.IntN(4)) // few values: shared prefixes and duplicates
		}
		as = append(as, netip.AddrFrom16(b))
	}
	as = append(as, netip.MustParseAddr("::ffff:10.0.0.1"), netip.MustParseAddr("2600:1f18::1"), netip.MustParseAddr("::"),
		netip.MustParseAddr("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))
	for _, extra := range []string{"", "10.0.0.1", "fe80::1%eth0"} {
		got := slices.Clone(as)
		if extra != "" {
			got = append(got, netip.MustParseAddr(extra))
		}
		want := slices.Clone(got)
		slices.SortFunc(want, netip.Addr.Compare)
		sortAddrs(got)
		assert.Equal(t, want, got, "with %q", extra)
	}
}
