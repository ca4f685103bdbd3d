package model

import (
	"slices"
	"sync"
	"sync/atomic"
)

// Kind is the kind of a resource in a model. The zero value is KindUnknown.
type Kind uint8

// Resource kinds.
const (
	KindUnknown Kind = iota
	KindAccount
	KindVPC
	KindSubnet
	KindRouteTable
	KindNetworkACL
	KindSecurityGroup
	KindInstance
	KindNetworkInterface
	KindNATGateway
	KindEndpoint
	KindLoadBalancer
	KindTargetGroup
	KindInternetGateway
	KindVPNGateway
	KindPeeringConnection
	KindTransitGateway
	KindTGWRouteTable
	KindTGWAttachment
	KindPrefixList
	KindEndpointService
	KindHostedZone
	KindExternalNetwork
	KindEgressOnlyInternetGateway
)

var kindNames = []string{"unknown", "account", "vpc", "subnet", "route table", "network ACL",
	"security group", "instance", "network interface", "NAT gateway", "endpoint", "load balancer",
	"target group", "internet gateway", "virtual private gateway", "peering connection",
	"transit gateway", "transit gateway route table", "transit gateway attachment", "prefix list",
	"endpoint service", "hosted zone", "external network", "egress-only internet gateway"}

// String returns the kind in words, as messages use it ("route table").
func (k Kind) String() string { return enumString(kindNames, int(k)) }

// entry locates a resource: owner is the index of its VPC or transit gateway
// (-1 for top-level resources), i its index in its list.
type entry struct {
	kind     Kind
	owner, i int32
	n        int32 // order of indexing, for NewIndex's duplicate messages
}

// Index finds resources by id. Build it with NewIndex after loading; it
// reads the model and must be rebuilt if the model changes. It is safe for
// concurrent use.
type Index struct {
	m      *Model
	byID   map[ID]entry
	byKind map[Kind][]string
	once   sync.Once
	// nameIdx indexes readable names (names.go), built on first use.
	nameIdx   *namesIndex
	namesOnce sync.Once
	// serviceNames maps an endpoint service's name (ServiceName) to the
	// index of the first service of that name, built on first use.
	serviceNames map[string]int32
	serviceOnce  sync.Once
	// dups holds NewIndex's duplicate-id errors, which Validate reports;
	// valid is set when Validate found no errors.
	dups  Diagnostics
	valid atomic.Bool
}

// NewIndex indexes every id in m and reports duplicate ids.
func NewIndex(m *Model) (*Index, Diagnostics) {
	n := countIDs(m)
	x := &Index{m: m, byID: make(map[ID]entry, n)}
	var d diagnoser
	// where holds, per id indexed, the Source that holds it and its key,
	// for the message about a duplicate: a field's Source is built only
	// then.
	type at struct {
		src *Source
		key string
	}
	where := make([]at, 0, n)
	add := func(id ID, k Kind, owner, i int, src *Source, key string) {
		if id == "" {
			return
		}
		if prev, dup := x.byID[id]; dup {
			first, here := where[prev.n].src.Field(where[prev.n].key), src.Field(key)
			if first.Position.IsValid() && first.Position == here.Position {
				d.errorf(here, ErrDuplicateID, "duplicate id %q: a YAML alias repeats the resource written here", id)
			} else {
				d.errorf(here, ErrDuplicateID, "duplicate id %q (first defined at %s)", id, first.Position)
			}
			return
		}
		x.byID[id] = entry{k, int32(owner), int32(i), int32(len(where))}
		where = append(where, at{src, key})
	}
	for i := range m.Accounts {
		a := &m.Accounts[i]
		add(a.ID, KindAccount, -1, i, &a.Source, "id")
	}
	for vi := range m.VPCs {
		v := &m.VPCs[vi]
		add(v.ID, KindVPC, -1, vi, &v.Source, "id")
		add(v.InternetGateway, KindInternetGateway, vi, vi, &v.Source, "internet_gateway")
		add(v.VPNGateway, KindVPNGateway, vi, vi, &v.Source, "vpn_gateway")
		add(v.EgressOnlyInternetGateway, KindEgressOnlyInternetGateway, vi, vi, &v.Source, "egress_only_internet_gateway")
		for i := range v.Subnets {
			add(v.Subnets[i].ID, KindSubnet, vi, i, &v.Subnets[i].Source, "id")
		}
		for i := range v.RouteTables {
			add(v.RouteTables[i].ID, KindRouteTable, vi, i, &v.RouteTables[i].Source, "id")
		}
		for i := range v.NetworkACLs {
			add(v.NetworkACLs[i].ID, KindNetworkACL, vi, i, &v.NetworkACLs[i].Source, "id")
		}
		for i := range v.SecurityGroups {
			add(v.SecurityGroups[i].ID, KindSecurityGroup, vi, i, &v.SecurityGroups[i].Source, "id")
		}
		for i := range v.NATGateways {
			add(v.NATGateways[i].ID, KindNATGateway, vi, i, &v.NATGateways[i].Source, "id")
		}
		for i := range v.Endpoints {
			add(v.Endpoints[i].ID, KindEndpoint, vi, i, &v.Endpoints[i].Source, "id")
		}
		for i := range v.Instances {
			in := &v.Instances[i]
			add(in.ID, KindInstance, vi, i, &in.Source, "id")
			add(in.ENI, KindInstance, vi, i, &in.Source, "eni")
		}
		for i := range v.NetworkInterfaces {
			add(v.NetworkInterfaces[i].ID, KindNetworkInterface, vi, i, &v.NetworkInterfaces[i].Source, "id")
		}
		for i := range v.LoadBalancers {
			add(v.LoadBalancers[i].ID, KindLoadBalancer, vi, i, &v.LoadBalancers[i].Source, "id")
		}
		for i := range v.TargetGroups {
			add(v.TargetGroups[i].ID, KindTargetGroup, vi, i, &v.TargetGroups[i].Source, "id")
		}
	}
	for i := range m.PeeringConnections {
		add(m.PeeringConnections[i].ID, KindPeeringConnection, -1, i, &m.PeeringConnections[i].Source, "id")
	}
	for ti := range m.TransitGateways {
		t := &m.TransitGateways[ti]
		add(t.ID, KindTransitGateway, -1, ti, &t.Source, "id")
		for i := range t.RouteTables {
			add(t.RouteTables[i].ID, KindTGWRouteTable, ti, i, &t.RouteTables[i].Source, "id")
		}
		for i := range t.Attachments {
			add(t.Attachments[i].ID, KindTGWAttachment, ti, i, &t.Attachments[i].Source, "id")
		}
	}
	for i := range m.PrefixLists {
		add(m.PrefixLists[i].ID, KindPrefixList, -1, i, &m.PrefixLists[i].Source, "id")
	}
	for i := range m.EndpointServices {
		add(m.EndpointServices[i].ID, KindEndpointService, -1, i, &m.EndpointServices[i].Source, "id")
	}
	for i := range m.HostedZones {
		add(m.HostedZones[i].ID, KindHostedZone, -1, i, &m.HostedZones[i].Source, "id")
	}
	for i := range m.ExternalNetworks {
		add(m.ExternalNetworks[i].ID, KindExternalNetwork, -1, i, &m.ExternalNetworks[i].Source, "id")
	}
	x.dups = d.list
	return x, d.list
}

// countIDs counts the ids NewIndex indexes, at most: the size of its map.
func countIDs(m *Model) int {
	n := len(m.Accounts) + len(m.PeeringConnections) + len(m.PrefixLists) + len(m.EndpointServices) +
		len(m.HostedZones) + len(m.ExternalNetworks)
	for i := range m.VPCs {
		v := &m.VPCs[i]
		n += 4 + len(v.Subnets) + len(v.RouteTables) + len(v.NetworkACLs) + len(v.SecurityGroups) + len(v.NATGateways) +
			len(v.Endpoints) + 2*len(v.Instances) + len(v.NetworkInterfaces) + len(v.LoadBalancers) + len(v.TargetGroups)
	}
	for i := range m.TransitGateways {
		n += 1 + len(m.TransitGateways[i].RouteTables) + len(m.TransitGateways[i].Attachments)
	}
	return n
}

// Model returns the model x indexes.
func (x *Index) Model() *Model { return x.m }

// Validate is the package's Validate of the model x indexes, with x
// rather than a new index. When it finds no errors, x remembers it
// (Validated): a model validated through its index need not be validated
// again while it does not change (which would also make x stale).
func (x *Index) Validate() Diagnostics {
	diags := validate(x)
	x.valid.Store(diags.Err() == nil)
	return diags
}

// Validated reports whether Validate (or Check) found no errors in the
// model through x.
func (x *Index) Validated() bool { return x.valid.Load() }

// Check is the package's Check, validating through x (see Validate).
func (x *Index) Check(decoding Diagnostics) Diagnostics {
	return joinDecoding(x.Validate(), decoding)
}

// Kind returns the kind of the resource with the given id, or KindUnknown.
func (x *Index) Kind(id ID) Kind { return x.byID[id].kind }

// OwnerVPC returns the VPC that holds the resource (subnets, route tables,
// gateways, instances, ... and the VPC itself), or nil.
func (x *Index) OwnerVPC(id ID) *VPC {
	e, ok := x.byID[id]
	if !ok {
		return nil
	}
	if e.kind == KindVPC {
		return &x.m.VPCs[e.i]
	}
	if e.owner < 0 || e.kind == KindTGWRouteTable || e.kind == KindTGWAttachment {
		return nil
	}
	return &x.m.VPCs[e.owner]
}

// OwnerTransitGateway returns the transit gateway of a transit gateway route
// table or attachment, or nil.
func (x *Index) OwnerTransitGateway(id ID) *TransitGateway {
	e, ok := x.byID[id]
	if !ok || (e.kind != KindTGWRouteTable && e.kind != KindTGWAttachment) {
		return nil
	}
	return &x.m.TransitGateways[e.owner]
}

func get[T any](x *Index, id ID, k Kind, list func(e entry) []T) *T {
	e, ok := x.byID[id]
	if !ok || e.kind != k {
		return nil
	}
	return &list(e)[e.i]
}

// VPC returns the VPC with the id, or nil.
func (x *Index) VPC(id ID) *VPC {
	return get(x, id, KindVPC, func(entry) []VPC { return x.m.VPCs })
}

// Subnet returns the subnet with the id, or nil.
func (x *Index) Subnet(id ID) *Subnet {
	return get(x, id, KindSubnet, func(e entry) []Subnet { return x.m.VPCs[e.owner].Subnets })
}

// RouteTable returns the route table with the id, or nil.
func (x *Index) RouteTable(id ID) *RouteTable {
	return get(x, id, KindRouteTable, func(e entry) []RouteTable { return x.m.VPCs[e.owner].RouteTables })
}

// NetworkACL returns the network ACL with the id, or nil.
func (x *Index) NetworkACL(id ID) *NetworkACL {
	return get(x, id, KindNetworkACL, func(e entry) []NetworkACL { return x.m.VPCs[e.owner].NetworkACLs })
}

// SecurityGroup returns the security group with the id, or nil.
func (x *Index) SecurityGroup(id ID) *SecurityGroup {
	return get(x, id, KindSecurityGroup, func(e entry) []SecurityGroup { return x.m.VPCs[e.owner].SecurityGroups })
}

// Instance returns the instance with the id (or whose primary interface has
// the id), or nil.
func (x *Index) Instance(id ID) *Instance {
	return get(x, id, KindInstance, func(e entry) []Instance { return x.m.VPCs[e.owner].Instances })
}

// NetworkInterface returns the network interface with the id, or nil.
func (x *Index) NetworkInterface(id ID) *NetworkInterface {
	return get(x, id, KindNetworkInterface, func(e entry) []NetworkInterface { return x.m.VPCs[e.owner].NetworkInterfaces })
}

// NATGateway returns the NAT gateway with the id, or nil.
func (x *Index) NATGateway(id ID) *NATGateway {
	return get(x, id, KindNATGateway, func(e entry) []NATGateway { return x.m.VPCs[e.owner].NATGateways })
}

// Endpoint returns the VPC endpoint with the id, or nil.
func (x *Index) Endpoint(id ID) *Endpoint {
	return get(x, id, KindEndpoint, func(e entry) []Endpoint { return x.m.VPCs[e.owner].Endpoints })
}

// LoadBalancer returns the load balancer with the id, or nil.
func (x *Index) LoadBalancer(id ID) *LoadBalancer {
	return get(x, id, KindLoadBalancer, func(e entry) []LoadBalancer { return x.m.VPCs[e.owner].LoadBalancers })
}

// TargetGroup returns the target group with the id, or nil.
func (x *Index) TargetGroup(id ID) *TargetGroup {
	return get(x, id, KindTargetGroup, func(e entry) []TargetGroup { return x.m.VPCs[e.owner].TargetGroups })
}

// PeeringConnection returns the peering connection with the id, or nil.
func (x *Index) PeeringConnection(id ID) *PeeringConnection {
	return get(x, id, KindPeeringConnection, func(entry) []PeeringConnection { return x.m.PeeringConnections })
}

// TransitGateway returns the transit gateway with the id, or nil.
func (x *Index) TransitGateway(id ID) *TransitGateway {
	return get(x, id, KindTransitGateway, func(entry) []TransitGateway { return x.m.TransitGateways })
}

// TGWRouteTable returns the transit gateway route table with the id, or nil.
func (x *Index) TGWRouteTable(id ID) *TGWRouteTable {
	return get(x, id, KindTGWRouteTable, func(e entry) []TGWRouteTable { return x.m.TransitGateways[e.owner].RouteTables })
}

// TGWAttachment returns the transit gateway attachment with the id, or nil.
func (x *Index) TGWAttachment(id ID) *TGWAttachment {
	return get(x, id, KindTGWAttachment, func(e entry) []TGWAttachment { return x.m.TransitGateways[e.owner].Attachments })
}

// PrefixList returns the prefix list with the id, or nil.
func (x *Index) PrefixList(id ID) *PrefixList {
	return get(x, id, KindPrefixList, func(entry) []PrefixList { return x.m.PrefixLists })
}

// EndpointService returns the endpoint service with the id, or nil.
func (x *Index) EndpointService(id ID) *EndpointService {
	return get(x, id, KindEndpointService, func(entry) []EndpointService { return x.m.EndpointServices })
}

// EndpointServiceFor returns the endpoint service an endpoint's service
// field names, by id or by service name, or nil.
func (x *Index) EndpointServiceFor(service string) *EndpointService {
	if es := x.EndpointService(ID(service)); es != nil {
		return es
	}
	x.serviceOnce.Do(func() {
		x.serviceNames = make(map[string]int32, len(x.m.EndpointServices))
		for i := range x.m.EndpointServices {
			name := x.m.EndpointServices[i].ServiceName()
			if _, dup := x.serviceNames[name]; !dup {
				x.serviceNames[name] = int32(i)
			}
		}
	})
	if i, ok := x.serviceNames[service]; ok {
		return &x.m.EndpointServices[i]
	}
	return nil
}

// ExternalNetwork returns the external network with the id, or nil.
func (x *Index) ExternalNetwork(id ID) *ExternalNetwork {
	return get(x, id, KindExternalNetwork, func(entry) []ExternalNetwork { return x.m.ExternalNetworks })
}

// IDs returns the ids of every resource of the given kinds, sorted.
func (x *Index) IDs(kinds ...Kind) []string {
	x.once.Do(func() {
		x.byKind = map[Kind][]string{}
		for id, e := range x.byID {
			x.byKind[e.kind] = append(x.byKind[e.kind], string(id))
		}
		for _, ids := range x.byKind {
			slices.Sort(ids)
		}
	})
	var out []string
	for _, k := range kinds {
		out = append(out, x.byKind[k]...)
	}
	return out
}
