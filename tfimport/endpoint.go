package tfimport

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

func (b *builder) buildEndpoints() {
	eps := map[model.ID]*model.Endpoint{}
	var order []model.ID
	b.each("aws_vpc_endpoint", func(e elem) {
		v := b.vpcRef(e, "vpc_id")
		if v == nil {
			return
		}
		id := model.ID(e.r.addr)
		ep := &model.Endpoint{ID: id, Source: e.src(), PrivateDNS: e.boolean("private_dns_enabled", false)}
		switch t := strings.ToLower(e.str("vpc_endpoint_type")); t {
		case "", "gateway":
			ep.Type = model.EndpointGateway
		case "interface":
			ep.Type = model.EndpointInterface
		case "gatewayloadbalancer":
			ep.Type = model.EndpointGatewayLoadBalancer
		default:
			e.warnf("vpc_endpoint_type", ErrNotModelled, "endpoint type %q is not modelled: the endpoint is left out", e.str("vpc_endpoint_type"))
			return
		}
		if s := e.str("service_name"); s != "" {
			ep.Service = s
		} else if r := e.ref("service_name", "aws_vpc_endpoint_service"); r.ID != "" {
			ep.Service = string(r.ID)
		} else {
			return
		}
		for _, r := range e.refs("route_table_ids", "aws_route_table", "aws_default_route_table", "aws_vpc") {
			if rt := b.tableOf(e, "route_table_ids", r); rt != nil && !slices.Contains(ep.RouteTables, rt.ID) {
				ep.RouteTables = append(ep.RouteTables, rt.ID)
			}
		}
		for _, r := range e.refs("subnet_ids", "aws_subnet") {
			if s := b.subnetOf(e, "subnet_ids", r); s != nil && !slices.Contains(ep.Subnets, s.ID) {
				ep.Subnets = append(ep.Subnets, s.ID)
			}
		}
		ep.SecurityGroups = b.groupList(e, "security_group_ids", v)
		if st := e.str("state"); st != "" {
			var s model.EndpointState
			if s.UnmarshalText([]byte(kebab(st))) == nil {
				ep.State = s
			}
		}
		if l := e.val("dns_entry").list(); len(l) > 0 {
			ep.DNSName = l[0].get("dns_name").strVal()
		}
		if !b.endpointTypes(e, ep) {
			return
		}
		if ep.GatewayDNSRecordNeedsDNS() {
			// AWS allows it only in a VPC with DNS support and hostnames
			// on (V-30): unknown until apply, they are taken as on; planned
			// off, the type as service-defined.
			dns := &v.m.DNS
			if dns.Support == nil || dns.Hostnames == nil {
				if dns.Support == nil {
					dns.Support = boolPtr(true)
				}
				if dns.Hostnames == nil {
					dns.Hostnames = boolPtr(true)
				}
				e.notef("dns_options", ErrAssumed, "DNS support and hostnames of %s taken as on: AWS allows DNS record IP type %s on a gateway endpoint only then", v.m.ID, ep.DNSRecordIPType)
			}
			if !dns.SupportEnabled() || !dns.HostnamesEnabled() {
				e.warnf("dns_options", model.ErrConflict, "DNS record IP type %s needs the DNS support and DNS hostnames of %s on, which the plan says are not (V-30): taken as service-defined", ep.DNSRecordIPType, v.m.ID)
				ep.DNSRecordIPType = 0
			}
		}
		v.eps = append(v.eps, ep)
		b.objVPC[id] = v
		eps[id] = ep
		order = append(order, id)
	})
	epRef := func(e elem) *model.Endpoint {
		r := e.ref("vpc_endpoint_id", "aws_vpc_endpoint")
		if ep := eps[r.ID]; ep != nil {
			return ep
		}
		if r.ID != "" {
			e.warnf("vpc_endpoint_id", ErrOutsidePlan, "endpoint %s is not in this file: %s is left out", r.ID, e.r.addr)
		}
		return nil
	}
	b.each("aws_vpc_endpoint_route_table_association", func(e elem) {
		ep := epRef(e)
		rt := b.tableRef(e, "route_table_id")
		if ep != nil && rt != nil && !slices.Contains(ep.RouteTables, rt.ID) {
			ep.RouteTables = append(ep.RouteTables, rt.ID)
		}
	})
	b.each("aws_vpc_endpoint_subnet_association", func(e elem) {
		ep := epRef(e)
		s := b.subnetRef(e, "subnet_id")
		if ep != nil && s != nil && !slices.Contains(ep.Subnets, s.ID) {
			ep.Subnets = append(ep.Subnets, s.ID)
		}
	})
	for _, id := range order {
		ep := eps[id]
		if ep.Type != model.EndpointInterface || len(ep.Subnets) == 0 {
			continue
		}
		e := b.top(b.byAddr[string(id)])
		// subnet_configuration may give the interfaces' addresses.
		given4, given6 := map[model.ID]string{}, map[model.ID]netip.Addr{}
		for _, c := range e.sub("subnet_configuration") {
			if s := b.subnetRef(c, "subnet_id"); s != nil {
				given4[s.ID] = c.str("ipv4")
				given6[s.ID] = b.ipv6Of(c, "ipv6")
			}
		}
		if ep.AddressType().HasIPv6() {
			ips6 := make([]netip.Addr, len(ep.Subnets))
			for i, s := range ep.Subnets {
				ips6[i] = given6[s]
			}
			if !slices.Contains(ips6, netip.Addr{}) {
				ep.IPv6IPs = ips6
			}
		}
		if !ep.AddressType().HasIPv4() {
			continue // an ipv6 endpoint has no IPv4 address (V-30)
		}
		// The interfaces' addresses are AWS's choice: assumed, one per subnet.
		ep.PrivateIPs = make([]netip.Addr, len(ep.Subnets))
		for i, s := range ep.Subnets {
			ipElem := e
			if given4[s] != "" {
				ipElem = elemWith(e, "network_interface_ids", given4[s])
			}
			b.privateAddr(ipElem, "network_interface_ids", b.subnets[s], func(a netip.Addr) { ep.PrivateIPs[i] = a }, "the endpoint's interface in "+string(s))
		}
	}
	b.eps = eps
}

// tableOf maps a resolved route table reference to a table.
func (b *builder) tableOf(e elem, key string, r ref) *model.RouteTable {
	if r.typ == "aws_vpc" {
		if v := b.vpcs[r.ID]; v != nil {
			return b.mainTable(v)
		}
		return nil
	}
	if rt := b.rts[r.ID]; rt != nil {
		return rt
	}
	e.warnf(key, ErrOutsidePlan, "route table %s is not in this file: it is left out", r.ID)
	return nil
}

// kebab turns AWS's camelCase states (pendingAcceptance) into the
// model's spelling (pending-acceptance).
func kebab(s string) string {
	var out strings.Builder
	for _, c := range s {
		if c >= 'A' && c <= 'Z' {
			out.WriteByte('-')
			c += 'a' - 'A'
		}
		out.WriteRune(c)
	}
	return out.String()
}

func (b *builder) buildEndpointServices() {
	svcs := map[model.ID]*model.EndpointService{}
	b.each("aws_vpc_endpoint_service", func(e elem) {
		id := model.ID(e.r.addr)
		s := &model.EndpointService{ID: id, Account: b.accountOf(e), Region: b.regionOf(e.r), Name: e.str("service_name"), Source: e.src(),
			AcceptanceRequired: e.boolean("acceptance_required", false), AllowedPrincipals: e.strs("allowed_principals"),
			SupportedRegions: e.strs("supported_regions"), PrivateDNSName: e.str("private_dns_name")}
		for _, t := range e.strs("supported_ip_address_types") {
			var ty model.IPAddressType
			if err := ty.UnmarshalText([]byte(t)); err != nil || !model.FieldAccepts("EndpointService.SupportedIPAddressTypes", ty.String()) {
				e.errorf("supported_ip_address_types", model.ErrInvalidValue, "an endpoint service supports ipv4 and ipv6, not %q (V-32)", t)
				continue
			}
			if !slices.Contains(s.SupportedIPAddressTypes, ty) {
				s.SupportedIPAddressTypes = append(s.SupportedIPAddressTypes, ty)
			}
		}
		slices.Sort(s.SupportedIPAddressTypes)
		if len(s.SupportedIPAddressTypes) == 1 && s.SupportedIPAddressTypes[0] == model.IPAddressIPv4 {
			s.SupportedIPAddressTypes = nil // the default
		}
		for _, key := range []string{"network_load_balancer_arns", "gateway_load_balancer_arns"} {
			for _, r := range e.refs(key, "aws_lb", "aws_alb") {
				if lb := b.lbs[r.ID]; lb != nil {
					s.LoadBalancers = append(s.LoadBalancers, lb.ID)
					if s.Region == "" {
						if v := b.objVPC[lb.ID]; v != nil {
							s.Region = v.region
						}
					}
				} else {
					e.warnf(key, ErrOutsidePlan, "load balancer %s is not in this file: it is left out of the service", r.ID)
				}
			}
		}
		if s.Region == "" {
			s.Region = DefaultRegion
		}
		svcs[id] = s
		b.svcs = append(b.svcs, s)
	})
	svcRef := func(e elem) *model.EndpointService {
		r := e.ref("vpc_endpoint_service_id", "aws_vpc_endpoint_service")
		if s := svcs[r.ID]; s != nil {
			return s
		}
		if r.ID != "" {
			e.warnf("vpc_endpoint_service_id", ErrOutsidePlan, "endpoint service %s is not in this file: %s is left out", r.ID, e.r.addr)
		}
		return nil
	}
	b.each("aws_vpc_endpoint_service_allowed_principal", func(e elem) {
		if s := svcRef(e); s != nil && e.str("principal_arn") != "" && !slices.Contains(s.AllowedPrincipals, e.str("principal_arn")) {
			s.AllowedPrincipals = append(s.AllowedPrincipals, e.str("principal_arn"))
		}
	})
	b.each("aws_vpc_endpoint_connection_accepter", func(e elem) {
		s := svcRef(e)
		r := e.ref("vpc_endpoint_id", "aws_vpc_endpoint")
		if s != nil && r.ID != "" {
			s.Connections = append(s.Connections, model.EndpointConnection{Endpoint: r.ID, State: model.EndpointAvailable, Source: e.src()})
		}
	})
}

// endpointTypes reads an endpoint's ip_address_type and
// dns_options.dns_record_ip_type (V-30, V-31); ipv4, the default, is left
// unwritten, as is the default DNS record IP type (the IP address type's
// own, service-defined for a gateway endpoint). It
// reports false (with an error) when the endpoint is left out.
func (b *builder) endpointTypes(e elem, ep *model.Endpoint) bool {
	if t := e.str("ip_address_type"); t != "" {
		if err := ep.IPAddressType.UnmarshalText([]byte(t)); err != nil || !model.FieldAccepts("Endpoint.IPAddressType", ep.IPAddressType.String()) {
			e.errorf("ip_address_type", model.ErrInvalidValue, "an endpoint's IP address type is ipv4, dualstack or ipv6, not %q", t)
			return false
		}
		if ep.IPAddressType == model.IPAddressIPv4 {
			ep.IPAddressType = 0
		}
	}
	for _, d := range e.sub("dns_options") {
		t := d.str("dns_record_ip_type")
		if t == "" {
			continue
		}
		if ep.Type == model.EndpointGatewayLoadBalancer {
			if t != "service-defined" {
				d.warnf("dns_record_ip_type", ErrNotModelled, "the DNS record IP type %s of a Gateway Load Balancer endpoint is left out: such an endpoint has no DNS names (V-30)", t)
			}
			continue
		}
		if err := ep.DNSRecordIPType.UnmarshalText([]byte(t)); err != nil {
			d.errorf("dns_record_ip_type", model.ErrInvalidValue, "%s", err)
			ep.DNSRecordIPType = 0
			continue
		}
		if c := ep.GatewayDNSRecordConflict(); c != "" {
			d.warnf("dns_record_ip_type", model.ErrConflict, "%s: taken as service-defined", c)
			ep.DNSRecordIPType = 0
		}
		if ep.DNSRecordIPType == ep.DefaultDNSRecordType() {
			ep.DNSRecordIPType = 0 // the default: the IP address type's own, service-defined for a gateway endpoint
		}
	}
	return true
}
