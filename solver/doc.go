// Package solver answers questions about a whole model.
//
// So far it holds the address-space overlap analysis (Overlaps): which VPC
// CIDR blocks and external networks overlap, and how the two sides are
// connected, which decides whether the overlap matters. AWS refuses to peer
// overlapping VPCs (S-41), a transit gateway route table that receives
// overlapping propagations routes ambiguously (S-55), and PrivateLink is
// indifferent to overlaps because the provider sees the load balancer's
// address, never the consumer's (S-74).
//
// The reachability engine (Solver, Reach) arrives with the engine issue.
package solver
