// Command vpcreach checks AWS VPC network topologies offline: it validates
// topology files, answers "can A reach B?" hop by hop, checks a topology's
// expectations, lints it, answers whole-network questions, and imports AWS
// snapshots.
//
// Usage:
//
//	vpcreach validate FILE...                check files against the format and AWS's rules
//	vpcreach reach FILE... --from A --to B   can A reach B? both paths, every blocker
//	vpcreach check FILE...                   check the topology's expectations
//	vpcreach lint FILE...                    flag risky, broken or wasteful choices
//	vpcreach who-can-reach FILE... --to X    every source that reaches X
//	vpcreach exposure FILE...                everything reachable from the internet
//	vpcreach matrix FILE... --port N         which subnets (or instances) reach which (--ports all: every port)
//	vpcreach overlaps FILE...                overlapping CIDRs and how they are connected
//	vpcreach draw FILE...                    a picture of the topology (Mermaid or Graphviz DOT)
//	vpcreach import aws DIR|FILE             an AWS snapshot as a topology file
//	vpcreach generate --vpcs N --seed S      a synthetic enterprise topology
//	vpcreach example | schema | version      an example topology, the JSON Schema, the version
//	vpcreach prices                          the embedded price table (what --prices reads)
//
// Several files are merged into one network; validate, check and lint take
// --each to read each file as its own network. 'vpcreach --help' and
// 'vpcreach COMMAND --help' print the usage, 'vpcreach --version' the
// version. Every command that prints a result takes --output text|json;
// reach also draws (--output mermaid|dot) and prices its path (--prices).
// Exit codes: 0 clean, 1 findings, 2 invalid input or usage. Errors go to
// standard error.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
