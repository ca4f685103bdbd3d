package awsimport

import (
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

// awsRouteTable is an element of describe-route-tables' RouteTables.
type awsRouteTable struct {
	RouteTableId string
	VpcId        string
	OwnerId      string
	Associations []struct {
		Main             bool
		SubnetId         string
		GatewayId        string
		AssociationState *struct{ State string }
	}
	PropagatingVgws []struct{ GatewayId string }
	Routes          []awsRoute
	Tags            []awsTag
}

// awsRoute is a route of a VPC route table.
type awsRoute struct {
	DestinationCidrBlock        jsonText
	DestinationIpv6CidrBlock    jsonText
	DestinationPrefixListId     string
	GatewayId                   string
	NatGatewayId                string
	VpcPeeringConnectionId      string
	TransitGatewayId            string
	NetworkInterfaceId          string
	InstanceId                  string
	EgressOnlyInternetGatewayId string
	LocalGatewayId              string
	CarrierGatewayId            string
	CoreNetworkArn              string
	Origin                      string
	State                       string
}

func (b *builder) buildRouteTables() {
	for _, it := range unique(b.s.routeTables, func(r *awsRouteTable) string { return r.RouteTableId }) {
		a := &it.v
		v := b.vpc(a.VpcId, it.src, "route table", a.RouteTableId)
		if v == nil {
			continue
		}
		rt := &model.RouteTable{ID: model.ID(a.RouteTableId), Source: it.src}
		for i, as := range a.Associations {
			if as.AssociationState != nil && as.AssociationState.State != "" && as.AssociationState.State != "associated" {
				continue
			}
			src := model.Source{Position: it.src.Position, Path: it.src.Path + ".Associations[" + itoa(i) + "]"}
			switch {
			case as.Main:
				rt.Main = true
			case as.SubnetId != "":
				if sn := v.subnet(as.SubnetId); sn != nil {
					sn.RouteTable = rt.ID
				} else {
					b.warn(src, "SubnetId", ErrOutsideSnapshot, "route table %s is associated with subnet %s, which is not in the snapshot", a.RouteTableId, as.SubnetId)
				}
			case as.GatewayId != "":
				// An edge association: placed once the gateways are
				// (buildEdgeAssociations).
			}
		}
		v.routeTables[a.RouteTableId] = rt
		b.place(a.RouteTableId, model.KindRouteTable, a.VpcId)
	}
	for _, id := range sortedKeys(b.vpcs) {
		v := b.vpcs[id]
		if len(v.routeTables) == 0 && len(b.s.routeTables) > 0 && len(v.subnets) > 0 {
			b.warn(v.v.Source, "", ErrOutsideSnapshot, "no route table of %s is in the snapshot: its subnets route only within the VPC", id)
		}
	}
	if len(b.s.routeTables) == 0 && len(b.vpcs) > 0 {
		b.warn(model.Source{Position: model.Position{File: b.firstFile()}}, "", ErrOutsideSnapshot, "the snapshot holds no RouteTables: every subnet routes only within its VPC (collect describe-route-tables)")
	}
}

// firstFile returns the file of the first VPC, for snapshot-wide
// diagnostics.
func (b *builder) firstFile() string {
	keys := sortedKeys(b.vpcs)
	if len(keys) == 0 {
		return ""
	}
	return b.vpcs[keys[0]].v.Source.File
}

// buildRoutes maps the routes of every route table, once every possible
// target is in place.
func (b *builder) buildRoutes() {
	b.eachBuiltRouteTable(func(it *item[awsRouteTable], v *vpcB, rt *model.RouteTable) {
		a := &it.v
		for _, g := range a.PropagatingVgws {
			if g.GatewayId == "" {
				continue
			}
			if string(v.v.VPNGateway) == g.GatewayId {
				rt.Propagations = append(rt.Propagations, model.ID(g.GatewayId))
			} else {
				b.warn(it.src, "PropagatingVgws", ErrOutsideSnapshot, "route table %s propagates routes of virtual private gateway %s, which is not attached to %s in the snapshot: propagation left out", a.RouteTableId, g.GatewayId, a.VpcId)
			}
		}
		seen := map[model.Destination]bool{}
		for i := range a.Routes {
			src := it.at("Routes", i)
			if r, ok := b.route(v, rt, &a.Routes[i], src); ok {
				if seen[r.Destination] {
					b.warn(src, "", ErrSkipped, "a second route for %s in %s: left out", r.Destination, rt.ID)
					continue
				}
				seen[r.Destination] = true
				rt.Routes = append(rt.Routes, r)
			}
		}
	})
}

// route maps one route; ok is false for routes the model makes itself
// (local, gateway endpoint, propagated) or cannot hold.
func (b *builder) route(v *vpcB, rt *model.RouteTable, a *awsRoute, src model.Source) (model.Route, bool) {
	r := model.Route{Source: src}
	if a.GatewayId == "local" {
		return r, false // the model's implicit local routes (S-11), IPv6 ones too
	}
	switch {
	case a.DestinationCidrBlock.S != "" && a.DestinationIpv6CidrBlock.S != "":
		b.errorf(at(src, a.DestinationIpv6CidrBlock.Pos), "DestinationIpv6CidrBlock", model.ErrInvalidValue, "a route has one destination, never both a DestinationCidrBlock and a DestinationIpv6CidrBlock as here")
		return r, false
	case a.DestinationCidrBlock.S != "":
		p, kind := b.block(a.DestinationCidrBlock, src, "DestinationCidrBlock", famIPv4, "DestinationIpv6CidrBlock")
		if kind != cidrIPv4 {
			return r, false
		}
		r.Destination = model.Destination{CIDR: p}
	case a.DestinationIpv6CidrBlock.S != "":
		p, kind := b.block(a.DestinationIpv6CidrBlock, src, "DestinationIpv6CidrBlock", famIPv6, "DestinationCidrBlock")
		if kind != cidrIPv6 {
			return r, false
		}
		r.Destination = model.Destination{CIDR: p}
	case a.DestinationPrefixListId != "":
		r.Destination = model.Destination{PrefixList: model.ID(a.DestinationPrefixListId)}
	default:
		b.errorf(src, "DestinationCidrBlock", model.ErrMissingField, "a route has a destination (DestinationCidrBlock, DestinationIpv6CidrBlock or DestinationPrefixListId), and this one has none")
		return r, false
	}
	if a.Origin == "EnableVgwRoutePropagation" {
		// Propagated from the virtual private gateway: the model derives
		// such routes from the gateway's external networks.
		b.count("propagated-route", src, ErrInferred, "routes propagated from virtual private gateways not written, as they follow from the gateways' VPN connections (external networks): %N")
		return r, false
	}
	target, field := "", ""
	for _, t := range []struct{ id, field string }{
		{a.NatGatewayId, "NatGatewayId"}, {a.VpcPeeringConnectionId, "VpcPeeringConnectionId"},
		{a.TransitGatewayId, "TransitGatewayId"}, {a.NetworkInterfaceId, "NetworkInterfaceId"},
		{a.InstanceId, "InstanceId"}, {a.GatewayId, "GatewayId"},
		{a.EgressOnlyInternetGatewayId, "EgressOnlyInternetGatewayId"}, {a.LocalGatewayId, "LocalGatewayId"},
		{a.CarrierGatewayId, "CarrierGatewayId"}, {a.CoreNetworkArn, "CoreNetworkArn"},
	} {
		if t.id != "" {
			target, field = t.id, t.field
			break
		}
	}
	if b.skipRoutes[[2]string{string(rt.ID), target}] {
		return r, false // the gateway endpoint's route: the model adds it
	}
	if r.Destination.PrefixList != "" && !b.has(string(r.Destination.PrefixList)) {
		b.warn(src, "DestinationPrefixListId", ErrOutsideSnapshot, "prefix list %s is not in the snapshot: the route to it is left out, and packets it would route fall to other routes", r.Destination.PrefixList)
		return r, false
	}
	r.Target = model.ID(target)
	blackhole := func(format string, args ...any) (model.Route, bool) {
		r.State = model.RouteBlackhole
		b.warn(src, field, ErrOutsideSnapshot, format, args...)
		return r, true
	}
	if a.State == "blackhole" {
		r.State = model.RouteBlackhole
		if b.has(target) && !b.targetUsable(v, target) {
			r.Target = "" // the target exists but is no longer this VPC's
		}
		return r, true
	}
	six, known := b.destinationIPv6(r.Destination)
	switch {
	case field == "EgressOnlyInternetGatewayId" && known && !six:
		b.errorf(src, field, model.ErrInvalidValue, "route %s -> %s: an egress-only internet gateway takes IPv6 routes only, and AWS never writes an IPv4 one (V-07)", r.Destination, target)
		return r, false
	case field == "NatGatewayId" && known && six && !b.insideNAT64(r.Destination):
		// A NAT gateway translates IPv6 only inside 64:ff9b::/96 (NAT64,
		// V-16): another IPv6 route to one is kept as a blackhole, so
		// that answers through it are unknown rather than routed
		// elsewhere.
		r.Target = ""
		r.State = model.RouteBlackhole
		b.warn(src, field, ErrNotModelled, "route %s -> %s: a NAT gateway translates IPv6 only to destinations in %s (NAT64, V-16); the route is kept as a blackhole, so answers through it are unknown, not \"no\"", r.Destination, target, model.NAT64Prefix())
		return r, true
	}
	switch field {
	case "LocalGatewayId", "CarrierGatewayId", "CoreNetworkArn":
		r.Target = ""
		r.State = model.RouteBlackhole
		b.warn(src, field, ErrNotModelled, "route %s -> %s: %s targets are not modelled; the route is kept as a blackhole, so answers through it are unknown, not \"no\"", r.Destination, target, strings.TrimSuffix(field, "Id"))
		return r, true
	case "InstanceId":
		if a.NetworkInterfaceId != "" {
			r.Target = model.ID(a.NetworkInterfaceId)
		}
	}
	if b.has(string(r.Target)) {
		if b.targetUsable(v, string(r.Target)) {
			return r, true
		}
		return blackhole("route %s -> %s: the target is in the snapshot but not usable from %s (not attached to it): kept as a blackhole", r.Destination, r.Target, v.v.ID)
	}
	// The target is not in the snapshot. An active route to an internet
	// or virtual private gateway shows that it is attached to this VPC.
	switch {
	case field == "GatewayId" && strings.HasPrefix(target, "igw-") && v.v.InternetGateway == "":
		v.v.InternetGateway = model.ID(target)
		b.place(target, model.KindInternetGateway, string(v.v.ID))
		b.warn(src, field, ErrInferred, "internet gateway %s is not in the snapshot; the active route to it shows it is attached to %s: taken as attached", target, v.v.ID)
		return r, true
	case field == "EgressOnlyInternetGatewayId" && v.v.EgressOnlyInternetGateway == "":
		v.v.EgressOnlyInternetGateway = model.ID(target)
		b.place(target, model.KindEgressOnlyInternetGateway, string(v.v.ID))
		b.warn(src, field, ErrInferred, "egress-only internet gateway %s is not in the snapshot; the active route to it shows it is attached to %s: taken as attached", target, v.v.ID)
		return r, true
	case field == "GatewayId" && strings.HasPrefix(target, "vgw-") && v.v.VPNGateway == "":
		v.v.VPNGateway = model.ID(target)
		b.place(target, model.KindVPNGateway, string(v.v.ID))
		b.warn(src, field, ErrInferred, "virtual private gateway %s is not in the snapshot; the active route to it shows it is attached to %s: taken as attached (its networks are unknown)", target, v.v.ID)
		return r, true
	}
	r.State = model.RouteOutsideSnapshot
	b.warn(src, field, ErrOutsideSnapshot, "route %s -> %s: %s is not in the snapshot; the route is kept with state outside-snapshot, so answers through it say they are unknown", r.Destination, target, target)
	return r, true
}

// targetUsable reports whether a resource of the model is a route target
// VPC v can use: its own gateways, endpoints and interfaces, a peering
// that joins it, a transit gateway it is attached to (S-13).
func (b *builder) targetUsable(v *vpcB, id string) bool {
	switch b.kind[id] {
	case model.KindInternetGateway:
		return string(v.v.InternetGateway) == id
	case model.KindVPNGateway:
		return string(v.v.VPNGateway) == id
	case model.KindEgressOnlyInternetGateway:
		return string(v.v.EgressOnlyInternetGateway) == id
	case model.KindPeeringConnection:
		for i := range b.m.PeeringConnections {
			if p := &b.m.PeeringConnections[i]; string(p.ID) == id {
				return p.Joins(v.v.ID)
			}
		}
		return false
	case model.KindTransitGateway:
		t := b.tgws[id]
		return t != nil && t.attached(string(v.v.ID))
	case model.KindEndpoint:
		e := v.endpoints[id]
		return e != nil && e.Type != model.EndpointInterface
	case model.KindNATGateway, model.KindNetworkInterface, model.KindInstance:
		return b.vpcOf[id] == string(v.v.ID)
	}
	return false
}

// buildEdgeAssociations makes the route tables associated with a gateway
// (Associations with a GatewayId) gateway route tables of that gateway
// (V-24), once the gateways are in place: the internet or virtual private
// gateway attached to the table's VPC.
func (b *builder) buildEdgeAssociations() {
	b.eachBuiltRouteTable(func(it *item[awsRouteTable], v *vpcB, rt *model.RouteTable) {
		a := &it.v
		for i, as := range a.Associations {
			if as.GatewayId == "" || as.AssociationState != nil && as.AssociationState.State != "" && as.AssociationState.State != "associated" {
				continue
			}
			src := model.Source{Position: it.src.Position, Path: it.src.Path + ".Associations[" + itoa(i) + "]"}
			g := model.ID(as.GatewayId)
			if g != v.v.InternetGateway && g != v.v.VPNGateway {
				b.warn(src, "GatewayId", ErrOutsideSnapshot, "route table %s is associated with gateway %s, which is not attached to %s in the snapshot: the edge association is left out, and traffic entering through it is routed as if the table were not associated",
					a.RouteTableId, as.GatewayId, a.VpcId)
				continue
			}
			rt.EdgeAssociations = append(rt.EdgeAssociations, g)
		}
	})
}

// destinationIPv6 returns whether a route's destination is IPv6, and
// whether that is known (a CIDR, or a prefix list of the snapshot with
// entries).
func (b *builder) destinationIPv6(d model.Destination) (six, known bool) {
	if d.CIDR.IsValid() {
		return d.CIDR.Addr().Is6(), true
	}
	for i := range b.m.PrefixLists {
		if pl := &b.m.PrefixLists[i]; pl.ID == d.PrefixList && len(pl.CIDRs) > 0 {
			return pl.CIDRs[0].Addr().Is6(), true
		}
	}
	return false, false
}

// eachBuiltRouteTable calls f for every snapshot route table (once per
// id) whose VPC and table buildRouteTables made, with them: what
// buildRoutes and buildEdgeAssociations fill in.
func (b *builder) eachBuiltRouteTable(f func(it *item[awsRouteTable], v *vpcB, rt *model.RouteTable)) {
	for _, it := range unique(b.s.routeTables, func(r *awsRouteTable) string { return r.RouteTableId }) {
		if v := b.vpcs[it.v.VpcId]; v != nil {
			if rt := v.routeTables[it.v.RouteTableId]; rt != nil {
				f(it, v, rt)
			}
		}
	}
}

// insideNAT64 reports whether every CIDR of d lies inside 64:ff9b::/96,
// which a NAT gateway translates to IPv4 (NAT64, V-16).
func (b *builder) insideNAT64(d model.Destination) bool {
	return d.InsideNAT64(func(id model.ID) *model.PrefixList {
		for i := range b.m.PrefixLists {
			if pl := &b.m.PrefixLists[i]; pl.ID == id {
				return pl
			}
		}
		return nil
	})
}
