package diff

import (
	"cmp"
	"hash/maphash"
	"net/netip"
	"reflect"
	"slices"

	"github.com/vpcreach/vpcreach/model"
)

// Change says what happened to a resource between the two sides.
type Change string

// Changes.
const (
	Added    Change = "added"
	Removed  Change = "removed"
	Modified Change = "modified"
	// Replaced is a cause's change for a resource the change replaces
	// (see Options.Replaced); its Resource entries are a removal and an
	// addition.
	Replaced Change = "replaced"
)

// Resource is a resource that differs between the two sides.
type Resource struct {
	ID     model.ID `json:"id"`
	Kind   string   `json:"kind"`
	Change Change   `json:"change"`
	// VPC is the VPC that holds it, if any (on the side that has it).
	VPC model.ID `json:"vpc,omitempty"`
	// Pos is where it is written: in the new file, or the old one for a
	// removed resource.
	Pos model.Position `json:"-"`
	// Position is Pos as "file:line:column".
	Position string `json:"position,omitempty"`
	// RenamedFrom names a removed resource of the same kind whose
	// contents this added one repeats: a rename or a replacement, which the
	// diff reports as a removal and an addition.
	RenamedFrom model.ID `json:"renamed_from,omitempty"`
	// Replaced marks the removal and the addition of a resource the change
	// replaces under the same id (see Options.Replaced).
	Replaced bool `json:"replaced,omitempty"`
}

// resource is one resource of one side, as the diff compares it.
type resource struct {
	id   model.ID
	kind model.Kind
	vpc  model.ID
	// awsID is its id in AWS, when the topology names it (aws_id).
	awsID model.ID
	// v is the resource itself, for its fingerprint.
	v any
	// sum is the fingerprint of its contents (see bareSum).
	sum uint64
	src model.Source
	// alias is the side's aliases, which its fingerprints write ids
	// through.
	alias map[model.ID]model.ID
}

// seed makes fingerprints of one process comparable.
var seed = maphash.MakeSeed()

// resources lists every resource of m with an id, keyed by id, but for
// the VPCs of skip and everything in them.
func resources(m *model.Model, skip map[model.ID]bool) map[model.ID]resource {
	out := map[model.ID]resource{}
	add := func(id model.ID, k model.Kind, vpc model.ID, v any, src model.Source) {
		if id == "" {
			return
		}
		r := resource{id: id, kind: k, vpc: vpc, v: v, src: src}
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer {
			if f := rv.Elem().FieldByName("AWSID"); f.IsValid() {
				r.awsID = model.ID(f.String())
			}
		}
		out[id] = r
	}
	for i := range m.Accounts {
		add(m.Accounts[i].ID, model.KindAccount, "", &m.Accounts[i], m.Accounts[i].Source)
	}
	for vi := range m.VPCs {
		v := &m.VPCs[vi]
		if skip[v.ID] {
			continue
		}
		add(v.ID, model.KindVPC, v.ID, v, v.Source)
		if v.InternetGateway != "" {
			add(v.InternetGateway, model.KindInternetGateway, v.ID, "igw:"+string(v.ID), v.Source.Field("internet_gateway"))
		}
		if v.VPNGateway != "" {
			add(v.VPNGateway, model.KindVPNGateway, v.ID, "vgw:"+string(v.ID), v.Source.Field("vpn_gateway"))
		}
		if v.EgressOnlyInternetGateway != "" {
			add(v.EgressOnlyInternetGateway, model.KindEgressOnlyInternetGateway, v.ID, "eigw:"+string(v.ID), v.Source.Field("egress_only_internet_gateway"))
		}
		for i := range v.Subnets {
			add(v.Subnets[i].ID, model.KindSubnet, v.ID, &v.Subnets[i], v.Subnets[i].Source)
		}
		for i := range v.RouteTables {
			add(v.RouteTables[i].ID, model.KindRouteTable, v.ID, &v.RouteTables[i], v.RouteTables[i].Source)
		}
		for i := range v.NetworkACLs {
			add(v.NetworkACLs[i].ID, model.KindNetworkACL, v.ID, &v.NetworkACLs[i], v.NetworkACLs[i].Source)
		}
		for i := range v.SecurityGroups {
			add(v.SecurityGroups[i].ID, model.KindSecurityGroup, v.ID, &v.SecurityGroups[i], v.SecurityGroups[i].Source)
		}
		for i := range v.NATGateways {
			add(v.NATGateways[i].ID, model.KindNATGateway, v.ID, &v.NATGateways[i], v.NATGateways[i].Source)
		}
		for i := range v.Endpoints {
			add(v.Endpoints[i].ID, model.KindEndpoint, v.ID, &v.Endpoints[i], v.Endpoints[i].Source)
		}
		for i := range v.Instances {
			add(v.Instances[i].ID, model.KindInstance, v.ID, &v.Instances[i], v.Instances[i].Source)
		}
		for i := range v.NetworkInterfaces {
			add(v.NetworkInterfaces[i].ID, model.KindNetworkInterface, v.ID, &v.NetworkInterfaces[i], v.NetworkInterfaces[i].Source)
		}
		for i := range v.LoadBalancers {
			add(v.LoadBalancers[i].ID, model.KindLoadBalancer, v.ID, &v.LoadBalancers[i], v.LoadBalancers[i].Source)
		}
		for i := range v.TargetGroups {
			add(v.TargetGroups[i].ID, model.KindTargetGroup, v.ID, &v.TargetGroups[i], v.TargetGroups[i].Source)
		}
	}
	for i := range m.PeeringConnections {
		add(m.PeeringConnections[i].ID, model.KindPeeringConnection, "", &m.PeeringConnections[i], m.PeeringConnections[i].Source)
	}
	for ti := range m.TransitGateways {
		t := &m.TransitGateways[ti]
		add(t.ID, model.KindTransitGateway, "", t, t.Source)
		for i := range t.RouteTables {
			add(t.RouteTables[i].ID, model.KindTGWRouteTable, "", &t.RouteTables[i], t.RouteTables[i].Source)
		}
		for i := range t.Attachments {
			add(t.Attachments[i].ID, model.KindTGWAttachment, "", &t.Attachments[i], t.Attachments[i].Source)
		}
	}
	for i := range m.PrefixLists {
		add(m.PrefixLists[i].ID, model.KindPrefixList, "", &m.PrefixLists[i], m.PrefixLists[i].Source)
	}
	for i := range m.EndpointServices {
		add(m.EndpointServices[i].ID, model.KindEndpointService, "", &m.EndpointServices[i], m.EndpointServices[i].Source)
	}
	for i := range m.HostedZones {
		add(m.HostedZones[i].ID, model.KindHostedZone, "", &m.HostedZones[i], m.HostedZones[i].Source)
	}
	for i := range m.ExternalNetworks {
		add(m.ExternalNetworks[i].ID, model.KindExternalNetwork, "", &m.ExternalNetworks[i], m.ExternalNetworks[i].Source)
	}
	return out
}

// aliases matches the resources of the old side with those of the new
// side that have other ids but the same resource in AWS: one side names it
// by its AWS id, the other by a Terraform address with that aws_id (an AWS
// snapshot against a plan), or both have the same aws_id. It returns old
// id -> new id, for the old resources that no new resource shares the id
// of.
func aliases(old, new map[model.ID]resource) map[model.ID]model.ID {
	byAWS := map[model.ID]model.ID{}
	for id, r := range new {
		if r.awsID != "" {
			byAWS[r.awsID] = id
		}
	}
	out := map[model.ID]model.ID{}
	for id, r := range old {
		if _, ok := new[id]; ok {
			continue
		}
		var to model.ID
		switch {
		case byAWS[id] != "":
			to = byAWS[id] // the old side names it by its AWS id
		case r.awsID != "" && new[r.awsID].id != "":
			to = r.awsID // the new side does
		case r.awsID != "" && byAWS[r.awsID] != "":
			to = byAWS[r.awsID]
		}
		if to != "" && new[to].kind == r.kind {
			if _, taken := old[to]; !taken {
				out[id] = to
			}
		}
	}
	return out
}

// fingerprintAll computes the fingerprints of a side's resources, writing
// the ids they name through alias, and returns them keyed by their
// aliased ids.
func fingerprintAll(res map[model.ID]resource, alias map[model.ID]model.ID) map[model.ID]resource {
	ids := make([]model.ID, 0, len(res))
	for id := range res {
		ids = append(ids, id)
	}
	sums := make([]uint64, len(ids))
	inParallel(len(ids), func(i int) { sums[i] = fingerprint(res[ids[i]].v, true, alias) })
	out := make(map[model.ID]resource, len(res))
	for i, id := range ids {
		r := res[id]
		r.sum, r.alias = sums[i], alias
		if to, ok := alias[id]; ok {
			r.id = to
		}
		if to, ok := alias[r.vpc]; ok {
			r.vpc = to
		}
		out[r.id] = r
	}
	return out
}

// bareSum is the fingerprint of a resource without its id and name, for
// recognising renames; computed only for the resources added or removed.
func (r resource) bareSum() uint64 { return fingerprint(r.v, false, r.alias) }

// compareResources lists the resources that were added, removed or
// modified, sorted by id, and recognises renames.
func compareResources(old, new map[model.ID]resource) []Resource {
	var out []Resource
	removedBare := map[[2]uint64][]model.ID{}
	for id, r := range old {
		if _, ok := new[id]; !ok {
			out = append(out, newResource(r, Removed))
			k := [2]uint64{uint64(r.kind), r.bareSum()}
			removedBare[k] = append(removedBare[k], id)
		}
	}
	for k := range removedBare {
		slices.Sort(removedBare[k])
	}
	for id, r := range new {
		o, ok := old[id]
		switch {
		case !ok:
			res := newResource(r, Added)
			if ids := removedBare[[2]uint64{uint64(r.kind), r.bareSum()}]; len(ids) > 0 {
				res.RenamedFrom = ids[0]
			}
			out = append(out, res)
		case o.sum != r.sum || o.kind != r.kind:
			out = append(out, newResource(r, Modified))
		}
	}
	slices.SortFunc(out, func(a, b Resource) int {
		return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Change, b.Change))
	})
	return out
}

// replaceResources reports each resource of replaced that both sides hold
// as removed (as the old side has it) and added (as the new side has it),
// both marked Replaced, in place of a modification if there was one.
func replaceResources(changes []Resource, old, new map[model.ID]resource, replaced []model.ID) []Resource {
	if len(replaced) == 0 {
		return changes
	}
	out := changes[:0:0]
	for _, ch := range changes {
		if !(ch.Change == Modified && slices.Contains(replaced, ch.ID)) {
			out = append(out, ch)
		}
	}
	for _, id := range replaced {
		o, inOld := old[id]
		n, inNew := new[id]
		if !inOld || !inNew {
			continue
		}
		rm, add := newResource(o, Removed), newResource(n, Added)
		rm.Replaced, add.Replaced = true, true
		out = append(out, rm, add)
	}
	slices.SortFunc(out, func(a, b Resource) int {
		return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Change, b.Change))
	})
	return out
}

func newResource(r resource, c Change) Resource {
	return Resource{ID: r.id, Kind: r.kind.String(), Change: c, VPC: r.vpc, Pos: r.src.Position, Position: posString(r.src.Position)}
}

// posString renders a position, or "" when there is none.
func posString(p model.Position) string {
	if !p.IsValid() {
		return ""
	}
	return p.String()
}

var (
	sourceType = reflect.TypeFor[model.Source]()
	idType     = reflect.TypeFor[model.ID]()
	addrType   = reflect.TypeFor[netip.Addr]()
	prefixType = reflect.TypeFor[netip.Prefix]()
)

// fingerprint hashes a resource's contents: every field but its Source
// (where it is written) and the lists of resources nested in it (a VPC's
// subnets, a transit gateway's route tables), which are resources of their
// own, and its aws_id. withID false leaves the resource's own ID and Name
// out. Ids are written through alias (see aliases).
func fingerprint(v any, withID bool, alias map[model.ID]model.ID) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			h.WriteByte(0)
			return h.Sum64()
		}
		h.WriteByte(1)
		rv = rv.Elem()
	}
	plan := hashPlanFor(rv.Type())
	if rv.Kind() != reflect.Struct {
		plan.hash(&h, rv, alias)
		return h.Sum64()
	}
	for _, f := range plan.fields {
		if !withID && f.idOrName {
			continue
		}
		f.hash(&h, rv, alias)
	}
	return h.Sum64()
}

// isResource reports whether a type is that of a resource resources
// lists on its own: the lists of these nested in a resource (a VPC's
// subnets, a transit gateway's route tables) are left out of its
// fingerprint. Other nested structs with an id, such as a target group's
// targets, are part of the resource that holds them.
func isResource(t reflect.Type) bool { return resourceTypes[t] }

var resourceTypes = map[reflect.Type]bool{
	reflect.TypeFor[model.Account]():           true,
	reflect.TypeFor[model.VPC]():               true,
	reflect.TypeFor[model.Subnet]():            true,
	reflect.TypeFor[model.RouteTable]():        true,
	reflect.TypeFor[model.NetworkACL]():        true,
	reflect.TypeFor[model.SecurityGroup]():     true,
	reflect.TypeFor[model.NATGateway]():        true,
	reflect.TypeFor[model.Endpoint]():          true,
	reflect.TypeFor[model.Instance]():          true,
	reflect.TypeFor[model.NetworkInterface]():  true,
	reflect.TypeFor[model.LoadBalancer]():      true,
	reflect.TypeFor[model.TargetGroup]():       true,
	reflect.TypeFor[model.PeeringConnection](): true,
	reflect.TypeFor[model.TransitGateway]():    true,
	reflect.TypeFor[model.TGWRouteTable]():     true,
	reflect.TypeFor[model.TGWAttachment]():     true,
	reflect.TypeFor[model.PrefixList]():        true,
	reflect.TypeFor[model.EndpointService]():   true,
	reflect.TypeFor[model.HostedZone]():        true,
	reflect.TypeFor[model.ExternalNetwork]():   true,
}
