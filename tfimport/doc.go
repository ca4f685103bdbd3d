// Package tfimport reads Terraform's own JSON, a plan (`terraform show
// -json PLANFILE`) or a state (`terraform show -json` after apply), into
// models, so that every analysis runs on the network a Terraform change
// proposes, and on the network before it.
//
// A plan's planned values are the proposed network (Import.Planned); its
// prior state is the network before the change (Import.Prior). A state's
// resources are Import.Planned.
//
// Resources are named by their Terraform address (aws_instance.app,
// module.net.aws_subnet.private["a"]), whether their AWS ids are known or
// not, so that the two sides of a plan name a resource alike;
// Import.Aliases maps the AWS ids the file knows to addresses.
package tfimport
