// Package doccheck holds tests that keep vpcreach's documentation and
// public surface honest: every exported identifier of the public packages
// has a doc comment, and no public package exports a variable (other than
// a sentinel error) that could change an answer; docs/semantics.md, the
// reference of the AWS rules (S-xx) that messages, comments and tests
// cite, defines every rule cited anywhere in the repository, links each
// rule to the AWS documentation, lists every result code, and has each of
// its rules named by a test. When the shared aws-semantics.md it is written
// from is at hand, the two must define the same rules. Every ```yaml
// example of the README and docs/*.md validates; its fence line says what
// it is: a whole file (```yaml), an excerpt (```yaml excerpt), keys written
// at a path (```yaml fragment=vpcs[].subnets[], or ```yaml fragment for
// top-level keys) or YAML that is not a topology (```yaml not-topology).
package doccheck
