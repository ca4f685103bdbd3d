package lint

import (
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

func init() {
	register(&Rule{
		ID:       "endpoint-service-open-without-acceptance",
		Severity: model.SeverityWarning,
		Title:    "endpoint service open to everyone without acceptance",
		Description: "An endpoint service whose allowed principals include \"*\" lets any AWS account create an " +
			"interface endpoint to it, and with acceptance_required false every such connection is accepted " +
			"at once, so anyone who learns the service name gets a private path to the load balancer behind " +
			"it (S-73). Either control alone is a reasonable choice; both off means the service is as open as " +
			"a public one, without the scrutiny a public service gets.",
		Fix:       "List the consumer accounts or ARNs in allowed_principals instead of \"*\", or set acceptance_required: true and accept connections one by one.",
		Semantics: []string{"S-73"},
		check: func(c *Context) {
			for _, s := range c.Model.EndpointServices {
				if s.AcceptanceRequired {
					continue
				}
				for i, p := range s.AllowedPrincipals {
					if p == "*" {
						c.Report(s.Source.Elem("allowed_principals", i), s.ID,
							"endpoint service %s allows principal \"*\" and does not require acceptance: any AWS account can connect to %s",
							s.ID, joinIDs(s.LoadBalancers))
						break
					}
				}
			}
		},
	})
	register(&Rule{
		ID:       "endpoint-zone-not-served",
		Severity: model.SeverityError,
		Title:    "interface endpoint in a zone its endpoint service does not serve",
		Description: "An interface endpoint to an endpoint service places one interface in each of its subnets, " +
			"and PrivateLink carries traffic from an interface to the service's load balancer node in the same " +
			"availability zone (S-74). AWS refuses to create the endpoint in a subnet whose zone none of the " +
			"service's load balancers covers, so a topology that has one will not deploy; were it built by " +
			"hand, clients resolving the endpoint's names would get that interface's address too and fail " +
			"there. Zones are compared by zone id where both sides give one, and by name only within one " +
			"account (names map to different zones in different accounts).",
		Fix:       "Place the endpoint only in subnets of zones the service's load balancers have subnets in, or enable the load balancer in that zone.",
		Semantics: []string{"S-74"},
		check: func(c *Context) {
			for vi := range c.Model.VPCs {
				v := &c.Model.VPCs[vi]
				for _, e := range v.Endpoints {
					es := c.Index.EndpointServiceFor(e.Service)
					if e.Type != model.EndpointInterface || es == nil || es.Region != v.Region {
						continue
					}
					for i, sid := range e.Subnets {
						sn := c.Index.Subnet(sid)
						if sn == nil {
							continue
						}
						served, comparable := false, false
						var zones []string
						for _, lbID := range es.LoadBalancers {
							lb := c.Index.LoadBalancer(lbID)
							if lb == nil {
								continue
							}
							for _, lsid := range lb.Subnets {
								if ls := c.Index.Subnet(lsid); ls != nil {
									zones = append(zones, zoneName(ls))
								}
								if same, ok := c.Solver.SameZone(sid, lsid); ok {
									comparable = true
									served = served || same
								}
							}
						}
						if comparable && !served {
							c.Report(e.Source.Elem("subnets", i), e.ID,
								"interface endpoint %s has subnet %s in %s, a zone no load balancer of endpoint service %s covers (it covers %s): AWS will not create the endpoint there",
								e.ID, sid, zoneName(sn), es.ID, strings.Join(zones, ", "))
						}
					}
				}
			}
		},
	})
	register(&Rule{
		ID:       "ipv6-route-to-ipv4-gwlb-endpoint",
		Severity: model.SeverityWarning,
		Title:    "IPv6 route to a Gateway Load Balancer endpoint of IP address type ipv4",
		Description: "A Gateway Load Balancer endpoint takes IPv6 traffic when its IP address type is dualstack " +
			"or ipv6 (its subnet has an IPv6 block, its endpoint service accepts IPv6) and the route tables " +
			"route IPv6 to it, as the PrivateLink guide lists (V-30). An endpoint of the default type ipv4 " +
			"has no IPv6 address, and AWS documents neither a refusal of an IPv6 route to it nor what " +
			"becomes of the IPv6 packets it is sent: they may be dropped, or skip the inspection the route " +
			"was written for. vpcreach carries them as if the endpoint were dualstack, so its answers over " +
			"IPv6 through such an endpoint are an assumption.",
		Fix:       "Set the endpoint's ip_address_type to dualstack (or ipv6 in an IPv6-only subnet), with an endpoint service that supports ipv6, or remove the IPv6 routes to it.",
		Semantics: []string{"V-30"},
		check: func(c *Context) {
			for _, v := range c.Model.VPCs {
				for _, rt := range v.RouteTables {
					for _, r := range rt.Routes {
						e := c.Index.Endpoint(r.Target)
						if e == nil || e.Type != model.EndpointGatewayLoadBalancer || e.AddressType().HasIPv6() || !r.Destination.CIDR.Addr().Is6() {
							continue
						}
						c.Report(r.Source, e.ID,
							"route %s in %s targets Gateway Load Balancer endpoint %s, whose IP address type is %s: AWS documents IPv6 through dualstack and ipv6 endpoints only",
							r.Destination, rt.ID, e.ID, e.AddressType())
					}
				}
			}
		},
	})
	register(&Rule{
		ID:       "endpoint-private-dns-without-vpc-dns",
		Severity: model.SeverityWarning,
		Title:    "endpoint private DNS in a VPC without DNS support or hostnames",
		Description: "Private DNS on an interface endpoint makes the service's default name (such as " +
			"sts.eu-west-1.amazonaws.com) resolve to the endpoint's addresses inside the VPC, but only when the " +
			"VPC has both DNS support and DNS hostnames on (S-72). With either off, the name keeps resolving to " +
			"the service's public addresses, so clients go out through a NAT or internet gateway, or fail " +
			"where there is none, while the endpoint sits unused. DNS hostnames is off by default for a VPC " +
			"you create.",
		Fix:       "Turn on the VPC's DNS support and DNS hostnames (dns: {support: true, hostnames: true}), or turn private DNS off and use the endpoint's own DNS names.",
		Semantics: []string{"S-72"},
		check: func(c *Context) {
			for _, v := range c.Model.VPCs {
				var off []string
				if !v.DNS.SupportEnabled() {
					off = append(off, "DNS support")
				}
				if !v.DNS.HostnamesEnabled() {
					off = append(off, "DNS hostnames")
				}
				if len(off) == 0 {
					continue
				}
				for _, e := range v.Endpoints {
					if e.Type != model.EndpointInterface || !e.PrivateDNS {
						continue
					}
					c.Report(e.Source.Field("private_dns"), e.ID,
						"interface endpoint %s has private DNS on, but %s has %s off: the name of %s does not resolve to the endpoint there",
						e.ID, v.ID, strings.Join(off, " and "), e.Service)
				}
			}
		},
	})
}

// zoneName names a subnet's zone, with its zone id when known.
func zoneName(sn *model.Subnet) string {
	if sn.AZID != "" {
		return sn.AZ + " (" + sn.AZID + ")"
	}
	return sn.AZ
}
