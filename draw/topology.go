package draw

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

// TopologyOptions choose what Topology draws.
type TopologyOptions struct {
	// VPCs, when not empty, selects a neighbourhood: these VPCs in full,
	// and the VPCs they reach directly (over a peering connection, a
	// transit gateway they share, or PrivateLink to a service whose load
	// balancers live there) as single nodes.
	VPCs []model.ID
	// MaxNodes is the largest number of nodes a picture in full may have;
	// a network that needs more, without VPCs, is drawn as VPCs and their
	// connections only, and the picture's Notes say so. Zero means
	// DefaultMaxNodes; negative, no limit.
	MaxNodes int
}

// DefaultMaxNodes is the number of nodes beyond which a whole network is
// drawn as VPCs and their connections only: about what a screen-wide
// Mermaid or Graphviz picture keeps readable.
const DefaultMaxNodes = 150

// maxOverviewNodes is the number of nodes beyond which even the VPCs
// alone are too many to read.
const maxOverviewNodes = 120

// Topology draws a network: accounts and regions as clusters, VPCs as
// clusters in them, subnets (with their zone and CIDR) inside the VPCs
// holding their instances, network interfaces and NAT gateways; each VPC's
// router, internet and VPN gateways, endpoints and load balancers beside
// its subnets; transit gateways and endpoint services in their account's
// region; the internet, AWS services and external networks outside.
// Peering connections, transit gateway attachments (and peerings), gateway
// and endpoint connections, load balancers' targets and endpoint services'
// load balancers are the edges, labelled by id. Every resource shows its
// id, with its AWS id and name where it has them.
//
// A network larger than opts.MaxNodes (without opts.VPCs) is drawn as its
// VPCs and their connections only, with a note; opts.VPCs draws a
// neighbourhood instead. A VPC id that is not in the model is an error,
// with the nearest id. The picture is the same for the same model.
func Topology(m *model.Model, opts TopologyOptions) (*Picture, error) {
	x, diags := model.NewIndex(m)
	if errs := diags.Errors(); len(errs) > 0 {
		return nil, fmt.Errorf("draw: %s", errs[0].Error())
	}
	for _, id := range opts.VPCs {
		if x.VPC(id) == nil {
			return nil, fmt.Errorf("unknown VPC %q%s", id, nearest(string(id), x.IDs(model.KindVPC)))
		}
	}
	max := opts.MaxNodes
	if max == 0 {
		max = DefaultMaxNodes
	}
	t := &topo{x: x, m: m, p: &Picture{name: "topology"}, vpcNode: map[model.ID]int{}, regionCluster: map[[2]string]int{},
		accountCluster: map[model.ID]int{}, named: map[string]int{}}
	if len(opts.VPCs) > 0 {
		t.full = map[model.ID]bool{}
		for _, id := range opts.VPCs {
			t.full[id] = true
		}
		t.neighbourhood()
		return t.p, nil
	}
	t.full = map[model.ID]bool{}
	for i := range m.VPCs {
		t.full[m.VPCs[i].ID] = true
	}
	t.drawAll()
	if n, _ := t.p.Size(); max > 0 && n > max {
		// Too large to read in full: VPCs and their connections only.
		t = &topo{x: x, m: m, p: &Picture{name: "topology"}, vpcNode: map[model.ID]int{}, regionCluster: map[[2]string]int{},
			accountCluster: map[model.ID]int{}, named: map[string]int{}, full: map[model.ID]bool{}}
		t.drawAll()
		nv, _ := t.p.Size()
		t.p.notes = append(t.p.notes, fmt.Sprintf("%d nodes are too many to read in one picture: showing the %s and their connections only; draw a VPC and its neighbours in full with --vpc ID",
			n, plural(len(m.VPCs), "VPC")))
		if nv > maxOverviewNodes {
			t.p.notes = append(t.p.notes, fmt.Sprintf("even the VPCs alone make %d nodes, too many to read: draw a neighbourhood with --vpc ID", nv))
		}
	}
	return t.p, nil
}

// topo builds a topology picture.
type topo struct {
	x *model.Index
	m *model.Model
	p *Picture
	// full holds the VPCs drawn in full; the others are single nodes.
	full map[model.ID]bool
	// vpcNode is the node standing for each drawn VPC: its router when
	// drawn in full, else the VPC itself.
	vpcNode        map[model.ID]int
	regionCluster  map[[2]string]int // (account, region)
	accountCluster map[model.ID]int
	// named holds nodes drawn once for the whole picture: the internet,
	// AWS services, external networks, transit gateways, endpoint
	// services, instances, by key.
	named map[string]int
}

// drawAll draws every VPC (in full or not, as t.full says) and every
// connection between them.
func (t *topo) drawAll() {
	for i := range t.m.VPCs {
		t.vpc(&t.m.VPCs[i])
	}
	t.connections(func(model.ID) bool { return true })
}

// neighbourhood draws t.full's VPCs in full and the VPCs they reach as
// single nodes.
func (t *topo) neighbourhood() {
	near := map[model.ID]bool{}
	for _, pc := range t.m.PeeringConnections {
		if t.full[pc.Requester] {
			near[pc.Accepter] = true
		}
		if t.full[pc.Accepter] {
			near[pc.Requester] = true
		}
	}
	for _, g := range t.m.TransitGateways {
		shared := slices.ContainsFunc(g.Attachments, func(a model.TGWAttachment) bool { return t.full[a.VPC] })
		if !shared {
			continue
		}
		for _, a := range g.Attachments {
			if a.VPC != "" {
				near[a.VPC] = true
			}
		}
	}
	for id := range t.full {
		for _, ep := range t.x.VPC(id).Endpoints {
			if svc := t.x.EndpointServiceFor(ep.Service); svc != nil {
				for _, lb := range svc.LoadBalancers {
					if v := t.x.OwnerVPC(lb); v != nil {
						near[v.ID] = true
					}
				}
			}
		}
	}
	for i := range t.m.VPCs {
		if v := &t.m.VPCs[i]; t.full[v.ID] || near[v.ID] {
			t.vpc(v)
		}
	}
	t.connections(func(id model.ID) bool { return t.full[id] || near[id] })
}

// named returns the text for a resource: "id", "id (aws-id)", "id (name)"
// or "id (aws-id, name)".
func (t *topo) label(id model.ID) string {
	var also []string
	if a := t.x.AWSID(id); a != "" && a != id {
		also = append(also, string(a))
	}
	if n := t.x.Name(id); n != "" && n != string(id) {
		also = append(also, n)
	}
	if len(also) == 0 {
		return string(id)
	}
	return string(id) + " (" + strings.Join(also, ", ") + ")"
}

// region returns the cluster of an account's region, creating it (and
// the account's cluster) on first use. Without an account the region is
// a top-level cluster.
func (t *topo) region(account model.ID, region string) int {
	key := [2]string{string(account), region}
	if c, ok := t.regionCluster[key]; ok {
		return c
	}
	parent := -1
	if account != "" {
		a, ok := t.accountCluster[account]
		if !ok {
			a = t.p.addCluster(-1, "account "+t.label(account))
			t.accountCluster[account] = a
		}
		parent = a
	}
	c := t.p.addCluster(parent, region)
	t.regionCluster[key] = c
	return c
}

// once returns the node drawn for key, drawing it with add the first
// time.
func (t *topo) once(key string, add func() int) int {
	if n, ok := t.named[key]; ok {
		return n
	}
	n := add()
	t.named[key] = n
	return n
}

// vpcCIDRs returns a VPC's blocks in words: IPv4, then IPv6.
func vpcCIDRs(v *model.VPC) string {
	var s []string
	for _, c := range append(slices.Clone(v.CIDRBlocks), v.IPv6CIDRBlocks...) {
		s = append(s, c.String())
	}
	return strings.Join(s, ", ")
}

// subnetCIDRs returns a subnet's blocks in words: its IPv4 block, its IPv6
// block, or both (an IPv6-only subnet has no IPv4 block).
func subnetCIDRs(sn *model.Subnet) string {
	var s []string
	for _, c := range []netip.Prefix{sn.CIDRBlock, sn.IPv6CIDRBlock} {
		if c.IsValid() {
			s = append(s, c.String())
		}
	}
	return strings.Join(s, ", ")
}

// interfaceAddrs returns an interface's addresses in words: private IPv4
// (if any), public IPv4 (if any), IPv6.
func interfaceAddrs(in *model.Interface, public netip.Addr) string {
	var s []string
	for _, a := range append([]netip.Addr{in.PrivateIP, public}, in.IPv6Addresses...) {
		if a.IsValid() {
			s = append(s, a.String())
		}
	}
	return strings.Join(s, ", ")
}

// vpc draws one VPC: in full (a cluster with its subnets and resources)
// or as one node.
func (t *topo) vpc(v *model.VPC) {
	rc := t.region(v.Account, v.Region)
	if !t.full[v.ID] {
		lines := []string{"VPC " + t.label(v.ID), vpcCIDRs(v)}
		if v.InternetGateway != "" {
			lines = append(lines, "internet gateway "+string(v.InternetGateway))
		}
		t.vpcNode[v.ID] = t.p.addNode(rc, shapeHexagon, lines...)
		return
	}
	vc := t.p.addCluster(rc, "VPC "+t.label(v.ID))
	router := t.p.addNode(vc, shapeHexagon, "router", vpcCIDRs(v))
	t.vpcNode[v.ID] = router
	subnetCluster := map[model.ID]int{}
	for i := range v.Subnets {
		sn := &v.Subnets[i]
		zone := sn.AZ
		if sn.AZID != "" {
			zone += " (" + sn.AZID + ")"
		}
		subnetCluster[sn.ID] = t.p.addCluster(vc, "subnet "+t.label(sn.ID), zone+" "+subnetCIDRs(sn))
	}
	in := func(subnet model.ID) int {
		if c, ok := subnetCluster[subnet]; ok {
			return c
		}
		return vc
	}
	if v.InternetGateway != "" {
		igw := t.p.addNode(vc, shapeRound, "internet gateway", t.label(v.InternetGateway))
		t.p.addEdge(router, igw, edgeLine, "")
		t.p.addEdge(igw, t.internet(), edgeLine, "")
		t.named["igw:"+string(v.InternetGateway)] = igw
	}
	if v.EgressOnlyInternetGateway != "" {
		eigw := t.p.addNode(vc, shapeRound, "egress-only internet gateway", t.label(v.EgressOnlyInternetGateway))
		t.p.addEdge(router, eigw, edgeLine, "")
		t.p.addEdge(eigw, t.internet(), edgeLine, "IPv6 out")
		t.named["eigw:"+string(v.EgressOnlyInternetGateway)] = eigw
	}
	if v.VPNGateway != "" {
		vgw := t.p.addNode(vc, shapeRound, "VPN gateway", t.label(v.VPNGateway))
		t.p.addEdge(router, vgw, edgeLine, "")
		t.named["via:"+string(v.VPNGateway)] = vgw
	}
	for i := range v.NATGateways {
		n := &v.NATGateways[i]
		addr := n.PrivateIP.String()
		if n.PublicIP.IsValid() {
			addr += ", " + n.PublicIP.String()
		}
		nat := t.p.addNode(in(n.Subnet), shapeRound, "NAT gateway "+t.label(n.ID), string(n.Connectivity.String())+" "+addr)
		if igw, ok := t.named["igw:"+string(v.InternetGateway)]; ok && n.Connectivity == model.NATPublic {
			t.p.addEdge(nat, igw, edgeDotted, "")
		}
	}
	for i := range v.Instances {
		in0 := &v.Instances[i]
		lines := []string{"instance " + t.label(in0.ID), interfaceAddrs(&in0.Interface, in0.PublicAddress())}
		if in0.State != model.InstanceRunning {
			lines = append(lines, in0.State.String())
		}
		t.named["target:"+string(in0.ID)] = t.p.addNode(in(in0.Subnet), shapeBox, lines...)
	}
	for i := range v.NetworkInterfaces {
		n := &v.NetworkInterfaces[i]
		lines := []string{"network interface " + t.label(n.ID), interfaceAddrs(&n.Interface, netip.Addr{})}
		if n.Instance != "" {
			lines = append(lines, "attached to "+string(n.Instance))
		}
		t.named["target:"+string(n.ID)] = t.p.addNode(in(n.Subnet), shapeBox, lines...)
	}
	for i := range v.Endpoints {
		ep := &v.Endpoints[i]
		lines := []string{ep.Type.String() + " endpoint " + t.label(ep.ID), ep.Service}
		if len(ep.Subnets) > 0 {
			lines = append(lines, t.zones(ep.Subnets))
		}
		n := t.p.addNode(vc, shapeRound, lines...)
		t.named["endpoint:"+string(ep.ID)] = n
		if ep.Type == model.EndpointGateway {
			t.p.addEdge(router, n, edgeLine, "")
		}
		if svc := t.x.EndpointServiceFor(ep.Service); svc != nil {
			state := ""
			if ep.State != 0 && ep.State != model.EndpointAvailable {
				state = ep.State.String()
			}
			style := edgeArrow
			if state != "" {
				style = edgeDotted
			}
			t.p.addEdge(n, t.endpointService(svc), style, state)
		} else {
			t.p.addEdge(n, t.service(ep.Service), edgeArrow, "")
		}
	}
	for i := range v.LoadBalancers {
		lb := &v.LoadBalancers[i]
		lines := []string{lb.Type.String() + " load balancer " + t.label(lb.ID), lb.Scheme.String() + ", " + t.zones(lb.Subnets)}
		if lb.CrossZone {
			lines = append(lines, "cross-zone")
		}
		n := t.p.addNode(vc, shapeRound, lines...)
		t.named["lb:"+string(lb.ID)] = n
		t.named["target:"+string(lb.ID)] = n
		if lb.Scheme == model.SchemeInternetFacing {
			t.p.addEdge(t.internet(), n, edgeArrow, "")
		}
	}
	// Targets after every node of the VPC exists.
	for i := range v.LoadBalancers {
		lb := &v.LoadBalancers[i]
		for _, l := range lb.Listeners {
			tg := t.x.TargetGroup(l.TargetGroup)
			if tg == nil {
				continue
			}
			for _, target := range tg.Targets {
				port := target.Port
				if port == 0 {
					port = tg.Port
				}
				label := fmt.Sprintf("%s %s/%d", tg.ID, tg.Protocol, port)
				to, ok := t.named["target:"+string(target.ID)]
				if target.IP.IsValid() {
					to, ok = t.ipTarget(vc, target.IP.String()), true
				}
				if !ok {
					continue
				}
				style := edgeArrow
				if target.Health != model.HealthHealthy {
					style, label = edgeDotted, label+" "+target.Health.String()
				}
				t.p.addEdge(t.named["lb:"+string(lb.ID)], to, style, label)
			}
		}
	}
}

// zones returns the zones of a resource's subnets, in order.
func (t *topo) zones(subnets []model.ID) string {
	var zs []string
	for _, id := range subnets {
		if sn := t.x.Subnet(id); sn != nil && !slices.Contains(zs, sn.AZ) {
			zs = append(zs, sn.AZ)
		}
	}
	return strings.Join(zs, ", ")
}

// ipTarget returns the node of a load balancer target given by address.
func (t *topo) ipTarget(vc int, ip string) int {
	return t.once("ip:"+ip, func() int { return t.p.addNode(vc, shapeBox, "target "+ip) })
}

func (t *topo) internet() int {
	return t.once("internet", func() int { return t.p.addNode(-1, shapeCircle, "internet") })
}

func (t *topo) service(name string) int {
	return t.once("service:"+name, func() int { return t.p.addNode(-1, shapeCylinder, "AWS service", name) })
}

func (t *topo) endpointService(svc *model.EndpointService) int {
	return t.once("svc:"+string(svc.ID), func() int {
		lines := []string{"endpoint service " + t.label(svc.ID)}
		if svc.Name != "" {
			lines = append(lines, svc.Name)
		}
		n := t.p.addNode(t.region(svc.Account, svc.Region), shapeRound, lines...)
		for _, lb := range svc.LoadBalancers {
			if to, ok := t.named["lb:"+string(lb)]; ok {
				t.p.addEdge(n, to, edgeArrow, "")
			} else if v := t.x.OwnerVPC(lb); v != nil {
				if to, ok := t.vpcNode[v.ID]; ok {
					t.p.addEdge(n, to, edgeArrow, string(lb))
				}
			}
		}
		return n
	})
}

func (t *topo) tgw(g *model.TransitGateway) int {
	return t.once("tgw:"+string(g.ID), func() int {
		return t.p.addNode(t.region(g.Account, g.Region), shapeHexagon, "transit gateway "+t.label(g.ID))
	})
}

func (t *topo) external(e *model.ExternalNetwork) int {
	return t.once("ext:"+string(e.ID), func() int {
		s := make([]string, len(e.CIDRs))
		for i, c := range e.CIDRs {
			s[i] = c.String()
		}
		return t.p.addNode(-1, shapeCylinder, "external network "+t.label(e.ID), strings.Join(s, ", "))
	})
}

// connections draws peering connections, transit gateways with their
// attachments, and external networks, between the drawn VPCs (shown
// says which are).
func (t *topo) connections(shown func(model.ID) bool) {
	for _, pc := range t.m.PeeringConnections {
		a, okA := t.vpcNode[pc.Requester]
		b, okB := t.vpcNode[pc.Accepter]
		if !okA || !okB {
			continue
		}
		style, label := edgeLine, "peering "+t.label(pc.ID)
		if pc.Status != model.PeeringActive {
			style, label = edgeDashed, label+" "+pc.Status.String()
		}
		t.p.addEdge(a, b, style, label)
	}
	for gi := range t.m.TransitGateways {
		g := &t.m.TransitGateways[gi]
		if !slices.ContainsFunc(g.Attachments, func(a model.TGWAttachment) bool { return a.VPC != "" && shown(a.VPC) }) {
			continue
		}
		n := t.tgw(g)
		for _, a := range g.Attachments {
			style := edgeLine
			label := t.label(a.ID)
			if a.State != model.AttachmentAvailable {
				style, label = edgeDashed, label+" "+a.State.String()
			}
			switch a.Type {
			case model.AttachmentVPC:
				if v, ok := t.vpcNode[a.VPC]; ok {
					if len(a.Subnets) > 0 {
						label += " (" + t.zones(a.Subnets) + ")"
					}
					t.p.addEdge(v, n, style, label)
				}
			case model.AttachmentPeering:
				peer := t.x.OwnerTransitGateway(a.Peer)
				if peer == nil || peer.ID == g.ID {
					continue
				}
				other := t.tgw(peer)
				if a.ID < a.Peer {
					label = t.label(a.ID) + " / " + t.label(a.Peer)
				} else {
					label = t.label(a.Peer) + " / " + t.label(a.ID)
				}
				t.p.addEdge(n, other, style, "peering "+label)
			default:
				t.named["via:"+string(a.ID)] = n
			}
		}
	}
	for i := range t.m.ExternalNetworks {
		e := &t.m.ExternalNetworks[i]
		via, ok := t.named["via:"+string(e.Via)]
		if !ok {
			continue
		}
		label := ""
		if a := t.x.TGWAttachment(e.Via); a != nil {
			label = t.label(a.ID) + " " + a.Type.String()
		}
		t.p.addEdge(via, t.external(e), edgeLine, label)
	}
}

// nearest returns " (did you mean "X"?)" for the id nearest to s, or "".
func nearest(s string, ids []string) string {
	best := model.Suggest(s, ids)
	if best == "" {
		return ""
	}
	return " (did you mean " + strconv.Quote(best) + "?)"
}

// plural returns "1 VPC" or "3 VPCs".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}
