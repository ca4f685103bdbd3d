// Package lint checks topologies for risky, broken or wasteful choices that
// are valid AWS configurations: the things a reviewer would flag before
// terraform apply. Static linters look at one resource at a time; these
// rules can also ask the reachability engine, so "port 22 exposed" means a
// real path from the internet exists (route, public address, both ACL
// directions, security group), not just an open rule. Rules read the
// solver's compiled network (which table a subnet uses, the compiled
// tables, ACLs and groups) and never compile their own, so a finding and
// `vpcreach reach` cannot disagree on what a table or filter does.
//
// Each rule has a stable id, a severity, a description and a fix hint, and
// every finding points at the file, line and column of the resource or
// rule at fault. Rules are switched off per run (Options.Disable, or
// Options.Only to run only some), per file (the topology's
// `lint: {disable: [...]}`), or per resource, by a comment on the line
// above it, `# vpcreach:ignore RULE-ID [reason]` (see Ignore; the rule
// unused-ignore reports the comments that have no effect).
package lint
