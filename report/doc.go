// Package report writes findings in the formats CI systems read: SARIF
// 2.1.0 (GitHub code scanning and other static-analysis dashboards) and
// JUnit XML (test report views). `vpcreach lint` and `vpcreach check` use
// it; so can any Go program that produces lint findings or expectation
// outcomes.
//
// A Report holds the rules, the items (LintItems and CheckItems build them
// from lint findings and expectation outcomes) and the run's threshold,
// FailOn. One function, Fails, decides which items fail the run: the
// command's exit code (Report.Failed) and the JUnit failures agree, and
// items below the threshold are JUnit skipped cases, not failures.
//
// SARIF results follow what GitHub code scanning reads: rules carry
// properties.tags and properties.security-severity (a score from 0.1 to
// 10.0: critical from 9.0, high from 7.0, medium from 4.0, else low) when
// they are about exposure; file URIs are relative to the repository root
// (uriBaseId %SRCROOT%, described in originalUriBaseIds), so that results
// map to the files of a pull request; a failed expectation carries its
// blocking codes, its blockers as related locations and its path, hop by
// hop, as a code flow with one thread flow for the request and one for the
// response.
package report
