// Command vpcreach checks AWS VPC network topologies offline: it validates
// topology files, answers "can A reach B?" hop by hop with every blocker
// named, checks a topology's expectations and lint rules in CI, runs
// whole-network analyses, lists overlapping address spaces, and imports AWS
// snapshots.
//
// Usage:
//
//	vpcreach validate FILE...                 check files against the format and AWS's rules
//	vpcreach reach FILE... --from A --to B    can A reach B? both paths hop by hop, and every blocker
//	vpcreach check FILE...                    check the topology's expectations
//	vpcreach lint FILE...                     flag risky, broken or wasteful choices
//	vpcreach who-can-reach FILE... --to X     every source that reaches X
//	vpcreach exposure FILE...                 everything reachable from the internet
//	vpcreach matrix FILE... --port N          which subnets (or instances) reach which
//	vpcreach overlaps FILE...                 list overlapping CIDRs and how they are connected
//	vpcreach import aws DIR|FILE              read an AWS snapshot and write it as a topology file
//	vpcreach generate --vpcs N --seed S       write a synthetic enterprise topology
//	vpcreach example                          print an example topology
//	vpcreach schema                           print the JSON Schema of the format
//	vpcreach version                          print the version
//
// `vpcreach help` lists the commands, `vpcreach COMMAND -h` a command's
// flags. Every command that prints a result takes --output text|json. Exit
// codes: 0 clean, 1 findings (unreachable, a failed expectation, findings at
// or above the threshold), 2 invalid input or usage. Errors go to standard
// error.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
