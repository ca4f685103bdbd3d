// Package tfimport reads Terraform's own JSON, a plan (`terraform show
// -json PLANFILE`) or a state (`terraform show -json` after apply), into
// models, so that every analysis runs on the network a Terraform change
// proposes, and on the network before it.
//
// # Plans and states
//
// A plan's planned values are the proposed network (Import.Planned); its
// prior state, when it has one, is the network before the change
// (Import.Prior), so that the two can be compared. A state's resources are
// Import.Planned. The file is recognised by its content (Sniff): a JSON
// object with format_version and the keys of a plan or a state. The JSON
// output format's compatibility promise is honoured: properties this
// package does not know are ignored, and a format_version whose major
// version is not 0 or 1 is refused.
//
// # Names
//
// Resources are named by their Terraform address (aws_instance.app,
// module.net.aws_subnet.private["a"], aws_subnet.private[0]), whether
// their AWS ids are known or not, so that both sides of a plan name a
// resource alike. A resource whose AWS id the file knows (a state's, a
// plan's existing resources) keeps it in its aws_id (model's AWSID), which
// output shows beside the address and queries may use. Import.Aliases maps
// the AWS ids the file knows to addresses; Import.Resolve and RewriteRefs
// turn ids used in queries and in other files into addresses. Things AWS creates without a Terraform
// resource are named after their owner: a VPC's main route table
// (ADDRESS.main_route_table) and default security group
// (ADDRESS.default_security_group) when the file refers to them, a
// transit gateway's default route table (ADDRESS.default_route_table), the
// peer side of a transit gateway peering attachment (ADDRESS@PEER).
//
// # Values unknown until apply
//
// A plan leaves out what only apply tells (after_unknown). A reference
// whose id is unknown is followed through the configuration's expression
// references (vpc_id = aws_vpc.main.id), in the module instance of the
// referring resource; among the instances of a resource with count or
// for_each, the one with the referrer's own key is taken for count.index,
// each.key and each.value (through the for_each expression), and a
// constant index says which. A module output is followed into its module.
// An attribute unknown until apply that the configuration has no
// expression for is one the provider computes, not one the configuration
// sets (older AWS providers compute every target attribute of a route,
// and an Elastic IP's instance): it is not read as set.
// A reference through a local or a variable cannot be followed in the JSON
// output: when the module instance holds one resource of the expected type,
// it is taken, with a warning (ErrUnresolved); a reference that matches
// several instances, or none, is a warning and the resource is left out.
// Addresses unknown until apply (an instance's or interface's private
// address, a NAT gateway's, an interface endpoint's, a load balancer's
// nodes) are assumed: the lowest free address of the subnet past the four
// AWS reserves, never one the file holds, in file order; public addresses
// come from 198.18.0.0/15. Each assumption is a warning (ErrAssumed), and
// the resource lists the address in its assumed_ips, so that an answer
// that depends on it says so (solver's ASSUMED_ADDRESS).
//
// # What AWS means, and how it maps
//
// Terraform removes the allow-all egress rule AWS gives a new security
// group, so a group has exactly the egress rules the file gives it (inline,
// aws_security_group_rule, aws_vpc_security_group_egress_rule); the same
// rule written twice (a state lists separate rules inline too) is one
// rule. aws_default_security_group, aws_default_network_acl and
// aws_default_route_table replace the VPC's defaults with what they hold;
// aws_main_route_table_association makes its table the main one. A peering
// is active when accepted in the file (auto_accept, or an accepter
// resource) or when its accept_status says so; else it is
// pending-acceptance, with a warning. Transit gateway attachments
// propagate into the explicit tables and, when both their and the
// gateway's default propagation are on, into the gateway's default table.
// The region of a resource is its own region argument (AWS provider 6),
// else a constant region in its provider block (inherited by modules), else
// its ARN or its subnets' zones, else DefaultRegion with a warning; the
// account is owner_id or the ARN's, else the provider block's only
// allowed_account_ids or its assume_role's role ARN. An
// aws_vpc_ipv6_cidr_block_association whose computed ipv6_address_attribute
// is private, or ip_source none (known once applied), adds a private IPv6
// block (private_ipv6_cidr_blocks, V-01); aws_vpc exposes no such
// attribute for its own IPv6 block, which is taken as public unless it is
// unique local (fc00::/7), private whatever it says.
//
// # Why a decoder of its own
//
// hashicorp/terraform-json is not a dependency of this module; it decodes
// values into map[string]any (so every attribute stays untyped), leaves
// after_unknown untyped, and keeps no positions, which every diagnostic
// needs. The file is read once into a small positioned value tree (a
// strict scanner of its own; every value keeps its byte offset, turned into
// line and column only when a diagnostic is written), and the importer
// walks it for the resource types it knows, ignoring the rest.
//
// Output is deterministic: resources are sorted by address and no map
// order reaches the model. Diagnostics point at file:line:column of the
// value (or the resource) in the JSON and carry the resource address and
// attribute as their path.
package tfimport
