package tfimport

import (
	"cmp"
	"net/netip"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

// builder maps the resources of one side of a file (a plan's planned
// values, its prior state, or a state) to a model.
type builder struct {
	d *document
	// all holds the managed AWS resources, in file order.
	all    []*resource
	byAddr map[string]*resource
	byBase map[string][]*resource
	byType map[string][]*resource
	// alias maps AWS ids to addresses, for the ids the file knows.
	alias map[string]string
	diags model.Diagnostics

	vpcs    map[model.ID]*vpcB
	objVPC  map[model.ID]*vpcB // subnet, route table, group, ACL, ... -> its VPC
	subnets map[model.ID]*model.Subnet
	rts     map[model.ID]*model.RouteTable
	sgs     map[model.ID]*model.SecurityGroup
	acls    map[model.ID]*model.NetworkACL
	insts   map[model.ID]*model.Instance
	enis    map[model.ID]*model.NetworkInterface
	nats    map[model.ID]*model.NATGateway
	eips    map[model.ID]*eip
	tgws    map[model.ID]*model.TransitGateway
	tgwAtt  map[model.ID]*model.TransitGateway // attachment -> its gateway
	tgwRT   map[model.ID]*model.TransitGateway // route table -> its gateway
	peers   []*model.PeeringConnection
	peerIDs map[model.ID]bool // built on first use, once peerings are built
	pls     map[model.ID]*model.PrefixList
	svcs    []*model.EndpointService
	zones   []*model.HostedZone
	lbs     map[model.ID]*model.LoadBalancer
	tgs     map[model.ID]*model.TargetGroup
	eps     map[model.ID]*model.Endpoint
	// late holds what needs the addresses assigned at the end.
	late []func()

	// pending holds addresses unknown until apply, assigned at the end;
	// pending6 likewise for IPv6 addresses.
	pending  []pendingAddr
	pending6 []pendingIPv6
	// ipv6Blocks are the IPv6 blocks of VPCs and subnets, known or
	// assumed, that an assumed block must not overlap.
	ipv6Blocks []netip.Prefix
	// ipv6OnCreation holds the subnets that give every new interface an IPv6
	// address (assign_ipv6_address_on_creation).
	ipv6OnCreation map[model.ID]bool
	// lateIPv6 assumes IPv6 blocks unknown until apply, once the known
	// ones are collected.
	lateIPv6 []func()
	// publics counts the public addresses assumed so far.
	publics int
	// assumed holds the addresses assumed so far, private and public.
	assumed map[netip.Addr]bool
	// primaryENI pairs instances with the interface resource that is
	// their primary interface (the legacy network_interface form).
	primaryENI [][2]any
	// mapPublic holds the subnets whose instances get a public address.
	mapPublic   map[model.ID]bool
	lastPublic  netip.Addr
	knownPublic map[netip.Addr]bool
	// outsideSGs holds the groups named by id that the file lacks.
	outsideSGs map[model.ID]bool
}

// vpcB is a VPC being built, with its resources.
type vpcB struct {
	m       model.VPC
	region  string
	subnets []*model.Subnet
	rts     []*model.RouteTable
	acls    []*model.NetworkACL
	sgs     []*model.SecurityGroup
	nats    []*model.NATGateway
	eps     []*model.Endpoint
	insts   []*model.Instance
	enis    []*model.NetworkInterface
	lbs     []*model.LoadBalancer
	tgs     []*model.TargetGroup
}

// eip is an Elastic IP: its address, and what it is associated with.
type eip struct {
	addr netip.Addr
	r    *resource
}

func newBuilder(d *document, rs []*resource, alias map[string]string) *builder {
	b := &builder{d: d, byAddr: map[string]*resource{}, byBase: map[string][]*resource{}, byType: map[string][]*resource{}, alias: alias,
		vpcs: map[model.ID]*vpcB{}, objVPC: map[model.ID]*vpcB{}, subnets: map[model.ID]*model.Subnet{}, rts: map[model.ID]*model.RouteTable{},
		sgs: map[model.ID]*model.SecurityGroup{}, acls: map[model.ID]*model.NetworkACL{}, insts: map[model.ID]*model.Instance{},
		enis: map[model.ID]*model.NetworkInterface{}, nats: map[model.ID]*model.NATGateway{}, eips: map[model.ID]*eip{},
		tgws: map[model.ID]*model.TransitGateway{}, tgwAtt: map[model.ID]*model.TransitGateway{}, tgwRT: map[model.ID]*model.TransitGateway{},
		pls: map[model.ID]*model.PrefixList{}, lbs: map[model.ID]*model.LoadBalancer{}, tgs: map[model.ID]*model.TargetGroup{},
		outsideSGs: map[model.ID]bool{}, mapPublic: map[model.ID]bool{}, ipv6OnCreation: map[model.ID]bool{}}
	for _, r := range rs {
		if r.mode != "managed" && !(r.mode == "data" && dataRead[r.typ]) {
			continue
		}
		if _, dup := b.byAddr[r.addr]; dup {
			b.diag(model.SeverityError, r.node, r.addr, model.ErrDuplicateID, "resource %s is listed twice", r.addr)
			continue
		}
		b.all = append(b.all, r)
		b.byAddr[r.addr] = r
		b.byBase[r.base] = append(b.byBase[r.base], r)
		b.byType[r.typ] = append(b.byType[r.typ], r)
	}
	return b
}

// each calls fn for every resource of a type, in file order.
func (b *builder) each(typ string, fn func(e elem)) {
	for _, r := range b.byType[typ] {
		fn(b.top(r))
	}
}

// build maps every resource and assembles the model.
func (b *builder) build() *model.Model {
	b.noteSkipped()
	b.buildVPCs()
	b.buildSubnets()
	b.buildPrefixLists()
	b.buildSecurityGroups()
	b.buildNetworkACLs()
	b.buildGateways()
	b.buildInstances()
	b.buildPeerings()
	b.buildTransitGateways()
	b.buildRouteTables()
	b.buildEndpoints()
	b.buildLoadBalancers()
	b.buildEndpointServices()
	b.buildRoute53()
	b.assignAddresses()
	b.assignIPv6()
	b.finishInstances()
	for _, f := range b.late {
		f()
	}
	m := b.assemble()
	b.setAWSIDs(m)
	b.markAssumed(m)
	return m
}

// read lists the resource types this package reads; others are noted as
// skipped.
var read = map[string]bool{}

// dataRead lists the data sources this package reads: AWS-managed prefix
// lists, which routes and security group rules name.
var dataRead = map[string]bool{"aws_prefix_list": true, "aws_ec2_managed_prefix_list": true}

func init() {
	for _, t := range strings.Fields(`aws_vpc aws_vpc_ipv4_cidr_block_association aws_vpc_ipv6_cidr_block_association aws_egress_only_internet_gateway aws_subnet aws_route_table aws_route
	aws_route_table_association aws_main_route_table_association aws_default_route_table aws_security_group
	aws_security_group_rule aws_vpc_security_group_ingress_rule aws_vpc_security_group_egress_rule
	aws_default_security_group aws_network_acl aws_network_acl_rule aws_network_acl_association aws_default_network_acl
	aws_internet_gateway aws_internet_gateway_attachment aws_nat_gateway aws_eip aws_eip_association
	aws_vpc_peering_connection aws_vpc_peering_connection_accepter aws_vpc_peering_connection_options
	aws_ec2_transit_gateway aws_ec2_transit_gateway_vpc_attachment aws_ec2_transit_gateway_vpc_attachment_accepter
	aws_ec2_transit_gateway_route_table aws_ec2_transit_gateway_route aws_ec2_transit_gateway_route_table_association
	aws_ec2_transit_gateway_route_table_propagation aws_ec2_transit_gateway_peering_attachment
	aws_ec2_transit_gateway_peering_attachment_accepter aws_vpc_endpoint aws_vpc_endpoint_route_table_association
	aws_vpc_endpoint_subnet_association aws_vpc_endpoint_service aws_vpc_endpoint_service_allowed_principal
	aws_vpc_endpoint_connection_accepter aws_lb aws_alb aws_lb_listener aws_alb_listener aws_lb_target_group
	aws_alb_target_group aws_lb_target_group_attachment aws_alb_target_group_attachment aws_instance
	aws_network_interface aws_network_interface_attachment aws_network_interface_sg_attachment
	aws_ec2_managed_prefix_list aws_ec2_managed_prefix_list_entry aws_route53_zone aws_route53_zone_association
	aws_route53_record aws_vpn_gateway aws_vpn_gateway_attachment aws_prefix_list`) {
		read[t] = true
	}
}

// noteSkipped notes the AWS resource types that are not read, once per
// type, and the DHCP options (which do not change reachability).
func (b *builder) noteSkipped() {
	types := make([]string, 0, len(b.byType))
	for t := range b.byType {
		types = append(types, t)
	}
	sort.Strings(types)
	for _, t := range types {
		if read[t] || !strings.HasPrefix(t, "aws_") {
			continue
		}
		rs := b.byType[t]
		msg := "%s (%d) is not read: vpcreach does not model it"
		switch t {
		case "aws_vpc_dhcp_options", "aws_vpc_dhcp_options_association":
			msg = "%s (%d) is not read: DHCP options do not change reachability (DNS names resolve through Route 53 as modelled)"
		}
		b.diag(model.SeverityNote, rs[0].node, rs[0].addr, ErrSkipped, msg, t, len(rs))
	}
}

// regionOf finds a resource's region: its own region argument (AWS
// provider 6), its provider configuration's, its ARN's, or "".
func (b *builder) regionOf(r *resource) string {
	if s := r.values.get("region").strVal(); s != "" {
		return s
	}
	if b.d.cfg != nil && r.cfg != nil {
		if s := b.d.cfg.region(r.cfg.providerKey); s != "" {
			return s
		}
	}
	if p := arnParts(r.values.get("arn").strVal()); p != nil {
		return p[3]
	}
	return ""
}

// accountOf finds a resource's account: owner_id, its ARN's, or its
// provider configuration's (allowed_account_ids, assume_role).
func (b *builder) accountOf(e elem) model.ID {
	if s := e.str("owner_id"); accountRE.MatchString(s) {
		return model.ID(s)
	}
	if p := arnParts(e.str("arn")); p != nil && accountRE.MatchString(p[4]) {
		return model.ID(p[4])
	}
	if b.d.cfg != nil && e.r.cfg != nil {
		if s := b.d.cfg.account(e.r.cfg.providerKey); accountRE.MatchString(s) {
			return model.ID(s)
		}
	}
	return ""
}

var accountRE = regexp.MustCompile(`^[0-9]{12}$`)

// arnParts splits arn:partition:service:region:account:resource.
func arnParts(s string) []string {
	p := strings.SplitN(s, ":", 6)
	if len(p) != 6 || p[0] != "arn" {
		return nil
	}
	return p
}

// nameTag returns the Name tag.
func nameTag(e elem) string {
	if s := e.val("tags").get("Name").strVal(); s != "" {
		return s
	}
	return e.val("tags_all").get("Name").strVal()
}

// vpcOf returns the VPC of an object already built (subnet, group, ...).
func (b *builder) vpcOf(id model.ID) *vpcB { return b.objVPC[id] }

// assemble puts the model together, sorted by id.
func (b *builder) assemble() *model.Model {
	m := &model.Model{Version: model.FormatVersion, Source: model.Source{Position: model.Position{File: b.d.file, Line: 1, Column: 1}}}
	for _, id := range sortedKeys(b.vpcs) {
		v := b.vpcs[id]
		m.VPCs = append(m.VPCs, v.m)
		mv := &m.VPCs[len(m.VPCs)-1]
		mv.Subnets = values(v.subnets, func(x *model.Subnet) model.ID { return x.ID })
		mv.RouteTables = values(v.rts, func(x *model.RouteTable) model.ID { return x.ID })
		mv.NetworkACLs = values(v.acls, func(x *model.NetworkACL) model.ID { return x.ID })
		mv.SecurityGroups = values(v.sgs, func(x *model.SecurityGroup) model.ID { return x.ID })
		mv.NATGateways = values(v.nats, func(x *model.NATGateway) model.ID { return x.ID })
		mv.Endpoints = values(v.eps, func(x *model.Endpoint) model.ID { return x.ID })
		mv.Instances = values(v.insts, func(x *model.Instance) model.ID { return x.ID })
		mv.NetworkInterfaces = values(v.enis, func(x *model.NetworkInterface) model.ID { return x.ID })
		mv.LoadBalancers = values(v.lbs, func(x *model.LoadBalancer) model.ID { return x.ID })
		mv.TargetGroups = values(v.tgs, func(x *model.TargetGroup) model.ID { return x.ID })
	}
	slices.SortFunc(b.peers, func(x, y *model.PeeringConnection) int { return cmp.Compare(x.ID, y.ID) })
	for _, p := range b.peers {
		m.PeeringConnections = append(m.PeeringConnections, *p)
	}
	for _, id := range sortedKeys(b.tgws) {
		t := *b.tgws[id]
		slices.SortFunc(t.RouteTables, func(x, y model.TGWRouteTable) int { return cmp.Compare(x.ID, y.ID) })
		slices.SortFunc(t.Attachments, func(x, y model.TGWAttachment) int { return cmp.Compare(x.ID, y.ID) })
		m.TransitGateways = append(m.TransitGateways, t)
	}
	for _, id := range sortedKeys(b.pls) {
		m.PrefixLists = append(m.PrefixLists, *b.pls[id])
	}
	slices.SortFunc(b.svcs, func(x, y *model.EndpointService) int { return cmp.Compare(x.ID, y.ID) })
	for _, s := range b.svcs {
		m.EndpointServices = append(m.EndpointServices, *s)
	}
	slices.SortFunc(b.zones, func(x, y *model.HostedZone) int { return cmp.Compare(x.ID, y.ID) })
	for _, z := range b.zones {
		m.HostedZones = append(m.HostedZones, *z)
	}
	return m
}

// values copies pointers' values, sorted by id.
func values[T any](ps []*T, id func(*T) model.ID) []T {
	if len(ps) == 0 {
		return nil
	}
	slices.SortStableFunc(ps, func(x, y *T) int { return cmp.Compare(id(x), id(y)) })
	out := make([]T, 0, len(ps))
	for _, p := range ps {
		out = append(out, *p)
	}
	return out
}

func sortedKeys[V any](m map[model.ID]V) []model.ID {
	keys := make([]model.ID, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
