package solver

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"

	"go4.org/netipx"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/routing"
	"github.com/vpcreach/vpcreach/sgeval"
)

// Solver answers reachability questions about one model. New compiles the
// model once into immutable tables (route tables, filters, address
// indexes); a Solver is then safe for concurrent use, and the model must
// not change while it is in use.
type Solver struct {
	m *model.Model
	x *model.Index

	vpcs    []vpcInfo
	vpcByID map[model.ID]int32
	subnets []subnetInfo
	subnet  map[model.ID]int32
	enis    []eniInfo
	eni     map[model.ID]int32 // instance, instance's eni alias, network interface, NAT gateway ids
	groups  map[model.ID]*sgeval.SecurityGroup
	refs    map[model.ID]sgeval.GroupRef
	tgws    map[model.ID]*tgwInfo
	atts    map[model.ID]*attInfo
	// public maps a public IPv4 address (public IP, Elastic IP, NAT
	// gateway address) to the interface that holds it, and public6 a
	// global IPv6 address: apart, so that the IPv4 lookups (every
	// interface's, when classes are computed) read a map of thousands
	// rather than one of every dual-stack instance. Read them through
	// publicHolder.
	public, public6 map[netip.Addr]int32
	// externals holds the external networks, and externalVia the indexes
	// of those reached through each gateway or attachment.
	externals   []*model.ExternalNetwork
	externalVia map[model.ID][]int
	// nodes maps an interface endpoint or load balancer id to its
	// interfaces, one per subnet.
	nodes map[model.ID][]int32
	// services maps an endpoint service's id and name to it.
	services map[string]*model.EndpointService
	// lbService maps a load balancer id to the endpoint service it fronts.
	lbService map[model.ID]*model.EndpointService
	// texts holds the words of routes and rules, rendered once each, on
	// first use.
	texts texts
	// cls holds the equivalence classes, computed on first use.
	cls classState
	// layout is the matrix layout, built on first use (sharedLayout).
	layout struct {
		once sync.Once
		l    *matrixLayout
	}
	// eniClass maps each interface to its class of the layout (-1: none),
	// for EndHops; built once, on first use.
	eniClass struct {
		once sync.Once
		of   []int32
	}
	// v6blocks finds the VPC of an IPv6 address (vpcOfIPv6).
	v6blocks ipv6Blocks
	// private6 are the VPCs' private IPv6 blocks other than unique local
	// ones (private GUA, model.VPC.PrivateIPv6Blocks), masked, sorted: no
	// address in them is public (publicAddress, V-01). private6Set holds
	// them for lookup; nil when there is none.
	private6    []netip.Prefix
	private6Set *netipx.IPSet
	// host is the address "internet" stands for (see internetHost).
	host     netip.Addr
	hostOnce sync.Once
	// host6 is the IPv6 address "internet" stands for (internetHost6).
	host6     netip.Addr
	host6Once sync.Once
	// bounds6 holds the starts of the IPv6 atoms (atoms6).
	bounds6    []netip.Addr
	atoms6Once sync.Once
	// inet6 holds the IPv6 internet's atoms (internetAtoms6).
	inet6     []internetAtom6
	inet6Once sync.Once
	// outsideGroups holds the ids of security groups outside an imported
	// snapshot, and outsideRefs their sorted group refs.
	outsideGroups map[model.ID]bool
	outsideRefs   []sgeval.GroupRef
	// names indexes public DNS names, built on first use.
	names     *publicNames
	namesOnce sync.Once
	// owners finds the interface holding an address of no named VPC.
	owners addrOwners
	// assumed holds the addresses the model assumes (assumed_ips); nil
	// when it assumes none.
	assumed map[netip.Addr]*assumedAddr
	// edge maps an internet or virtual private gateway to its gateway
	// route table, if it has one (V-25).
	edge map[model.ID]*routing.Table
}

// texts caches the rendering of every route and rule, so that a query
// does not format them again.
type texts struct {
	routes    sync.Map // *routing.Table -> []ruleText
	tgwRoutes sync.Map // *routing.TGWTable -> []ruleText
	acl       sync.Map // ACL id -> [2][]ruleText: ingress, egress; by model index
	sg        sync.Map // group id -> [2][]ruleText
}

type ruleText struct {
	text string
	pos  model.Position
}

type vpcInfo struct {
	m       *model.VPC
	main    *routing.Table
	tables  map[model.ID]*routing.Table
	acl     map[model.ID]*sgeval.ACL
	defACL  *sgeval.ACL
	defSG   *sgeval.SecurityGroup
	addrs   map[netip.Addr]int32 // private address -> interface
	dnsAddr netip.Addr           // the Route 53 Resolver at base+2
	// tgwAttachment maps a transit gateway id to this VPC's attachment.
	tgwAttachment map[model.ID]*attInfo
}

type subnetInfo struct {
	m     *model.Subnet
	vpc   int32
	table *routing.Table
	acl   *sgeval.ACL
	// zone is the subnet's availability zone for matching across VPCs
	// (see resolveZones): a zone id when known (zoneExact), else the zone
	// name, which means the same zone only within one account.
	zone      string
	zoneExact bool
	// sameSubnet is the rule of the hop that delivers a packet within the
	// subnet (S-16), rendered once.
	sameSubnet string
	// ownRouted is set when the subnet's table has a route more specific
	// than the local route for part of the subnet's own CIDR: traffic
	// within the subnet ignores it (S-16), traffic from the table's other
	// subnets follows it.
	ownRouted bool
}

// eniKind says what an interface belongs to.
type eniKind uint8

const (
	eniInstance eniKind = iota + 1
	eniNetworkInterface
	eniNAT
	// eniEndpoint is an interface endpoint's interface in one subnet.
	eniEndpoint
	// eniLBNode is a load balancer's node in one subnet.
	eniLBNode
)

type eniInfo struct {
	id      model.ID // the id queries and hops use
	kind    eniKind
	vpc     int32
	subnet  int32
	primary netip.Addr
	addrs   []netip.Addr
	// v6 holds the interface's IPv6 addresses (also in addrs): public
	// ones are reached from the internet as they are (V-06).
	v6      []netip.Addr
	public  netip.Addr
	groups  []*sgeval.SecurityGroup
	refs    []sgeval.GroupRef // sorted
	srcDst  bool              // source/destination check on
	running bool
	// attached is set for an instance's interface and a network
	// interface attached to an instance: routes to it deliver (S-15).
	attached bool
	nat      *model.NATGateway
	src      model.Source
	// az is the zone of the interface's subnet.
	az       string
	endpoint *model.Endpoint
	lb       *model.LoadBalancer
	// host is the instance an instance's or attached interface's traffic
	// is handled by (its own id otherwise): an appliance keeps connection
	// state per host, whichever of its interfaces a packet uses.
	host model.ID
}

type tgwInfo struct {
	m      *model.TransitGateway
	tables map[model.ID]*routing.TGWTable
}

type attInfo struct {
	m     *model.TGWAttachment
	tgw   *tgwInfo
	vpc   int32 // -1 unless a vpc attachment
	azs   map[string]int32
	order []int32 // attachment subnets, sorted by AZ
	assoc *routing.TGWTable
}

// New compiles a validated model. It returns an error if the model does not
// validate.
func New(m *model.Model) (*Solver, error) {
	x, _ := model.NewIndex(m)
	return NewFromIndex(x)
}

// NewFromIndex is New for a model already indexed: it compiles x.Model()
// with x as its index (Index). It validates the model through x first,
// unless x already has (model.Index.Validated: Validate or Check through
// x found no errors), so that a caller that loaded and checked the model
// through its index does not pay for validation twice. The model must not
// have changed since x was built.
func NewFromIndex(x *model.Index) (*Solver, error) {
	if !x.Validated() {
		if err := x.Validate().Err(); err != nil {
			return nil, err
		}
	}
	m := x.Model()
	// The interfaces, sized once: at 5,000 VPCs growing the list and the
	// map by doubling was a third of compiling.
	// So for the public addresses: on a dual-stack network every global
	// IPv6 address of an instance is one (300,000 at 5,000 generated
	// VPCs, against 5,000 public IPv4 addresses).
	nENI, nPublic := 0, 0
	for vi := range m.VPCs {
		v := &m.VPCs[vi]
		nENI += len(v.Instances) + len(v.NetworkInterfaces) + len(v.NATGateways)
		// Endpoints and load balancers have an interface per subnet:
		// counted once each, the list outgrew its size and was copied.
		for i := range v.Endpoints {
			nENI += len(v.Endpoints[i].Subnets)
		}
		for i := range v.LoadBalancers {
			nENI += len(v.LoadBalancers[i].Subnets)
		}
		for i := range v.Instances {
			nPublic += len(v.Instances[i].IPv6Addresses)
		}
		for i := range v.NetworkInterfaces {
			nPublic += len(v.NetworkInterfaces[i].IPv6Addresses)
		}
	}
	s := &Solver{m: m, x: x, vpcByID: make(map[model.ID]int32, len(m.VPCs)), subnet: map[model.ID]int32{}, eni: make(map[model.ID]int32, nENI),
		enis:   make([]eniInfo, 0, nENI),
		groups: map[model.ID]*sgeval.SecurityGroup{}, refs: map[model.ID]sgeval.GroupRef{},
		tgws: map[model.ID]*tgwInfo{}, atts: map[model.ID]*attInfo{}, public: map[netip.Addr]int32{}, public6: make(map[netip.Addr]int32, nPublic),
		externalVia: map[model.ID][]int{}, nodes: map[model.ID][]int32{}, services: map[string]*model.EndpointService{},
		lbService: map[model.ID]*model.EndpointService{}}
	for vi := range m.VPCs {
		for _, b := range m.VPCs[vi].PrivateIPv6Blocks() {
			if !model.ULAPrefix().Overlaps(b) {
				s.private6 = append(s.private6, b.Masked())
			}
		}
	}
	slices.SortFunc(s.private6, func(a, b netip.Prefix) int { return a.Addr().Compare(b.Addr()) })
	if len(s.private6) > 0 {
		var pb netipx.IPSetBuilder
		for _, p := range s.private6 {
			pb.AddPrefix(p)
		}
		s.private6Set, _ = pb.IPSet()
	}
	for i := range m.EndpointServices {
		es := &m.EndpointServices[i]
		s.services[string(es.ID)] = es
		s.services[es.ServiceName()] = es
		for _, lb := range es.LoadBalancers {
			s.lbService[lb] = es
		}
	}
	for i := range m.ExternalNetworks {
		e := &m.ExternalNetworks[i]
		s.externals = append(s.externals, e)
		s.externalVia[e.Via] = append(s.externalVia[e.Via], i)
	}
	// Security groups first: rules reference each other by index.
	var ref sgeval.GroupRef
	for vi := range m.VPCs {
		for _, g := range m.VPCs[vi].SecurityGroups {
			s.refs[g.ID] = ref
			ref++
		}
	}
	defaultRefs := make([]sgeval.GroupRef, len(m.VPCs))
	for vi := range m.VPCs {
		defaultRefs[vi] = ref
		ref++
	}
	for vi := range m.VPCs {
		for gi := range m.VPCs[vi].SecurityGroups {
			g := &m.VPCs[vi].SecurityGroups[gi]
			s.groups[g.ID] = sgeval.CompileSG(g, s.refs[g.ID], s.resolver())
			if g.OutsideSnapshot {
				if s.outsideGroups == nil {
					s.outsideGroups = map[model.ID]bool{}
				}
				s.outsideGroups[g.ID] = true
				s.outsideRefs = append(s.outsideRefs, s.refs[g.ID])
			}
		}
	}
	slices.Sort(s.outsideRefs)
	for vi := range m.VPCs {
		s.compileVPC(vi, defaultRefs[vi])
	}
	s.resolveZones()
	s.compileEdges()
	for ti := range m.TransitGateways {
		s.compileTGW(&m.TransitGateways[ti])
	}
	s.compileAssumed()
	return s, nil
}

// rendered returns what cache keeps under key, rendered by render on
// first use; two goroutines may render it, and both use the first kept.
func rendered[T any](cache *sync.Map, key any, render func() T) T {
	if v, ok := cache.Load(key); ok {
		return v.(T)
	}
	v, _ := cache.LoadOrStore(key, render())
	return v.(T)
}

// routeWords returns the rendered text of a VPC route. The texts of a
// table's routes are rendered together, on first use, and kept: the
// whole-network analyses, which keep no words, never render any.
func (s *Solver) routeWords(t *routing.Table, r *routing.Route) (string, model.Position) {
	ts := rendered(&s.texts.routes, t, func() []ruleText {
		rs := t.Routes()
		out := make([]ruleText, len(rs))
		for i := range rs {
			out[i].text, out[i].pos = s.routeText(t, &rs[i])
		}
		return out
	})
	if r.Entry < len(ts) {
		return ts[r.Entry].text, ts[r.Entry].pos
	}
	return s.routeText(t, r)
}

// tgwRouteWords returns the rendered text of a transit gateway route, as
// routeWords does.
func (s *Solver) tgwRouteWords(t *routing.TGWTable, r *routing.TGWRoute) (string, model.Position) {
	ts := rendered(&s.texts.tgwRoutes, t, func() []ruleText {
		rs := t.Routes()
		out := make([]ruleText, len(rs))
		for i := range rs {
			out[i].text, out[i].pos = s.tgwRouteText(t, &rs[i])
		}
		return out
	})
	if r.Entry < len(ts) {
		return ts[r.Entry].text, ts[r.Entry].pos
	}
	return s.tgwRouteText(t, r)
}

// aclWords returns the rendered text of the rule an ACL decision names;
// an ACL's rules are rendered together, on first use.
func (s *Solver) aclWords(acl *sgeval.ACL, dir sgeval.Direction, d sgeval.ACLDecision) (string, model.Position) {
	ts := rendered(&s.texts.acl, acl.ID, func() [2][]ruleText {
		var both [2][]ruleText
		if a := s.x.NetworkACL(acl.ID); a != nil {
			for di, rules := range [][]model.ACLRule{a.Ingress, a.Egress} {
				dir := []sgeval.Direction{sgeval.Ingress, sgeval.Egress}[di]
				for i, r := range rules {
					text, pos := s.aclRuleText(acl, dir, sgeval.ACLDecision{Allowed: r.Action == model.ACLAllow, Number: r.Rule, Index: i})
					both[di] = append(both[di], ruleText{text, pos})
				}
			}
		}
		return both
	})
	if t, ok := cachedRule(ts, dir, d.Index); ok {
		return t.text, t.pos
	}
	return s.aclRuleText(acl, dir, d)
}

// sgWords returns the rendered text of the rule a group decision names;
// a group's rules are rendered together, on first use.
func (s *Solver) sgWords(dir sgeval.Direction, d sgeval.SGDecision) (string, model.Position) {
	ts := rendered(&s.texts.sg, d.Group, func() [2][]ruleText {
		var both [2][]ruleText
		if g := s.x.SecurityGroup(d.Group); g != nil {
			for i := range g.Ingress {
				text, pos := s.sgRuleText(sgeval.Ingress, sgeval.SGDecision{Allowed: true, Group: g.ID, Index: i})
				both[0] = append(both[0], ruleText{text, pos})
			}
			for i := range g.Egress {
				text, pos := s.sgRuleText(sgeval.Egress, sgeval.SGDecision{Allowed: true, Group: g.ID, Index: i})
				both[1] = append(both[1], ruleText{text, pos})
			}
		}
		return both
	})
	if t, ok := cachedRule(ts, dir, d.Index); ok {
		return t.text, t.pos
	}
	return s.sgRuleText(dir, d)
}

// cachedRule returns the rendered rule at index of an ACL's or group's
// rules (ingress, egress) in direction dir, if there is one (implicit
// rules, index -1, are not rendered ahead).
func cachedRule(ts [2][]ruleText, dir sgeval.Direction, index int) (ruleText, bool) {
	if index < 0 {
		return ruleText{}, false
	}
	side := ts[0]
	if dir == sgeval.Egress {
		side = ts[1]
	}
	if index >= len(side) {
		return ruleText{}, false
	}
	return side[index], true
}

// publicHolder returns the interface that holds public address a.
func (s *Solver) publicHolder(a netip.Addr) (int32, bool) {
	m := s.public
	if !a.Is4() {
		m = s.public6
	}
	e, ok := m[a]
	return e, ok
}

// setPublic records that interface e holds public address a.
func (s *Solver) setPublic(a netip.Addr, e int32) {
	if a.Is4() {
		s.public[a] = e
	} else {
		s.public6[a] = e
	}
}

// vpcAddrs counts the private addresses of a VPC's instances and network
// interfaces, IPv4 and IPv6, to size its address map.
func vpcAddrs(v *model.VPC) int {
	n := 0
	for i := range v.Instances {
		n += 1 + len(v.Instances[i].SecondaryIPs) + len(v.Instances[i].IPv6Addresses)
	}
	for i := range v.NetworkInterfaces {
		n += 1 + len(v.NetworkInterfaces[i].SecondaryIPs) + len(v.NetworkInterfaces[i].IPv6Addresses)
	}
	return n
}

func (s *Solver) compileVPC(vi int, defaultRef sgeval.GroupRef) {
	v := &s.m.VPCs[vi]
	info := vpcInfo{m: v, tables: map[model.ID]*routing.Table{}, acl: map[model.ID]*sgeval.ACL{},
		addrs: make(map[netip.Addr]int32, vpcAddrs(v)), tgwAttachment: map[model.ID]*attInfo{}}
	s.vpcByID[v.ID] = int32(vi)
	firstENI := len(s.enis)
	for i := range v.RouteTables {
		rt := &v.RouteTables[i]
		t := routing.CompileVPCTable(v, rt, s.resolver())
		info.tables[rt.ID] = t
		if rt.Main {
			info.main = t
		}
	}
	if info.main == nil {
		info.main = routing.CompileVPCTable(v, nil, s.resolver())
	}
	for i := range v.NetworkACLs {
		a := &v.NetworkACLs[i]
		c := sgeval.CompileACL(a)
		info.acl[a.ID] = c
		if a.Default {
			info.defACL = c
		}
	}
	if info.defACL == nil {
		info.defACL = sgeval.DefaultACL(model.ID(string(v.ID)+"/default-acl"), v.HasIPv6())
	}
	for _, g := range v.SecurityGroups {
		if g.Default {
			info.defSG = s.groups[g.ID]
		}
	}
	if info.defSG == nil {
		info.defSG = sgeval.DefaultSG(model.ID(string(v.ID)+"/default-sg"), defaultRef)
	}
	if len(v.CIDRBlocks) > 0 {
		info.dnsAddr = v.CIDRBlocks[0].Addr().Next().Next()
	}
	s.vpcs = append(s.vpcs, info)
	for i := range v.Subnets {
		sn := &v.Subnets[i]
		si := subnetInfo{m: sn, vpc: int32(vi), table: info.main, acl: info.defACL}
		if rt := v.RouteTableOf(sn); rt != nil {
			si.table = info.tables[rt.ID]
		}
		if a := v.NetworkACLOf(sn); a != nil {
			si.acl = info.acl[a.ID]
		}
		si.ownRouted = routesAwayFromLocal(si.table, v.CIDRBlocks, sn.CIDRBlock) ||
			routesAwayFromLocal(si.table, v.IPv6CIDRBlocks, sn.IPv6CIDRBlock)
		block := sn.CIDRBlock
		if !block.IsValid() {
			block = sn.IPv6CIDRBlock // an IPv6-only subnet (V-03)
		}
		si.sameSubnet = "same subnet (" + block.String() + "): delivered directly; its route table does not apply (S-16)"
		s.subnet[sn.ID] = int32(len(s.subnets))
		s.subnets = append(s.subnets, si)
	}
	addENI := func(e eniInfo, ids ...model.ID) {
		idx := int32(len(s.enis))
		s.enis = append(s.enis, e)
		for _, id := range ids {
			if id != "" {
				s.eni[id] = idx
			}
		}
		for _, a := range e.addrs {
			s.vpcs[vi].addrs[a] = idx
		}
		if e.public.IsValid() {
			s.setPublic(e.public, idx)
		}
		for _, a := range e.v6 {
			// The IPv6 addresses of interface endpoints and internal load
			// balancers are not reached from the internet (S-82, V-33).
			if s.publicAddress(a) && e.kind != eniEndpoint && (e.kind != eniLBNode || e.lb.Scheme == model.SchemeInternetFacing) {
				s.setPublic(a, idx)
			}
		}
	}
	iface := func(in *model.Interface) eniInfo {
		e := eniInfo{vpc: int32(vi), subnet: s.subnet[in.Subnet], primary: in.PrivateIP, public: in.PublicAddress(),
			srcDst: in.SourceDestCheckEnabled(), running: true}
		e.addrs = in.Addrs()
		e.v6 = in.IPv6Addresses
		e.groups, e.refs = s.groupsOf(in.SecurityGroups, s.vpcs[vi].defSG)
		return e
	}
	for i := range v.Instances {
		in := &v.Instances[i]
		e := iface(&in.Interface)
		e.id, e.kind, e.running, e.src, e.host = in.ID, eniInstance, in.State == model.InstanceRunning, in.Source, in.ID
		e.attached = true
		addENI(e, in.ID, in.ENI)
	}
	for i := range v.NetworkInterfaces {
		ni := &v.NetworkInterfaces[i]
		e := iface(&ni.Interface)
		e.id, e.kind, e.src, e.host = ni.ID, eniNetworkInterface, ni.Source, ni.ID
		if ni.Instance != "" {
			e.host, e.attached = ni.Instance, true
			if in := s.x.Instance(ni.Instance); in != nil {
				e.running = in.State == model.InstanceRunning
			}
		}
		addENI(e, ni.ID)
	}
	for i := range v.NATGateways {
		n := &v.NATGateways[i]
		addENI(eniInfo{id: n.ID, kind: eniNAT, vpc: int32(vi), subnet: s.subnet[n.Subnet], primary: n.PrivateIP,
			addrs: []netip.Addr{n.PrivateIP}, public: n.PublicIP, running: true, nat: n, src: n.Source}, n.ID)
	}
	// Interface endpoints and load balancers have one interface per
	// subnet. Addresses written in the model are claimed first; the others
	// get the highest free addresses of their subnets.
	// A dualstack or ipv6 node also has an IPv6 address of its subnet's
	// block (V-30, V-33): written, or the highest free one.
	type node struct {
		e     eniInfo
		owner model.ID
		auto  bool
		four  bool // has an IPv4 address
		six   bool // has an IPv6 address
	}
	var nodes []node
	for i := range v.Endpoints {
		ep := &v.Endpoints[i]
		if ep.Type == model.EndpointGateway {
			continue
		}
		groups, refs := s.groupsOf(ep.SecurityGroups, s.vpcs[vi].defSG)
		t := ep.AddressType()
		if ep.Type != model.EndpointInterface && t != model.IPAddressIPv6 {
			// A Gateway Load Balancer endpoint is placed by its IPv4
			// address, unless it is ipv6 (in an IPv6-only subnet, V-30).
			t = model.IPAddressIPv4
		}
		for j, sn := range ep.Subnets {
			e := eniInfo{id: ep.ID, kind: eniEndpoint, vpc: int32(vi), subnet: s.subnet[sn], groups: groups, refs: refs,
				srcDst: true, running: true, src: ep.Source, endpoint: ep}
			if j < len(ep.PrivateIPs) && t.HasIPv4() {
				e.primary = ep.PrivateIPs[j]
			}
			if j < len(ep.IPv6IPs) && t.HasIPv6() {
				e.v6 = []netip.Addr{ep.IPv6IPs[j]}
			}
			n := node{e: e, owner: ep.ID, four: t.HasIPv4(), six: t.HasIPv6()}
			n.auto = (n.four && !e.primary.IsValid()) || (n.six && len(e.v6) == 0)
			nodes = append(nodes, n)
		}
	}
	for i := range v.LoadBalancers {
		lb := &v.LoadBalancers[i]
		var groups []*sgeval.SecurityGroup
		var refs []sgeval.GroupRef
		if len(lb.SecurityGroups) > 0 {
			groups, refs = s.groupsOf(lb.SecurityGroups, nil)
		}
		six := lb.AddressType().HasIPv6()
		for j, sn := range lb.Subnets {
			e := eniInfo{id: lb.ID, kind: eniLBNode, vpc: int32(vi), subnet: s.subnet[sn], groups: groups, refs: refs,
				srcDst: true, running: true, src: lb.Source, lb: lb}
			if j < len(lb.PrivateIPs) {
				e.primary = lb.PrivateIPs[j]
			}
			if j < len(lb.IPv6IPs) && six {
				e.v6 = []netip.Addr{lb.IPv6IPs[j]}
			}
			if lb.PublicIPv4() {
				if j < len(lb.PublicIPs) {
					e.public = lb.PublicIPs[j]
				} else {
					// AWS gives every node of an internet-facing load
					// balancer a public address (S-82); the topology
					// need not write it.
					e.public = s.placeholderPublic(lb.ID, j)
				}
			}
			nodes = append(nodes, node{e: e, owner: lb.ID, auto: !e.primary.IsValid() || (six && len(e.v6) == 0), four: true, six: six})
		}
	}
	for pass := 0; pass < 2; pass++ {
		for _, n := range nodes {
			if n.auto != (pass == 1) {
				continue
			}
			e := n.e
			if n.four && !e.primary.IsValid() {
				e.primary = s.freeAddress(int32(vi), e.subnet)
			}
			if n.six && len(e.v6) == 0 {
				if a := s.freeAddress6(int32(vi), e.subnet); a.IsValid() {
					e.v6 = []netip.Addr{a}
				}
			}
			if n.four && !e.primary.IsValid() || !e.primary.IsValid() && len(e.v6) == 0 {
				continue
			}
			e.addrs = nil
			if e.primary.IsValid() {
				e.addrs = append(e.addrs, e.primary)
			}
			e.addrs = append(e.addrs, e.v6...)
			e.az = s.subnets[e.subnet].m.AZ
			s.nodes[n.owner] = append(s.nodes[n.owner], int32(len(s.enis)))
			addENI(e)
		}
	}
	// The VPC's interfaces are the ones added since firstENI: compileVPC
	// runs once per VPC, in order, and adds only its own.
	for i := firstENI; i < len(s.enis); i++ {
		s.enis[i].az = s.subnets[s.enis[i].subnet].m.AZ
	}
}

// routesAwayFromLocal reports whether table t may route some address of p,
// a subnet's CIDR inside one of blocks (the VPC's CIDR blocks), elsewhere
// than local: a route more specific than the local route, or one that
// replaces it (and, to be safe, an equal one that loses to it).
func routesAwayFromLocal(t *routing.Table, blocks []netip.Prefix, p netip.Prefix) bool {
	if !p.IsValid() {
		return false // no block of this family: nothing to route away
	}
	bits := -1
	for _, b := range blocks {
		if b.Overlaps(p) {
			bits = b.Bits()
		}
	}
	for r := range t.All() {
		if r.Kind != routing.TargetLocal && r.Destination.Overlaps(p) && r.Destination.Bits() >= bits {
			return true
		}
	}
	return false
}

// placeholderPublic returns a stable public address for node j of an
// internet-facing load balancer written without public_ips: in
// 15.192.0.0/10, skipping addresses the model uses.
func (s *Solver) placeholderPublic(id model.ID, j int) netip.Addr {
	h := hash16(string(id)) ^ uint32(j)*40503
	for k := uint32(0); ; k++ {
		x := uint32(15)<<24 | 192<<16 | ((h+k*7919)&0x3fffff | 1)
		a := u32Addr(x)
		if _, used := s.publicHolder(a); !used {
			return a
		}
	}
}

// freeAddress returns the highest address of a subnet that no interface of
// its VPC holds and AWS does not reserve (S-02), or the zero Addr.
func (s *Solver) freeAddress(vpc, sn int32) netip.Addr {
	c := s.subnets[sn].m.CIDRBlock
	reserved := model.ReservedAddresses(c)
	for a := reserved[4].Prev(); c.Contains(a) && !slices.Contains(reserved, a); a = a.Prev() {
		if _, used := s.vpcs[vpc].addrs[a]; !used {
			return a
		}
	}
	return netip.Addr{}
}

// freeAddress6 returns the highest address of a subnet's IPv6 block that
// no interface of its VPC holds and AWS does not reserve (V-02), or the
// zero Addr.
func (s *Solver) freeAddress6(vpc, sn int32) netip.Addr {
	c := s.subnets[sn].m.IPv6CIDRBlock
	if !c.IsValid() {
		return netip.Addr{}
	}
	reserved := model.ReservedAddresses(c)
	for a := reserved[4].Prev(); c.Contains(a) && !slices.Contains(reserved, a); a = a.Prev() {
		if _, used := s.vpcs[vpc].addrs[a]; !used {
			return a
		}
	}
	return netip.Addr{}
}

// groupsOf compiles an interface's groups, or the VPC's default group.
func (s *Solver) groupsOf(ids []model.ID, def *sgeval.SecurityGroup) ([]*sgeval.SecurityGroup, []sgeval.GroupRef) {
	if len(ids) == 0 {
		if def == nil {
			return nil, nil
		}
		return []*sgeval.SecurityGroup{def}, []sgeval.GroupRef{def.Ref}
	}
	gs := make([]*sgeval.SecurityGroup, 0, len(ids))
	refs := make([]sgeval.GroupRef, 0, len(ids))
	for _, id := range ids {
		if g := s.groups[id]; g != nil {
			gs = append(gs, g)
			refs = append(refs, g.Ref)
		}
	}
	slices.Sort(refs)
	return gs, refs
}

func (s *Solver) compileTGW(t *model.TransitGateway) {
	info := &tgwInfo{m: t, tables: map[model.ID]*routing.TGWTable{}}
	s.tgws[t.ID] = info
	for i := range t.RouteTables {
		rt := &t.RouteTables[i]
		info.tables[rt.ID] = routing.CompileTGWTable(t, rt, s.resolver())
	}
	for i := range t.Attachments {
		a := &t.Attachments[i]
		ai := &attInfo{m: a, tgw: info, vpc: -1, azs: map[string]int32{}, assoc: info.tables[t.AssociationOf(*a)]}
		if a.Type == model.AttachmentVPC {
			if vi, ok := s.vpcByID[a.VPC]; ok {
				ai.vpc = vi
				s.vpcs[vi].tgwAttachment[t.ID] = ai
			}
			for _, sn := range a.Subnets {
				if idx, ok := s.subnet[sn]; ok {
					ai.azs[s.subnets[idx].zone] = idx
					ai.order = append(ai.order, idx)
				}
			}
			slices.SortFunc(ai.order, func(x, y int32) int { return strings.Compare(s.subnets[x].m.AZ, s.subnets[y].m.AZ) })
		}
		s.atts[a.ID] = ai
	}
}

// resolveZones gives every subnet its zone key: its zone id when given,
// else the id another subnet of the same account gives for the same zone
// name (names map to zones per account), else the name itself.
func (s *Solver) resolveZones() {
	ids := map[[2]string]string{} // account, zone name -> zone id
	for _, si := range s.subnets {
		if si.m.AZID != "" {
			ids[[2]string{string(s.vpcs[si.vpc].m.Account), si.m.AZ}] = si.m.AZID
		}
	}
	for i := range s.subnets {
		si := &s.subnets[i]
		si.zone, si.zoneExact = si.m.AZ, false
		if id, ok := ids[[2]string{string(s.vpcs[si.vpc].m.Account), si.m.AZ}]; ok {
			si.zone, si.zoneExact = id, true
		}
		if si.m.AZID != "" {
			si.zone, si.zoneExact = si.m.AZID, true
		}
	}
}

// Index returns the index of the model the solver was built from.
func (s *Solver) Index() *model.Index { return s.x }

// SameZone reports whether subnets a and b (by id) are in one
// availability zone, and whether that can be told: zone ids known (given,
// or given by another subnet of the account for the same zone name), or
// one account, whose zone names mean the same zones (S-51, S-74).
func (s *Solver) SameZone(a, b model.ID) (same, comparable bool) {
	ia, okA := s.subnet[a]
	ib, okB := s.subnet[b]
	if !okA || !okB {
		return false, false
	}
	return s.sameZone(ia, ib)
}

// sameZone reports whether subnets a and b are in one availability zone,
// and whether that can be told: zone ids known for both, or one account
// (whose zone names mean the same zones).
func (s *Solver) sameZone(a, b int32) (same, comparable bool) {
	sa, sb := &s.subnets[a], &s.subnets[b]
	if sa.zoneExact && sb.zoneExact {
		return sa.zone == sb.zone, true
	}
	return sa.m.AZ == sb.m.AZ, s.vpcs[sa.vpc].m.Account == s.vpcs[sb.vpc].m.Account
}

// describe returns a readable name for an interface.
func (e *eniInfo) describe() string {
	if e.kind == eniEndpoint || e.kind == eniLBNode {
		a := e.primary
		if !a.IsValid() && len(e.v6) > 0 {
			a = e.v6[0] // an ipv6 endpoint (V-30)
		}
		return fmt.Sprintf("%s (%s in %s)", e.id, a, e.az)
	}
	if !e.primary.IsValid() && len(e.v6) > 0 {
		return fmt.Sprintf("%s (%s)", e.id, e.v6[0])
	}
	return fmt.Sprintf("%s (%s)", e.id, e.primary)
}
