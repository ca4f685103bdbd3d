// Package solver answers reachability questions about a whole model: can
// this reach that, who can reach it, what is exposed to the internet, which
// subnets reach which.
//
// New validates a model and compiles it once into immutable tables: every
// VPC and transit gateway route table (package routing), every network ACL
// and security group (package sgeval), including the implicit ones AWS
// supplies when the model writes none, and indexes of addresses, interfaces
// and names. A Solver is then safe for concurrent use; what it builds
// lazily (equivalence classes, the public DNS index, the address
// "internet" stands for) is built once, under a sync.Once, by whichever
// caller needs it first. No package variable, and no slice a method
// returns, can change an answer after New returns.
//
// Reach follows a request and its response hop by hop, as AWS forwards
// them: the source's security group egress rules (stateful, S-20..S-23),
// the subnet's route table by longest prefix match (S-10..S-18), the
// network ACLs of every subnet boundary crossed, in both directions
// (stateless, S-30..S-35), then peering connections (not transitive,
// S-40..S-44), transit gateways (association, propagation, appliance mode,
// S-50..S-55), internet and NAT gateways (S-60, S-61), gateway and
// interface endpoints and PrivateLink (S-70..S-75), load balancers
// (S-80..S-82) and the Route 53 Resolver (S-90..S-92), to the
// destination's ingress rules. The
// answer is a Result: a verdict, both paths with the route or rule that
// decided each hop and where it is written, and every blocker, each with a
// Code: after a filter blocks, the walk goes on as if it had passed, so one
// answer names everything to fix. Unreachable is a verdict, not an error;
// errors are for invalid queries, such as an endpoint the model does not
// know (ErrInvalidQuery). Components named otherwise than by their AWS id
// (a Terraform address) carry it in the result (Hop.AWSID). When the
// model assumes an address (assumed_ips: a plan's value unknown until
// apply) and a route or rule on the path tells it apart from others its
// resource may get, Reach warns ASSUMED_ADDRESS (see assumed.go).
//
// WhoCanReach, Exposure and Matrix ask about every source or every pair.
// They group interfaces into equivalence classes (Classes) that no route or
// rule can tell apart and address space into atoms, and give the answers
// point queries would give, at a fraction of the cost. Check evaluates the
// model's expectations.
//
// Internally, one walker follows every packet, and what a walk records is
// a recorder passed in, not a mode the walker tests: explainRec keeps hops
// and messages (Reach), verdictRec keeps blockers' codes only, renders
// no text and stops at a blocked request (WhoCanReach, Exposure, Check,
// the matrix's fallbacks), and
// pathRec keeps the routing skeleton the matrix shares between pairs,
// deciding from the hops it is shown whether a path is plain, so that a
// new kind of hop makes the matrix ask Reach rather than guess. Each rule
// is decided in one function that all of them use: decideACL (S-31,
// S-33), refsKept and peerGroups (S-22), aclExempt (S-34), publicAddress.
//
// The compiled network is published read-only (SubnetRouteTable,
// SubnetACL, RouteTables, TGWRouteTables, AttachmentRouteTable,
// NetworkACL, SecurityGroup, InterfaceGroups): other packages, such as
// lint, ask which table or filter applies instead of deciding it again.
//
// Address-space overlaps need only the model and live in package overlap;
// Overlaps and its types here forward to it.
//
// IPv6: a query is answered per address family (Result.Family). When both
// ends have both families (a dual-stack instance or interface named by
// id, "internet", an external network with IPv4 and IPv6 prefixes,
// V-35), Result.Families holds the IPv4 and the IPv6 answer and
// the Result is a copy of the first that reaches (else of the IPv4 one):
// the verdict is reachable when either family reaches, which is what
// exposure checks and reachtest.Unreachable need. Exposure reports an
// interface reached at its global IPv6 address with Exposed.Family
// FamilyIPv6. The AWS rules are V-01..V-14 of docs/semantics.md.
package solver
