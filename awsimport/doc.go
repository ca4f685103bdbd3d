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
// Files with other keys are reported as skipped (a note), not fatal.
//
// # What AWS means, and how it maps
//
// VPCs keep their associated IPv4 blocks (disassociated ones and IPv6 are
// left out). Route tables: the Main association marks the main table, a
// SubnetId association the subnet's table; an edge association (GatewayId)
// is not modelled (a warning). Routes: local routes, routes propagated
// from a virtual private gateway (Origin EnableVgwRoutePropagation; the
// table's PropagatingVgws become its propagations) and a gateway
// endpoint's prefix-list routes are the model's own and are not written;
// targets come from GatewayId (internet or virtual private gateway,
// gateway endpoint), NatGatewayId, VpcPeeringConnectionId,
// TransitGatewayId, NetworkInterfaceId or InstanceId; State blackhole
// stays a blackhole; IPv6 destinations are counted and left out.
//
// Network ACL entries: Protocol is a number in a string ("-1" all, "6",
// "17", "1"); PortRange and IcmpTypeCode (-1: any) map to ports and ICMP
// type and code; rule 32767, the final deny, is left to the model; IsDefault
// marks the default ACL. Security groups: IpProtocol "-1" carries no
// ports; for ICMP, FromPort is the type and ToPort the code (-1: any);
// IpRanges, PrefixListIds and UserIdGroupPairs are the peers (one rule per
// distinct description); egress rules are listed by AWS, so none listed
// means none (exactly the default allow-all rule is left unwritten, as the
// format means it). GroupName "default" marks the default group.
//
// Instances: the interface at device index 0 is the primary one (its id
// is the instance's eni), the others are network interfaces attached to the
// instance; every private address, the public address (auto-assigned:
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
// connections with static routes become external networks.
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
// resource (nested routes, rules and instances included); field paths use
// AWS's keys, such as RouteTables[3].Routes[1].
package awsimport
