package lint

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/vpcreach/vpcreach/cost"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// Rule is a lint rule.
type Rule struct {
	// ID is the rule's stable name, such as "sg-missing-description".
	ID string
	// Severity is the severity of the rule's findings.
	Severity model.Severity
	// Title is a one-line summary.
	Title string
	// Description is one paragraph on what the rule looks for and why it
	// matters.
	Description string
	// Fix says how to make the finding go away.
	Fix string
	// Semantics lists the aws-semantics rules (S-xx) the rule relies on.
	Semantics []string
	check     func(*Context)
}

// Finding is one problem a rule found.
type Finding struct {
	Rule     string
	Severity model.Severity
	Message  string
	// Pos and Path locate the resource or rule at fault.
	Pos  model.Position
	Path string
	// Component is the id of the resource at fault.
	Component model.ID
	// AWSID is the component's id in AWS, when the model names it
	// otherwise (by a Terraform address) and knows it
	// (model.Index.AWSID).
	AWSID model.ID
}

// Context is what a rule's check sees. Rules report through it.
type Context struct {
	Model  *model.Model
	Index  *model.Index
	Solver *solver.Solver
	// Prices is the price table of the run (Options.Prices, or
	// cost.Default).
	Prices *cost.Table
	rule   *Rule
	out    *[]Finding
	// runs says which rules this run runs, so that a rule can leave to a
	// more specific one what that one reports.
	runs func(id string) bool
	// run holds what several rules of one run share, computed once.
	run *runState
}

// runState caches analyses that more than one rule of a run needs.
type runState struct {
	tgwGaps     []tgwReturnGap
	tgwGapsDone bool
}

// Report records a finding of the running rule about a resource.
func (c *Context) Report(src model.Source, component model.ID, format string, args ...any) {
	*c.out = append(*c.out, Finding{Rule: c.rule.ID, Severity: c.rule.Severity, Message: fmt.Sprintf(format, args...),
		Pos: src.Position, Path: src.Path, Component: component, AWSID: c.Index.AWSID(component)})
}

// ReportSeverity is Report with a severity other than the rule's default.
func (c *Context) ReportSeverity(sev model.Severity, src model.Source, component model.ID, format string, args ...any) {
	c.Report(src, component, format, args...)
	(*c.out)[len(*c.out)-1].Severity = sev
}

var (
	registryMu sync.Mutex
	registry   = map[string]*Rule{}
)

// register adds a rule to the registry; rule files call it from init.
func register(r *Rule) {
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[r.ID]; dup {
		panic("lint: rule " + r.ID + " registered twice")
	}
	if r.ID == "" || r.Title == "" || r.Description == "" || r.Fix == "" || r.Severity == 0 || r.check == nil {
		panic("lint: rule " + r.ID + " lacks an id, title, description, fix, severity or check")
	}
	registry[r.ID] = r
}

// Rules returns every rule, sorted by id. The rules are copies: changing
// one changes neither the registry nor what Run does.
func Rules() []*Rule {
	registryMu.Lock()
	defer registryMu.Unlock()
	out := make([]*Rule, 0, len(registry))
	for _, r := range registry {
		out = append(out, r.clone())
	}
	slices.SortFunc(out, func(a, b *Rule) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// Lookup returns a copy of the rule with an id, or nil.
func Lookup(id string) *Rule {
	registryMu.Lock()
	defer registryMu.Unlock()
	if r := registry[id]; r != nil {
		return r.clone()
	}
	return nil
}

// clone returns a copy of r that shares nothing mutable with it.
func (r *Rule) clone() *Rule {
	c := *r
	c.Semantics = slices.Clone(r.Semantics)
	return &c
}

// Options tune a run.
type Options struct {
	// Disable lists rule ids not to run.
	Disable []string
	// Only, when not empty, lists the only rule ids to run.
	Only []string
	// Ignores are the `# vpcreach:ignore` comments of the topology files
	// (ReadIgnores, ParseIgnores): each drops the findings of the rules it
	// names located in the resource it precedes. Those that have no effect
	// are reported under the rule unused-ignore.
	Ignores []Ignore
	// Prices is the price table the rules about cost quote their savings
	// from; nil means cost.Default (us-east-1 list prices).
	Prices *cost.Table
}

// Run runs every enabled rule on a validated model and returns the
// findings, sorted by file, line, column, rule and message. Rules disabled
// in a file's `lint` settings drop the findings located in that file;
// opts.Ignores drop those located in the resources they precede.
func Run(m *model.Model, opts Options) ([]Finding, error) {
	x, _ := model.NewIndex(m) // duplicate ids: Validate reports them
	return RunIndex(x, opts)
}

// RunIndex is Run on an indexed model (see solver.NewFromIndex): a model
// already validated through x is not validated again.
func RunIndex(x *model.Index, opts Options) ([]Finding, error) {
	m := x.Model()
	if err := CheckRuleIDs(append(slices.Clone(opts.Disable), opts.Only...)...); err != nil {
		return nil, err
	}
	for _, l := range m.Lint {
		for _, id := range l.Disable {
			if err := checkRuleID(id); err != nil {
				return nil, fmt.Errorf("%s: lint.disable: %w", l.Source.Position, err)
			}
		}
	}
	s, err := solver.NewFromIndex(x)
	if err != nil {
		return nil, err
	}
	prices := opts.Prices
	if prices == nil {
		prices = cost.Default()
	}
	run := &runState{}
	var out []Finding
	runs := func(id string) bool {
		return !slices.Contains(opts.Disable, id) && (len(opts.Only) == 0 || slices.Contains(opts.Only, id))
	}
	for _, r := range Rules() {
		if !runs(r.ID) {
			continue
		}
		c := &Context{Model: m, Index: x, Solver: s, Prices: prices, rule: r, out: &out, runs: runs, run: run}
		r.check(c)
	}
	// Per-file switches.
	disabled := map[string][]string{}
	for _, l := range m.Lint {
		disabled[l.Source.File] = append(disabled[l.Source.File], l.Disable...)
	}
	if len(disabled) > 0 {
		kept := out[:0]
		for _, f := range out {
			if !slices.Contains(disabled[f.Pos.File], f.Rule) {
				kept = append(kept, f)
			}
		}
		out = kept
	}
	if len(opts.Ignores) > 0 {
		judged := func(rule, file string) bool { return runs(rule) && !slices.Contains(disabled[file], rule) }
		var unused []Finding
		out, unused = applyIgnores(out, opts.Ignores, judged, runs(unusedIgnore))
		out = append(out, unused...)
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.Pos.File, b.Pos.File), cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Column, b.Pos.Column),
			cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Message, b.Message))
	})
	return slices.CompactFunc(out, func(a, b Finding) bool { return a == b }), nil
}

// CheckRuleIDs returns an error naming the first id that is no rule's,
// with the nearest rule id when one is close ("did you mean ...?"), or nil.
func CheckRuleIDs(ids ...string) error {
	for _, id := range ids {
		if err := checkRuleID(id); err != nil {
			return err
		}
	}
	return nil
}

func checkRuleID(id string) error {
	if Lookup(id) != nil {
		return nil
	}
	var ids []string
	for _, r := range Rules() {
		ids = append(ids, r.ID)
	}
	if s := model.Suggest(id, ids); s != "" {
		return fmt.Errorf("unknown lint rule %q (did you mean %q?)", id, s)
	}
	return fmt.Errorf("unknown lint rule %q (see vpcreach lint --rules)", id)
}

// String renders a finding as "file:line:col: severity: message [rule]".
func (f Finding) String() string {
	return fmt.Sprintf("%s: %s: %s [%s]", f.Pos, f.Severity, f.Message, f.Rule)
}

// joinIDs renders ids as "a, b, c".
func joinIDs[T ~string](ids []T) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = string(id)
	}
	return strings.Join(s, ", ")
}
