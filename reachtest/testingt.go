package reachtest

// TestingT is what the assertions need of a test: testify's
// assert.TestingT. *testing.T, *testing.B, *testing.F, testify's
// assert.TestingT and require.TestingT, and *assert.CollectT all fit.
//
// Two more methods are used when t has them, as testify does:
//   - Helper (testing.TB has it): every function between the caller's test
//     and the report calls it first, so a failure names the line of the
//     caller's _test.go, not a line of this package;
//   - FailNow: Load and LoadString stop the test on bad input.
//
// The fatal assertions of package require take require.TestingT, which
// adds FailNow.
type TestingT interface {
	Errorf(format string, args ...any)
}

// tHelper is the optional Helper method of TestingT.
type tHelper interface{ Helper() }

// tFailNow is the optional FailNow method of TestingT.
type tFailNow interface{ FailNow() }

// report fails the test with msg unless msg is empty, and says whether it
// was. Like every function on the way to t.Errorf, it calls t.Helper
// itself: Helper marks its direct caller only.
func report(t TestingT, msg string) bool {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	if msg == "" {
		return true
	}
	t.Errorf("%s", msg)
	return false
}
