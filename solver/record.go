package solver

// A walk does not know who asked for it. What it records is decided by
// the recorder it is given, and the recorder's methods are the only way a
// walk records anything: hops, blockers, warnings, the subnet boundaries it
// crosses, and taint (its course now depends on exact addresses). The
// walker asks a recorder three questions only: whether it keeps words (when
// it does not, the walker renders no hop text), whether it keeps the
// messages of blockers and warnings, and whether the walk checks filters
// itself (network ACLs, security groups, running states), which every
// recorder but the path recorder does.
//
// The recorders:
//
//   - explainRec keeps every hop and every blocker and warning with its
//     message: Reach;
//   - verdictRec keeps blockers and warnings with their codes and
//     components only: the whole-network analyses, which need verdicts
//     (reach stops once the request is blocked, and pools its walkers);
//   - pathRec keeps no hop; it records the subnet boundaries crossed
//     instead of checking them, leaves the security groups and running
//     states out, and decides from the hops it is shown whether the path
//     is plain: a hop kind it does not know makes the walk tainted, so
//     the matrix asks Reach for it rather than sharing a wrong skeleton;
//   - traceRec keeps hops, blockers and warnings without their words:
//     Trace;
//   - endsRec keeps nothing and renders no message: Solver.EndHops walks
//     no path, and takes the hops of the two group checks it makes, with
//     their words, as they are returned.
//
// The recorders are an interface, not a struct of funcs: explainRec and
// verdictRec are empty structs (storing one in an interface allocates
// nothing), they write into the walker's own slices, and a method call
// through an interface costs what the mode flags it replaces cost
// (BenchmarkReachVerdict, BenchmarkMatrixSubnetGenerated).
type recorder interface {
	// words reports whether the recorder keeps hop text.
	words() bool
	// messages reports whether it keeps the messages of blockers and
	// warnings: where it keeps words, but for endsRec.
	messages() bool
	// filters reports whether the walk checks network ACLs, security
	// groups and running states itself.
	filters() bool
	// hop records a hop.
	hop(w *walker, h Hop)
	// setHop replaces hop i, recorded earlier (the source's security
	// group, decided once the destination is known).
	setHop(w *walker, i int, h Hop)
	// block records a blocker, its message rendered when the recorder
	// keeps words.
	block(w *walker, b Blocker)
	// warn records a warning, as block does.
	warn(w *walker, x Warning)
	// cross records a subnet boundary the packet crosses (-1: outside
	// any subnet).
	cross(from, to int32)
	// taint records that the walk's course may from now on depend on
	// exact addresses.
	taint()
}

// explainRec records everything: the full explanation of Reach.
type explainRec struct{}

func (explainRec) words() bool    { return true }
func (explainRec) messages() bool { return true }
func (explainRec) filters() bool  { return true }

func (explainRec) hop(w *walker, h Hop) {
	if w.hops == nil {
		w.hops = make([]Hop, 0, 24)
	}
	w.hops = append(w.hops, h)
}

func (explainRec) setHop(w *walker, i int, h Hop) { w.hops[i] = h }

func (explainRec) block(w *walker, b Blocker) {
	for _, x := range w.blockers {
		if x.Code == b.Code && x.Component == b.Component && x.Message == b.Message {
			return
		}
	}
	w.blockers = append(w.blockers, b)
}

func (explainRec) warn(w *walker, x Warning) {
	w.warnings = append(w.warnings, x)
}

func (explainRec) cross(from, to int32) {}
func (explainRec) taint()               {}

// verdictRec records verdicts: blockers and warnings with their codes and
// components, no hop, no words.
type verdictRec struct{}

func (verdictRec) words() bool              { return false }
func (verdictRec) messages() bool           { return false }
func (verdictRec) filters() bool            { return true }
func (verdictRec) hop(*walker, Hop)         {}
func (verdictRec) setHop(*walker, int, Hop) {}
func (verdictRec) cross(from, to int32)     {}
func (verdictRec) taint()                   {}

func (verdictRec) warn(w *walker, x Warning) {
	w.warnings = append(w.warnings, Warning{Code: x.Code, Component: x.Component, Leg: x.Leg})
}

func (verdictRec) block(w *walker, b Blocker) {
	w.blockers = append(w.blockers, Blocker{Code: b.Code, Component: b.Component, Leg: b.Leg})
}

// traceRec records what identifies a path, for Trace: the hops with
// their kinds, components, decisions and directions, the blockers and
// warnings with their codes, components and legs; no words (rule text,
// messages, positions).
type traceRec struct{}

func (traceRec) words() bool    { return false }
func (traceRec) messages() bool { return false }
func (traceRec) filters() bool  { return true }

func (traceRec) hop(w *walker, h Hop) {
	if w.hops == nil {
		w.hops = make([]Hop, 0, 24)
	}
	w.hops = append(w.hops, h)
}

func (traceRec) setHop(w *walker, i int, h Hop) { w.hops[i] = h }
func (traceRec) cross(from, to int32)           {}
func (traceRec) taint()                         {}

func (traceRec) warn(w *walker, x Warning) {
	w.warnings = append(w.warnings, Warning{Code: x.Code, Component: x.Component, Leg: x.Leg})
}

func (traceRec) block(w *walker, b Blocker) {
	for _, x := range w.blockers {
		if x.Code == b.Code && x.Component == b.Component && x.Leg == b.Leg {
			return
		}
	}
	w.blockers = append(w.blockers, Blocker{Code: b.Code, Component: b.Component, Leg: b.Leg})
}

// pathRec records a path walk: the routing part of a verdict, with the
// security groups, running states and network ACLs left out, so that the
// whole-network matrix can share it between sources and destinations that
// every route treats alike (see matrix.go).
//
// A path walk's control flow depends on the packet's addresses only
// through the routes, CIDR blocks and ranges that routingAtoms draws its
// boundaries from, until something looks at one exact address (an
// interface lookup that does not deliver the packet to an instance or
// network interface, an internet gateway, the internet, an appliance, a
// gateway endpoint): from then on the walk is tainted. Which hops keep a
// path plain is decided here, from the hops alone (plainHop).
type pathRec struct {
	// crossings are the subnet boundaries crossed, in order, as crossACLs
	// saw them (from, to; -1 outside any subnet), before the same-subnet
	// test.
	crossings []crossing
	// blocked is set when anything blocked the walk; determined when
	// something blocked it before it was tainted.
	blocked, determined bool
	// tainted is set once the walk's course may depend on exact
	// addresses.
	tainted bool
	// notPlain is set when the packet was translated (NAT gateway,
	// internet gateway) or passed an appliance, a gateway endpoint or
	// anything but routes, subnets, peerings and transit gateways.
	notPlain bool
}

// crossing is one subnet boundary a path walk crossed.
type crossing struct{ from, to int32 }

func (r *pathRec) reset() {
	*r = pathRec{crossings: r.crossings[:0]}
}

func (*pathRec) words() bool              { return false }
func (*pathRec) messages() bool           { return false }
func (*pathRec) filters() bool            { return false }
func (*pathRec) setHop(*walker, int, Hop) {}
func (*pathRec) warn(*walker, Warning)    {}
func (r *pathRec) cross(from, to int32)   { r.crossings = append(r.crossings, crossing{from, to}) }
func (r *pathRec) taint()                 { r.tainted, r.notPlain = true, true }
func (r *pathRec) block(*walker, Blocker) {
	r.blocked = true
	if !r.tainted {
		r.determined = true
	}
}

func (r *pathRec) hop(_ *walker, h Hop) {
	switch plainHop(h) {
	case hopPlain:
	case hopTranslated:
		r.notPlain = true
	default:
		r.taint()
	}
}

// Path classes of hops, for pathRec.
const (
	// hopUnknown: anything not listed below; it may depend on exact
	// addresses.
	hopUnknown = iota
	// hopPlain: routing that depends on addresses only through routing
	// atoms, and delivery to an instance or network interface.
	hopPlain
	// hopTranslated: the packet leaves the plain path (translated, or out
	// to an external network), but how does not depend on exact
	// addresses.
	hopTranslated
)

// plainHop classifies a hop for a path walk. A drop follows a blocker,
// which decides the walk; filter hops are checked per pair by the matrix.
func plainHop(h Hop) int {
	if h.Decision == DecisionDrop {
		return hopPlain
	}
	switch h.Kind {
	case HopNetworkACL, HopSecurityGroup:
		return hopPlain
	case HopRouteTable, HopTGWRouteTable:
		if h.Decision == DecisionRoute {
			return hopPlain
		}
	case HopSubnet, HopPeeringConnection:
		if h.Decision == DecisionForward {
			return hopPlain
		}
	case HopTGWAttachment:
		switch h.Decision {
		case DecisionForward:
			return hopPlain
		case DecisionDeliver:
			return hopTranslated // out to the network behind it
		}
	case HopInstance, HopNetworkInterface:
		if h.Decision == DecisionDeliver {
			return hopPlain
		}
	case HopNATGateway:
		if h.Decision == DecisionTranslate {
			return hopTranslated
		}
	case HopExternalNetwork, HopVPNGateway:
		if h.Decision == DecisionDeliver || h.Decision == DecisionForward {
			return hopTranslated
		}
	case HopGWLBEndpoint, HopAppliance:
		// An appliance's inspection rules look at exact addresses and
		// ports, which routing atoms do not bound (V-22): never plain.
		return hopUnknown
	}
	return hopUnknown
}

// Compile-time checks that each recorder is one.
var (
	_ recorder = explainRec{}
	_ recorder = verdictRec{}
	_ recorder = (*pathRec)(nil)
)
