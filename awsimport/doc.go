// Package awsimport reads an AWS snapshot, the JSON that the AWS CLI
// prints for describe-* calls, into a model, so that every analysis runs
// on a real AWS estate. Export writes a model back as such a snapshot, for
// fixtures and benchmarks.
//
// # Layouts
//
// A snapshot is a directory of .json files, recognised by their top-level
// key (Vpcs, Subnets, RouteTables, ...), not by their names, in any of
// these layouts, which may be mixed:
//
//	DIR/*.json                            one account and region
//	DIR/REGION/*.json                     one directory per region
//	DIR/accounts/ACCOUNT/REGION/*.json    per account and region (scripts/collect-aws.sh)
//	DIR/accounts/ACCOUNT/global/*.json    Route 53
//
// A Batfish snapshot folder (with aws_configs/) is read from aws_configs/.
// The region of a file is its directory's; a directory that names none
// takes the region its data shows (availability zones, ARNs), else
// DefaultRegion. The account of a resource is its OwnerId, else its
// accounts/ACCOUNT directory. Several accounts and regions merge into one
// model; a resource listed in several files (a peering seen from both
// accounts, a shared transit gateway) is one resource.
//
// Besides the plain outputs, five kinds of output come wrapped with the id
// of their parent, as AWS does not name it: TransitGatewayStaticRoutes
// (search-transit-gateway-routes, with TransitGatewayRouteTableId),
// TransitGatewayPropagations (get-transit-gateway-route-table-propagations),
// LoadBalancerListeners and LoadBalancerAttributes (with LoadBalancerArn),
// LoadBalancerTargetHealth (with TargetGroupArn); and likewise
// TargetGroupAttributes, VpcAttributes (describe-vpc-attribute),
// ManagedPrefixListEntries, VpcEndpointServicePermissions,
// HostedZoneDetails (get-hosted-zone) and HostedZoneRecordSets. A single
// file written by np-guard's cloud-resource-collector ({"provider": "aws",
// "vpcs": [...], "subnets": [...], "instances": [...], "security_groups":
// [...], "network_acls": [...], "internet_gateways": [...]}) is read too.
// Files with other keys are reported as skipped (a note), not fatal; but a
// snapshot, or a file, from which nothing is imported (only unrelated
// JSON, empty or null lists, a list of numbers, resources all skipped) is
// an error wrapping ErrNothingImported, as an empty directory is.
//
// # Strict JSON
//
// Every file is checked whole, the values vpcreach skips included: it must
// be JSON as encoding/json accepts it (a byte order mark may lead), with
// strings in UTF-8 and no key given twice in an object vpcreach reads.
// Anything else (a bracket that does not match, a bare word, a trailing
// comma, text after the top-level value, an unterminated string, a bad
// escape, a leading zero, invalid UTF-8, a key given twice) is one error
// at the byte at fault (file:line:column, and the path of the value it is
// in), wrapping model.ErrSyntax, model.ErrType (a value of the wrong
// type) or model.ErrDuplicateID (a key given twice). Nothing of such a
// file is imported, and nothing is built on the rest of the snapshot, so
// that no follow-on diagnostic hides the cause.
//
// # What AWS means, and how it maps
//
// VPCs keep their associated IPv4 and IPv6 blocks (CidrBlockAssociationSet,
// Ipv6CidrBlockAssociationSet: Amazon-provided, BYOIP or IPAM; blocks of
// another state are left out). An IPv6 block of private space
// (Ipv6AddressAttribute private, or IpSource none) is listed in
// private_ipv6_cidr_blocks, unless it is unique local (fc00::/7), which is
// private unlisted; a unique local block said to be public is warned of
// and taken as private (V-01). Ipv6AddressAttribute and IpSource values
// AWS never writes are errors. The exporter writes a private block with
// Ipv6AddressAttribute private and IpSource none.
// Subnets keep their associated IPv6 block; Ipv6Native marks an IPv6-only
// subnet, which has no CidrBlock; EnableDns64 becomes enable_dns64 (V-17). Egress-only internet gateways
// (EgressOnlyInternetGateways, describe-egress-only-internet-gateways)
// attach to the VPCs of their attached Attachments. Route tables: the Main association marks the main table, a
// SubnetId association the subnet's table; an edge association (GatewayId)
// is not modelled (a warning). Routes: local routes, routes propagated
// from a virtual private gateway (Origin EnableVgwRoutePropagation; the
// table's PropagatingVgws become its propagations) and a gateway
// endpoint's prefix-list routes are the model's own and are not written;
// destinations from DestinationCidrBlock, DestinationIpv6CidrBlock or
// DestinationPrefixListId; targets come from GatewayId (internet or
// virtual private gateway, gateway endpoint), EgressOnlyInternetGatewayId,
// NatGatewayId, VpcPeeringConnectionId, TransitGatewayId,
// NetworkInterfaceId or InstanceId; State blackhole stays a blackhole. A
// NAT64 route (an IPv6 destination inside 64:ff9b::/96 to a NAT gateway,
// V-16) is kept; another IPv6 route to a NAT gateway is kept as a
// blackhole with a warning: a NAT gateway translates no other IPv6.
//
// Network ACL entries: Protocol is a number in a string ("-1" all, "6",
// "17", "1", "58" icmpv6); CidrBlock or Ipv6CidrBlock is the block;
// PortRange and IcmpTypeCode (-1: any) map to ports and ICMP type and code
// (AWS ignores the type and code of an icmpv6 rule of an IPv4 block); rules
// 32767 and 32768, the final denies of IPv4 and IPv6, are left to the
// model; IsDefault marks the default ACL. Security groups: IpProtocol "-1" carries no
// ports; for ICMP, FromPort is the type and ToPort the code (-1: any);
// IpRanges, Ipv6Ranges, PrefixListIds and UserIdGroupPairs are the peers
// (one rule per distinct description); egress rules are listed by AWS, so
// none listed means none (exactly the default allow-all rule to 0.0.0.0/0
// is left unwritten, as the format means it, in a VPC without IPv6).
// Prefix lists keep their entries of either family (a list is of one). GroupName "default" marks the default group.
//
// # Values AWS never writes
//
// AWS writes only valid values, so a snapshot with another one was edited
// by hand or damaged. Such a value is never mapped to the nearest valid
// one, which may match more traffic than meant (tcp FromPort -5 is not
// "every port", 10.0.0.1/16 is not 10.0.0.0/16): it is an error at the
// value's own line and column, wrapping model.ErrInvalidValue (or
// model.ErrMissingField), and the import fails with it. Where AWS itself
// ignores a value, the rule is as AWS applies it, with a warning. AWS
// writes each address family under its own key: an IPv6 block in an IPv4
// field (CidrIp, CidrBlock, DestinationCidrBlock) or the reverse is such a
// value, an error.
//
//	field                                AWS writes                             otherwise
//	------------------------------------ -------------------------------------- ------------------------------
//	SecurityGroups IpProtocol            tcp, udp, icmp, icmpv6, -1, 1..254     error
//	  FromPort, ToPort (tcp, udp)        both, 0..65535, FromPort <= ToPort     error (-1 too: it means all
//	                                                                            only for protocol -1)
//	  FromPort, ToPort (icmp, icmpv6)    type and code, -1 (any) .. 255; with   error
//	                                     type -1, code -1
//	  FromPort, ToPort (-1, others)      absent or -1                           warning: ignored, as by AWS
//	                                                                            (every port matches)
//	  IpRanges[].CidrIp                  an IPv4 block, host bits zero          error (an IPv6 one too)
//	  Ipv6Ranges[].CidrIpv6              an IPv6 block, host bits zero          error (an IPv4 one too)
//	NetworkAcls Entries[].RuleNumber     1..32766; 32767 = the final deny-all   error (32767 other than deny
//	                                     of IPv4, 32768 of IPv6                 all from 0.0.0.0/0; 32768
//	                                                                            other than from ::/0)
//	  Protocol                           -1 or a number                         error
//	  RuleAction                         allow, deny                            error
//	  PortRange (6, 17)                  From, To 0..65535, From <= To          error (missing too)
//	  PortRange (other protocols)        absent                                 warning: ignored, as by AWS
//	  IcmpTypeCode (1; 58 of an IPv6     Type, Code -1 (any) .. 255; with       error (missing too)
//	  block)                             Type -1, Code -1
//	  IcmpTypeCode (58 of an IPv4 block) ignored by AWS                         warning: ignored, as by AWS
//	  CidrBlock                          an IPv4 block, host bits zero          error (an IPv6 one too)
//	  Ipv6CidrBlock                      an IPv6 block, host bits zero          error (an IPv4 one, or both
//	                                                                            blocks, too)
//	RouteTables Routes[]                 a destination                          error (both CIDR keys too)
//	  DestinationCidrBlock               an IPv4 block, host bits zero          error (an IPv6 one too)
//	  DestinationIpv6CidrBlock           an IPv6 block, host bits zero          error (an IPv4 one too)
//	  EgressOnlyInternetGatewayId        a target of IPv6 routes                error for an IPv4 route (V-07)
//	  NatGatewayId of an IPv6 route      NAT64: inside 64:ff9b::/96 (V-16)      warning: kept as a blackhole
//	TransitGatewayStaticRoutes           an IPv4 or IPv6 block, host bits zero  error
//	  DestinationCidrBlock
//	Vpcs CidrBlock, CidrBlockAssociation an IPv4 block, host bits zero          error (an IPv6 one too)
//	  Ipv6CidrBlockAssociationSet        IPv6 blocks, host bits zero            error (an IPv4 one, or an
//	  [].Ipv6CidrBlock                                                          associated one missing, too)
//	Subnets CidrBlock                    an IPv4 block, host bits zero; none    error (none when not
//	                                     when Ipv6Native                        Ipv6Native, one when it is)
//	  Ipv6CidrBlockAssociationSet        one associated IPv6 block; one when    error (a second one; none
//	  [].Ipv6CidrBlock                   Ipv6Native                             when Ipv6Native)
//	Ipv6Addresses[].Ipv6Address          an IPv6 address                        error (an IPv4 one too)
//	  (instances, network interfaces)
//	PrefixLists Cidrs, Entries[].Cidr    IPv4 or IPv6 blocks, host bits zero,   error
//	                                     one family (AddressFamily)
//	VpnConnections Routes[]              a block of the family of               error; the other family:
//	  DestinationCidrBlock               Options.TunnelInsideIpVersion          warning, skipped (V-35)
//	                                     (ipv4 when absent), host bits zero
//	Listeners[].Port                     1..65535 (none: Gateway LB)            error
//	TargetGroups Port                    1..65535 (none: Lambda)                error
//	TargetHealthDescriptions             1..65535                               error
//	  Target.Port
//
// Instances: the interface at device index 0 is the primary one (its id
// is the instance's eni), the others are network interfaces attached to the
// instance; every private address, IPv6 addresses (Ipv6Addresses; an
// interface of an IPv6-only subnet has no IPv4 one), the public address (auto-assigned:
// IpOwnerId amazon; else, or when describe-addresses lists it, an Elastic
// IP), the groups and SourceDestCheck come from the interfaces. Only
// running instances carry traffic: others keep their state, with a
// warning; terminated ones are left out. Interfaces of describe-network-
// interfaces that no instance, NAT gateway, endpoint or load balancer of
// the snapshot accounts for (Lambda, RDS, ...) are kept as standalone
// interfaces so that their addresses and groups count; transit gateway
// interfaces are the model's own; detached ones are left out. An address
// is held once: a second holder is left out with a warning.
//
// NAT gateways (available ones) translate to their primary address.
// Internet and virtual private gateways attach to the VPCs of their
// attachments. Peerings carry their status code (only active passes
// traffic); deleted ones are left out. Transit gateways: attachments of
// every type merge the three lists (attachments with their association,
// VPC attachments with their subnets, peering attachments); association
// and propagation are explicit when the snapshot lists them (the gateway's
// defaults stand in, with a note, when it does not); only enabled
// propagations count; both sides of a peering attachment share one AWS id,
// so the side of the gateway whose id sorts second is named ID@GATEWAY.
// Static routes and blackholes come from TransitGatewayStaticRoutes;
// propagated routes follow from the propagations. Site-to-site VPN
// connections with static routes become external networks, of the one
// family their tunnels carry (Options.TunnelInsideIpVersion, ipv4 when
// absent: tunnel_inside_ip_version; LocalIpv4NetworkCidr or
// LocalIpv6NetworkCidr when there is no static route); an ipv6 connection
// on a virtual private gateway, which AWS does not offer, is left out with
// a warning (V-35). Direct Connect is not in a snapshot.
//
// Endpoints keep their type, service, route tables or subnets, groups,
// private DNS (which shows that the VPC's DNS support and hostnames are on,
// when VpcAttributes does not say) and state; an endpoint service of the
// provider side keeps its load balancers, acceptance, allowed principals
// (the accounts of its consumers when the snapshot lacks its permissions)
// and connections. Load balancers (elbv2) keep their type, scheme, subnets
// with the node addresses their interfaces show, groups, cross-zone
// attribute and forwarding listeners; target groups their type, protocol,
// port, targets with health, and client IP preservation. Load balancers
// and target groups have no other id than their name, which becomes their
// id. Hosted zones keep their VPCs and A, CNAME and alias records.
//
// # What the snapshot cannot tell
//
// A snapshot often lacks part of the estate: a group of another account,
// a peer VPC or transit gateway of an account that was not collected,
// networks learned by BGP. The importer never turns that into a silent
// "no": each case gets a warning (wrapping ErrOutsideSnapshot) that says
// what is unknown and how it stood in for it:
//
//   - a route to a target that is not in the snapshot is kept with state
//     outside-snapshot (an active route to an absent internet or virtual
//     private gateway shows that the gateway is attached: it is taken as
//     attached, wrapping ErrInferred);
//   - a peering or transit gateway peering to a VPC or gateway outside the
//     snapshot is left out, and routes to it are outside-snapshot routes;
//   - a security group rule's peer group (UserIdGroupPairs) outside the
//     snapshot, and a group an interface lists but the snapshot lacks,
//     become groups marked outside_snapshot, with no rules; a prefix list
//     outside the snapshot is left out of the rule; a stale reference (its
//     peering deleted) likewise, wrapping ErrInactive;
//   - a transit gateway VPN or Direct Connect attachment whose networks
//     (learned by BGP) are not listed is marked outside_snapshot; private
//     zones without records are named.
//
// The engine answers paths that depend on outside-snapshot routes and
// groups with the code OUTSIDE_SNAPSHOT: unknown, not "no"; so too a
// packet that a transit gateway route table has no route for, when an
// outside_snapshot attachment propagates into that table. The warnings,
// and the sentinels they wrap, say what is missing. The marks are part of
// the YAML the import writes, so the exported topology answers the same,
// and model.Validate warns about each of them (model.ErrOutsideSnapshot).
//
// Output is deterministic: resources are sorted by id, and no map order
// reaches it. Positions name the JSON file and the line and column of the
// resource (nested routes, rules and instances included), or of the value
// checked (ports, CIDR blocks, rule numbers); columns count bytes, as Go's
// tools do. Field paths use AWS's keys, such as RouteTables[3].Routes[1].
package awsimport
