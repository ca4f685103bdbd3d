package lint

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/vpcreach/vpcreach/model"
)

// Ignore is one suppression comment of a topology file, in the manner of
// tflint-ignore:
//
//	# vpcreach:ignore RULE-ID[,RULE-ID...] [reason]
//
// on the line above a resource (more comment lines may stand between them,
// a blank line may not), or at the end of the resource's first line. It
// drops the findings of the rules it names that are located in that
// resource: a finding whose file, line and column point at the resource or
// at anything written inside it.
//
// The resource is the YAML node that begins first on the line the comment
// applies to (the next line, or its own line for a comment at the end of a
// line): a list item, with everything nested under it (`- id: sg-web`, or
// `- {protocol: tcp, ...}`), or else a key with its whole value
// (`ingress:` and every rule under it, `cidr_block: ...`). When a list item
// and its first key begin together, the item wins. The document's top
// mapping is no resource: to switch a rule off for a whole file, use the
// file's `lint: {disable: [...]}`.
//
// Run reports, under the rule unused-ignore, a comment that names no rule
// or an unknown rule, that is followed by no resource, or that names a rule
// which ran and found nothing there to drop: a stale ignore surfaces
// instead of hiding the next real finding.
type Ignore struct {
	// Pos is where the comment is: its file, line and the column of "#".
	Pos model.Position
	// Rules are the rule ids the comment names, as written.
	Rules []string
	// Reason is the text after the ids, if any.
	Reason string
	// Start and End are the first and last lines of the resource the
	// comment covers; both are zero when it covers none.
	Start, End int
	// covered holds the line and column of every YAML node of the
	// resource; nodes those of every node of the file.
	covered map[lineCol]bool
	nodes   map[lineCol]bool
}

type lineCol struct{ line, col int }

// ignoreDirective matches the comment text that makes an Ignore.
var ignoreDirective = regexp.MustCompile(`^#\s*vpcreach:ignore(?:\s+(.*))?$`)

// ParseIgnores returns the `# vpcreach:ignore` comments of a topology file,
// in file order. name is the file's name as the model's positions give it
// (the name given to model.ReadFiles or model.LoadBytes). A file that
// holds no such comment gives none (and is not parsed again); one that
// does and is not YAML is an error.
func ParseIgnores(name string, data []byte) ([]Ignore, error) {
	if !bytes.Contains(data, []byte("vpcreach:ignore")) {
		return nil, nil // most files: no need to parse them again
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	// The comments that yaml.v3 read, so that a "#" inside a quoted or
	// block string is not taken for one.
	comments := map[string]bool{}
	nodes := map[lineCol]bool{}
	walkYAML(&doc, func(n *yaml.Node) {
		nodes[lineCol{n.Line, n.Column}] = true
		for _, c := range []string{n.HeadComment, n.LineComment, n.FootComment} {
			for _, l := range strings.Split(c, "\n") {
				if l = strings.TrimSpace(l); l != "" {
					comments[l] = true
				}
			}
		}
	})
	lines := strings.Split(string(data), "\n")
	var out []Ignore
	for i, line := range lines {
		line = strings.TrimSuffix(line, "\r")
		j, text := commentOf(line, comments)
		if j < 0 {
			continue
		}
		m := ignoreDirective.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		ig := Ignore{Pos: model.Position{File: name, Line: i + 1, Column: utf8.RuneCountInString(line[:j]) + 1}, nodes: nodes}
		ids, reason, _ := strings.Cut(strings.TrimSpace(m[1]), " ")
		for _, id := range strings.Split(ids, ",") {
			if id = strings.TrimSpace(id); id != "" {
				ig.Rules = append(ig.Rules, id)
			}
		}
		ig.Reason = strings.TrimSpace(reason)
		target := i + 1 // the line the comment applies to, 1-based
		if strings.TrimSpace(line[:j]) == "" {
			target = nextContentLine(lines, i+1)
		}
		if target > 0 {
			ig.cover(&doc, target)
		}
		out = append(out, ig)
	}
	return out, nil
}

// ReadIgnores reads the `# vpcreach:ignore` comments of topology files (see
// ParseIgnores), naming each file as given.
func ReadIgnores(files ...string) ([]Ignore, error) {
	var out []Ignore
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		igs, err := ParseIgnores(f, data)
		if err != nil {
			return nil, err
		}
		out = append(out, igs...)
	}
	return out, nil
}

// commentOf returns the byte offset of the comment of a line and its text,
// or -1: the first "#" at the start of the line or after a blank whose rest
// of the line is a comment yaml.v3 read.
func commentOf(line string, comments map[string]bool) (int, string) {
	for j := 0; j < len(line); j++ {
		if line[j] != '#' || (j > 0 && line[j-1] != ' ' && line[j-1] != '\t') {
			continue
		}
		if text := strings.TrimSpace(line[j:]); comments[text] {
			return j, text
		}
	}
	return -1, ""
}

// nextContentLine returns the 1-based number of the first line from index
// i on that holds YAML, skipping comment lines, or 0 when a blank line or
// the end of the file comes first.
func nextContentLine(lines []string, i int) int {
	for ; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		switch {
		case t == "":
			return 0
		case strings.HasPrefix(t, "#"):
			continue
		}
		return i + 1
	}
	return 0
}

// cover records the resource that begins first on line: a list item
// (mapping or scalar) or a mapping key with its value; an item wins a tie
// with its own first key.
func (ig *Ignore) cover(doc *yaml.Node, line int) {
	var best []*yaml.Node
	bestCol, bestItem := 0, false
	consider := func(col int, item bool, nodes ...*yaml.Node) {
		if best == nil || col < bestCol || (col == bestCol && item && !bestItem) {
			best, bestCol, bestItem = nodes, col, item
		}
	}
	walkYAML(doc, func(n *yaml.Node) {
		switch n.Kind {
		case yaml.SequenceNode:
			for _, c := range n.Content {
				if c.Line == line && c.Kind != yaml.SequenceNode {
					consider(c.Column, true, c)
				}
			}
		case yaml.MappingNode:
			for k := 0; k+1 < len(n.Content); k += 2 {
				if key := n.Content[k]; key.Line == line {
					consider(key.Column, false, key, n.Content[k+1])
				}
			}
		}
	})
	if best == nil {
		return
	}
	ig.covered = map[lineCol]bool{}
	ig.Start, ig.End = line, line
	for _, b := range best {
		walkYAML(b, func(n *yaml.Node) {
			ig.covered[lineCol{n.Line, n.Column}] = true
			ig.End = max(ig.End, n.Line)
		})
	}
}

// Covers reports whether a position is in the resource the comment
// covers: the position of one of its YAML nodes or, for a position that
// is no node's (a column not known), a line of its span.
func (ig Ignore) Covers(p model.Position) bool {
	if ig.Start == 0 || p.File != ig.Pos.File {
		return false
	}
	at := lineCol{p.Line, p.Column}
	if ig.covered[at] {
		return true
	}
	return !ig.nodes[at] && p.Line >= ig.Start && p.Line <= ig.End
}

// walkYAML calls f on n and every node under it, aliases not followed.
func walkYAML(n *yaml.Node, f func(*yaml.Node)) {
	f(n)
	for _, c := range n.Content {
		walkYAML(c, f)
	}
}

// unusedIgnore is the rule under which Run reports the ignore comments
// that have no effect.
const unusedIgnore = "unused-ignore"

func init() {
	register(&Rule{
		ID:       unusedIgnore,
		Severity: model.SeverityWarning,
		Title:    "vpcreach:ignore comment that has no effect",
		Description: "A `# vpcreach:ignore RULE-ID [reason]` comment drops the findings of the named rules located in the resource " +
			"on the next line. One that names no rule or an unknown rule, that stands before a blank line, or whose rule ran and " +
			"found nothing in that resource, has no effect: left in place, it would hide the next real finding there, or " +
			"it shows a typo that lets the finding through. A rule that did not run (--only, --disable, lint.disable) is not judged.",
		Fix: "Remove the comment, or fix it: a known rule id (vpcreach lint --rules), on the line above the resource or at the end of its first line.",
		// Run reports this rule's findings, from Options.Ignores, once
		// every other rule has run.
		check: func(*Context) {},
	})
}

// applyIgnores drops the findings the ignores cover, and returns what is
// left and the findings of the unused ignores, when reportUnused.
// judged says whether a rule ran on the findings located in a file.
func applyIgnores(findings []Finding, ignores []Ignore, judged func(rule, file string) bool, reportUnused bool) (kept, unused []Finding) {
	used := make([]map[string]bool, len(ignores))
	for _, f := range findings {
		dropped := false
		for i, ig := range ignores {
			if slices.Contains(ig.Rules, f.Rule) && ig.Covers(f.Pos) {
				if used[i] == nil {
					used[i] = map[string]bool{}
				}
				used[i][f.Rule] = true
				dropped = true
			}
		}
		if !dropped {
			kept = append(kept, f)
		}
	}
	if !reportUnused {
		return kept, nil
	}
	r := Lookup(unusedIgnore)
	report := func(ig Ignore, format string, args ...any) {
		unused = append(unused, Finding{Rule: r.ID, Severity: r.Severity, Message: fmt.Sprintf(format, args...), Pos: ig.Pos})
	}
	for i, ig := range ignores {
		if !judged(unusedIgnore, ig.Pos.File) {
			continue
		}
		if len(ig.Rules) == 0 {
			report(ig, "vpcreach:ignore names no rule: write # vpcreach:ignore RULE-ID [reason]")
			continue
		}
		if ig.Start == 0 {
			report(ig, "vpcreach:ignore %s is followed by no resource: put it on the line above the resource (no blank line between) or at the end of its first line",
				strings.Join(ig.Rules, ","))
			continue
		}
		for _, id := range ig.Rules {
			switch {
			case checkRuleID(id) != nil:
				report(ig, "vpcreach:ignore names an %s", checkRuleID(id))
			case used[i][id] || !judged(id, ig.Pos.File):
			default:
				report(ig, "vpcreach:ignore %s drops no finding: rule %s finds nothing in the resource on line %d; remove the comment", id, id, ig.Start)
			}
		}
	}
	return kept, unused
}
