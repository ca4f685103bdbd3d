package awsimport

import (
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

// awsEndpoint is an element of describe-vpc-endpoints' VpcEndpoints.
type awsEndpoint struct {
	VpcEndpointId       string
	VpcEndpointType     string
	VpcId               string
	ServiceName         string
	State               string
	OwnerId             string
	RouteTableIds       []string
	SubnetIds           []string
	NetworkInterfaceIds []string
	Groups              []awsGroupRef
	PrivateDnsEnabled   bool
	DnsEntries          []struct{ DnsName, HostedZoneId string }
	// IpAddressType is ipv4, dualstack or ipv6 (V-30); DnsOptions'
	// DnsRecordIpType says which records its names have (V-31).
	IpAddressType string
	DnsOptions    *struct{ DnsRecordIpType string }
	Tags          []awsTag
}

// awsServiceConfiguration is an endpoint service of the provider side
// (describe-vpc-endpoint-service-configurations' ServiceConfigurations).
type awsServiceConfiguration struct {
	ServiceId               string
	ServiceName             string
	ServiceState            string
	PrivateDnsName          string
	AcceptanceRequired      bool
	NetworkLoadBalancerArns []string
	GatewayLoadBalancerArns []string
	SupportedRegions        []struct{ Region string }
	// SupportedIpAddressTypes are ipv4 and ipv6 (V-32).
	SupportedIpAddressTypes []string
	Tags                    []awsTag
}

// awsServiceDetail is a service consumers can connect to
// (describe-vpc-endpoint-services' ServiceDetails).
type awsServiceDetail struct {
	ServiceName string
	ServiceId   string
	Owner       string
}

// awsServicePermissions wraps describe-vpc-endpoint-service-permissions
// with the service id: {"VpcEndpointServicePermissions": [{"ServiceId": ...,
// "AllowedPrincipals": [...]}]}.
type awsServicePermissions struct {
	ServiceId         string
	AllowedPrincipals []struct{ Principal, PrincipalType string }
}

// awsEndpointConnection is an element of describe-vpc-endpoint-connections'
// VpcEndpointConnections (the provider's view of consumers' endpoints).
type awsEndpointConnection struct {
	ServiceId        string
	VpcEndpointId    string
	VpcEndpointOwner string
	VpcEndpointState string
}

// awsServiceName matches AWS service names, com.amazonaws.REGION.SERVICE
// (as the model's validator does).
var awsServiceName = regexp.MustCompile(`^com\.amazonaws\.([a-z0-9-]+)\.([a-z0-9.-]+)$`)

func (b *builder) buildEndpointServices() {
	perms := map[string][]string{}
	for _, it := range unique(b.s.servicePermissions, func(p *awsServicePermissions) string { return p.ServiceId }) {
		var ps []string
		for _, p := range it.v.AllowedPrincipals {
			if p.Principal != "" && !slices.Contains(ps, p.Principal) {
				ps = append(ps, p.Principal)
			}
		}
		perms[it.v.ServiceId] = ps
	}
	for _, it := range unique(b.s.services, func(s *awsServiceConfiguration) string { return s.ServiceId }) {
		a := &it.v
		if a.ServiceState == "Deleted" || a.ServiceState == "Deleting" || a.ServiceState == "Failed" {
			b.note(it.src, "ServiceState", ErrInactive, "endpoint service %s is %s: skipped", a.ServiceId, strings.ToLower(a.ServiceState))
			continue
		}
		s := &model.EndpointService{ID: model.ID(a.ServiceId), Name: a.ServiceName, Region: it.sc.region,
			AcceptanceRequired: a.AcceptanceRequired, PrivateDNSName: a.PrivateDnsName, Source: it.src}
		for _, arn := range append(slices.Clone(a.NetworkLoadBalancerArns), a.GatewayLoadBalancerArns...) {
			lb := b.lbByARN[arn]
			if lb == nil {
				b.warn(it.src, "NetworkLoadBalancerArns", ErrOutsideSnapshot, "endpoint service %s is fronted by %s, which is not in the snapshot: left out", a.ServiceId, arn)
				continue
			}
			s.LoadBalancers = append(s.LoadBalancers, lb.ID)
			if s.Account == "" {
				s.Account = b.account(accountOfARN(arn), "")
			}
			if r := regionOfARN(arn); r != "" {
				s.Region = r
			}
		}
		if len(s.LoadBalancers) == 0 {
			b.warn(it.src, "", ErrOutsideSnapshot, "endpoint service %s has no load balancer in the snapshot: skipped, and endpoints to it keep only their interfaces", a.ServiceId)
			continue
		}
		if s.Account == "" {
			s.Account = b.account(it.sc.account, "")
		}
		for _, r := range a.SupportedRegions {
			if r.Region != "" && r.Region != s.Region && !slices.Contains(s.SupportedRegions, r.Region) {
				s.SupportedRegions = append(s.SupportedRegions, r.Region)
			}
		}
		if ps, ok := perms[a.ServiceId]; ok {
			s.AllowedPrincipals = ps
		}
		for k, t := range a.SupportedIpAddressTypes {
			var ty model.IPAddressType
			if err := ty.UnmarshalText([]byte(t)); err != nil || !model.FieldAccepts("EndpointService.SupportedIPAddressTypes", ty.String()) {
				b.warn(it.src, "SupportedIpAddressTypes["+itoa(k)+"]", model.ErrInvalidValue, "endpoint service %s: supported IP address type %q is not ipv4 or ipv6: left out", a.ServiceId, t)
				continue
			}
			if !slices.Contains(s.SupportedIPAddressTypes, ty) {
				s.SupportedIPAddressTypes = append(s.SupportedIPAddressTypes, ty)
			}
		}
		if len(s.SupportedIPAddressTypes) == 1 && s.SupportedIPAddressTypes[0] == model.IPAddressIPv4 {
			s.SupportedIPAddressTypes = nil // the default
		}
		b.services[a.ServiceId] = s
		b.place(a.ServiceId, model.KindEndpointService, "")
	}
}

// serviceByName finds an endpoint service of the model by id or name.
func (b *builder) serviceByName(name string) *model.EndpointService {
	if s := b.services[name]; s != nil {
		return s
	}
	for _, id := range sortedKeys(b.services) {
		if s := b.services[id]; s.ServiceName() == name {
			return s
		}
	}
	return nil
}

func (b *builder) buildEndpoints() {
	for _, it := range unique(b.s.endpoints, func(e *awsEndpoint) string { return e.VpcEndpointId }) {
		a := &it.v
		id := a.VpcEndpointId
		if a.State == "deleted" || a.State == "deleting" {
			b.count("endpoint-deleted", it.src, ErrInactive, "deleted VPC endpoints skipped: %N")
			continue
		}
		v := b.vpc(a.VpcId, it.src, "endpoint", id)
		if v == nil {
			continue
		}
		e := &model.Endpoint{ID: model.ID(id), Service: a.ServiceName, PrivateDNS: a.PrivateDnsEnabled, Source: it.src}
		if err := e.Type.UnmarshalText([]byte(a.VpcEndpointType)); err != nil {
			b.warn(it.src, "VpcEndpointType", model.ErrInvalidValue, "endpoint %s: %s: skipped", id, err)
			continue
		}
		if a.State != "" {
			if err := e.State.UnmarshalText([]byte(a.State)); err != nil {
				b.warn(it.src, "State", model.ErrInvalidValue, "endpoint %s: %s: taken as failed", id, err)
				e.State = model.EndpointFailed
			} else if e.State == model.EndpointAvailable {
				e.State = 0 // the default
			}
		}
		if owner := b.ownerOf(a.OwnerId, it.sc); owner != "" && owner != v.v.Account {
			e.Account = owner
		}
		svc := b.serviceByName(a.ServiceName)
		if svc == nil && (!awsServiceName.MatchString(a.ServiceName) || strings.HasPrefix(a.ServiceName, "com.amazonaws.vpce.")) {
			owner := ""
			for _, d := range b.s.serviceDetails {
				if d.v.ServiceName == a.ServiceName && d.v.Owner != "" {
					owner = " (owned by " + d.v.Owner + ")"
				}
			}
			b.warn(it.src, "ServiceName", ErrOutsideSnapshot, "endpoint %s connects to %s%s, which is not in the snapshot: the endpoint is left out (its interfaces are kept, so their addresses and groups count); answers through it are unknown, not \"no\"", id, a.ServiceName, owner)
			continue
		}
		if svc != nil {
			e.Service = string(svc.ID)
		}
		switch e.Type {
		case model.EndpointGateway:
			if !b.endpointTypes(e, a, it.src) {
				continue
			}
			for _, rt := range a.RouteTableIds {
				if v.routeTables[rt] == nil {
					b.warn(it.src, "RouteTableIds", ErrOutsideSnapshot, "endpoint %s is associated with route table %s, which is not in %s in the snapshot: left out", id, rt, a.VpcId)
					continue
				}
				e.RouteTables = append(e.RouteTables, model.ID(rt))
				b.skipRoutes[[2]string{rt, id}] = true
			}
		default:
			if !b.endpointTypes(e, a, it.src) {
				continue
			}
			// The interfaces, one per subnet, with their addresses.
			addrBySubnet := map[string]netip.Addr{}
			addr6BySubnet := map[string]netip.Addr{}
			for _, eni := range a.NetworkInterfaceIds {
				if x := b.enis[eni]; x != nil {
					b.usedENIs[eni] = true
					if ad := parseAddr(x.v.PrivateIpAddress); ad.IsValid() {
						addrBySubnet[x.v.SubnetId] = ad
					}
					for _, a6 := range x.v.Ipv6Addresses {
						if ad, err := netip.ParseAddr(a6.Ipv6Address.S); err == nil && ad.Is6() && !ad.Is4In6() && ad.Zone() == "" {
							addr6BySubnet[x.v.SubnetId] = ad
							break
						}
					}
				}
			}
			complete, complete6 := true, true
			var ips, ips6 []netip.Addr
			for _, sn := range a.SubnetIds {
				if v.subnet(sn) == nil {
					b.warn(it.src, "SubnetIds", ErrOutsideSnapshot, "endpoint %s has an interface in subnet %s, which is not in the snapshot: left out", id, sn)
					continue
				}
				e.Subnets = append(e.Subnets, model.ID(sn))
				ad, ok := addrBySubnet[sn]
				complete = complete && ok
				ips = append(ips, ad)
				ad, ok = addr6BySubnet[sn]
				complete6 = complete6 && ok
				ips6 = append(ips6, ad)
			}
			if len(e.Subnets) == 0 {
				b.warn(it.src, "SubnetIds", ErrOutsideSnapshot, "endpoint %s has no subnet in the snapshot: skipped", id)
				continue
			}
			at := func(int) model.Source { return it.src }
			if complete && e.AddressType().HasIPv4() && b.claimAll(v, ips, id, at) {
				e.PrivateIPs = ips
			}
			// vpcreach places a dualstack Gateway Load Balancer endpoint by
			// its IPv4 address; an ipv6 one by its IPv6 address (V-30).
			if complete6 && e.AddressType().HasIPv6() && (e.Type == model.EndpointInterface || e.AddressType() == model.IPAddressIPv6) &&
				b.claimAll(v, ips6, id, at) {
				e.IPv6IPs = ips6
			}
			e.SecurityGroups = b.groupsOf(v, a.Groups, it.src, id)
			for _, d := range a.DnsEntries {
				if strings.HasPrefix(d.DnsName, id+"-") && e.DNSName == "" {
					e.DNSName = strings.TrimSuffix(d.DnsName, ".")
				}
			}
		}
		v.endpoints[id] = e
		b.place(id, model.KindEndpoint, a.VpcId)
	}
	b.connectServices()
}

// connectServices fills the endpoint services' connections from the
// provider's view (VpcEndpointConnections) and the consumers' endpoints,
// and infers allowed principals the snapshot does not list.
func (b *builder) connectServices() {
	conns := map[string]map[string]model.EndpointState{}
	owners := map[string][]string{}
	for _, it := range unique(b.s.endpointConnections, func(c *awsEndpointConnection) string { return c.ServiceId + "/" + c.VpcEndpointId }) {
		a := &it.v
		var st model.EndpointState
		if err := st.UnmarshalText([]byte(a.VpcEndpointState)); err != nil {
			continue
		}
		if conns[a.ServiceId] == nil {
			conns[a.ServiceId] = map[string]model.EndpointState{}
		}
		conns[a.ServiceId][a.VpcEndpointId] = st
		if a.VpcEndpointOwner != "" {
			owners[a.ServiceId] = append(owners[a.ServiceId], a.VpcEndpointOwner)
		}
	}
	for _, vid := range sortedKeys(b.vpcs) {
		v := b.vpcs[vid]
		for _, eid := range sortedKeys(v.endpoints) {
			e := v.endpoints[eid]
			s := b.services[e.Service]
			if s == nil {
				continue
			}
			acct := e.Account
			if acct == "" {
				acct = v.v.Account
			}
			owners[string(s.ID)] = append(owners[string(s.ID)], string(acct))
			if _, ok := conns[string(s.ID)][eid]; !ok {
				st := e.State
				if st == 0 {
					st = model.EndpointAvailable
				}
				if conns[string(s.ID)] == nil {
					conns[string(s.ID)] = map[string]model.EndpointState{}
				}
				conns[string(s.ID)][eid] = st
			}
		}
	}
	for _, sid := range sortedKeys(b.services) {
		s := b.services[sid]
		for _, eid := range sortedKeys(conns[sid]) {
			if b.kind[eid] != model.KindEndpoint {
				continue // a consumer outside the snapshot
			}
			// The consumer's view of its endpoint decides: the provider's
			// list may be older.
			e := b.vpcs[b.vpcOf[eid]].endpoints[eid]
			st := e.State
			if st == 0 {
				st = model.EndpointAvailable
			}
			s.Connections = append(s.Connections, model.EndpointConnection{Endpoint: model.ID(eid), State: st, Source: s.Source})
		}
		if s.AllowedPrincipals == nil {
			var ps []string
			for _, o := range owners[sid] {
				if o != "" && model.ID(o) != s.Account {
					p := "arn:aws:iam::" + o + ":root"
					if !slices.Contains(ps, p) {
						ps = append(ps, p)
					}
				}
			}
			slices.Sort(ps)
			s.AllowedPrincipals = ps
			if len(ps) > 0 {
				b.note(s.Source, "", ErrInferred, "endpoint service %s: allowed principals not in the snapshot (collect describe-vpc-endpoint-service-permissions); the accounts with endpoints to it are taken as allowed", sid)
			}
		}
	}
}

// endpointTypes reads an endpoint's IP address type and an interface or
// gateway endpoint's DNS record IP type (V-30, V-31); defaults (ipv4, the
// IP address type's records, service-defined for a gateway endpoint) are
// left unwritten.
// It reports false (with a warning) when the endpoint is skipped.
func (b *builder) endpointTypes(e *model.Endpoint, a *awsEndpoint, src model.Source) bool {
	if a.IpAddressType != "" {
		if err := e.IPAddressType.UnmarshalText([]byte(a.IpAddressType)); err != nil || !model.FieldAccepts("Endpoint.IPAddressType", e.IPAddressType.String()) {
			b.warn(src, "IpAddressType", model.ErrInvalidValue, "endpoint %s: IP address type %q is not ipv4, dualstack or ipv6: skipped", e.ID, a.IpAddressType)
			return false
		}
	}
	if e.IPAddressType == model.IPAddressIPv4 {
		e.IPAddressType = 0
	}
	if a.DnsOptions == nil || a.DnsOptions.DnsRecordIpType == "" {
		return true
	}
	t := a.DnsOptions.DnsRecordIpType
	if e.Type == model.EndpointGatewayLoadBalancer {
		if t != "service-defined" {
			b.warn(src, "DnsOptions.DnsRecordIpType", ErrNotModelled, "Gateway Load Balancer endpoint %s: DNS record IP type %s is left out: such an endpoint has no DNS names (V-30)", e.ID, t)
		}
		return true
	}
	if err := e.DNSRecordIPType.UnmarshalText([]byte(t)); err != nil {
		b.warn(src, "DnsOptions.DnsRecordIpType", model.ErrInvalidValue, "endpoint %s: %s: taken as the default", e.ID, err)
		e.DNSRecordIPType = 0
	}
	if c := e.GatewayDNSRecordConflict(); c != "" {
		b.warn(src, "DnsOptions.DnsRecordIpType", model.ErrConflict, "%s: taken as service-defined", c)
		e.DNSRecordIPType = 0
	}
	if e.DNSRecordIPType == e.DefaultDNSRecordType() {
		// The default (the IP address type's own, or service-defined
		// for a gateway endpoint): left unwritten.
		e.DNSRecordIPType = 0
	}
	return true
}
