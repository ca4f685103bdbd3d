// Package overlap finds overlapping address spaces in a model and
// classifies each overlap by how the two sides are connected, which decides
// whether it matters. It needs only the model: no compiled tables.
//
// An address space is a VPC (all its CIDR blocks) or an external network
// (an on-premises network behind a VPN or Direct Connect). AWS's rules
// behind the classes, most serious first:
//
//   - Peered: AWS refuses to peer VPCs whose CIDR blocks overlap (any block
//     of one with any block of the other); the request fails (S-41). A
//     peering of such a pair that is live (active or being set up) is an
//     error.
//   - TGWRouteTable: both sides propagate into one transit gateway route
//     table, whose routes to them are ambiguous (S-55): part of the traffic
//     goes to the wrong side.
//   - Routed: some router has routes to both. A VPC's route tables see its
//     own VPC, its peers and the networks behind its virtual private gateway
//     across one link, never two (no transitive peering, S-42), and, through
//     a transit gateway attachment, every space of that gateway network
//     (S-53); transit gateway peerings join gateway networks. Such a router
//     cannot tell the two sides apart.
//   - PrivateLink: the only link is an interface endpoint to an endpoint
//     service in the other VPC. The provider sees the load balancer's
//     address as the source, never the consumer's, so the overlap is
//     harmless (S-74).
//   - Unconnected: nothing joins them today; worth knowing before
//     connecting them.
//
// Find reports every overlapping pair, sorted and deterministic, with
// where each block is written, the components that connect them and a
// one-sentence message; Class.Severity ranks the classes for the linter
// and the CLI (`vpcreach overlaps`, lint rule connected-overlapping-cidrs).
// Overlaps within one VPC are validation errors (model.Validate), not
// reported here.
package overlap
