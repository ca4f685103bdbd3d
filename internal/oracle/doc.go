// Package oracle is a slow, obvious reference for vpcreach's answers,
// written straight from the rules of aws-semantics.md, for tests that
// check the engine (solver, routing, sgeval) on random cases. It shares no
// code with the engine beyond the model types; nothing here is fast or
// clever, and nothing outside tests may use it.
//
// ACL and SG decide one network ACL or security group check by scanning
// the rules. Network.Reach answers a whole query the way the engine's
// Reach does: the request walks from its source, hop by hop (route lookups
// scan every route of a table for the longest prefix, S-12; transit
// gateway tables order equal prefixes static, prefix list, propagated,
// S-52), through peering connections, transit gateways, NAT and internet
// gateways, gateway endpoints and appliances, checking security groups and
// network ACLs on the way; then the response walks back (S-23, S-33,
// S-43). IPv6 follows V-01..V-14 (docs/semantics.md): a query is answered
// in each family both ends have and the protocol allows, an IPv6 packet
// leaves by an internet or egress-only gateway untranslated and from the
// VPC's own addresses, comes in from the internet by the local route to
// the VPC whose block holds its destination (through its internet
// gateway, or the egress-only one the request left by), and CIDR rules
// match their own family only. The answer is the verdict and the codes of
// every blocker and warning, spelled as the engine spells them, with one
// answer per family when both were asked. Where the rules leave the
// reporting open, the oracle follows the engine's documented conventions:
// after a filter or a state blocks the walk goes on, after routing fails
// it stops; a response an ACL passes on part of the client's ports is a
// warning; "all traffic" needs rules for all protocols.
//
// NAT64 and DNS64 follow V-16 and V-17: a destination in 64:ff9b::/96 is
// the IPv4 end it embeds; a NAT gateway translates tcp, udp and the
// ICMPv6 echo (to the ICMP one) from its own private address and routes
// the IPv4 packet on from its subnet (whose network ACL sees IPv6 in and
// IPv4 out, while the server's groups see the gateway's address), and
// translates the response back; the internet does not route the prefix.
// A destination name resolves through the private hosted zones of the
// source's VPC (S-90), per family of its answers (V-15), with AAAA
// answers synthesised under the prefix for a name of A records only when
// the source's subnet has DNS64 on. A gateway endpoint's IP address type
// picks the families of its service's lists it routes (V-30); Gateway
// Load Balancer endpoints carry both families whatever their type.
//
// Generate makes small random models, valid by construction (IPv4 ones;
// GenerateDualStack adds IPv6, GenerateWithInspection Gateway Load
// Balancer appliances at the internet edge, over IPv6 too;
// GenerateInspectionVPC makes an inspection VPC behind a transit gateway,
// V-26; GenerateNAT64 NAT64 routes, DNS64 and a private hosted zone;
// GenerateIPv6Services IPv6 on gateway endpoints and on a dualstack
// Gateway Load Balancer's endpoints; the tests use all six), and Queries
// random questions about them; the tests of this package compare the
// engine with the oracle on them (see engine_test.go), and keep a short
// list of known disagreements where the rules say the engine is wrong
// (known_test.go), each with a minimal model in testdata/known.
//
// The walker models VPCs (dual-stack too), subnets (IPv6-only too), route
// tables, network ACLs, security groups, instances, network interfaces,
// NAT, internet and egress-only internet gateways, gateway endpoints,
// peering connections, NAT64, private hosted zones of A and AAAA records
// of one value, transit gateways with VPC attachments (entered in
// the zone the packet comes from; with appliance mode, a response where
// its request entered, V-26) and prefix lists, and Gateway Load Balancers
// (V-20..V-26: endpoints as route
// targets, gateway route tables at internet gateways, geneve target groups
// of instances, GENEVE checks, stated drops, both directions through one
// appliance); New refuses models that use more (other load balancers,
// interface endpoints, endpoint services with acceptance or allow lists,
// other DNS records and public zones, VPN and Direct Connect, transit
// gateway peering).
package oracle
