package portset

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
)

// bits is the brute-force model of a Set's tcp ports: one bool a port.
type bits [65536]bool

func toBits(rs []model.PortRange) *bits {
	var b bits
	for _, r := range rs {
		for p := uint32(r.First); p <= uint32(r.Last); p++ {
			b[p] = true
		}
	}
	return &b
}

// randomRanges returns up to five ranges clustered in a small window, so
// that they overlap and touch often.
func randomRanges(r *rand.Rand) []model.PortRange {
	var rs []model.PortRange
	for range r.IntN(6) {
		a := uint16(r.IntN(40))
		b := a + uint16(r.IntN(10))
		if r.IntN(8) == 0 {
			b = 65535
		}
		rs = append(rs, model.PortRange{First: a, Last: b})
	}
	return rs
}

func checkCanonical(t *testing.T, rs []model.PortRange) {
	t.Helper()
	for i, r := range rs {
		require.True(t, r.First >= 1 && r.First <= r.Last, "range %v", r)
		if i > 0 {
			require.Greater(t, uint32(r.First), uint32(rs[i-1].Last)+1, "ranges %v not disjoint and apart", rs)
		}
	}
}

// TestSetAlgebraAgreesWithBruteForce checks Union, Minus, Intersect and
// Contains against per-port booleans on random sets.
func TestSetAlgebraAgreesWithBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		a, b := Ports(model.ProtocolTCP, randomRanges(r)...), Ports(model.ProtocolTCP, randomRanges(r)...)
		ba, bb := toBits(a.TCP), toBits(b.TCP)
		ba[0], bb[0] = false, false // port 0 is not a port
		for name, got := range map[string]Set{"union": a.Union(b), "minus": a.Minus(b), "intersect": a.Intersect(b)} {
			checkCanonical(t, got.TCP)
			gb := toBits(got.TCP)
			for p := range 65536 {
				var want bool
				switch name {
				case "union":
					want = ba[p] || bb[p]
				case "minus":
					want = ba[p] && !bb[p]
				case "intersect":
					want = ba[p] && bb[p]
				}
				if gb[p] != want {
					t.Fatalf("%s of %v and %v: port %d is %v, want %v (got %v)", name, a, b, p, gb[p], want, got)
				}
				if name == "union" && got.Contains(model.ProtocolTCP, uint16(p)) != want {
					t.Fatalf("Contains(%d) of %v disagrees", p, got)
				}
			}
		}
	}
}

// TestOverlapsAgreesWithIntersect checks Overlaps against Intersect, and
// NumProtocols against Protocols, on random sets of every protocol: tcp
// and udp ranges that overlap, touch or miss, icmp and other protocols.
func TestOverlapsAgreesWithIntersect(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	random := func() Set {
		s := Ports(model.ProtocolTCP, randomRanges(r)...)
		if r.IntN(2) == 0 {
			s = s.Union(Ports(model.ProtocolUDP, randomRanges(r)...))
		}
		if r.IntN(3) == 0 {
			s = s.Union(Ports(model.ProtocolICMP))
		}
		for range r.IntN(3) {
			s = s.Union(Ports(model.Protocol(40 + r.IntN(4))))
		}
		return s
	}
	overlapping := 0
	for range 2000 {
		a, b := random(), random()
		require.Equal(t, len(a.Protocols()), a.NumProtocols(), "%v", a)
		want := !a.Intersect(b).IsEmpty()
		require.Equal(t, want, a.Overlaps(b), "%v and %v", a, b)
		require.Equal(t, want, b.Overlaps(a), "%v and %v", b, a)
		if want {
			overlapping++
		}
	}
	require.Greater(t, overlapping, 200)
	require.Less(t, overlapping, 1800)
}

func TestSetString(t *testing.T) {
	s := Ports(model.ProtocolTCP, model.SinglePort(443), model.SinglePort(22), model.PortRange{First: 8000, Last: 8080}).
		Union(Ports(model.ProtocolUDP, model.AllPorts())).
		Union(Ports(model.ProtocolICMP)).
		Union(Ports(model.Protocol(50)))
	assert.Equal(t, "tcp 22,443,8000-8080; udp all; icmp; 50", s.String())
	assert.Equal(t, "none", Set{}.String())
	assert.True(t, s.Minus(s).IsEmpty())
	assert.True(t, s.Equal(s.Union(Set{})))
	assert.False(t, s.Equal(s.Minus(Ports(model.Protocol(50)))))
	assert.Equal(t, []model.Protocol{model.ProtocolTCP, model.ProtocolUDP, model.ProtocolICMP, 50}, s.Protocols())
}
