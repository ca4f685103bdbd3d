// Package sgeval evaluates AWS packet filters: network ACLs (stateless,
// numbered rules, first match wins, at every subnet boundary, S-30..S-35)
// and security groups (stateful, allow rules only, unioned across an
// interface's groups, S-20..S-23).
//
// Filters are compiled once from the model into immutable matchers that are
// safe for concurrent use; a check allocates nothing. Each check returns a
// decision and the rule that made it, so callers can explain a verdict.
//
// The semantics of a query for protocol "all" (model.ProtocolAll) is "all
// traffic": a rule matches it only if the rule is for all protocols too, and
// an ACL rule for one protocol that would decide part of that traffic makes
// the answer partial (Decision.Partial).
package sgeval
