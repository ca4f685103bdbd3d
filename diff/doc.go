// Package diff says what a change does to reachability: the flows it
// opens and breaks between interfaces, on every protocol and port, the
// paths it reroutes, what it exposes to the internet or hides from it, the
// expectations it breaks or fixes and the overlapping address spaces it
// connects, each with the resource change that causes it.
//
// Compare (or CompareSolvers) computes the every-port matrix of each side
// over its equivalence classes (solver.ClassPorts), refines the classes of
// both sides together (interfaces that are alike on both sides: joint
// classes, matched by id) and compares the cells of every joint class
// pair, so a flow is gained exactly when the new side's Reach verdict on
// some port passes and the old one's does not. Interfaces present on one
// side only gain or lose all their flows.
//
// A cause is found by asking Reach on both sides for a representative
// pair and port of the entry: the added, removed or modified resources
// among the blockers on the side where the flow does not pass, and the
// rules and routes on the path where it does that the other side does not
// pass alike. Resources are matched by id (a Terraform address where the
// id is unknown), or through aws_id where one side names a resource by
// its AWS id and the other by an address (the new side's names are used);
// a resource whose id changes is a removal and an addition, and the
// addition names the removed resource it repeats (RenamedFrom).
//
// Only the class pairs with an end in a VPC whose paths the change may
// alter are compared (gained, lost and changed flows, exposure): a VPC
// that holds a changed resource; both ends of a changed peering
// connection; every VPC of a transit gateway whose route tables or
// attachments changed, or that attaches a touched VPC carrying other VPCs'
// traffic (a static route of the gateway sends addresses outside that VPC
// to its attachment: an inspection or egress VPC); every VPC with an
// endpoint to a service whose load balancer is in a touched VPC (its
// Gateway Load Balancer endpoints pass the appliances there); and every VPC when a
// prefix list, endpoint service, hosted zone, external network or account
// changed. Peering is not transitive and a path enters another VPC only
// through these, so a path between two untouched VPCs is the same on both
// sides. A randomized test checks this against every pair.
//
// A change of groups that act at the ends alone moves no hop, so the
// search for changed paths asks only pairs of dual-stack ends (one family's
// answer may change) unless the network holds assumed addresses.
//
// Narrower changes narrow the comparison further. When a change only edits
// security groups, only classes holding one of them are compared: a
// group's rules decide the flows of its members alone, unless a changed
// group is a VPC's default (interfaces without groups hold it under
// another id) or is held by an appliance that forwards others' traffic (a
// route target, or a load balancer's target). When it only edits
// routes (and groups), a lookup changes only for the addresses under a
// route one side has and the other lacks, so only classes with such an
// address are compared; or, when fewer, the classes in the subnets the
// edited tables route, provided those tables carry no traffic but their
// subnets' interfaces' (no transit gateway attachment, NAT gateway,
// Gateway Load Balancer, its endpoint or routed appliance in those
// subnets). Neither holds when the rerouted range holds a NAT gateway's
// address or a Gateway Load Balancer's VPC, where paths are translated or
// inspected. The classes either test marks are closed over shared
// members, so that a class one side splits is compared on both sides.
// TestRouteEditsNarrowed, TestGroupEditsNarrowed (on networks with
// routed appliances and Gateway Load Balancers) and the TestReview tests
// check these against every pair.
//
// VPCs equal on both sides as written (every field but positions and
// aws_id, nested resources included) are skipped when resources are
// compared; a randomized test changes one value anywhere in a network and
// checks that both ways of comparing see it.
package diff
