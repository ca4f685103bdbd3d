package oracle_test

import (
	"fmt"
	"net/netip"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/oracle"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// Internet hosts the analyses are checked from: one in each of the public
// ranges the generator's rules name, and one outside them all; IPv4 and
// IPv6 (V-06).
var samplePublic = []string{"198.51.100.1", "203.0.113.9", "8.8.8.8", "54.100.250.1", "52.218.0.10",
	"2001:db8::1", "2001:db8:100::9", "2a00:1450::5", "2606:4700::1111"}

// ifaceOf is an instance or network interface of a model, with its subnet.
type ifaceOf struct {
	id, subnet model.ID
	// public: a public IPv4 address; v6: IPv6 addresses, global (V-06).
	public, v6 bool
}

func modelInterfaces(m *model.Model) []ifaceOf {
	var out []ifaceOf
	for _, v := range m.VPCs {
		for _, in := range v.Instances {
			out = append(out, ifaceOf{in.ID, in.Subnet, in.PublicAddress().IsValid(), len(in.IPv6Addresses) > 0})
		}
		for _, ni := range v.NetworkInterfaces {
			out = append(out, ifaceOf{ni.ID, ni.Subnet, ni.PublicAddress().IsValid(), len(ni.IPv6Addresses) > 0})
		}
	}
	return out
}

// cells compares the cells of one whole-network analysis with the
// oracle's point answers. A cell that differs from the engine's own point
// answer is an engine inconsistency; one that agrees with it is a point
// disagreement, classified as TestReachAgreesWithOracle does.
type cells struct {
	t    *testing.T
	tl   *tally
	m    *model.Model
	seed uint64
	s    *solver.Solver
	o    *oracle.Network
}

func (c *cells) check(analysis string, q oracle.Query, cell bool) {
	want := c.o.Reach(q)
	if want.Reachable() == cell {
		c.tl.analysisCells++
		return
	}
	engine := engineOutcome(c.s.Reach(toSolver(q)))
	engineReach := engine.verdict == "reachable" || engine.verdict == "reachable-with-warnings"
	if engineReach != cell {
		key := fmt.Sprintf("%s says %t but the engine's own Reach says %s", analysis, cell, engine)
		c.tl.unknown[key] = append(c.tl.unknown[key], fmt.Sprintf("seed %d: %s", c.seed, q))
		return
	}
	c.tl.compare(c.t, c.m, c.seed, q, engine, oracleOutcome(want))
}

// TestAnalysesAgreeWithOracle compares every cell of the instance and
// subnet matrices, of who-can-reach (interfaces and internet hosts) and
// of exposure with the oracle's point answers, on random models.
func TestAnalysesAgreeWithOracle(t *testing.T) {
	tl := newTally()
	for _, seed := range seeds(t, 100) {
		m := generate(seed)
		s, err := solver.New(m)
		require.NoError(t, err)
		o, err := oracle.New(m, oracle.Options{})
		require.NoError(t, err)
		c := &cells{t: t, tl: tl, m: m, seed: seed, s: s, o: o}
		qs := oracle.Queries(m, seed, 3)
		ifs := modelInterfaces(m)
		if len(qs) == 0 {
			continue
		}
		base := qs[0]
		base.From, base.To = "", ""
		matrices(c, base, ifs)
		for _, q := range qs[1:] {
			whoCanReach(c, q, ifs)
		}
		exposure(c, ifs)
	}
	tl.report(t)
}

// matrices checks the instance matrix cell by cell, and the subnet matrix
// against "some interface of one subnet reaches another of the other".
func matrices(c *cells, base oracle.Query, ifs []ifaceOf) {
	inst := c.s.Matrix(toSolver(base), solver.LevelInstance, solver.AnalysisOptions{})
	sub := c.s.Matrix(toSolver(base), solver.LevelSubnet, solver.AnalysisOptions{})
	has := func(mx solver.Matrix, a, b model.ID) bool {
		i, j := slices.Index(mx.Nodes, a), slices.Index(mx.Nodes, b)
		return i >= 0 && j >= 0 && slices.Contains(mx.Reach[i], j)
	}
	// The subnet pairs that some pair of interfaces reaches, by the oracle
	// and by the engine's own point answers.
	subnetWant, subnetEngine := map[[2]model.ID]bool{}, map[[2]model.ID]bool{}
	for _, a := range ifs {
		for _, b := range ifs {
			if a.id == b.id {
				continue
			}
			q := base
			q.From, q.To = string(a.id), string(b.id)
			c.check("the instance matrix", q, has(inst, a.id, b.id))
			if c.o.Reach(q).Reachable() {
				subnetWant[[2]model.ID{a.subnet, b.subnet}] = true
			}
			if c.s.Reach(toSolver(q)).Reachable() {
				subnetEngine[[2]model.ID{a.subnet, b.subnet}] = true
			}
		}
	}
	subnets := map[model.ID]bool{}
	for _, a := range ifs {
		subnets[a.subnet] = true
	}
	for a := range subnets {
		for b := range subnets {
			got, k := has(sub, a, b), [2]model.ID{a, b}
			switch {
			case got == subnetWant[k]:
				c.tl.analysisCells++
			case got != subnetEngine[k]:
				key := fmt.Sprintf("the subnet matrix says %t for a subnet pair, the engine's own point answers %t", got, !got)
				c.tl.unknown[key] = append(c.tl.unknown[key], fmt.Sprintf("seed %d: %s -> %s %s", c.seed, a, b, base))
			}
			// Else the engine's point answers differ from the oracle's:
			// the instance matrix cells above classified them.
		}
	}
}

// whoCanReach checks who-can-reach for q.To: every other interface, and
// the sample internet hosts.
func whoCanReach(c *cells, q oracle.Query, ifs []ifaceOf) {
	dst := ifs[int(c.seed)%len(ifs)].id
	q.To = string(dst)
	res, err := c.s.WhoCanReach(toSolver(q), solver.AnalysisOptions{})
	require.NoError(c.t, err)
	members := res.Instances()
	for _, a := range ifs {
		if a.id == dst {
			continue
		}
		p := q
		p.From = string(a.id)
		c.check("who-can-reach", p, slices.Contains(members, a.id))
	}
	for _, h := range samplePublic {
		p := q
		p.From = h
		addr := netip.MustParseAddr(h)
		c.check("who-can-reach (internet)", p, slices.ContainsFunc(res.Internet, func(pr netip.Prefix) bool { return pr.Contains(addr) }))
	}
}

// exposure checks the exposure report on every interface with a public
// IPv4 address or an IPv6 address, a few ports and the sample internet
// hosts: an IPv4 host's cell is the IPv4 exposure, an IPv6 host's the
// IPv6 one (Exposed.Family).
func exposure(c *cells, ifs []ifaceOf) {
	protocols := []model.Protocol{model.ProtocolTCP, model.ProtocolUDP, model.ProtocolICMP, model.ProtocolICMPv6}
	report := c.s.Exposure(protocols, nil, solver.AnalysisOptions{})
	exposed := func(id model.ID, p model.Protocol, port uint16, from netip.Addr) bool {
		family := solver.FamilyIPv4
		if from.Is6() {
			family = solver.FamilyIPv6
		}
		for _, e := range report {
			if (e.Destination != id && !slices.Contains(e.Members, id)) || e.Protocol != p || e.Family != family {
				continue
			}
			for _, ep := range e.Ports {
				if p.HasPorts() && !ep.Ports.Contains(port) {
					continue
				}
				if ep.Anywhere || slices.ContainsFunc(ep.From, func(pr netip.Prefix) bool { return pr.Contains(from) }) {
					return true
				}
			}
		}
		return false
	}
	ports := map[model.Protocol][]uint16{model.ProtocolTCP: {22, 443, 1500, 8080}, model.ProtocolUDP: {53}, model.ProtocolICMP: {0}, model.ProtocolICMPv6: {0}}
	for _, a := range ifs {
		for _, h := range samplePublic {
			from := netip.MustParseAddr(h)
			if (from.Is4() && !a.public) || (from.Is6() && !a.v6) {
				continue
			}
			for _, p := range protocols {
				if (p == model.ProtocolICMP && from.Is6()) || (p == model.ProtocolICMPv6 && from.Is4()) {
					continue
				}
				for _, port := range ports[p] {
					q := oracle.Query{From: h, To: string(a.id), Protocol: p, Port: port}
					c.check("exposure", q, exposed(a.id, p, port, from))
				}
			}
		}
	}
}
