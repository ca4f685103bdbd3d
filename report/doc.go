// Package report writes findings in the formats CI systems read: SARIF
// 2.1.0 (GitHub code scanning and other static-analysis dashboards) and
// JUnit XML (test report views). `vpcreach lint` and `vpcreach check` use
// it; so can any Go program that produces lint findings or expectation
// outcomes.
package report
