package awsimport

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

// snapshot holds every resource read, as AWS wrote it.
type snapshot struct {
	azs                   []item[awsAZ]
	vpcs                  []item[awsVpc]
	vpcAttributes         []item[awsVpcAttribute]
	subnets               []item[awsSubnet]
	routeTables           []item[awsRouteTable]
	acls                  []item[awsNetworkACL]
	groups                []item[awsSecurityGroup]
	reservations          []item[awsReservation]
	instances             []item[awsInstance] // np-guard bundles list instances without reservations
	enis                  []item[awsENI]
	addresses             []item[awsAddress]
	igws                  []item[awsInternetGateway]
	eigws                 []item[awsEgressOnlyIGW]
	nats                  []item[awsNATGateway]
	vgws                  []item[awsVPNGateway]
	vpns                  []item[awsVPNConnection]
	peerings              []item[awsPeering]
	tgws                  []item[awsTGW]
	tgwAttachments        []item[awsTGWAttachment]
	tgwVpcAttachments     []item[awsTGWVpcAttachment]
	tgwPeeringAttachments []item[awsTGWPeeringAttachment]
	tgwRouteTables        []item[awsTGWRouteTable]
	tgwStaticRoutes       []item[awsTGWRoutesOf]
	tgwPropagations       []item[awsTGWPropagationsOf]
	endpoints             []item[awsEndpoint]
	services              []item[awsServiceConfiguration]
	serviceDetails        []item[awsServiceDetail]
	servicePermissions    []item[awsServicePermissions]
	endpointConnections   []item[awsEndpointConnection]
	prefixLists           []item[awsPrefixList]
	prefixListEntries     []item[awsPrefixListEntries]
	loadBalancers         []item[awsLoadBalancer]
	listeners             []item[awsListenersOf]
	lbAttributes          []item[awsAttributesOf]
	targetGroups          []item[awsTargetGroup]
	targetHealth          []item[awsTargetHealthOf]
	tgAttributes          []item[awsAttributesOf]
	hostedZones           []item[awsHostedZone]
	hostedZoneDetails     []item[awsHostedZoneDetail]
	recordSets            []item[awsRecordSetsOf]
}

// mergeAll appends the resources of subs, read from later files, in
// order.
func (s *snapshot) mergeAll(subs []*snapshot) {
	mergeInto(&s.azs, subs, func(o *snapshot) []item[awsAZ] { return o.azs })
	mergeInto(&s.vpcs, subs, func(o *snapshot) []item[awsVpc] { return o.vpcs })
	mergeInto(&s.vpcAttributes, subs, func(o *snapshot) []item[awsVpcAttribute] { return o.vpcAttributes })
	mergeInto(&s.subnets, subs, func(o *snapshot) []item[awsSubnet] { return o.subnets })
	mergeInto(&s.routeTables, subs, func(o *snapshot) []item[awsRouteTable] { return o.routeTables })
	mergeInto(&s.acls, subs, func(o *snapshot) []item[awsNetworkACL] { return o.acls })
	mergeInto(&s.groups, subs, func(o *snapshot) []item[awsSecurityGroup] { return o.groups })
	mergeInto(&s.reservations, subs, func(o *snapshot) []item[awsReservation] { return o.reservations })
	mergeInto(&s.instances, subs, func(o *snapshot) []item[awsInstance] { return o.instances })
	mergeInto(&s.enis, subs, func(o *snapshot) []item[awsENI] { return o.enis })
	mergeInto(&s.addresses, subs, func(o *snapshot) []item[awsAddress] { return o.addresses })
	mergeInto(&s.igws, subs, func(o *snapshot) []item[awsInternetGateway] { return o.igws })
	mergeInto(&s.eigws, subs, func(o *snapshot) []item[awsEgressOnlyIGW] { return o.eigws })
	mergeInto(&s.nats, subs, func(o *snapshot) []item[awsNATGateway] { return o.nats })
	mergeInto(&s.vgws, subs, func(o *snapshot) []item[awsVPNGateway] { return o.vgws })
	mergeInto(&s.vpns, subs, func(o *snapshot) []item[awsVPNConnection] { return o.vpns })
	mergeInto(&s.peerings, subs, func(o *snapshot) []item[awsPeering] { return o.peerings })
	mergeInto(&s.tgws, subs, func(o *snapshot) []item[awsTGW] { return o.tgws })
	mergeInto(&s.tgwAttachments, subs, func(o *snapshot) []item[awsTGWAttachment] { return o.tgwAttachments })
	mergeInto(&s.tgwVpcAttachments, subs, func(o *snapshot) []item[awsTGWVpcAttachment] { return o.tgwVpcAttachments })
	mergeInto(&s.tgwPeeringAttachments, subs, func(o *snapshot) []item[awsTGWPeeringAttachment] { return o.tgwPeeringAttachments })
	mergeInto(&s.tgwRouteTables, subs, func(o *snapshot) []item[awsTGWRouteTable] { return o.tgwRouteTables })
	mergeInto(&s.tgwStaticRoutes, subs, func(o *snapshot) []item[awsTGWRoutesOf] { return o.tgwStaticRoutes })
	mergeInto(&s.tgwPropagations, subs, func(o *snapshot) []item[awsTGWPropagationsOf] { return o.tgwPropagations })
	mergeInto(&s.endpoints, subs, func(o *snapshot) []item[awsEndpoint] { return o.endpoints })
	mergeInto(&s.services, subs, func(o *snapshot) []item[awsServiceConfiguration] { return o.services })
	mergeInto(&s.serviceDetails, subs, func(o *snapshot) []item[awsServiceDetail] { return o.serviceDetails })
	mergeInto(&s.servicePermissions, subs, func(o *snapshot) []item[awsServicePermissions] { return o.servicePermissions })
	mergeInto(&s.endpointConnections, subs, func(o *snapshot) []item[awsEndpointConnection] { return o.endpointConnections })
	mergeInto(&s.prefixLists, subs, func(o *snapshot) []item[awsPrefixList] { return o.prefixLists })
	mergeInto(&s.prefixListEntries, subs, func(o *snapshot) []item[awsPrefixListEntries] { return o.prefixListEntries })
	mergeInto(&s.loadBalancers, subs, func(o *snapshot) []item[awsLoadBalancer] { return o.loadBalancers })
	mergeInto(&s.listeners, subs, func(o *snapshot) []item[awsListenersOf] { return o.listeners })
	mergeInto(&s.lbAttributes, subs, func(o *snapshot) []item[awsAttributesOf] { return o.lbAttributes })
	mergeInto(&s.targetGroups, subs, func(o *snapshot) []item[awsTargetGroup] { return o.targetGroups })
	mergeInto(&s.targetHealth, subs, func(o *snapshot) []item[awsTargetHealthOf] { return o.targetHealth })
	mergeInto(&s.tgAttributes, subs, func(o *snapshot) []item[awsAttributesOf] { return o.tgAttributes })
	mergeInto(&s.hostedZones, subs, func(o *snapshot) []item[awsHostedZone] { return o.hostedZones })
	mergeInto(&s.hostedZoneDetails, subs, func(o *snapshot) []item[awsHostedZoneDetail] { return o.hostedZoneDetails })
	mergeInto(&s.recordSets, subs, func(o *snapshot) []item[awsRecordSetsOf] { return o.recordSets })
}

func mergeInto[T any](dst *[]item[T], subs []*snapshot, get func(*snapshot) []item[T]) {
	n := 0
	for _, o := range subs {
		n += len(get(o))
	}
	*dst = slices.Grow(*dst, n)
	for _, o := range subs {
		*dst = append(*dst, get(o)...)
	}
}

// handlers map the top-level keys of AWS CLI outputs (and of the wrapped
// outputs and np-guard bundles) to the lists they fill.
var handlers = map[string]handler{
	"AvailabilityZones":                list(func(s *snapshot) *[]item[awsAZ] { return &s.azs }),
	"Vpcs":                             list(func(s *snapshot) *[]item[awsVpc] { return &s.vpcs }),
	"VpcAttributes":                    list(func(s *snapshot) *[]item[awsVpcAttribute] { return &s.vpcAttributes }),
	"Subnets":                          list(func(s *snapshot) *[]item[awsSubnet] { return &s.subnets }),
	"RouteTables":                      list(func(s *snapshot) *[]item[awsRouteTable] { return &s.routeTables }, "Routes"),
	"NetworkAcls":                      list(func(s *snapshot) *[]item[awsNetworkACL] { return &s.acls }, "Entries"),
	"SecurityGroups":                   list(func(s *snapshot) *[]item[awsSecurityGroup] { return &s.groups }, "IpPermissions", "IpPermissionsEgress"),
	"Reservations":                     list(func(s *snapshot) *[]item[awsReservation] { return &s.reservations }, "Instances"),
	"NetworkInterfaces":                list(func(s *snapshot) *[]item[awsENI] { return &s.enis }),
	"Addresses":                        list(func(s *snapshot) *[]item[awsAddress] { return &s.addresses }),
	"InternetGateways":                 list(func(s *snapshot) *[]item[awsInternetGateway] { return &s.igws }),
	"EgressOnlyInternetGateways":       list(func(s *snapshot) *[]item[awsEgressOnlyIGW] { return &s.eigws }),
	"NatGateways":                      list(func(s *snapshot) *[]item[awsNATGateway] { return &s.nats }),
	"VpnGateways":                      list(func(s *snapshot) *[]item[awsVPNGateway] { return &s.vgws }),
	"VpnConnections":                   list(func(s *snapshot) *[]item[awsVPNConnection] { return &s.vpns }),
	"VpcPeeringConnections":            list(func(s *snapshot) *[]item[awsPeering] { return &s.peerings }),
	"TransitGateways":                  list(func(s *snapshot) *[]item[awsTGW] { return &s.tgws }),
	"TransitGatewayAttachments":        list(func(s *snapshot) *[]item[awsTGWAttachment] { return &s.tgwAttachments }),
	"TransitGatewayVpcAttachments":     list(func(s *snapshot) *[]item[awsTGWVpcAttachment] { return &s.tgwVpcAttachments }),
	"TransitGatewayPeeringAttachments": list(func(s *snapshot) *[]item[awsTGWPeeringAttachment] { return &s.tgwPeeringAttachments }),
	"TransitGatewayRouteTables":        list(func(s *snapshot) *[]item[awsTGWRouteTable] { return &s.tgwRouteTables }),
	"TransitGatewayStaticRoutes":       list(func(s *snapshot) *[]item[awsTGWRoutesOf] { return &s.tgwStaticRoutes }, "Routes"),
	"TransitGatewayPropagations":       list(func(s *snapshot) *[]item[awsTGWPropagationsOf] { return &s.tgwPropagations }, "TransitGatewayRouteTablePropagations"),
	"VpcEndpoints":                     list(func(s *snapshot) *[]item[awsEndpoint] { return &s.endpoints }),
	"ServiceConfigurations":            list(func(s *snapshot) *[]item[awsServiceConfiguration] { return &s.services }),
	"VpcEndpointServiceConfigurations": list(func(s *snapshot) *[]item[awsServiceConfiguration] { return &s.services }),
	"ServiceDetails":                   list(func(s *snapshot) *[]item[awsServiceDetail] { return &s.serviceDetails }),
	"VpcEndpointServicePermissions":    list(func(s *snapshot) *[]item[awsServicePermissions] { return &s.servicePermissions }),
	"VpcEndpointConnections":           list(func(s *snapshot) *[]item[awsEndpointConnection] { return &s.endpointConnections }),
	"PrefixLists":                      list(func(s *snapshot) *[]item[awsPrefixList] { return &s.prefixLists }),
	"ManagedPrefixLists":               list(func(s *snapshot) *[]item[awsPrefixList] { return &s.prefixLists }),
	"ManagedPrefixListEntries":         list(func(s *snapshot) *[]item[awsPrefixListEntries] { return &s.prefixListEntries }),
	"LoadBalancers":                    list(func(s *snapshot) *[]item[awsLoadBalancer] { return &s.loadBalancers }),
	"LoadBalancerListeners":            list(func(s *snapshot) *[]item[awsListenersOf] { return &s.listeners }, "Listeners"),
	"LoadBalancerAttributes":           list(func(s *snapshot) *[]item[awsAttributesOf] { return &s.lbAttributes }),
	"TargetGroups":                     list(func(s *snapshot) *[]item[awsTargetGroup] { return &s.targetGroups }),
	"LoadBalancerTargetHealth":         list(func(s *snapshot) *[]item[awsTargetHealthOf] { return &s.targetHealth }, "TargetHealthDescriptions"),
	"TargetGroupAttributes":            list(func(s *snapshot) *[]item[awsAttributesOf] { return &s.tgAttributes }),
	"HostedZones":                      list(func(s *snapshot) *[]item[awsHostedZone] { return &s.hostedZones }),
	"HostedZoneDetails":                list(func(s *snapshot) *[]item[awsHostedZoneDetail] { return &s.hostedZoneDetails }),
	"HostedZoneRecordSets":             list(func(s *snapshot) *[]item[awsRecordSetsOf] { return &s.recordSets }, "ResourceRecordSets"),

	// np-guard cloud-resource-collector bundles.
	"vpcs":              list(func(s *snapshot) *[]item[awsVpc] { return &s.vpcs }),
	"subnets":           list(func(s *snapshot) *[]item[awsSubnet] { return &s.subnets }),
	"instances":         list(func(s *snapshot) *[]item[awsInstance] { return &s.instances }),
	"security_groups":   list(func(s *snapshot) *[]item[awsSecurityGroup] { return &s.groups }, "IpPermissions", "IpPermissionsEgress"),
	"network_acls":      list(func(s *snapshot) *[]item[awsNetworkACL] { return &s.acls }, "Entries"),
	"internet_gateways": list(func(s *snapshot) *[]item[awsInternetGateway] { return &s.igws }),
}

// awsTag is a resource tag; the Name tag becomes the resource's name.
type awsTag struct{ Key, Value string }

func nameTag(tags []awsTag) string {
	for _, t := range tags {
		if t.Key == "Name" {
			return t.Value
		}
	}
	return ""
}

// awsAZ is an availability zone (describe-availability-zones): evidence of
// the region of a flat snapshot.
type awsAZ struct{ RegionName, ZoneName, ZoneId string }

// vpcB is a VPC being built: its resources by id, assembled sorted at the
// end.
type vpcB struct {
	v           model.VPC
	subnets     map[string]*model.Subnet
	routeTables map[string]*model.RouteTable
	acls        map[string]*model.NetworkACL
	groups      map[string]*model.SecurityGroup
	nats        map[string]*model.NATGateway
	endpoints   map[string]*model.Endpoint
	instances   map[string]*model.Instance
	enis        map[string]*model.NetworkInterface
	lbs         map[string]*model.LoadBalancer
	tgs         map[string]*model.TargetGroup
	// addrs are the private addresses taken, with their holder.
	addrs map[netip.Addr]string
}

func newVPCB() *vpcB {
	return &vpcB{subnets: map[string]*model.Subnet{}, routeTables: map[string]*model.RouteTable{},
		acls: map[string]*model.NetworkACL{}, groups: map[string]*model.SecurityGroup{},
		nats: map[string]*model.NATGateway{}, endpoints: map[string]*model.Endpoint{},
		instances: map[string]*model.Instance{}, enis: map[string]*model.NetworkInterface{},
		lbs: map[string]*model.LoadBalancer{}, tgs: map[string]*model.TargetGroup{},
		addrs: map[netip.Addr]string{}}
}

// builder maps a snapshot to a model.
type builder struct {
	r    *reader
	s    *snapshot
	m    *model.Model
	vpcs map[string]*vpcB
	// kind and vpcOf record every id given to the model.
	kind  map[string]model.Kind
	vpcOf map[string]string
	// accounts seen as owners.
	accounts map[string]string
	counts   map[string]*countNote
	// Resources not mapped themselves, kept for what refers to them.
	enis      map[string]*item[awsENI]
	instances map[string]*instanceRef // instance id -> where it went
	byENI     map[string]*instanceRef // primary interface id -> its instance
	elastic   map[netip.Addr]bool     // the Elastic IPs of describe-addresses
	usedENIs  map[string]bool         // interfaces mapped as part of another resource
	// placeholders are the groups made up for ids the snapshot lacks.
	placeholders map[string]bool
	// Load balancers and target groups by ARN.
	lbByARN map[string]*model.LoadBalancer
	tgByARN map[string]*model.TargetGroup
	// tgws being built, by id.
	tgws map[string]*tgwB
	// skipRoutes marks (route table, target) pairs whose routes the model
	// makes itself (gateway endpoints).
	skipRoutes map[[2]string]bool
	services   map[string]*model.EndpointService
}

type countNote struct {
	src   model.Source
	n     int
	msg   string
	err   error
	order int
}

type instanceRef struct {
	vpc string
	in  *model.Instance
}

func (r *reader) build() (*model.Model, model.Diagnostics) {
	// A file that cannot be read leaves the snapshot incomplete: building
	// the rest would only add follow-on warnings about what it held.
	if len(r.diags.Errors()) > 0 {
		r.diags.Sort()
		return nil, r.diags
	}
	r.collectEvidence()
	r.settle()
	start := len(r.diags)
	b := &builder{r: r, s: &r.snap, m: &model.Model{Version: model.FormatVersion},
		vpcs: map[string]*vpcB{}, kind: map[string]model.Kind{}, vpcOf: map[string]string{},
		accounts: map[string]string{}, counts: map[string]*countNote{}, enis: map[string]*item[awsENI]{},
		instances: map[string]*instanceRef{}, byENI: map[string]*instanceRef{}, usedENIs: map[string]bool{}, placeholders: map[string]bool{},
		lbByARN: map[string]*model.LoadBalancer{}, tgByARN: map[string]*model.TargetGroup{},
		tgws: map[string]*tgwB{}, skipRoutes: map[[2]string]bool{}, services: map[string]*model.EndpointService{}}
	n := len(b.s.instances) + len(b.s.enis)
	for i := range b.s.reservations {
		n += len(b.s.reservations[i].v.Instances)
	}
	b.kind, b.vpcOf = make(map[string]model.Kind, 2*n+1024), make(map[string]string, 2*n+1024)
	b.instances, b.byENI = make(map[string]*instanceRef, n), make(map[string]*instanceRef, n)
	b.buildVPCs()
	b.buildSubnets()
	b.buildPrefixLists()
	b.buildRouteTables()
	b.buildNetworkACLs()
	b.warnNoACLs()
	b.buildSecurityGroups()
	b.buildGateways()
	b.buildPeerings()
	b.buildInstances()
	b.buildNATGateways()
	b.buildLoadBalancers()
	b.buildEndpointServices()
	b.buildEndpoints()
	b.buildENIs(b.usedENIs)
	b.buildTransitGateways()
	b.buildVPNs()
	b.buildEdgeAssociations()
	b.buildRoutes()
	b.buildTGWRoutes()
	b.buildHostedZones()
	b.finishVPCs()
	b.assemble()
	b.flushCounts()
	if errs := r.diags[start:].Errors(); len(errs) > 0 {
		// A value that AWS never writes was left out with an error: what
		// else the builder said (references to what was left out) would
		// only mislead. The errors are the whole answer.
		r.diags = append(r.diags[:start:start], errs...)
		r.diags.Sort()
		return nil, r.diags
	}
	if isEmpty(b.m) {
		r.errorf(model.Position{File: r.root}, ErrNothingImported, "nothing imported: %s", r.emptyReason())
	}
	diags := r.diags
	diags.Sort()
	if isEmpty(b.m) {
		return nil, diags
	}
	return b.m, diags
}

// isEmpty reports whether m holds no resource at all.
func isEmpty(m *model.Model) bool {
	return len(m.VPCs) == 0 && len(m.TransitGateways) == 0 && len(m.PeeringConnections) == 0 && len(m.PrefixLists) == 0 &&
		len(m.EndpointServices) == 0 && len(m.HostedZones) == 0 && len(m.ExternalNetworks) == 0
}

// emptyReason says why nothing was imported.
func (r *reader) emptyReason() string {
	switch {
	case r.lists == 0 && r.rootIsFile:
		return "the file holds no resource list vpcreach reads (Vpcs, Subnets, ...)"
	case r.lists == 0:
		return "no file of the snapshot holds a resource list vpcreach reads (Vpcs, Subnets, ...): the notes say what each holds"
	case len(r.snap.vpcs) == 0:
		return "the resource lists hold no VPC"
	}
	return "no VPC of the snapshot could be imported: the warnings say why"
}

// collectEvidence feeds the regions the data shows into the scopes.
func (r *reader) collectEvidence() {
	for _, it := range r.snap.azs {
		it.sc.seeRegion(it.v.RegionName)
	}
	for _, it := range r.snap.subnets {
		it.sc.seeARN(it.v.SubnetArn)
		it.sc.seeAZ(it.v.AvailabilityZone)
	}
	for _, it := range r.snap.tgws {
		it.sc.seeARN(it.v.TransitGatewayArn)
	}
	for _, it := range r.snap.loadBalancers {
		it.sc.seeARN(it.v.LoadBalancerArn)
	}
	for _, it := range r.snap.reservations {
		for _, in := range it.v.Instances {
			it.sc.seeAZ(in.Placement.AvailabilityZone)
		}
	}
	for _, it := range r.snap.instances {
		it.sc.seeAZ(it.v.Placement.AvailabilityZone)
	}
}

// Diagnostics.

func (b *builder) add(sev model.Severity, src model.Source, field string, err error, format string, args ...any) {
	p := src.Path
	if field != "" {
		if p != "" {
			p += "."
		}
		p += field
	}
	b.r.diags = append(b.r.diags, model.Diagnostic{Severity: sev, Pos: src.Position, Path: p, Message: fmt.Sprintf(format, args...), Err: err})
}

func (b *builder) warn(src model.Source, field string, err error, format string, args ...any) {
	b.add(model.SeverityWarning, src, field, err, format, args...)
}

func (b *builder) note(src model.Source, field string, err error, format string, args ...any) {
	b.add(model.SeverityNote, src, field, err, format, args...)
}

func (b *builder) errorf(src model.Source, field string, err error, format string, args ...any) {
	b.add(model.SeverityError, src, field, err, format, args...)
}

// count records one more instance of a counted note; the note is reported
// once, at the first place, with the count (IPv6 routes, ...).
func (b *builder) count(key string, src model.Source, err error, msg string) {
	c := b.counts[key]
	if c == nil {
		c = &countNote{src: src, msg: msg, err: err, order: len(b.counts)}
		b.counts[key] = c
	}
	c.n++
}

func (b *builder) flushCounts() {
	keys := make([]string, 0, len(b.counts))
	for k := range b.counts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		c := b.counts[k]
		b.note(c.src, "", c.err, "%s", strings.ReplaceAll(c.msg, "%N", fmt.Sprint(c.n)))
	}
}

// Ids.

// place records that id is in the model, of kind k, in VPC vpc (empty for
// top-level resources).
func (b *builder) place(id string, k model.Kind, vpc string) {
	b.kind[id] = k
	if vpc != "" {
		b.vpcOf[id] = vpc
	}
}

func (b *builder) has(id string) bool { _, ok := b.kind[id]; return ok }

// freeID returns base, or base-2, base-3, ... when base is taken: for ids
// made from names (load balancers, target groups).
func (b *builder) freeID(base string) string {
	if base == "" {
		base = "unnamed"
	}
	if base[0] >= '0' && base[0] <= '9' {
		base = "x-" + base
	}
	id := base
	for n := 2; b.has(id); n++ {
		id = fmt.Sprintf("%s-%d", base, n)
	}
	return id
}

func (b *builder) account(id string, label string) model.ID {
	if id == "" || !accountPattern.MatchString(id) {
		return ""
	}
	if _, ok := b.accounts[id]; !ok || b.accounts[id] == "" {
		b.accounts[id] = label
	}
	return model.ID(id)
}

// ownerOf returns the account of a resource: its own OwnerId, else the
// account directory of its file.
func (b *builder) ownerOf(owner string, sc *scope) model.ID {
	if owner != "" {
		label := ""
		if sc.account != "" && sc.account != owner {
			label = "collected as accounts/" + sc.account
		}
		return b.account(owner, label)
	}
	return b.account(sc.account, "")
}

// unique sorts items by id (then file and line) and keeps the first of
// each id: the same resource seen from several accounts is one resource.
func unique[T any](items []item[T], id func(*T) string) []*item[T] {
	out := make([]*item[T], 0, len(items))
	for i := range items {
		if id(&items[i].v) != "" {
			out = append(out, &items[i])
		}
	}
	slices.SortStableFunc(out, func(a, b *item[T]) int {
		return cmp.Or(cmp.Compare(id(&a.v), id(&b.v)), cmp.Compare(a.src.File, b.src.File), cmp.Compare(a.src.Line, b.src.Line))
	})
	return slices.CompactFunc(out, func(a, b *item[T]) bool { return id(&a.v) == id(&b.v) })
}

// vpc returns the VPC being built, or nil with a warning naming what
// needed it (kind and id).
func (b *builder) vpc(id string, src model.Source, kind, rid string) *vpcB {
	if v := b.vpcs[id]; v != nil {
		return v
	}
	if id == "" {
		b.warn(src, "", ErrSkipped, "%s %s names no VPC: skipped", kind, rid)
	} else {
		b.warn(src, "VpcId", ErrOutsideSnapshot, "%s %s is in %s, which is not in the snapshot: skipped", kind, rid, id)
	}
	return nil
}

// claim takes address a in VPC v for holder; it reports false (with a
// warning) when the address is taken.
func (b *builder) claim(v *vpcB, a netip.Addr, holder string, src model.Source) bool {
	if !a.IsValid() {
		return true
	}
	if prev, ok := v.addrs[a]; ok && prev != holder {
		b.warn(src, "", ErrSkipped, "%s of %s is already held by %s in %s: left out", a, holder, prev, v.v.ID)
		return false
	}
	v.addrs[a] = holder
	return true
}

// claimAll claims each of addrs for holder (see claim), src(k) being
// where the k-th is written, and reports whether every claim held. It
// stops at the first that fails.
func (b *builder) claimAll(v *vpcB, addrs []netip.Addr, holder string, src func(k int) model.Source) bool {
	for k, a := range addrs {
		if !b.claim(v, a, holder, src(k)) {
			return false
		}
	}
	return true
}

// parseAddr parses an IPv4 address, or returns the zero Addr.
func parseAddr(s string) netip.Addr {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil || !a.Is4() {
		return netip.Addr{}
	}
	return a
}

func ptr[T any](v T) *T { return &v }

func itoa(i int) string { return strconv.Itoa(i) }

func comparePrefix(a, b netip.Prefix) int {
	return cmp.Or(a.Addr().Compare(b.Addr()), cmp.Compare(a.Bits(), b.Bits()))
}

// sortedKeys returns a map's keys, sorted.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func values[V any](m map[string]*V) []V {
	if len(m) == 0 {
		return nil
	}
	out := make([]V, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, *m[k])
	}
	return out
}

// assemble writes the VPCs and top-level lists into the model, sorted by
// id.
func (b *builder) assemble() {
	for _, id := range sortedKeys(b.vpcs) {
		v := b.vpcs[id]
		mv := v.v
		mv.Subnets = values(v.subnets)
		mv.RouteTables = values(v.routeTables)
		mv.NetworkACLs = values(v.acls)
		mv.SecurityGroups = values(v.groups)
		mv.NATGateways = values(v.nats)
		mv.Endpoints = values(v.endpoints)
		mv.Instances = values(v.instances)
		mv.NetworkInterfaces = values(v.enis)
		mv.LoadBalancers = values(v.lbs)
		mv.TargetGroups = values(v.tgs)
		b.m.VPCs = append(b.m.VPCs, mv)
	}
	for _, id := range sortedKeys(b.tgws) {
		b.m.TransitGateways = append(b.m.TransitGateways, b.tgws[id].assemble())
	}
	for _, id := range sortedKeys(b.services) {
		b.m.EndpointServices = append(b.m.EndpointServices, *b.services[id])
	}
	slices.SortFunc(b.m.PeeringConnections, func(x, y model.PeeringConnection) int { return cmp.Compare(x.ID, y.ID) })
	slices.SortFunc(b.m.PrefixLists, func(x, y model.PrefixList) int { return cmp.Compare(x.ID, y.ID) })
	slices.SortFunc(b.m.HostedZones, func(x, y model.HostedZone) int { return cmp.Compare(x.ID, y.ID) })
	slices.SortFunc(b.m.ExternalNetworks, func(x, y model.ExternalNetwork) int { return cmp.Compare(x.ID, y.ID) })
	for _, id := range sortedKeys(b.accounts) {
		b.m.Accounts = append(b.m.Accounts, model.Account{ID: model.ID(id), Name: b.accounts[id]})
	}
}
