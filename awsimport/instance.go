package awsimport

import (
	"cmp"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

// awsReservation is an element of describe-instances' Reservations.
type awsReservation struct {
	OwnerId   string
	Instances []awsInstance
}

// awsInstance is an EC2 instance. Its network interfaces carry the
// addresses, groups and source/destination check; the instance-level
// fields repeat those of the primary one.
type awsInstance struct {
	InstanceId        string
	VpcId             string
	SubnetId          string
	PrivateIpAddress  string
	PublicIpAddress   string
	Ipv6Address       jsonText
	State             struct{ Name string }
	SourceDestCheck   *bool
	SecurityGroups    []awsGroupRef
	NetworkInterfaces []awsInstanceENI
	Placement         struct{ AvailabilityZone string }
	Tags              []awsTag
}

// awsInstanceENI is a network interface as describe-instances shows it.
type awsInstanceENI struct {
	NetworkInterfaceId string
	SubnetId           string
	VpcId              string
	OwnerId            string
	Description        string
	PrivateIpAddress   string
	PrivateIpAddresses []awsPrivateIP
	Ipv6Addresses      []awsIPv6Address
	Association        *awsIPAssociation
	Attachment         struct {
		DeviceIndex int
		Status      string
	}
	Groups          []awsGroupRef
	SourceDestCheck *bool
}

// awsIPv6Address is an IPv6 address of an interface
// (InstanceIpv6Address, NetworkInterfaceIpv6Address).
type awsIPv6Address struct {
	Ipv6Address   jsonText
	IsPrimaryIpv6 bool
}

type awsPrivateIP struct {
	PrivateIpAddress string
	Primary          bool
	Association      *awsIPAssociation
}

// awsIPAssociation is the public address of a private one: an Elastic IP
// (AllocationId, owned by the account) or an auto-assigned one
// (IpOwnerId "amazon").
type awsIPAssociation struct {
	PublicIp      string
	IpOwnerId     string
	AllocationId  string
	AssociationId string
}

// awsENI is an element of describe-network-interfaces' NetworkInterfaces.
type awsENI struct {
	NetworkInterfaceId string
	SubnetId           string
	VpcId              string
	OwnerId            string
	Description        string
	InterfaceType      string
	Status             string
	RequesterManaged   bool
	PrivateIpAddress   string
	PrivateIpAddresses []awsPrivateIP
	Ipv6Addresses      []awsIPv6Address
	Association        *awsIPAssociation
	Attachment         *struct {
		InstanceId      string
		InstanceOwnerId string
		DeviceIndex     int
		Status          string
	}
	Groups           []awsGroupRef
	SourceDestCheck  *bool
	AvailabilityZone string
	TagSet           []awsTag
}

// awsAddress is an Elastic IP (describe-addresses).
type awsAddress struct {
	PublicIp           string
	AllocationId       string
	AssociationId      string
	InstanceId         string
	NetworkInterfaceId string
	PrivateIpAddress   string
	Domain             string
}

// instanceItem is an instance with the owner of its reservation.
type instanceItem struct {
	a     *awsInstance
	sc    *scope
	owner string
	src   model.Source
}

// instanceStates maps EC2's state names (the fast path of
// InstanceState.UnmarshalText).
var instanceStates = map[string]model.InstanceState{"running": model.InstanceRunning, "pending": model.InstancePending,
	"stopping": model.InstanceStopping, "stopped": model.InstanceStopped, "shutting-down": model.InstanceShuttingDown,
	"terminated": model.InstanceTerminated}

func (b *builder) buildInstances() {
	for _, it := range unique(b.s.enis, func(e *awsENI) string { return e.NetworkInterfaceId }) {
		b.enis[it.v.NetworkInterfaceId] = it
	}
	// Instances of reservations, and of bundles.
	var all []instanceItem
	for i := range b.s.reservations {
		rv := &b.s.reservations[i]
		for j := range rv.v.Instances {
			all = append(all, instanceItem{a: &rv.v.Instances[j], sc: rv.sc, owner: rv.v.OwnerId, src: rv.at("Instances", j)})
		}
	}
	for i := range b.s.instances {
		it := &b.s.instances[i]
		all = append(all, instanceItem{a: &it.v, sc: it.sc, src: it.src})
	}
	// One per id (the first by file and line), in id order.
	slices.SortFunc(all, func(a, b instanceItem) int {
		return cmp.Or(cmp.Compare(a.a.InstanceId, b.a.InstanceId), cmp.Compare(a.src.File, b.src.File), cmp.Compare(a.src.Line, b.src.Line),
			cmp.Compare(a.src.Column, b.src.Column))
	})
	all = slices.CompactFunc(all, func(a, b instanceItem) bool { return a.a.InstanceId == b.a.InstanceId })
	terminated := 0
	for _, x := range all {
		a := x.a
		id := a.InstanceId
		if id == "" {
			continue
		}
		state := a.State.Name
		if state == "terminated" {
			terminated++
			b.count("terminated", x.src, ErrInactive, "terminated instances skipped, as they hold no network interface: %N")
			continue
		}
		if a.VpcId == "" {
			b.warn(x.src, "VpcId", ErrNotModelled, "instance %s is in no VPC (EC2-Classic): skipped", id)
			continue
		}
		v := b.vpc(a.VpcId, x.src, "instance", id)
		if v == nil {
			continue
		}
		in := &model.Instance{ID: model.ID(id), Name: nameTag(a.Tags), Source: x.src}
		if st, ok := instanceStates[state]; ok {
			in.State = st
		} else if err := in.State.UnmarshalText([]byte(state)); err != nil || state == "" {
			in.State = model.InstanceRunning
			if state != "" {
				b.warn(x.src, "State", model.ErrInvalidValue, "instance state %q is unknown: taken as running", state)
			}
		}
		owner := b.ownerOf(x.owner, x.sc)
		primary := b.primaryENI(a)
		if primary == nil {
			// No interface listed: the instance-level fields.
			primary = &awsInstanceENI{SubnetId: a.SubnetId, VpcId: a.VpcId, PrivateIpAddress: a.PrivateIpAddress,
				Groups: a.SecurityGroups, SourceDestCheck: a.SourceDestCheck}
			if a.Ipv6Address.S != "" {
				primary.Ipv6Addresses = []awsIPv6Address{{Ipv6Address: a.Ipv6Address, IsPrimaryIpv6: true}}
			}
			if a.PublicIpAddress != "" {
				primary.Association = &awsIPAssociation{PublicIp: a.PublicIpAddress, IpOwnerId: "amazon"}
			}
		}
		iface, ok := b.iface(v, primary.SubnetId, primary.PrivateIpAddress, primary.PrivateIpAddresses, primary.Ipv6Addresses, primary.Association,
			primary.Groups, primary.SourceDestCheck, id, x.src)
		if !ok {
			continue
		}
		if primary.OwnerId != "" {
			owner = b.ownerOf(primary.OwnerId, x.sc)
		}
		if owner != "" && owner != v.v.Account {
			iface.Account = owner
		}
		in.Interface = iface
		if primary.NetworkInterfaceId != "" && primary.NetworkInterfaceId != id {
			in.ENI = model.ID(primary.NetworkInterfaceId)
			b.place(primary.NetworkInterfaceId, model.KindInstance, a.VpcId)
			b.byENI[primary.NetworkInterfaceId] = &instanceRef{vpc: a.VpcId, in: in}
		}
		v.instances[id] = in
		b.place(id, model.KindInstance, a.VpcId)
		b.instances[id] = &instanceRef{vpc: a.VpcId, in: in}
		if in.State != model.InstanceRunning {
			b.warn(x.src, "State", ErrInactive, "instance %s is %s: only running instances carry traffic, so it sends and receives nothing", id, in.State)
		}
		// Secondary interfaces.
		for k := range a.NetworkInterfaces {
			e := &a.NetworkInterfaces[k]
			if e == primary || e.NetworkInterfaceId == "" || b.has(e.NetworkInterfaceId) {
				continue
			}
			src := x.src
			src.Path += ".NetworkInterfaces[" + itoa(k) + "]"
			if e.VpcId != "" && e.VpcId != a.VpcId {
				b.warn(src, "VpcId", ErrNotModelled, "interface %s of instance %s is in %s, not in the instance's VPC %s: left out", e.NetworkInterfaceId, id, e.VpcId, a.VpcId)
				continue
			}
			sec, ok := b.iface(v, e.SubnetId, e.PrivateIpAddress, e.PrivateIpAddresses, e.Ipv6Addresses, e.Association, e.Groups, e.SourceDestCheck, e.NetworkInterfaceId, src)
			if !ok {
				continue
			}
			sec.Account = iface.Account
			v.enis[e.NetworkInterfaceId] = &model.NetworkInterface{ID: model.ID(e.NetworkInterfaceId), Description: e.Description,
				Instance: model.ID(id), Interface: sec, Source: src}
			b.place(e.NetworkInterfaceId, model.KindNetworkInterface, a.VpcId)
		}
	}
	b.applyElasticIPs()
}

// primaryENI returns the interface at device index 0, or nil.
func (b *builder) primaryENI(a *awsInstance) *awsInstanceENI {
	for k := range a.NetworkInterfaces {
		if a.NetworkInterfaces[k].Attachment.DeviceIndex == 0 {
			return &a.NetworkInterfaces[k]
		}
	}
	if len(a.NetworkInterfaces) > 0 {
		return &a.NetworkInterfaces[0]
	}
	// An instance listed without interfaces: its ENI may be in the
	// NetworkInterfaces file.
	for _, id := range sortedKeys(b.enis) {
		e := &b.enis[id].v
		if e.Attachment != nil && e.Attachment.InstanceId == a.InstanceId && e.Attachment.DeviceIndex == 0 {
			return &awsInstanceENI{NetworkInterfaceId: e.NetworkInterfaceId, SubnetId: e.SubnetId, VpcId: e.VpcId, OwnerId: e.OwnerId,
				PrivateIpAddress: e.PrivateIpAddress, PrivateIpAddresses: e.PrivateIpAddresses, Ipv6Addresses: e.Ipv6Addresses, Association: e.Association,
				Groups: e.Groups, SourceDestCheck: e.SourceDestCheck}
		}
	}
	return nil
}

// iface maps the addressing of a network interface in VPC v: subnet,
// primary and secondary addresses, IPv6 addresses, public address, groups
// and the source/destination check. ok is false (with a warning) when it
// cannot be placed.
func (b *builder) iface(v *vpcB, subnet, primary string, ips []awsPrivateIP, ipv6 []awsIPv6Address, assoc *awsIPAssociation, groups []awsGroupRef,
	sdc *bool, holder string, src model.Source) (model.Interface, bool) {
	var in model.Interface
	sn := v.subnet(subnet)
	if sn == nil {
		b.warn(src, "SubnetId", ErrOutsideSnapshot, "%s is in subnet %s, which is not in %s in the snapshot: skipped", holder, subnet, v.v.ID)
		return in, false
	}
	in.Subnet = model.ID(subnet)
	for k, e := range ipv6 {
		a, ok := b.ipv6Addr(e.Ipv6Address, src, "Ipv6Addresses["+itoa(k)+"].Ipv6Address")
		if !ok || slices.Contains(in.IPv6Addresses, a) {
			continue
		}
		if b.claim(v, a, holder, src) {
			in.IPv6Addresses = append(in.IPv6Addresses, a)
		}
	}
	if sn.IPv6Only {
		// An IPv6-only subnet's interfaces have no IPv4 address (V-03).
		if len(in.IPv6Addresses) == 0 {
			b.warn(src, "Ipv6Addresses", ErrSkipped, "%s is in IPv6-only subnet %s and has no IPv6 address: skipped", holder, subnet)
			return in, false
		}
		in.SecurityGroups = b.groupsOf(v, groups, src, holder)
		if sdc != nil && !*sdc {
			in.SourceDestCheck = ptr(false)
		}
		return in, true
	}
	in.PrivateIP = parseAddr(primary)
	for _, p := range ips {
		a := parseAddr(p.PrivateIpAddress)
		if p.Primary && !in.PrivateIP.IsValid() {
			in.PrivateIP = a
		}
		if !p.Primary && a.IsValid() && a != in.PrivateIP {
			if b.claim(v, a, holder, src) {
				in.SecondaryIPs = append(in.SecondaryIPs, a)
			}
		}
		if !p.Primary && p.Association != nil && p.Association.PublicIp != "" {
			b.warn(src, "PrivateIpAddresses", ErrNotModelled, "public address %s of secondary address %s of %s is not modelled (only the primary address's): left out", p.Association.PublicIp, a, holder)
		}
	}
	if !in.PrivateIP.IsValid() {
		b.warn(src, "PrivateIpAddress", ErrNotModelled, "%s has no IPv4 address: skipped", holder)
		return in, false
	}
	if !b.claim(v, in.PrivateIP, holder, src) {
		return in, false
	}
	if assoc != nil {
		if pub := parseAddr(assoc.PublicIp); pub.IsValid() {
			if assoc.AllocationId != "" || (assoc.IpOwnerId != "" && assoc.IpOwnerId != "amazon") || b.isElastic(pub) {
				in.ElasticIP = pub
			} else {
				in.PublicIP = pub
			}
		}
	}
	in.SecurityGroups = b.groupsOf(v, groups, src, holder)
	if sdc != nil && !*sdc {
		in.SourceDestCheck = ptr(false)
	}
	return in, true
}

// isElastic reports whether a public address is an Elastic IP of the
// snapshot.
func (b *builder) isElastic(a netip.Addr) bool {
	if b.elastic == nil {
		b.elastic = map[netip.Addr]bool{}
		for i := range b.s.addresses {
			if p := parseAddr(b.s.addresses[i].v.PublicIp); p.IsValid() {
				b.elastic[p] = true
			}
		}
	}
	return b.elastic[a]
}

// applyElasticIPs sets the Elastic IPs of describe-addresses on the
// interfaces that hold them, where the interfaces did not show them.
func (b *builder) applyElasticIPs() {
	for _, it := range unique(b.s.addresses, func(a *awsAddress) string { return a.PublicIp }) {
		a := &it.v
		pub := parseAddr(a.PublicIp)
		if !pub.IsValid() || (a.NetworkInterfaceId == "" && a.InstanceId == "") {
			continue // not associated
		}
		target := a.NetworkInterfaceId
		var in *model.Interface
		if ref := b.instanceByENI(target); ref != nil {
			in = &ref.in.Interface
		} else if ni := b.eniByID(target); ni != nil {
			in = &ni.Interface
		} else if ref := b.instances[a.InstanceId]; ref != nil && target == "" {
			in = &ref.in.Interface
		}
		if in == nil {
			continue // a NAT gateway's, a load balancer's, or not in the snapshot
		}
		if priv := parseAddr(a.PrivateIpAddress); priv.IsValid() && priv != in.PrivateIP {
			b.warn(it.src, "PrivateIpAddress", ErrNotModelled, "Elastic IP %s is on secondary address %s: only the primary address's public address is modelled; left out", pub, priv)
			continue
		}
		if in.ElasticIP != pub {
			in.ElasticIP = pub
			in.PublicIP = netip.Addr{}
		}
	}
}

// instanceByENI returns the instance whose primary interface is eni.
func (b *builder) instanceByENI(eni string) *instanceRef {
	if eni == "" {
		return nil
	}
	return b.byENI[eni]
}

func (b *builder) eniByID(id string) *model.NetworkInterface {
	if id == "" || b.kind[id] != model.KindNetworkInterface {
		return nil
	}
	return b.vpcs[b.vpcOf[id]].enis[id]
}

// buildENIs maps the interfaces of describe-network-interfaces that
// nothing else accounted for: standalone interfaces, and those of services
// the model does not create itself (Lambda, RDS, EFS, ...), so that their
// addresses and groups count.
func (b *builder) buildENIs(used map[string]bool) {
	for _, id := range sortedKeys(b.enis) {
		it := b.enis[id]
		a := &it.v
		if used[id] || b.has(id) {
			continue
		}
		switch {
		case a.InterfaceType == "transit_gateway":
			b.count("tgw-eni", it.src, ErrSkipped, "transit gateway interfaces not written, as the model places them in the attachment subnets itself: %N")
			continue
		case a.Status == "available":
			b.count("detached-eni", it.src, ErrInactive, "detached network interfaces (status available) skipped, as they carry no traffic: %N")
			continue
		}
		v := b.vpc(a.VpcId, it.src, "network interface", id)
		if v == nil {
			continue
		}
		iface, ok := b.iface(v, a.SubnetId, a.PrivateIpAddress, a.PrivateIpAddresses, a.Ipv6Addresses, a.Association, a.Groups, a.SourceDestCheck, id, it.src)
		if !ok {
			continue
		}
		if owner := b.ownerOf(a.OwnerId, it.sc); owner != "" && owner != v.v.Account && !a.RequesterManaged {
			iface.Account = owner
		}
		ni := &model.NetworkInterface{ID: model.ID(id), Description: a.Description, Interface: iface, Source: it.src}
		if a.Attachment != nil && a.Attachment.InstanceId != "" {
			// An interface of an instance of the snapshot that the
			// instance did not list, or of an instance outside it.
			if ref := b.instances[a.Attachment.InstanceId]; ref != nil && ref.vpc == a.VpcId {
				ni.Instance = ref.in.ID
			} else {
				b.note(it.src, "Attachment", ErrOutsideSnapshot, "interface %s is attached to instance %s, which is not in the snapshot: kept as a standalone interface (taken as running)", id, a.Attachment.InstanceId)
			}
		} else if what := serviceOf(a); what != "" {
			b.note(it.src, "Description", ErrOutsideSnapshot, "interface %s belongs to %s, which is not in the snapshot: kept as a standalone interface, so its address and groups count", id, what)
		}
		v.enis[id] = ni
		b.place(id, model.KindNetworkInterface, a.VpcId)
	}
}

// serviceOf names the resource that a requester-managed interface serves,
// from its type and description, when that resource is one the model
// would create itself.
func serviceOf(a *awsENI) string {
	switch {
	case a.InterfaceType == "nat_gateway":
		return "a NAT gateway"
	case a.InterfaceType == "vpc_endpoint" || a.InterfaceType == "gateway_load_balancer_endpoint":
		return "endpoint " + strings.TrimPrefix(a.Description, "VPC Endpoint Interface ")
	case strings.HasPrefix(a.Description, "ELB "):
		return "load balancer " + strings.TrimPrefix(a.Description, "ELB ")
	}
	return ""
}
