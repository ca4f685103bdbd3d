package doccheck

import (
	"bytes"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/solver"
)

// repoRoot is the repository root, relative to this package.
var repoRoot = filepath.Join("..", "..")

// semanticsDoc is the project's reference of AWS behaviour, whose rule
// numbers messages, comments and tests cite.
var semanticsDoc = filepath.Join(repoRoot, "docs", "semantics.md")

var (
	// ruleCitation matches a rule number wherever it is written: S-xx, a
	// rule of the shared list, or V-xx, a rule vpcreach adds where that list
	// is silent. It takes any number of digits so that a mistyped citation
	// is caught too.
	ruleCitation = regexp.MustCompile(`\b[SV]-\d+\b`)
	// ruleHeading is the heading that opens a rule in docs/semantics.md.
	ruleHeading = regexp.MustCompile(`^### ([SV]-\d\d) \S`)
	// sharedRuleItem is the list item that opens a rule in the shared
	// aws-semantics.md.
	sharedRuleItem = regexp.MustCompile(`^- (S-\d\d) `)
	// awsDocsLink finds links to the AWS documentation.
	awsDocsLink = regexp.MustCompile(`https?://docs\.aws\.amazon\.com[^\s)>\]]*`)
	// wellFormedAWSDocsLink is the canonical form of such a link: https,
	// a page ending in .html, at most one anchor.
	wellFormedAWSDocsLink = regexp.MustCompile(`^https://docs\.aws\.amazon\.com/[A-Za-z0-9._/-]+\.html(#[A-Za-z0-9._-]+)?$`)
)

// semanticRule is one rule of docs/semantics.md.
type semanticRule struct {
	id   string
	line int    // line of its heading, 1-based
	body string // the heading and the text up to the next heading
}

// readSemanticRules parses docs/semantics.md. It fails the test if the file
// is missing, a rule number repeats or the numbers are out of order.
func readSemanticRules(t *testing.T) []semanticRule {
	t.Helper()
	data, err := os.ReadFile(semanticsDoc)
	if err != nil {
		t.Fatalf("the AWS semantics reference must be in the repository: %v", err)
	}
	var rules []semanticRule
	var cur *semanticRule
	for i, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "#") {
			cur = nil
			if m := ruleHeading.FindStringSubmatch(line); m != nil {
				rules = append(rules, semanticRule{id: m[1], line: i + 1})
				cur = &rules[len(rules)-1]
			}
		}
		if cur != nil {
			cur.body += line + "\n"
		}
	}
	if len(rules) < 30 {
		t.Fatalf("found only %d rules (### S-xx headings) in %s: has its layout changed?", len(rules), semanticsDoc)
	}
	for i := 1; i < len(rules); i++ {
		if rules[i].id <= rules[i-1].id {
			t.Errorf("%s:%d: %s follows %s: rule numbers must be unique and in ascending order", semanticsDoc, rules[i].line, rules[i].id, rules[i-1].id)
		}
	}
	return rules
}

// ruleIDs returns the numbers of rules, as a set.
func ruleIDs(rules []semanticRule) map[string]bool {
	ids := map[string]bool{}
	for _, r := range rules {
		ids[r.id] = true
	}
	return ids
}

// TestEverySemanticRuleIsTested requires each rule of docs/semantics.md to
// be named by a test: in a _test.go file, or in the "# want:" line of a test
// topology (testdata/invalid, lint fixtures), which the tests check. The
// tests of this package do not count: they check the documents, not the
// rules.
func TestEverySemanticRuleIsTested(t *testing.T) {
	rules := readSemanticRules(t)
	self, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{}
	err = filepath.WalkDir(repoRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			if abs, err := filepath.Abs(path); err == nil && abs == self {
				return filepath.SkipDir
			}
			return nil
		}
		isTest := strings.HasSuffix(path, "_test.go")
		isFixture := strings.Contains(path, "testdata") && strings.HasSuffix(path, ".yaml")
		if !isTest && !isFixture {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, line := range strings.Split(string(data), "\n") {
			if isTest || strings.HasPrefix(line, "# want:") {
				for _, r := range ruleCitation.FindAllString(line, -1) {
					named[r] = true
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules {
		if !named[r.id] {
			t.Errorf("%s has no test that names it", r.id)
		}
	}
}

// TestEveryCitedRuleExists requires every rule number cited anywhere in the
// repository (Go source and its messages, the docs, the README, test
// topologies and golden files) to be a rule of docs/semantics.md, so that a
// user who looks a number up finds it. Fuzz corpora are not citations and are
// skipped.
func TestEveryCitedRuleExists(t *testing.T) {
	ids := ruleIDs(readSemanticRules(t))
	files, citations := 0, 0
	err := filepath.WalkDir(repoRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" || (d.Name() == "fuzz" && filepath.Base(filepath.Dir(path)) == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.IndexByte(data, 0) >= 0 {
			return nil // binary
		}
		rel, _ := filepath.Rel(repoRoot, path)
		files++
		for i, line := range strings.Split(string(data), "\n") {
			for _, r := range ruleCitation.FindAllString(line, -1) {
				citations++
				if !ids[r] {
					t.Errorf("%s:%d: cites %s, which docs/semantics.md does not define", rel, i+1, r)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 || citations < 500 {
		t.Fatalf("read %d files with %d rule citations: is the walk rooted at the repository?", files, citations)
	}
}

// TestEverySemanticRuleLinksAWSDocs requires every rule of docs/semantics.md
// to link at least one page of the AWS documentation, and every such link in
// the file to be in canonical form (https, a .html page, at most one anchor).
func TestEverySemanticRuleLinksAWSDocs(t *testing.T) {
	rules := readSemanticRules(t)
	for _, r := range rules {
		if !slices.ContainsFunc(awsDocsLink.FindAllString(r.body, -1), wellFormedAWSDocsLink.MatchString) {
			t.Errorf("%s:%d: %s links no page of https://docs.aws.amazon.com", semanticsDoc, r.line, r.id)
		}
	}
	data, err := os.ReadFile(semanticsDoc)
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(data), "\n") {
		for _, link := range awsDocsLink.FindAllString(line, -1) {
			if !wellFormedAWSDocsLink.MatchString(link) {
				t.Errorf("%s:%d: %q is not a canonical AWS documentation link (https://docs.aws.amazon.com/....html#anchor)", semanticsDoc, i+1, link)
			}
		}
	}
}

// TestSemanticRulesMatchShared requires docs/semantics.md to define exactly
// the S-xx rules of the shared aws-semantics.md it is written from (V-xx
// rules are vpcreach's own additions), when that file
// is at hand: in a shared/docs directory beside the repository or beside one
// of its parent directories. A fresh clone has none, and skips.
func TestSemanticRulesMatchShared(t *testing.T) {
	shared := findShared(t)
	if shared == "" {
		t.Skip("no shared/docs/aws-semantics.md beside the repository or its parents")
	}
	data, err := os.ReadFile(shared)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		if m := sharedRuleItem.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			want[m[1]] = true
		}
	}
	if len(want) < 30 {
		t.Fatalf("found only %d rules in %s: has its layout changed?", len(want), shared)
	}
	got := ruleIDs(readSemanticRules(t))
	maps.DeleteFunc(got, func(id string, _ bool) bool { return strings.HasPrefix(id, "V-") })
	for _, id := range slices.Sorted(maps.Keys(want)) {
		if !got[id] {
			t.Errorf("%s defines %s; docs/semantics.md does not", shared, id)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(got)) {
		if !want[id] {
			t.Errorf("docs/semantics.md defines %s; %s does not", id, shared)
		}
	}
}

// findShared returns the path of shared/docs/aws-semantics.md in the parent
// of the repository or in one of its ancestors, or "" if there is none.
func findShared(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	for {
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
		p := filepath.Join(dir, "shared", "docs", "aws-semantics.md")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
}

// TestSemanticsListsEveryCode requires the result code table of
// docs/semantics.md to have a row for every code the engine reports, naming
// at least the rules the code's own description cites, and no row for a code
// that does not exist.
func TestSemanticsListsEveryCode(t *testing.T) {
	data, err := os.ReadFile(semanticsDoc)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "| `"); ok {
			if code, _, ok := strings.Cut(rest, "` |"); ok {
				rows[code] = line
			}
		}
	}
	known := map[string]bool{}
	for _, c := range solver.Codes() {
		known[c.String()] = true
		row, ok := rows[c.String()]
		if !ok {
			t.Errorf("docs/semantics.md has no result code row for %s", c)
			continue
		}
		cited := ruleCitation.FindAllString(row, -1)
		for _, r := range ruleCitation.FindAllString(c.Description(), -1) {
			if !slices.Contains(cited, r) {
				t.Errorf("the row of %s in docs/semantics.md does not name %s, which the code's description cites", c, r)
			}
		}
	}
	for code := range rows {
		if !known[code] {
			t.Errorf("docs/semantics.md lists %s, which is not a result code", code)
		}
	}
}
