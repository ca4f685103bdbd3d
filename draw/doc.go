// Package draw turns a network and a reach answer into pictures: Mermaid
// flowcharts, which GitHub renders in Markdown, and Graphviz DOT, written
// by gonum's DOT encoder.
//
// Topology draws a network as AWS organises it: accounts and regions as
// clusters, each VPC a cluster holding its router, subnets (with their
// availability zone and CIDR) and the resources in them, its gateways,
// endpoints and load balancers; transit gateways and endpoint services in
// their account's region; the internet, AWS services and external
// networks outside. Peering connections, transit gateway attachments,
// endpoint connections and load balancer targets are the edges, labelled
// by id. A picture of a whole organisation is unreadable, so a network
// larger than TopologyOptions.MaxNodes is drawn as VPCs and their
// connections only, with a note, and TopologyOptions.VPCs draws one
// neighbourhood in full.
//
// Path draws a reach answer: the request's and the response's hops in
// order, the rule that decided each hop on the edge leaving it, the hops
// that block marked, and, given the path's price (package cost), what each
// hop costs per GB.
//
// Ids and names come from files anyone can write. Nodes and clusters get
// ids of their own (n0, c0); every label is quoted and escaped for its
// format (Mermaid entities, DOT string escapes, terminal escapes for
// control characters), so that no id can end its label, add a statement,
// inject markup or expand a DOT escape such as \N. The tests check every
// picture of the seed topologies against Mermaid's grammar and gonum's
// DOT parser.
package draw
