// Package routing compiles route tables into longest-prefix-match lookups:
// VPC route tables (S-10..S-15), with their implicit local routes, prefix
// list destinations, gateway endpoint routes and propagated routes, and
// transit gateway route tables (S-50..S-55), with static, blackhole and
// propagated routes.
//
// solver.New compiles every table of a model once and publishes them
// (solver.Solver.SubnetRouteTable, RouteTables, TGWRouteTables); compile a
// table here only when there is no solver. Routes returns a copy; Lookup
// returns the table's own route, which the caller must not modify.
//
// A compiled table is immutable and safe for concurrent use, and a lookup
// allocates nothing. Ties at equal prefix length are broken as AWS breaks
// them (a CIDR route beats a prefix-list route; in a transit gateway table
// a static route beats a prefix-list reference, which beats a propagated
// one, VPC before Direct Connect before Connect before VPN); ties AWS
// leaves undefined are broken deterministically and listed by Ambiguities,
// for the linter.
package routing
