// Package model holds vpcreach's description of an AWS network: accounts,
// VPCs with their subnets, route tables, network ACLs, security groups,
// gateways, endpoints, instances, interfaces, load balancers and target
// groups, and, across VPCs, peering connections, transit gateways, prefix
// lists, endpoint services, Route 53 hosted zones, external networks and
// expectations. It is plain data: solver.New compiles it for questions.
//
// Models come from YAML topology files (Parse, LoadFiles, LoadBytes; the
// format is documented in docs/format.md and as a JSON Schema by
// JSONSchema), from AWS CLI snapshots (package awsimport), or from Go code.
// Decoding is strict and every problem is a Diagnostic with its file, line,
// column and field path; Validate checks AWS's addressing and reference
// rules (aws-semantics S-01..S-55) and reports every error at once. Input
// is bounded: a file above the size or YAML node limits of LoadOptions is
// one error, not a long wait. Encode writes a model back as YAML.
//
// A few methods state AWS's association rules, once, for every package to
// use: which route table a subnet uses (VPC.RouteTableOf, S-10), which
// network ACL (VPC.NetworkACLOf, S-30), and which transit gateway route
// tables an attachment is associated with and propagates into
// (TransitGateway.AssociationOf and PropagationsOf, S-52).
package model
