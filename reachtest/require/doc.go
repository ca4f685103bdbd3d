// Package require holds the fatal forms of the reachtest assertions, as
// testify's require holds those of assert: the same names and arguments,
// no result, and a failure stops the test (t.FailNow) after reporting the
// same message.
//
//	func TestPaymentsNetwork(t *testing.T) {
//		s := reachtest.Load(t, "network/payments.yaml")
//		require.Reachable(t, s, reachtest.TCP("i-api", "i-db", 5432)) // stops here if not
//		reachtest.BlockedByCode(t, s, reachtest.TCP("internet", "i-db", 5432), solver.NoPublicAddress)
//	}
//
// In a file that also imports testify's require, import this one under
// another name:
//
//	import reachrequire "github.com/vpcreach/vpcreach/reachtest/require"
package require
