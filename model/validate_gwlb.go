package model

import (
	"net/netip"
	"slices"
)

// gwlb checks what a VPC holds of Gateway Load Balancers, their endpoints
// and gateway route tables (V-20, V-21, V-24).
func (v *validator) gwlb(vpc *VPC) {
	gateways := map[ID]ID{} // gateway -> its gateway route table
	for i := range vpc.RouteTables {
		rt := &vpc.RouteTables[i]
		for j, g := range rt.EdgeAssociations {
			src := rt.Source.Elem("edge_associations", j)
			if !v.ref(src, g, "internet gateway or virtual private gateway", KindInternetGateway, KindVPNGateway) {
				continue
			}
			if g != vpc.InternetGateway && g != vpc.VPNGateway {
				v.add(SeverityError, src, ErrWrongRef, "V-24", "gateway %q is not attached to %s: a route table is associated with a gateway of its own VPC", g, vpc.ID)
				continue
			}
			if prev, dup := gateways[g]; dup {
				v.add(SeverityError, src, ErrConflict, "V-24", "gateway %s is already associated with route table %s; a gateway has one gateway route table", g, prev)
				continue
			}
			gateways[g] = rt.ID
		}
		if len(rt.EdgeAssociations) > 0 {
			v.gatewayRouteTable(vpc, rt)
		}
	}
	for i := range vpc.Endpoints {
		if e := &vpc.Endpoints[i]; e.Type == EndpointGatewayLoadBalancer {
			v.gwlbEndpoint(e)
		} else if e.Type == EndpointInterface {
			if svc := v.x.EndpointServiceFor(e.Service); svc != nil && v.gatewayService(svc) {
				v.add(SeverityError, e.Source.Field("type"), ErrWrongRef, "V-20", "endpoint service %s is fronted by a Gateway Load Balancer: connect to it with a gateway-load-balancer endpoint, not an interface endpoint", svc.ID)
			}
		}
	}
	for i := range vpc.LoadBalancers {
		lb := &vpc.LoadBalancers[i]
		for j := range lb.Listeners {
			l := &lb.Listeners[j]
			tg := v.x.TargetGroup(l.TargetGroup)
			if tg == nil || v.x.OwnerVPC(l.TargetGroup) != vpc {
				continue
			}
			switch {
			case lb.Type == LBGateway && tg.Protocol != ListenerGENEVE:
				v.add(SeverityError, l.Source.Field("target_group"), ErrWrongRef, "V-21", "a Gateway Load Balancer forwards to a target group of protocol geneve (port 6081), not %s", tg.Protocol)
			case lb.Type != LBGateway && tg.Protocol == ListenerGENEVE:
				v.add(SeverityError, l.Source.Field("target_group"), ErrWrongRef, "V-21", "target group %s has protocol geneve: only a Gateway Load Balancer forwards to it", tg.ID)
			}
		}
	}
	for i := range vpc.TargetGroups {
		v.gwlbTargetGroup(&vpc.TargetGroups[i])
	}
}

// gatewayService reports whether endpoint service svc is fronted by a
// Gateway Load Balancer.
func (v *validator) gatewayService(svc *EndpointService) bool {
	return slices.ContainsFunc(svc.LoadBalancers, func(id ID) bool {
		lb := v.x.LoadBalancer(id)
		return lb != nil && lb.Type == LBGateway
	})
}

// gwlbEndpoint checks a Gateway Load Balancer endpoint (V-20): one subnet,
// no security groups or private DNS, a service fronted by a Gateway Load
// Balancer.
func (v *validator) gwlbEndpoint(e *Endpoint) {
	src := e.Source
	if len(e.Subnets) > 1 {
		v.add(SeverityError, src.Field("subnets"), ErrConflict, "V-20", "a Gateway Load Balancer endpoint has one subnet (one zone); create one endpoint per zone")
	}
	if len(e.SecurityGroups) > 0 {
		v.add(SeverityError, src.Field("security_groups"), ErrConflict, "V-20", "a Gateway Load Balancer endpoint has no security groups")
	}
	if e.PrivateDNS {
		v.add(SeverityError, src.Field("private_dns"), ErrConflict, "V-20", "a Gateway Load Balancer endpoint has no DNS name to resolve: it is a route target")
	}
	if svc := v.x.EndpointServiceFor(e.Service); svc != nil && !v.gatewayService(svc) {
		v.add(SeverityError, src.Field("service"), ErrWrongRef, "V-20", "endpoint service %s is fronted by no Gateway Load Balancer; a gateway-load-balancer endpoint connects to one that is", svc.ID)
	}
}

// gwlbTargetGroup checks a target group's inspection and the port of a
// geneve one (V-21, V-22).
func (v *validator) gwlbTargetGroup(tg *TargetGroup) {
	if tg.Protocol == ListenerGENEVE && tg.Port != 0 && tg.Port != 6081 {
		v.add(SeverityError, tg.Source.Field("port"), ErrInvalidValue, "V-21", "a geneve target group uses port 6081, not %d", tg.Port)
	}
	if tg.Inspection == nil {
		return
	}
	if tg.Protocol != ListenerGENEVE {
		v.add(SeverityError, tg.Source.Field("inspection"), ErrConflict, "V-22", "only the appliances of a geneve target group (behind a Gateway Load Balancer) inspect traffic")
	}
	for i := range tg.Inspection.Drops {
		r := &tg.Inspection.Drops[i]
		if r.Ports != nil && !r.Protocol.HasPorts() {
			v.add(SeverityError, r.Source.Field("ports"), ErrConflict, "V-22", "ports need protocol tcp or udp, not %s", r.Protocol)
		}
	}
}

// gatewayRouteTable checks the routes of a route table associated with a
// gateway (V-24): CIDR destinations inside the VPC, to local, a Gateway
// Load Balancer endpoint or a network interface; a non-local route for a
// whole VPC block or a subnet's CIDR; no propagation.
func (v *validator) gatewayRouteTable(vpc *VPC, rt *RouteTable) {
	if len(rt.Propagations) > 0 {
		v.add(SeverityError, rt.Source.Field("propagations"), ErrConflict, "V-24", "a gateway route table has no route propagation")
	}
	if !blocksKnown(vpc) {
		return
	}
	for i := range rt.Routes {
		r := &rt.Routes[i]
		dsrc := r.Source.Field("destination")
		d := r.Destination.CIDR
		if r.Destination.PrefixList != "" {
			v.add(SeverityError, dsrc, ErrConflict, "V-24", "a gateway route table takes no prefix list destination")
			continue
		}
		if !d.IsValid() {
			continue
		}
		// An IPv4 or an IPv6 block of the VPC, or a subnet's (V-24).
		inside := slices.ContainsFunc(vpc.AllCIDRBlocks(), func(b netip.Prefix) bool { return b.Bits() <= d.Bits() && b.Contains(d.Addr()) })
		if !inside {
			v.add(SeverityError, dsrc, ErrAddress, "V-24", "route for %s in gateway route table %s: a gateway route table routes only addresses of %s (%s)", d, rt.ID, vpc.ID, joinPrefixes(vpc.AllCIDRBlocks()))
			continue
		}
		if r.Target == "local" || r.Target == "" || v.x.Kind(r.Target) == KindUnknown {
			continue
		}
		k := v.x.Kind(r.Target)
		gwlbe := k == KindEndpoint && v.x.Endpoint(r.Target).Type == EndpointGatewayLoadBalancer
		// A route narrower than a VPC block must be for a subnet's CIDR:
		// S-17 says so for every route table.
		if !gwlbe && k != KindNetworkInterface && k != KindInstance {
			v.add(SeverityError, r.Source.Field("target"), ErrWrongRef, "V-24", "a gateway route table routes to local, a Gateway Load Balancer endpoint or a network interface, not %s %q", k, r.Target)
		}
	}
}

// EdgeTable returns the gateway route table of gateway g in vpc (the route
// table whose edge_associations name it), or nil (V-25).
func (vpc *VPC) EdgeTable(g ID) *RouteTable {
	if g == "" {
		return nil
	}
	for i := range vpc.RouteTables {
		if slices.Contains(vpc.RouteTables[i].EdgeAssociations, g) {
			return &vpc.RouteTables[i]
		}
	}
	return nil
}
