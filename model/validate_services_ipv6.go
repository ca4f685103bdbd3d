package model

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// IPv6 on interface endpoints, endpoint services and load balancers
// (V-30..V-34): which families their addresses have, where they may be
// placed, and which of them an endpoint service accepts.

// AddressType returns the endpoint's IP address type: ipv4 unless set.
func (e Endpoint) AddressType() IPAddressType {
	if e.IPAddressType == 0 {
		return IPAddressIPv4
	}
	return e.IPAddressType
}

// DNSRecordType returns the endpoint's DNS record IP type: unless set,
// the records of its IP address type (V-31).
func (e Endpoint) DNSRecordType() DNSRecordIPType {
	if e.DNSRecordIPType != 0 {
		return e.DNSRecordIPType
	}
	return e.DefaultDNSRecordType()
}

// DefaultDNSRecordType returns the DNS record IP type an endpoint has when
// none is written: for an interface endpoint the records of its IP
// address type (V-31), for a gateway endpoint service-defined (V-30; the
// PrivateLink guide, gateway endpoints, DNS record IP type). Importers
// leave a type equal to it unwritten.
func (e Endpoint) DefaultDNSRecordType() DNSRecordIPType {
	if e.Type == EndpointGateway {
		return DNSRecordServiceDefined
	}
	switch e.AddressType() {
	case IPAddressDualstack:
		return DNSRecordDualstack
	case IPAddressIPv6:
		return DNSRecordIPv6
	}
	return DNSRecordIPv4
}

// GatewayDNSRecordConflict returns why a gateway endpoint cannot have the
// DNS record IP type it is given, or "" when it can (V-30; the PrivateLink
// guide, gateway endpoints, DNS record IP type): service-defined goes with
// every IP address type, ipv4 needs ipv4 or dualstack, ipv6 needs ipv6 or
// dualstack, dualstack needs dualstack, and a DynamoDB gateway endpoint
// takes service-defined only. Validation refuses a conflict; the importers
// warn of it and leave the type out.
func (e Endpoint) GatewayDNSRecordConflict() string {
	d := e.DNSRecordIPType
	if e.Type != EndpointGateway || d == 0 || d == DNSRecordServiceDefined {
		return ""
	}
	if m := awsServiceName.FindStringSubmatch(e.Service); m != nil && m[2] == "dynamodb" {
		return fmt.Sprintf("a DynamoDB gateway endpoint's DNS record IP type is service-defined only, not %s", d)
	}
	t := e.AddressType()
	ok := t == IPAddressDualstack || (d == DNSRecordIPv4 && t == IPAddressIPv4) || (d == DNSRecordIPv6 && t == IPAddressIPv6)
	if ok {
		return ""
	}
	return fmt.Sprintf("a gateway endpoint's DNS record IP type %s needs IP address type %s; endpoint %s is %s", d, dnsRecordNeeds(d), e.ID, t)
}

// GatewayDNSRecordNeedsDNS reports whether the endpoint is a gateway
// endpoint whose DNS record IP type is other than service-defined, which
// AWS allows only in a VPC with DNS support and DNS hostnames on (V-30).
func (e Endpoint) GatewayDNSRecordNeedsDNS() bool {
	return e.Type == EndpointGateway && e.DNSRecordIPType != 0 && e.DNSRecordIPType != DNSRecordServiceDefined
}

// gatewayDNSRecordType checks a gateway endpoint's DNS record IP type
// against its IP address type and service (GatewayDNSRecordConflict), and
// a type other than service-defined against its VPC's DNS attributes,
// which AWS requires on (V-30).
func (v *validator) gatewayDNSRecordType(vpc *VPC, e *Endpoint) {
	src := e.Source.Field("dns_record_ip_type")
	if c := e.GatewayDNSRecordConflict(); c != "" {
		v.add(SeverityError, src, ErrConflict, "V-30", "%s", c)
		return
	}
	if e.GatewayDNSRecordNeedsDNS() && !(vpc.DNS.SupportEnabled() && vpc.DNS.HostnamesEnabled()) {
		v.add(SeverityError, src, ErrConflict, "V-30", "a gateway endpoint's DNS record IP type other than service-defined needs the VPC's DNS support and DNS hostnames on; %s has support=%t hostnames=%t",
			vpc.ID, vpc.DNS.SupportEnabled(), vpc.DNS.HostnamesEnabled())
	}
}

// AnswersA reports whether name kind answers A records under this DNS
// record IP type: every kind except under ipv6 (V-31).
func (t DNSRecordIPType) AnswersA() bool { return t != DNSRecordIPv6 }

// AnswersAAAA reports whether a name answers AAAA records under this DNS
// record IP type; private is the endpoint's private DNS name (the
// service's name in the VPC), which service-defined answers with A
// records only (V-31).
func (t DNSRecordIPType) AnswersAAAA(private bool) bool {
	switch t {
	case DNSRecordIPv6, DNSRecordDualstack:
		return true
	case DNSRecordServiceDefined:
		return !private
	}
	return false
}

// AcceptsIPv4 reports whether the service accepts IPv4 requests: it lists
// ipv4, or lists nothing (AWS's default) (V-32).
func (s EndpointService) AcceptsIPv4() bool {
	return len(s.SupportedIPAddressTypes) == 0 || slices.Contains(s.SupportedIPAddressTypes, IPAddressIPv4)
}

// AcceptsIPv6 reports whether the service accepts IPv6 requests (V-32).
func (s EndpointService) AcceptsIPv6() bool {
	return slices.Contains(s.SupportedIPAddressTypes, IPAddressIPv6)
}

// AddressType returns the load balancer's IP address type: ipv4 unless
// set.
func (lb LoadBalancer) AddressType() IPAddressType {
	if lb.IPAddressType == 0 {
		return IPAddressIPv4
	}
	return lb.IPAddressType
}

// PublicIPv4 reports whether an internet-facing load balancer has public
// IPv4 addresses: all but dualstack-without-public-ipv4 (V-33).
func (lb LoadBalancer) PublicIPv4() bool {
	return lb.Scheme == SchemeInternetFacing && lb.IPAddressType != IPAddressDualstackWithoutPublicIPv4
}

// endpointFamilies checks an interface endpoint's IP address type against
// its subnets, its addresses, its DNS record IP type and its service
// (V-30..V-32).
func (v *validator) endpointFamilies(vpc *VPC, e *Endpoint, svc *EndpointService, addrs *addrBook) {
	src := e.Source
	t := e.AddressType()
	for i, id := range e.Subnets {
		sn := v.x.Subnet(id)
		if sn == nil || v.x.OwnerVPC(id) != vpc {
			continue
		}
		es := src.Elem("subnets", i)
		switch {
		case t == IPAddressIPv4 && sn.IPv6Only:
			v.add(SeverityError, es, ErrConflict, "V-30", "subnet %s is IPv6-only: an endpoint of IP address type ipv4 needs subnets with IPv4 blocks (use ip_address_type ipv6)", id)
		case t == IPAddressDualstack && (sn.IPv6Only || !sn.IPv6CIDRBlock.IsValid()) && !v.written(sn.Source, "ipv6_cidr_block"):
			v.add(SeverityError, es, ErrConflict, "V-30", "an endpoint of IP address type dualstack needs subnets with both IPv4 and IPv6 blocks; subnet %s has %s", id, subnetFamilies(sn))
		case t == IPAddressIPv6 && !sn.IPv6Only:
			v.add(SeverityError, es, ErrConflict, "V-30", "an endpoint of IP address type ipv6 needs IPv6-only subnets; subnet %s has %s", id, subnetFamilies(sn))
		}
	}
	v.endpointAddressType(e)
	if t == IPAddressIPv6 && len(e.PrivateIPs) > 0 {
		v.add(SeverityError, src.Field("private_ips"), ErrConflict, "V-30", "an endpoint of IP address type ipv6 has no IPv4 addresses; give ipv6_ips")
	}
	// A Gateway Load Balancer endpoint's IPv6 address is modelled for
	// the ipv6 type, whose subnet is IPv6-only; a dualstack one is
	// placed by its IPv4 address.
	v.ipv6Nodes(vpc, src, e.ID, t.HasIPv6() && e.Type == EndpointInterface || t == IPAddressIPv6 && e.Type == EndpointGatewayLoadBalancer, e.Subnets, e.IPv6IPs, addrs, "V-30")
	if e.Type == EndpointInterface {
		if d := e.DNSRecordIPType; d != 0 {
			ok := true
			switch d {
			case DNSRecordIPv4:
				ok = t == IPAddressIPv4 || t == IPAddressDualstack
			case DNSRecordIPv6:
				ok = t == IPAddressIPv6 || t == IPAddressDualstack
			default:
				ok = t == IPAddressDualstack
			}
			if !ok {
				v.add(SeverityError, src.Field("dns_record_ip_type"), ErrConflict, "V-31", "DNS record IP type %s needs IP address type %s; endpoint %s is %s", d, dnsRecordNeeds(d), e.ID, t)
			}
		}
	} else if e.DNSRecordIPType != 0 {
		v.errorf(src.Field("dns_record_ip_type"), ErrConflict, "a Gateway Load Balancer endpoint has no DNS names: dns_record_ip_type is for interface and gateway endpoints")
	}
	if svc != nil {
		if t.HasIPv4() && !svc.AcceptsIPv4() {
			v.add(SeverityError, src.Field("ip_address_type"), ErrConflict, "V-32", "endpoint service %s does not accept IPv4 requests (supported_ip_address_types: %s); endpoint %s is %s", svc.ID, joinTypes(svc.SupportedIPAddressTypes), e.ID, t)
		}
		if t.HasIPv6() && !svc.AcceptsIPv6() {
			v.add(SeverityError, src.Field("ip_address_type"), ErrConflict, "V-32", "endpoint service %s does not accept IPv6 requests (supported_ip_address_types: %s); endpoint %s is %s", svc.ID, joinTypes(svc.SupportedIPAddressTypes), e.ID, t)
		}
	}
}

// endpointAddressType checks an endpoint's IP address type against the
// values an endpoint accepts (fieldValues, V-30).
func (v *validator) endpointAddressType(e *Endpoint) {
	if t := e.IPAddressType.String(); e.IPAddressType != 0 && !FieldAccepts("Endpoint.IPAddressType", t) {
		v.add(SeverityError, e.Source.Field("ip_address_type"), ErrInvalidValue, "V-30", "an endpoint's IP address type is %s; %s is an application load balancer's", fieldValuesText("Endpoint.IPAddressType"), t)
	}
}

// gatewayEndpointFamilies checks a gateway endpoint's IP address type
// against the subnets of one of its route tables (V-30): ipv6 needs
// IPv6-only subnets, dualstack subnets with both blocks (the PrivateLink
// guide, gateway endpoints, IP address type, which sets no requirement
// for ipv4). A subnet counts when the topology associates it with the table,
// explicitly or as the main table.
func (v *validator) gatewayEndpointFamilies(vpc *VPC, e *Endpoint, src Source, rt ID) {
	t := e.AddressType()
	var main ID
	for i := range vpc.RouteTables {
		if vpc.RouteTables[i].Main {
			main = vpc.RouteTables[i].ID
		}
	}
	for i := range vpc.Subnets {
		sn := &vpc.Subnets[i]
		if sn.RouteTable != rt && (sn.RouteTable != "" || main != rt) {
			continue
		}
		switch {
		case t == IPAddressIPv6 && !sn.IPv6Only:
			v.add(SeverityError, src, ErrConflict, "V-30", "route table %s holds subnet %s, which has %s: a gateway endpoint of IP address type ipv6 needs IPv6-only subnets", rt, sn.ID, subnetFamilies(sn))
		case t == IPAddressDualstack && (sn.IPv6Only || !sn.IPv6CIDRBlock.IsValid()) && !v.written(sn.Source, "ipv6_cidr_block"):
			v.add(SeverityError, src, ErrConflict, "V-30", "route table %s holds subnet %s, which has %s: a gateway endpoint of IP address type dualstack needs subnets with both IPv4 and IPv6 blocks", rt, sn.ID, subnetFamilies(sn))
		}
	}
}

// dnsRecordNeeds names the IP address types a DNS record IP type needs.
func dnsRecordNeeds(d DNSRecordIPType) string {
	switch d {
	case DNSRecordIPv4:
		return "ipv4 or dualstack"
	case DNSRecordIPv6:
		return "ipv6 or dualstack"
	}
	return "dualstack"
}

// subnetFamilies describes the blocks of a subnet.
func subnetFamilies(sn *Subnet) string {
	switch {
	case sn.IPv6Only:
		return "an IPv6 block only"
	case sn.IPv6CIDRBlock.IsValid():
		return "IPv4 and IPv6 blocks"
	}
	return "an IPv4 block only"
}

// joinTypes writes a list of IP address types, "ipv4" for none.
func joinTypes(ts []IPAddressType) string {
	if len(ts) == 0 {
		return "ipv4, the default"
	}
	out := ""
	for i, t := range ts {
		if i > 0 {
			out += ", "
		}
		out += t.String()
	}
	return out
}

// ipv6Nodes checks the ipv6_ips of an endpoint or load balancer: only
// when its type has IPv6, one per subnet, each in its subnet's IPv6 block.
func (v *validator) ipv6Nodes(vpc *VPC, src Source, owner ID, six bool, subnets []ID, ips []netip.Addr, addrs *addrBook, rule string) {
	if len(ips) == 0 {
		return
	}
	if !six {
		v.add(SeverityError, src.Field("ipv6_ips"), ErrConflict, rule, "%s takes no ipv6_ips: only dualstack and ipv6 interface endpoints, ipv6 Gateway Load Balancer endpoints and dualstack load balancers have IPv6 addresses", owner)
		return
	}
	if len(ips) != len(subnets) {
		v.errorf(src.Field("ipv6_ips"), ErrConflict, "%s for %s; give one per subnet, in the same order", countOf(len(ips), "IPv6 address", "IPv6 addresses"), countOf(len(subnets), "subnet", "subnets"))
		return
	}
	for i, a := range ips {
		if sn := v.x.Subnet(subnets[i]); sn != nil && v.x.OwnerVPC(subnets[i]) == vpc && sn.IPv6CIDRBlock.IsValid() {
			addrs.claim(src.Elem("ipv6_ips", i), a, subnets[i], owner)
		}
	}
}

// loadBalancerFamilies checks a load balancer's IP address type against
// its kind, its VPC and subnets, and its IPv6 addresses (V-33).
func (v *validator) loadBalancerFamilies(vpc *VPC, lb *LoadBalancer, addrs *addrBook) {
	src := lb.Source
	t := lb.AddressType()
	switch {
	case !FieldAccepts("LoadBalancer.IPAddressType", t.String()):
		v.add(SeverityError, src.Field("ip_address_type"), ErrInvalidValue, "V-33", "a load balancer's IP address type is %s (dualstack-without-public-ipv4 for an application load balancer), not %s", fieldValuesText("LoadBalancer.IPAddressType"), t)
	case t == IPAddressDualstackWithoutPublicIPv4 && lb.Type != LBApplication:
		v.add(SeverityError, src.Field("ip_address_type"), ErrInvalidValue, "V-33", "dualstack-without-public-ipv4 is for application load balancers; %s is a %s load balancer", lb.ID, lb.Type)
	case t == IPAddressDualstackWithoutPublicIPv4 && len(lb.PublicIPs) > 0:
		v.add(SeverityError, src.Field("public_ips"), ErrConflict, "V-33", "a load balancer of IP address type dualstack-without-public-ipv4 has no public IPv4 addresses")
	}
	for i, id := range lb.Subnets {
		sn := v.x.Subnet(id)
		if sn == nil || v.x.OwnerVPC(id) != vpc {
			continue
		}
		es := src.Elem("subnets", i)
		switch {
		case sn.IPv6Only:
			v.add(SeverityError, es, ErrConflict, "V-33", "subnet %s is IPv6-only: a load balancer has IPv4 addresses (dualstack ones too), so it needs subnets with IPv4 blocks", id)
		case t.HasIPv6() && !sn.IPv6CIDRBlock.IsValid() && !v.written(sn.Source, "ipv6_cidr_block"):
			v.add(SeverityError, es, ErrConflict, "V-33", "a %s load balancer needs subnets with IPv6 blocks; subnet %s has none", t, id)
		}
	}
	v.ipv6Nodes(vpc, src, lb.ID, t.HasIPv6(), lb.Subnets, lb.IPv6IPs, addrs, "V-33")
}

// supportedIPAddressTypes checks an endpoint service's list: ipv4 and
// ipv6 only, each once (V-32).
func (v *validator) supportedIPAddressTypes(s *EndpointService) {
	for i, t := range s.SupportedIPAddressTypes {
		es := s.Source.Elem("supported_ip_address_types", i)
		switch {
		case !FieldAccepts("EndpointService.SupportedIPAddressTypes", t.String()):
			v.add(SeverityError, es, ErrInvalidValue, "V-32", "an endpoint service supports %s requests; list either or both, not %s", strings.Join(fieldValues["EndpointService.SupportedIPAddressTypes"], " and "), t)
		case slices.Index(s.SupportedIPAddressTypes, t) < i:
			v.errorf(es, ErrConflict, "%s is listed twice", t)
		}
	}
}

// AddressType returns the target group's IP address type: ipv4 unless
// set.
func (tg TargetGroup) AddressType() IPAddressType {
	if tg.IPAddressType == 0 {
		return IPAddressIPv4
	}
	return tg.IPAddressType
}

// targetGroupFamily checks a target group's IP address type: ipv4 or
// ipv6, and an ipv6 one of ip or instance targets (V-34). It reports
// whether the group is ipv6.
func (v *validator) targetGroupFamily(tg *TargetGroup) bool {
	if tg.IPAddressType != 0 && !FieldAccepts("TargetGroup.IPAddressType", tg.IPAddressType.String()) {
		v.add(SeverityError, tg.Source.Field("ip_address_type"), ErrInvalidValue, "V-34", "a target group's IP address type is %s, not %s", fieldValuesText("TargetGroup.IPAddressType"), tg.IPAddressType)
		return false
	}
	switch tg.AddressType() {
	case IPAddressIPv4:
		return false
	case IPAddressIPv6:
		if tg.TargetType != TargetIP && tg.TargetType != TargetInstance {
			v.add(SeverityError, tg.Source.Field("target_type"), ErrConflict, "V-34", "an ipv6 target group holds ip or instance targets, not %s targets (an Application Load Balancer cannot be registered with an IPv6 target group)", tg.TargetType)
		}
		return true
	}
	return false
}
