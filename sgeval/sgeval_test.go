package sgeval_test

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/oracle"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/sgeval"
)

var protocols = []model.Protocol{model.ProtocolTCP, model.ProtocolUDP, model.ProtocolICMP, model.ProtocolAll, 47}

// randPrefix draws a prefix inside 10.0.0.0/26, or 0.0.0.0/0, so that rules
// overlap often.
func randPrefix(r *rand.Rand) netip.Prefix {
	if r.IntN(6) == 0 {
		return netip.MustParsePrefix("0.0.0.0/0")
	}
	bits := 26 + r.IntN(7)
	return netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 0, 0, byte(r.IntN(64))}), bits).Masked()
}

func randAddr(r *rand.Rand) netip.Addr {
	if r.IntN(10) == 0 {
		return netip.AddrFrom4([4]byte{192, 168, 0, byte(r.IntN(256))})
	}
	return netip.AddrFrom4([4]byte{10, 0, 0, byte(r.IntN(64))})
}

func randService(r *rand.Rand) (model.Protocol, *model.PortRange, *model.ICMPMatch) {
	p := protocols[r.IntN(len(protocols))]
	switch {
	case p.HasPorts():
		a, b := uint16(r.IntN(40)), uint16(r.IntN(40))
		pr := model.PortRange{First: min(a, b), Last: max(a, b)}
		return p, &pr, nil
	case p.IsICMP() && r.IntN(2) == 0:
		return p, nil, &model.ICMPMatch{Type: r.IntN(3) - 1, Code: r.IntN(3) - 1}
	}
	return p, nil, nil
}

func randPacket(r *rand.Rand) oracle.Packet {
	p := protocols[r.IntN(len(protocols))]
	return oracle.Packet{Src: randAddr(r), Dst: randAddr(r), Protocol: p, DstPort: uint16(r.IntN(45)), ICMPType: r.IntN(3), ICMPCode: r.IntN(3)}
}

func toPacket(p oracle.Packet) sgeval.Packet {
	return sgeval.Packet{Src: p.Src, Dst: p.Dst, Protocol: p.Protocol, DstPort: p.DstPort, ICMPType: int16(p.ICMPType), ICMPCode: int16(p.ICMPCode)}
}

func randACL(r *rand.Rand) *model.NetworkACL {
	acl := &model.NetworkACL{ID: "acl"}
	for _, dir := range []*[]model.ACLRule{&acl.Ingress, &acl.Egress} {
		nums := r.Perm(60)[:r.IntN(12)]
		for _, n := range nums {
			p, ports, icmp := randService(r)
			action := model.ACLAllow
			if r.IntN(3) == 0 {
				action = model.ACLDeny
			}
			*dir = append(*dir, model.ACLRule{Rule: n + 1, Protocol: p, Ports: ports, ICMP: icmp, CIDR: randPrefix(r), Action: action})
		}
	}
	return acl
}

// TestACLMatchesOracle checks compiled ACLs against the brute-force
// oracle on random rule sets and packets (S-31: ordered, first match; S-32:
// ingress by source, egress by destination).
func TestACLMatchesOracle(t *testing.T) {
	for seed := uint64(1); seed <= 300; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		m := randACL(r)
		acl := sgeval.CompileACL(m)
		for range 200 {
			op := randPacket(r)
			for _, dir := range []sgeval.Direction{sgeval.Ingress, sgeval.Egress} {
				wantAllow, wantRule := oracle.ACL(m, dir == sgeval.Ingress, op)
				got := acl.Check(dir, toPacket(op))
				require.Equal(t, wantAllow, got.Allowed, "seed %d %s %+v", seed, dir, op)
				require.Equal(t, wantRule, got.Number, "seed %d %s %+v", seed, dir, op)
			}
		}
	}
}

// TestACLPortsMatchOracle checks the range evaluation used for responses
// to ephemeral ports (S-33) port by port against the oracle.
func TestACLPortsMatchOracle(t *testing.T) {
	var buf []sgeval.PortDecision
	for seed := uint64(1); seed <= 300; seed++ {
		r := rand.New(rand.NewPCG(seed, 8))
		m := randACL(r)
		acl := sgeval.CompileACL(m)
		for range 30 {
			op := randPacket(r)
			if !op.Protocol.HasPorts() {
				op.Protocol = model.ProtocolTCP
			}
			a, b := uint16(r.IntN(50)), uint16(r.IntN(50))
			rng := model.PortRange{First: min(a, b), Last: max(a, b)}
			for _, dir := range []sgeval.Direction{sgeval.Ingress, sgeval.Egress} {
				buf = acl.CheckPorts(dir, toPacket(op), rng, buf[:0])
				// The segments tile the range in order.
				next := int(rng.First)
				for _, seg := range buf {
					require.Equal(t, next, int(seg.Ports.First), "seed %d: segments %v", seed, buf)
					for port := seg.Ports.First; ; port++ {
						op.DstPort = port
						wantAllow, wantRule := oracle.ACL(m, dir == sgeval.Ingress, op)
						require.Equal(t, wantAllow, seg.Allowed, "seed %d port %d", seed, port)
						require.Equal(t, wantRule, seg.Number, "seed %d port %d", seed, port)
						if port == seg.Ports.Last {
							break
						}
					}
					next = int(seg.Ports.Last) + 1
				}
				require.Equal(t, int(rng.Last)+1, next)
			}
		}
	}
}

type resolver struct {
	groups map[model.ID]sgeval.GroupRef
	pls    map[model.ID][]netip.Prefix
}

func (r resolver) PrefixList(id model.ID) []netip.Prefix { return r.pls[id] }
func (r resolver) Group(id model.ID) sgeval.GroupRef {
	if g, ok := r.groups[id]; ok {
		return g
	}
	return -1
}

// TestSGMatchesOracle checks compiled security groups against the oracle:
// the union of allow rules (S-20), peers by CIDR, prefix list and group
// reference (S-21, S-22).
func TestSGMatchesOracle(t *testing.T) {
	ids := []model.ID{"sg-0", "sg-1", "sg-2", "sg-3"}
	res := resolver{groups: map[model.ID]sgeval.GroupRef{}, pls: map[model.ID][]netip.Prefix{}}
	for i, id := range ids {
		res.groups[id] = sgeval.GroupRef(i)
	}
	for seed := uint64(1); seed <= 300; seed++ {
		r := rand.New(rand.NewPCG(seed, 9))
		res.pls["pl-0"] = []netip.Prefix{randPrefix(r), randPrefix(r)}
		randPeers := func() []model.Peer {
			var ps []model.Peer
			for range 1 + r.IntN(3) {
				switch r.IntN(3) {
				case 0:
					ps = append(ps, model.Peer{CIDR: randPrefix(r)})
				case 1:
					ps = append(ps, model.Peer{Ref: ids[r.IntN(len(ids))]})
				default:
					ps = append(ps, model.Peer{Ref: "pl-0"})
				}
			}
			return ps
		}
		var models []*model.SecurityGroup
		var compiled []*sgeval.SecurityGroup
		for gi := range 1 + r.IntN(3) {
			g := &model.SecurityGroup{ID: ids[gi]}
			for range r.IntN(5) {
				p, ports, icmp := randService(r)
				g.Ingress = append(g.Ingress, model.IngressRule{SGRule: model.SGRule{Protocol: p, Ports: ports, ICMP: icmp}, Sources: randPeers()})
			}
			for range r.IntN(5) {
				p, ports, icmp := randService(r)
				g.Egress = append(g.Egress, model.EgressRule{SGRule: model.SGRule{Protocol: p, Ports: ports, ICMP: icmp}, Destinations: randPeers()})
			}
			models = append(models, g)
			compiled = append(compiled, sgeval.CompileSG(g, sgeval.GroupRef(gi), res))
		}
		for range 200 {
			op := randPacket(r)
			var peerIDs []model.ID
			var peerRefs []sgeval.GroupRef
			for i, id := range ids {
				if r.IntN(3) == 0 {
					peerIDs = append(peerIDs, id)
					peerRefs = append(peerRefs, sgeval.GroupRef(i))
				}
			}
			for _, dir := range []sgeval.Direction{sgeval.Ingress, sgeval.Egress} {
				peerAddr := op.Dst
				if dir == sgeval.Ingress {
					peerAddr = op.Src
				}
				want := oracle.SG(models, dir == sgeval.Ingress, op, peerAddr, peerIDs, res.PrefixList, func(id model.ID) bool { return res.Group(id) >= 0 })
				got := sgeval.Check(compiled, dir, toPacket(op), sgeval.Peer{Addr: peerAddr, Groups: peerRefs})
				require.Equal(t, want, got.Allowed, "seed %d %s %+v peers %v", seed, dir, op, peerIDs)
				// CheckRange against Check at every port of a range.
				first := uint16(r.IntN(65536))
				last := first + uint16(r.IntN(int(65535-first)+1)%300)
				if r.IntN(1000) == 0 {
					first, last = 1024, 65535
				}
				ports := model.PortRange{First: first, Last: last}
				peer := sgeval.Peer{Addr: peerAddr, Groups: peerRefs}
				wantPort, wantOK := first, true
				if pkt := toPacket(op); pkt.Protocol.HasPorts() {
					for port := uint32(first); port <= uint32(last); port++ {
						pkt.DstPort = uint16(port)
						if !sgeval.Check(compiled, dir, pkt, peer).Allowed {
							wantPort, wantOK = uint16(port), false
							break
						}
					}
				} else {
					wantPort, wantOK = pkt.DstPort, got.Allowed
				}
				d, port := sgeval.CheckRange(compiled, dir, toPacket(op), peer, ports)
				require.Equal(t, wantOK, d.Allowed, "seed %d %s %+v ports %v", seed, dir, op, ports)
				require.Equal(t, wantPort, port, "seed %d %s %+v ports %v", seed, dir, op, ports)
			}
		}
	}
}

func TestDefaultsFollowAWS(t *testing.T) {
	tcp := sgeval.Packet{Src: netip.MustParseAddr("10.0.0.5"), Dst: netip.MustParseAddr("10.0.1.5"), Protocol: model.ProtocolTCP, DstPort: 22}
	t.Run("S-30 implicit default ACL allows all", func(t *testing.T) {
		acl := sgeval.AllowAllACL("")
		assert.True(t, acl.Check(sgeval.Ingress, tcp).Allowed)
		assert.True(t, acl.Check(sgeval.Egress, tcp).Allowed)
	})
	t.Run("S-30 new custom ACL denies all with rule *", func(t *testing.T) {
		d := sgeval.CompileACL(&model.NetworkACL{ID: "acl-new"}).Check(sgeval.Ingress, tcp)
		assert.False(t, d.Allowed)
		assert.Equal(t, "rule *", d.RuleName())
	})
	t.Run("S-20 default group allows from itself only", func(t *testing.T) {
		g := sgeval.DefaultSG("sg-default", 3)
		assert.True(t, sgeval.Check([]*sgeval.SecurityGroup{g}, sgeval.Ingress, tcp, sgeval.Peer{Addr: tcp.Src, Groups: []sgeval.GroupRef{3}}).Allowed)
		assert.False(t, sgeval.Check([]*sgeval.SecurityGroup{g}, sgeval.Ingress, tcp, sgeval.Peer{Addr: tcp.Src}).Allowed)
		assert.True(t, sgeval.Check([]*sgeval.SecurityGroup{g}, sgeval.Egress, tcp, sgeval.Peer{Addr: tcp.Dst}).Allowed)
	})
	t.Run("S-20 new group allows no inbound and all outbound", func(t *testing.T) {
		g := sgeval.CompileSG(&model.SecurityGroup{ID: "sg-new"}, 0, resolver{})
		assert.False(t, sgeval.Check([]*sgeval.SecurityGroup{g}, sgeval.Ingress, tcp, sgeval.Peer{Addr: tcp.Src}).Allowed)
		assert.True(t, sgeval.Check([]*sgeval.SecurityGroup{g}, sgeval.Egress, tcp, sgeval.Peer{Addr: tcp.Dst}).Allowed)
	})
	t.Run("S-20 group whose egress is emptied allows no outbound", func(t *testing.T) {
		g := sgeval.CompileSG(&model.SecurityGroup{ID: "sg-closed", Egress: []model.EgressRule{}}, 0, resolver{})
		assert.False(t, sgeval.Check([]*sgeval.SecurityGroup{g}, sgeval.Egress, tcp, sgeval.Peer{Addr: tcp.Dst}).Allowed)
	})
}

func TestAllTrafficNeedsAllProtocolRules(t *testing.T) {
	all := sgeval.Packet{Src: netip.MustParseAddr("10.0.0.5"), Dst: netip.MustParseAddr("10.0.1.5"), Protocol: model.ProtocolAll}
	acl := sgeval.CompileACL(&model.NetworkACL{Ingress: []model.ACLRule{
		{Rule: 90, Protocol: model.ProtocolTCP, Ports: &model.PortRange{First: 22, Last: 22}, CIDR: netip.MustParsePrefix("0.0.0.0/0"), Action: model.ACLDeny},
		{Rule: 100, Protocol: model.ProtocolAll, CIDR: netip.MustParsePrefix("0.0.0.0/0"), Action: model.ACLAllow},
	}})
	d := acl.Check(sgeval.Ingress, all)
	assert.True(t, d.Allowed)
	assert.True(t, d.Partial, "the tcp/22 deny takes part of all traffic away")
	assert.Equal(t, 90, d.PartialNumber)
}

func TestChecksDoNotAllocate(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	acl := sgeval.CompileACL(randACL(r))
	p := toPacket(randPacket(r))
	assert.Zero(t, testing.AllocsPerRun(100, func() { acl.Check(sgeval.Ingress, p) }))
	buf := make([]sgeval.PortDecision, 0, 64)
	p.Protocol = model.ProtocolTCP
	assert.Zero(t, testing.AllocsPerRun(100, func() { buf = acl.CheckPorts(sgeval.Egress, p, model.PortRange{First: 0, Last: 65535}, buf[:0]) }))
	groups := benchGroups()
	peer := sgeval.Peer{Addr: p.Src, Groups: []sgeval.GroupRef{1, 5}}
	assert.Zero(t, testing.AllocsPerRun(100, func() { sgeval.Check(groups, sgeval.Ingress, p, peer) }))
}

func benchGroups() []*sgeval.SecurityGroup {
	res := resolver{groups: map[model.ID]sgeval.GroupRef{}}
	var out []*sgeval.SecurityGroup
	for g := range 5 {
		m := &model.SecurityGroup{ID: model.ID(fmt.Sprintf("sg-%d", g))}
		for i := range 12 {
			port := uint16(1000 + 10*i + g)
			m.Ingress = append(m.Ingress, model.IngressRule{
				SGRule:  model.SGRule{Protocol: model.ProtocolTCP, Ports: &model.PortRange{First: port, Last: port}},
				Sources: []model.Peer{{CIDR: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(g), byte(i), 0}), 24)}},
			})
		}
		out = append(out, sgeval.CompileSG(m, sgeval.GroupRef(g), res))
	}
	return out
}

func BenchmarkACLCheck(b *testing.B) {
	rules := make([]model.ACLRule, 0, 40)
	for i := range 40 {
		port := uint16(1000 + i)
		rules = append(rules, model.ACLRule{Rule: 10 * (i + 1), Protocol: model.ProtocolTCP, Ports: &model.PortRange{First: port, Last: port},
			CIDR: netip.MustParsePrefix("10.0.0.0/8"), Action: model.ACLAllow})
	}
	acl := sgeval.CompileACL(&model.NetworkACL{Ingress: rules})
	p := sgeval.Packet{Src: netip.MustParseAddr("10.1.2.3"), Dst: netip.MustParseAddr("10.4.5.6"), Protocol: model.ProtocolTCP, DstPort: 1039}
	b.ReportAllocs()
	for b.Loop() {
		acl.Check(sgeval.Ingress, p)
	}
}

func BenchmarkACLCheckPorts(b *testing.B) {
	acl := sgeval.CompileACL(&model.NetworkACL{Egress: []model.ACLRule{
		{Rule: 100, Protocol: model.ProtocolTCP, Ports: &model.PortRange{First: 1024, Last: 32767}, CIDR: netip.MustParsePrefix("0.0.0.0/0"), Action: model.ACLAllow},
		{Rule: 110, Protocol: model.ProtocolTCP, Ports: &model.PortRange{First: 40000, Last: 65535}, CIDR: netip.MustParsePrefix("0.0.0.0/0"), Action: model.ACLAllow},
	}})
	p := sgeval.Packet{Src: netip.MustParseAddr("10.1.2.3"), Dst: netip.MustParseAddr("10.4.5.6"), Protocol: model.ProtocolTCP}
	buf := make([]sgeval.PortDecision, 0, 16)
	b.ReportAllocs()
	for b.Loop() {
		buf = acl.CheckPorts(sgeval.Egress, p, model.PortRange{First: 1024, Last: 65535}, buf[:0])
	}
}

func BenchmarkSGCheck(b *testing.B) {
	groups := benchGroups()
	p := sgeval.Packet{Src: netip.MustParseAddr("10.4.11.7"), Protocol: model.ProtocolTCP, DstPort: 1114}
	peer := sgeval.Peer{Addr: p.Src, Groups: []sgeval.GroupRef{7, 9}}
	b.ReportAllocs()
	for b.Loop() {
		sgeval.Check(groups, sgeval.Ingress, p, peer)
	}
}

var _ = slices.Contains[[]int]
