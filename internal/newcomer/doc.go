// Package newcomer holds a test that uses vpcreach as a newcomer's project
// would: from a Go module of its own, which requires
// github.com/vpcreach/vpcreach (replaced by this repository), and only
// through the API the README documents for Go tests, reachtest and
// reachtest/require. It writes one passing and one failing test, runs go
// test on them offline (GOPROXY=off, the dependencies from the module
// cache) and checks that the failure names the newcomer's own
// _test.go file and line. It is skipped in -short mode.
package newcomer
