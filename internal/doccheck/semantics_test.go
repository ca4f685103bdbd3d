package doccheck

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var ruleRef = regexp.MustCompile(`S-\d\d`)

// TestEverySemanticRuleIsTested requires each rule of
// shared/docs/aws-semantics.md to be named by a test: in a _test.go file,
// or in the "# want:" line of a test topology (testdata/invalid, lint
// fixtures), which the tests check.
func TestEverySemanticRuleIsTested(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "docs", "aws-semantics.md"))
	if os.IsNotExist(err) {
		t.Skip("shared/docs/aws-semantics.md is not beside the repository")
	}
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{}
	root := filepath.Join("..", "..")
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
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
				for _, r := range ruleRef.FindAllString(line, -1) {
					named[r] = true
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var rules []string
	for _, line := range strings.Split(string(doc), "\n") {
		if r := ruleRef.FindString(line); r != "" && strings.HasPrefix(strings.TrimSpace(line), "- "+r) {
			rules = append(rules, r)
		}
	}
	if len(rules) < 30 {
		t.Fatalf("found only %d rules in aws-semantics.md: has its layout changed?", len(rules))
	}
	for _, r := range slices.Compact(rules) {
		if !named[r] {
			t.Errorf("%s has no test that names it", r)
		}
	}
}
