package doccheck

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/vpcreach/vpcreach/model"
)

// yamlBlock is a ```yaml code block of a markdown file.
type yamlBlock struct {
	file string
	line int // of the opening fence
	// kind is the word after "yaml" on the fence: "" (a whole topology
	// file), "excerpt" (a topology file with parts left out), "fragment"
	// (keys at the top level of a file, without version), "fragment=PATH"
	// (what is written at PATH, such as vpcs[].subnets[]) or
	// "not-topology" (YAML that is not a topology, such as a CI workflow).
	kind string
	text string
}

// yamlBlocks returns the ```yaml blocks of a markdown file.
func yamlBlocks(t *testing.T, file string) []yamlBlock {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out []yamlBlock
	lines := strings.Split(string(data), "\n")
	for i := 0; i < len(lines); i++ {
		info, ok := strings.CutPrefix(lines[i], "```yaml")
		if !ok || (info != "" && info[0] != ' ') {
			continue
		}
		b := yamlBlock{file: file, line: i + 1, kind: strings.TrimSpace(info)}
		var body []string
		for i++; i < len(lines) && !strings.HasPrefix(lines[i], "```"); i++ {
			body = append(body, lines[i])
		}
		b.text = strings.Join(body, "\n") + "\n"
		out = append(out, b)
	}
	return out
}

// nest writes a fragment at path inside a topology file, within the
// examples of its parents (examples by path, such as the VPC example for
// vpcs[]), so that it is checked in a context where its references and
// addresses can make sense. A parent without an example is written as a
// list item or mapping with the one key that leads on ("- subnets:"). It
// returns the file and the lines the fragment takes in it, [first, last].
func nest(examples map[string]string, path, fragment string) (doc string, first, last int) {
	text := strings.TrimRight(fragment, "\n") + "\n"
	first, last = 1, strings.Count(text, "\n")
	for path != "" {
		parent, key := "", path
		if i := strings.LastIndex(path, "."); i >= 0 {
			parent, key = path[:i], path[i+1:]
		}
		key = strings.TrimSuffix(key, "[]")
		if parent == "" {
			text = key + ":\n" + indent(text, 2)
			first, last = first+1, last+1
			break
		}
		ptext, item := examples[parent], strings.HasSuffix(parent, "[]")
		switch {
		case ptext == "" && item:
			ptext = "- " + key + ":\n"
		case ptext == "":
			ptext = key + ":\n"
		case item:
			ptext = strings.TrimRight(ptext, "\n") + "\n  " + key + ":\n"
		default:
			ptext = strings.TrimRight(ptext, "\n") + "\n" + key + ":\n"
		}
		n := strings.Count(ptext, "\n")
		width := 2
		if item {
			width = 4
		}
		text = ptext + indent(text, width)
		first, last = first+n, last+n
		path = parent
	}
	return "version: 1\n" + text, first + 1, last + 1
}

// indent indents every line of text.
func indent(text string, n int) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = strings.Repeat(" ", n) + l
		}
	}
	return strings.Join(lines, "\n") + "\n"
}

// checkBlock returns the problems of one example. examples holds the
// fragments of the same file by path, the context of nested fragments.
func checkBlock(b yamlBlock, examples map[string]string) []string {
	var problems []string
	// report records a diagnostic at its line in the markdown file: shift
	// is the number of lines written before the block's first line.
	report := func(d model.Diagnostic, shift int) {
		msg := d.Message
		if d.Path != "" {
			msg = d.Path + ": " + msg
		}
		if d.Severity == model.SeverityWarning {
			msg = "warning: " + msg
		}
		problems = append(problems, fmt.Sprintf("%s:%d: %s", b.file, b.line+d.Pos.Line-shift, msg))
	}
	load := func(doc string, shift int, keep func(model.Diagnostic) bool) {
		_, warnings, err := model.LoadBytes("example.yaml", []byte(doc))
		var diags model.Diagnostics
		if err != nil && !errors.As(err, &diags) {
			problems = append(problems, err.Error())
			return
		}
		for _, d := range append(diags, warnings...) {
			if keep(d) {
				report(d, shift)
			}
		}
	}
	parse := func(doc string) {
		_, err := model.Parse("example.yaml", []byte(doc))
		var diags model.Diagnostics
		if err != nil && !errors.As(err, &diags) {
			problems = append(problems, err.Error())
			return
		}
		for _, d := range diags {
			report(d, 0)
		}
	}
	switch {
	case b.kind == "not-topology":
		var v any
		if err := yaml.Unmarshal([]byte(b.text), &v); err != nil {
			problems = append(problems, err.Error())
		}
	case b.kind == "":
		// A whole file: it loads, meaning included, without warnings.
		load(b.text, 0, func(model.Diagnostic) bool { return true })
	case b.kind == "excerpt":
		parse(b.text)
	case b.kind == "fragment" || strings.HasPrefix(b.kind, "fragment="):
		doc, first, last := nest(examples, strings.TrimPrefix(strings.TrimPrefix(b.kind, "fragment"), "="), b.text)
		// Only the fragment's own problems count, and a reference to a
		// resource it does not show is not one.
		load(doc, first-1, func(d model.Diagnostic) bool {
			return d.Pos.Line >= first && d.Pos.Line <= last && !errors.Is(d.Err, model.ErrUnknownRef)
		})
	default:
		problems = append(problems, fmt.Sprintf("unknown block kind %q: write ```yaml, ```yaml excerpt, ```yaml fragment, ```yaml fragment=PATH or ```yaml not-topology", b.kind))
	}
	return problems
}

// fragments returns a file's fragments by path.
func fragments(blocks []yamlBlock) map[string]string {
	out := map[string]string{}
	for _, b := range blocks {
		if p, ok := strings.CutPrefix(b.kind, "fragment="); ok {
			out[p] = b.text
		}
	}
	return out
}

// TestDocExamplesValidate checks every ```yaml block of the README and of
// docs/*.md: a whole topology file loads cleanly; an excerpt, and a
// fragment nested at the place its fence names, parse (syntax, keys, value
// types, required keys); YAML that is not a topology is well-formed. The
// fence says which a block is, so no block is skipped silently. Fix the
// examples of docs/format.md in the doc comments and struct tags of package
// model, then run go generate ./model.
func TestDocExamplesValidate(t *testing.T) {
	files, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "../../README.md")
	n := 0
	for _, f := range files {
		blocks := yamlBlocks(t, f)
		examples := fragments(blocks)
		for _, b := range blocks {
			n++
			for _, p := range checkBlock(b, examples) {
				t.Errorf("example (%s) does not validate: %s", b.kind, strings.TrimPrefix(p, "../../"))
			}
		}
	}
	if n < 30 {
		t.Errorf("found %d YAML examples; the docs have more", n)
	}
}

// TestDocExampleCheckerCatchesMistakes: the checker rejects a wrong key, a
// wrong type and a missing required key in a fragment, a whole file that
// does not validate, and an unmarked block kind.
func TestDocExampleCheckerCatchesMistakes(t *testing.T) {
	bad := []yamlBlock{
		{kind: "fragment=vpcs[].subnets[]", text: "- id: sn-a\n  az: eu-west-1a\n  cidr: 10.0.0.0/24\n"},
		{kind: "fragment=vpcs[].route_tables[].routes[]", text: "- destination: [10.0.0.0/8]\n  target: pcx-a\n"},
		{kind: "fragment=accounts[]", text: "- name: team-a\n"},
		{kind: "fragment", text: "lint:\n  disable: sg-missing-description\n"},
		{kind: "", text: "version: 1\nvpcs:\n  - {id: vpc-a, region: eu-west-1, cidr_blocks: [10.0.0.0/16], internet_gateway: igw-a}\npeering_connections:\n  - {id: pcx-a, requester: vpc-a, accepter: vpc-b}\n"},
		{kind: "excerpt", text: "vpcs: []\n"},
		{kind: "not-topology", text: "a: [b\n"},
		{kind: "topology", text: "version: 1\n"},
	}
	for _, b := range bad {
		b.file = "test.md"
		if p := checkBlock(b, nil); len(p) == 0 {
			t.Errorf("block (%s) %q passes; want a problem", b.kind, b.text)
		}
	}
	good := yamlBlock{file: "test.md", kind: "fragment=vpcs[].route_tables[].routes[]", text: "- destination: 0.0.0.0/0\n  target: nat-a\n"}
	if p := checkBlock(good, nil); len(p) > 0 {
		t.Errorf("a good fragment fails: %v", p)
	}
}
