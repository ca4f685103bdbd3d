// Package reachtest lets Go tests assert reachability, in the spirit of
// net/http/httptest: load a topology (files, or YAML inline in the test),
// then assert what may and may not reach what. The engine is the one
// behind `vpcreach reach`: a flow is reachable when the request arrives
// and the response returns.
//
//	import (
//		"testing"
//
//		"github.com/vpcreach/vpcreach/reachtest"
//		"github.com/vpcreach/vpcreach/reachtest/require"
//		"github.com/vpcreach/vpcreach/solver"
//	)
//
//	func TestPaymentsNetwork(t *testing.T) {
//		s := reachtest.Load(t, "network/payments.yaml")
//		require.Reachable(t, s, reachtest.TCP("i-api", "i-db", 5432)) // stops the test if not
//		reachtest.Unreachable(t, s, reachtest.TCP("internet", "i-db", 5432))
//		reachtest.BlockedByCode(t, s, reachtest.TCP("i-api", "i-db", 22), solver.ENISGRulesMismatch)
//		reachtest.PassesThrough(t, s, reachtest.TCP("i-api", "internet", 443), "nat-a")
//		reachtest.ExpectationsHold(t, s) // every expectation written in the file
//	}
//
// # Loading
//
// Load (files) and LoadString (inline YAML) load, validate and compile a
// topology. On bad input they report every error with its file:line:column
// and stop the test.
//
// # Flows
//
// A flow is a solver.Query: From and To (ids, addresses, "internet", DNS
// names...), Protocol (model.Protocol), Port (uint16, for tcp and udp),
// ICMP type and code (for icmp) and the client's ephemeral port range.
// TCP, UDP and ICMP build the common ones; write a solver.Query for the
// rest (all traffic, another protocol number, a narrower ephemeral range).
//
// # Assertions
//
// The assertions follow testify's habit. The functions of this package
// are the non-fatal forms, like testify's assert: they report a test error
// (t.Errorf), return whether the assertion held, and the test goes on.
// Package reachtest/require has the fatal forms, like testify's require:
// the same names and arguments, no result, and t.FailNow after the report.
// Its package name is require; in a file that also imports testify's
// require, import it under another name (reachrequire, say).
//
//   - Reachable: the flow is reachable (with or without warnings).
//   - ReachableWithoutWarnings: reachable, and no warnings.
//   - Unreachable: the request or the response is blocked.
//   - BlockedByCode: unreachable, and a blocker has the code
//     (solver.NoRouteToDestination, solver.SubnetACLRestriction, ...).
//   - BlockedByComponent: unreachable, and the component with the id
//     blocks it.
//   - PassesThrough: the forward or return path passes the component with
//     the id (a NAT gateway, a firewall, a transit gateway...).
//   - ExpectationsHold: every expectation written in the topology holds.
//
// An invalid query (an unknown id, tcp without a port) fails every
// assertion, Unreachable included: it is a mistake in the test, not a
// "no".
//
// A failure reads in domain words, names each blocker as CODE: component,
// and shows the paths, so it is useful without rerunning the CLI:
//
//	Reach(i-web -> i-app tcp/22) = unreachable [ENI_SG_RULES_MISMATCH: i-app], want reachable
//	    forward: i-web -> sg-web -> rtb-public -> vpc-shop/default-acl -> sg-app (denied) -> i-app
//	    return:  i-app -> rtb-app -> vpc-shop/default-acl -> i-web
//
// followed by both paths hop by hop, with the rule that decided at each,
// and every blocker with where it is written, as `vpcreach reach` prints
// them.
//
// # The test's t
//
// The assertions take a TestingT, testify's assert.TestingT: *testing.T,
// *testing.B, *testing.F and testify's TestingT values all fit. When t has
// Helper (testing.TB does), every function between the test and the report
// calls it, so a failure is reported at the line of the test that made the
// assertion, not inside this package.
//
// AssertReachable, AssertUnreachable and AssertExpectations, which took
// the protocol as a word and the ICMP type in the port, still work and are
// deprecated in favour of Reachable, Unreachable and ExpectationsHold.
package reachtest
