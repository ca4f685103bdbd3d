// Package reachtest lets Go tests assert reachability, in the spirit of
// net/http/httptest: load a topology (a file, or YAML inline in the test),
// then assert that flows are or are not reachable. A failing assertion
// prints the path and every blocker, as `vpcreach reach` does.
//
//	func TestPaymentsNetwork(t *testing.T) {
//		s := reachtest.Load(t, "network/payments.yaml")
//		reachtest.AssertReachable(t, s, "i-api", "i-db", "tcp", 5432)
//		reachtest.AssertUnreachable(t, s, "internet", "i-db", "tcp", 5432)
//		reachtest.AssertExpectations(t, s)
//	}
//
// The assertions take a TestingT: *testing.T, *testing.B, and testify's
// assert.TestingT and require.TestingT all fit.
package reachtest
