// Command vpcreach checks AWS VPC network topologies offline: it validates
// topology files, finds overlapping address spaces, and (as the engine
// grows) answers "can A reach B?".
//
// Usage:
//
//	vpcreach validate FILE...      check files against the format and AWS's rules
//	vpcreach overlaps FILE...      list overlapping CIDRs and how they are connected
//	vpcreach example               print an example topology
//	vpcreach schema                print the JSON Schema of the format
//	vpcreach version               print the version
//
// Every command that prints a result takes --output text|json. Exit codes:
// 0 clean, 1 findings (overlaps at warning level or above), 2 invalid input
// or usage. Errors go to standard error.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
