package oracle

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/vpcreach/vpcreach/model"
)

// Network is a model as the reference walker sees it: the model itself,
// read by scanning its lists, plus one flat list of the network interfaces
// (instances, standalone and secondary interfaces, NAT gateways) with the
// facts the walk needs about each. Nothing is indexed or compiled.
type Network struct {
	m      *model.Model
	ifaces []*iface
	// groups holds every security group, the implicit default group of
	// each VPC that marks none included (S-20).
	groups []*model.SecurityGroup
	// skip holds the rules the walk leaves out (see Options).
	skip map[string]bool
}

// Options tune the walker for tests.
type Options struct {
	// Skip lists rules (such as "S-16") the walk leaves out, applying the
	// engine's older, simpler reading instead. Tests use it to tell which
	// rule a disagreement with the engine comes from; the reference
	// answer skips nothing. A rule the engine does not implement yet gets
	// a branch in the walk that tests n.skip; none has one at present,
	// since the engine follows every rule the oracle does.
	Skip []string
}

// ifaceKind says what a network interface belongs to.
type ifaceKind int

const (
	kindInstance ifaceKind = iota + 1 // an instance's primary interface
	kindENI                           // a network interface written on its own
	kindNAT                           // a NAT gateway's interface
)

// iface is one network interface.
type iface struct {
	id model.ID
	// alias is an instance's primary interface id, when written; routes
	// may target either.
	alias model.ID
	kind  ifaceKind
	vpc   *model.VPC
	// subnet is the subnet the interface lives in (S-03).
	subnet *model.Subnet
	// private holds the private IPv4 addresses, the primary one first;
	// none in an IPv6-only subnet (V-03).
	private []netip.Addr
	// v6 holds the IPv6 addresses, global ones that need no translation
	// at an internet gateway (V-02, V-06).
	v6 []netip.Addr
	// public is the public IPv4 or Elastic IP, which belongs to the
	// primary private address; or the zero Addr.
	public netip.Addr
	// groups are the interface's security groups; none written means
	// the VPC's default group (S-03). NAT gateways have none (S-61).
	groups []model.ID
	// sourceDestCheck drops traffic not addressed to or from the
	// interface (S-15).
	sourceDestCheck bool
	// instance is the instance the interface belongs to ("" for a
	// standalone interface or a NAT gateway), and running its state.
	instance model.ID
	running  bool
}

// primary is the primary private IPv4 address, or the zero Addr for an
// interface of an IPv6-only subnet.
func (x *iface) primary() netip.Addr {
	if len(x.private) == 0 {
		return netip.Addr{}
	}
	return x.private[0]
}

// holds reports whether a is one of the interface's own addresses:
// private IPv4 or IPv6.
func (x *iface) holds(a netip.Addr) bool {
	return slices.Contains(x.private, a) || slices.Contains(x.v6, a)
}

// address returns the address the interface is reached at by its id in
// a family: its primary private IPv4 address, or its first IPv6 one; the
// zero Addr when it has none of the family.
func (x *iface) address(f family) netip.Addr {
	if f == ipv6 {
		if len(x.v6) == 0 {
			return netip.Addr{}
		}
		return x.v6[0]
	}
	return x.primary()
}

// has reports whether the interface has an address of family f.
func (x *iface) has(f family) bool { return x.address(f).IsValid() }

// host is what keeps an appliance's connection state: its instance, or
// the interface itself when it has none.
func (x *iface) host() model.ID {
	if x.instance != "" {
		return x.instance
	}
	return x.id
}

// New prepares a model for the walker. The model must be valid
// (model.Validate) and use only what the walker models: VPCs, subnets,
// route tables, network ACLs, security groups, instances, network
// interfaces, NAT gateways, internet gateways, gateway endpoints, peering
// connections, transit gateways with VPC attachments, prefix lists.
func New(m *model.Model, opts Options) (*Network, error) {
	n := &Network{m: m, skip: map[string]bool{}}
	for _, r := range opts.Skip {
		n.skip[r] = true
	}
	if err := unmodelled(m); err != nil {
		return nil, err
	}
	for vi := range m.VPCs {
		v := &m.VPCs[vi]
		hasDefault := false
		for gi := range v.SecurityGroups {
			n.groups = append(n.groups, &v.SecurityGroups[gi])
			hasDefault = hasDefault || v.SecurityGroups[gi].Default
		}
		if !hasDefault {
			// A VPC's default group allows inbound from itself and all
			// outbound (S-20).
			id := defaultGroupID(v)
			n.groups = append(n.groups, &model.SecurityGroup{ID: id, Default: true,
				Ingress: []model.IngressRule{{SGRule: model.SGRule{Protocol: model.ProtocolAll}, Sources: []model.Peer{{Ref: id}}}}})
		}
	}
	for vi := range m.VPCs {
		v := &m.VPCs[vi]
		for i := range v.Instances {
			in := &v.Instances[i]
			x := n.newIface(v, in.ID, kindInstance, &in.Interface)
			x.instance, x.running, x.alias = in.ID, in.State == model.InstanceRunning, in.ENI
			n.ifaces = append(n.ifaces, x)
		}
		for i := range v.NetworkInterfaces {
			ni := &v.NetworkInterfaces[i]
			x := n.newIface(v, ni.ID, kindENI, &ni.Interface)
			// A standalone interface is used by some service the model
			// does not show; it sends and receives. One attached to an
			// instance runs with it.
			x.instance, x.running = ni.Instance, true
			if ni.Instance != "" {
				x.running = n.instanceRunning(ni.Instance)
			}
			n.ifaces = append(n.ifaces, x)
		}
		for i := range v.NATGateways {
			g := &v.NATGateways[i]
			n.ifaces = append(n.ifaces, &iface{id: g.ID, kind: kindNAT, vpc: v, subnet: findSubnet(v, g.Subnet),
				private: []netip.Addr{g.PrivateIP}, public: g.PublicIP, sourceDestCheck: true, running: true})
		}
	}
	return n, nil
}

// unmodelled refuses models that use what the walker does not model.
func unmodelled(m *model.Model) error {
	what := ""
	switch {
	case slices.ContainsFunc(m.HostedZones, func(z model.HostedZone) bool {
		return !z.IsPrivate() || slices.ContainsFunc(z.Records, func(r model.Record) bool {
			return (r.Type != model.RecordA && r.Type != model.RecordAAAA) || len(r.Values) != 1
		})
	}):
		what = "hosted zones other than private ones of A and AAAA records of one value"
	case len(m.ExternalNetworks) > 0:
		what = "external networks"
	}
	for _, s := range m.EndpointServices {
		if s.AcceptanceRequired || len(s.AllowedPrincipals) > 0 || len(s.SupportedRegions) > 0 || len(s.Connections) > 0 || len(s.LoadBalancers) != 1 {
			what = "endpoint services with acceptance, allow or region lists, or several load balancers"
		}
	}
	for _, v := range m.VPCs {
		switch {
		case slices.ContainsFunc(v.LoadBalancers, func(lb model.LoadBalancer) bool {
			return lb.Type != model.LBGateway || lb.CrossZone || len(lb.PrivateIPs) != len(lb.Subnets) || len(lb.Listeners) != 1
		}):
			what = "load balancers other than Gateway Load Balancers with one listener and a private address per subnet, cross-zone off"
		case slices.ContainsFunc(v.TargetGroups, func(tg model.TargetGroup) bool {
			return tg.Protocol != model.ListenerGENEVE || slices.ContainsFunc(tg.Targets, func(t model.Target) bool { return t.IP.IsValid() })
		}):
			what = "target groups other than geneve ones of instances"
		case v.VPNGateway != "":
			what = "virtual private gateways"
		}
		for _, rt := range v.RouteTables {
			for _, gw := range rt.EdgeAssociations {
				if gw != v.InternetGateway {
					what = "gateway route tables of other gateways than internet gateways"
				}
			}
		}
		for _, e := range v.Endpoints {
			if e.Type == model.EndpointGatewayLoadBalancer {
				if len(e.Subnets) != 1 || (e.State != 0 && e.State != model.EndpointAvailable) {
					what = "Gateway Load Balancer endpoints not in one subnet, or not available"
				}
				continue
			}
			if e.Type != model.EndpointGateway {
				what = "interface endpoints"
			} else if !servicePrefixListWritten(m, e) {
				what = "gateway endpoints whose service's prefix list is not written (for each family of the endpoint's IP address type)"
			}
		}
		for _, rt := range v.RouteTables {
			for _, r := range rt.Routes {
				if r.State == model.RouteOutsideSnapshot {
					what = "routes outside the snapshot"
				}
			}
		}
		for _, g := range v.SecurityGroups {
			if g.OutsideSnapshot {
				what = "groups outside the snapshot"
			}
		}
	}
	for _, t := range m.TransitGateways {
		for _, a := range t.Attachments {
			if a.Type != model.AttachmentVPC {
				what = "transit gateway attachments other than VPC attachments"
			}
		}
	}
	if what != "" {
		return fmt.Errorf("oracle: %s are not modelled", what)
	}
	return nil
}

func (n *Network) newIface(v *model.VPC, id model.ID, kind ifaceKind, in *model.Interface) *iface {
	x := &iface{id: id, kind: kind, vpc: v, subnet: findSubnet(v, in.Subnet), public: in.PublicAddress(),
		sourceDestCheck: in.SourceDestCheckEnabled()}
	if in.PrivateIP.IsValid() {
		x.private = append([]netip.Addr{in.PrivateIP}, in.SecondaryIPs...)
	}
	x.v6 = slices.Clone(in.IPv6Addresses)
	x.groups = in.SecurityGroups
	if len(x.groups) == 0 {
		x.groups = []model.ID{n.defaultGroup(v)}
	}
	return x
}

// defaultGroupID names the implicit default group of a VPC that marks
// none.
func defaultGroupID(v *model.VPC) model.ID { return v.ID + "/default-sg" }

// defaultGroup returns the id of a VPC's default security group.
func (n *Network) defaultGroup(v *model.VPC) model.ID {
	for _, g := range v.SecurityGroups {
		if g.Default {
			return g.ID
		}
	}
	return defaultGroupID(v)
}

func (n *Network) instanceRunning(id model.ID) bool {
	for _, v := range n.m.VPCs {
		for _, in := range v.Instances {
			if in.ID == id {
				return in.State == model.InstanceRunning
			}
		}
	}
	return false
}

// group returns the security group with an id, or nil.
func (n *Network) group(id model.ID) *model.SecurityGroup {
	for _, g := range n.groups {
		if g.ID == id {
			return g
		}
	}
	return nil
}

// isGroup reports whether id names a security group (else, in a rule, it
// names a prefix list).
func (n *Network) isGroup(id model.ID) bool { return n.group(id) != nil }

// prefixList returns the CIDRs of a prefix list.
func (n *Network) prefixList(id model.ID) []netip.Prefix {
	for _, pl := range n.m.PrefixLists {
		if pl.ID == id {
			return pl.CIDRs
		}
	}
	return nil
}

// ifaceByID returns the interface an id names: an instance (its primary
// interface), a network interface or a NAT gateway.
func (n *Network) ifaceByID(id model.ID) *iface {
	for _, x := range n.ifaces {
		if x.id == id || (x.alias != "" && x.alias == id) {
			return x
		}
	}
	return nil
}

// holderIn returns the interface of VPC v that holds private address a.
func (n *Network) holderIn(v *model.VPC, a netip.Addr) *iface {
	for _, x := range n.ifaces {
		if x.vpc == v && x.holds(a) {
			return x
		}
	}
	return nil
}

// v6Home returns the VPC one of whose IPv6 blocks holds a, or nil: where
// the internet delivers a global IPv6 address (V-06).
func (n *Network) v6Home(a netip.Addr) *model.VPC {
	for i := range n.m.VPCs {
		if inCIDRs(n.m.VPCs[i].IPv6CIDRBlocks, a) {
			return &n.m.VPCs[i]
		}
	}
	return nil
}

// publicHolder returns the interface whose public IPv4 address is a.
func (n *Network) publicHolder(a netip.Addr) *iface {
	for _, x := range n.ifaces {
		if x.public.IsValid() && x.public == a {
			return x
		}
	}
	return nil
}

func findSubnet(v *model.VPC, id model.ID) *model.Subnet {
	for i := range v.Subnets {
		if v.Subnets[i].ID == id {
			return &v.Subnets[i]
		}
	}
	return nil
}

func (n *Network) vpc(id model.ID) *model.VPC {
	for i := range n.m.VPCs {
		if n.m.VPCs[i].ID == id {
			return &n.m.VPCs[i]
		}
	}
	return nil
}

// vpcOfSubnet returns the VPC a subnet belongs to.
func (n *Network) vpcOfSubnet(sn *model.Subnet) *model.VPC {
	for i := range n.m.VPCs {
		for j := range n.m.VPCs[i].Subnets {
			if &n.m.VPCs[i].Subnets[j] == sn {
				return &n.m.VPCs[i]
			}
		}
	}
	return nil
}

// networkACL returns the network ACL of a subnet: its own, else the VPC's
// default, else the implicit default that allows everything (S-30): rule
// 100 for IPv4 and, in a VPC with an IPv6 block, rule 101 for ::/0
// (V-12).
func (n *Network) networkACL(v *model.VPC, sn *model.Subnet) *model.NetworkACL {
	for i := range v.NetworkACLs {
		if sn.NetworkACL != "" && v.NetworkACLs[i].ID == sn.NetworkACL {
			return &v.NetworkACLs[i]
		}
	}
	for i := range v.NetworkACLs {
		if v.NetworkACLs[i].Default {
			return &v.NetworkACLs[i]
		}
	}
	all := []model.ACLRule{{Rule: 100, Protocol: model.ProtocolAll, CIDR: netip.MustParsePrefix("0.0.0.0/0"), Action: model.ACLAllow}}
	if len(v.IPv6CIDRBlocks) > 0 {
		all = append(all, model.ACLRule{Rule: 101, Protocol: model.ProtocolAll, CIDR: netip.MustParsePrefix("::/0"), Action: model.ACLAllow})
	}
	return &model.NetworkACL{ID: v.ID + "/default-acl", Default: true, Ingress: all, Egress: all}
}

// zone is a subnet's availability zone: its zone id when written, else
// its name.
func zone(sn *model.Subnet) string {
	if sn.AZID != "" {
		return sn.AZID
	}
	return sn.AZ
}

func inCIDRs(ps []netip.Prefix, a netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// servicePrefixListWritten reports whether the model writes, for each
// family gateway endpoint e routes (V-30), a prefix list named after its
// service with entries of that family: the walker does not know
// vpcreach's placeholders.
func servicePrefixListWritten(m *model.Model, e model.Endpoint) bool {
	has := func(six bool) bool {
		return slices.ContainsFunc(m.PrefixLists, func(pl model.PrefixList) bool {
			return pl.Name == e.Service && slices.ContainsFunc(pl.CIDRs, func(c netip.Prefix) bool { return c.Addr().Is6() == six })
		})
	}
	switch e.IPAddressType {
	case model.IPAddressIPv6:
		return has(true)
	case model.IPAddressDualstack:
		return has(false) && has(true)
	}
	return has(false)
}
