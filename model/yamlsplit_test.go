package model_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/model"
)

// sameTree reports where two node trees differ in what the decoder reads
// (kind, style, tag, value, anchor, position, children), or "".
func sameTree(a, b *yaml.Node, path string) string {
	switch {
	case a == nil || b == nil:
		if a != b {
			return path + ": one tree is nil"
		}
		return ""
	case a.Kind != b.Kind || a.Style != b.Style || a.Tag != b.Tag || a.Value != b.Value || a.Anchor != b.Anchor:
		return fmt.Sprintf("%s: %v %v %q %q, want %v %v %q %q", path, a.Kind, a.Style, a.Tag, a.Value, b.Kind, b.Style, b.Tag, b.Value)
	case a.Line != b.Line || a.Column != b.Column:
		return fmt.Sprintf("%s (%q): at %d:%d, want %d:%d", path, a.Value, a.Line, a.Column, b.Line, b.Column)
	case len(a.Content) != len(b.Content):
		return fmt.Sprintf("%s: %d children, want %d", path, len(a.Content), len(b.Content))
	}
	for i := range a.Content {
		if d := sameTree(a.Content[i], b.Content[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

// checkSplit parses data in pieces of about size bytes and, when that does
// not give up, checks that the whole text parses to the same tree. It
// returns whether the pieces were used.
func checkSplit(t testing.TB, name string, data []byte, size int) bool {
	t.Helper()
	split, ok := model.ParsePieces(data, size, 3)
	if !ok {
		return false
	}
	whole, err := model.ParseWhole(data)
	require.NoError(t, err, "%s: the pieces parsed, the whole does not", name)
	if d := sameTree(split, whole, ""); d != "" {
		t.Fatalf("%s, pieces of %d bytes: the trees differ at %s", name, size, d)
	}
	return true
}

// TestParseSplitMatchesWhole: a file parsed in pieces gives the tree the
// whole text gives, on generated networks and on every YAML file of the
// repository's test data, cut into pieces of several sizes.
func TestParseSplitMatchesWhole(t *testing.T) {
	net, err := model.Encode(gen.Generate(gen.Options{VPCs: 40, Seed: 3, OverlapEvery: 7}))
	require.NoError(t, err)
	for _, size := range []int{64, 1000, 20000} {
		require.True(t, checkSplit(t, "generated", net, size), "the generated network was not cut (pieces of %d bytes)", size)
	}
	// The same network with items at indentation 0, CRLF line ends,
	// and comments between the items.
	variants := map[string][]byte{
		"indent 0": bytes.ReplaceAll(net, []byte("\n  "), []byte("\n")),
		"crlf":     bytes.ReplaceAll(net, []byte("\n"), []byte("\r\n")),
		"comments": bytes.ReplaceAll(net, []byte("\n  - id:"), []byte("\n# a comment\n  # another\n\n  - id:")),
		"block scalars": bytes.ReplaceAll(net, []byte("\n    name: "),
			[]byte("\n    notes: |\n      - not an item\n\n       - nor this\n    more: >-\n      - folded\n    name: ")),
		"multi-line plain": bytes.ReplaceAll(net, []byte("\n    name: "), []byte("\n    notes: a\n     - b\n    name: ")),
	}
	for name, data := range variants {
		require.True(t, checkSplit(t, name, data, 500), "%s: not cut", name)
	}
	used, files := 0, 0
	err = filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.Contains(path, "testdata") ||
			!(strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		for _, size := range []int{1, 200} {
			if checkSplit(t, path, data, size) {
				used++
			}
		}
		return nil
	})
	require.NoError(t, err)
	t.Logf("%d test data files, cut in %d of %d tries", files, used, 2*files)
	require.Positive(t, used)
}

// TestParseSplitGivesUp: texts whose cuts would not be safe, or that
// hold what the pieces cannot join, are parsed whole.
func TestParseSplitGivesUp(t *testing.T) {
	item := "  - {id: a, region: r}\n"
	list := strings.Repeat(item, 20)
	for name, text := range map[string]string{
		"anchor":                "version: 1\nvpcs:\n  - &a {id: a}\n" + list,
		"alias":                 "version: 1\nx: &a 1\nvpcs:\n" + list + "y: *a\n",
		"document marker":       "---\nversion: 1\nvpcs:\n" + list,
		"two documents":         "version: 1\nvpcs:\n" + list + "---\nversion: 1\n",
		"directive":             "%YAML 1.2\n---\nversion: 1\nvpcs:\n" + list,
		"top-level list":        "- a\n- b\n" + list,
		"quoted key":            "\"version\": 1\nvpcs:\n" + list,
		"lone carriage return":  "version: 1\rvpcs:\n" + list,
		"next line":             "version: 1\nname: a\u0085b\nvpcs:\n" + list,
		"flow list across cut":  "version: 1\nvpcs: [\n" + strings.Repeat("  {id: a},\n", 30) + "]\n",
		"quote across cut":      "version: 1\nvpcs:\n" + list + "  - {id: a, name: \"x\n  - y\"}\n" + list,
		"flow across item cut":  "version: 1\nvpcs:\n" + list + "  - {id: a, cidrs: [\n  - b]}\n" + list,
		"syntax error":          "version: 1\nvpcs:\n" + list + "  - {id: a\n" + list,
		"block list in a piece": "version: 1\nvpcs:\n" + list + "bad: [\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, ok := model.ParsePieces([]byte(text), 16, 2)
			require.False(t, ok, "cut:\n%s", text)
		})
	}
}

// FuzzParseSplit: whenever the pieces parse, the whole text parses to the
// same tree, and decodes to the same model with the same diagnostics.
func FuzzParseSplit(f *testing.F) {
	f.Add([]byte("version: 1\nvpcs:\n  - {id: a}\n  - id: b\n    name: c\n"), 8)
	f.Add([]byte("a: 1\nb:\n- x\n- |\n  - y\n- z\nc: [1,\n 2]\n"), 4)
	f.Add([]byte("a:\n  - 'x\n  - y'\n  - z\nb: 2\n"), 4)
	f.Add([]byte("a:\n  - x\n    # c\n  -\n    k: v\n  - \"q\"\n"), 2)
	f.Add([]byte("version: 1\nvpcs:\n- id: a\n  region: r\n- {id: b, cidr_blocks: [10.0.0.0/33]}\nexpectations:\n  - {name: x}\n"), 3)
	// The repository's YAML files, and the fast parser's edge cases, cut
	// into small pieces.
	for _, data := range repositoryYAML(f) {
		f.Add(data, 200)
	}
	for _, text := range fastCases {
		f.Add([]byte(text), 4)
	}
	f.Fuzz(func(t *testing.T, data []byte, size int) {
		if size < 1 || size > 1<<16 || len(data) > 1<<16 {
			return
		}
		checkSplit(t, "fuzz", data, size)
		checkDecodeSplit(t, "fuzz", data, size)
	})
}

// checkDecodeSplit decodes data in pieces and, when that does not give
// up, checks that decoding it whole gives the same model and diagnostics.
func checkDecodeSplit(t testing.TB, name string, data []byte, size int) bool {
	t.Helper()
	m, diags, ok := model.DecodePieces("net.yaml", data, size, 3)
	if !ok {
		return false
	}
	wm, wdiags := model.DecodeWhole("net.yaml", data)
	require.Equal(t, wdiags, diags, "%s, pieces of %d bytes: diagnostics", name, size)
	require.True(t, reflect.DeepEqual(wm, m), "%s, pieces of %d bytes: the models differ", name, size)
	return true
}

// TestDecodeSplitMatchesWhole: a file decoded in pieces gives the model
// and the diagnostics (positions, paths, order) that decoding it whole
// gives, for valid and broken files.
func TestDecodeSplitMatchesWhole(t *testing.T) {
	net, err := model.Encode(gen.Generate(gen.Options{VPCs: 30, Seed: 5}))
	require.NoError(t, err)
	text := string(net)
	broken := map[string]string{
		"valid":          text,
		"unknown fields": strings.ReplaceAll(text, "\n    region: ", "\n    regoin: "),
		"bad values": strings.Replace(strings.Replace(text, "cidr_block: 10.", "cidr_block: 300.", 7),
			"private_ip: 10.", "private_ip: x", 5),
		"missing required":   strings.Replace(text, "\n  - id: vpc-0003\n", "\n  - name: nameless\n", 1),
		"list given twice":   text + "vpcs:\n  - {id: vpc-extra, region: eu-west-1}\n",
		"not a mapping item": strings.Replace(text, "\n  - id: vpc-0004\n", "\n  - just text\n  - id: vpc-0004\n", 1),
		"version":            strings.Replace(text, "version: 1", "version: 2", 1),
		"items at 0":         strings.ReplaceAll(text, "\n  ", "\n"),
	}
	for name, data := range broken {
		for _, size := range []int{100, 5000} {
			require.True(t, checkDecodeSplit(t, name, []byte(data), size), "%s: not cut", name)
		}
	}
	// A list under a key the model does not know, or that is not a list
	// of resources, is decoded whole, which reports it.
	for _, data := range []string{
		strings.Replace(text, "\nvpcs:\n", "\nvpcz:\n", 1),
		strings.Replace(text, "\nvpcs:\n", "\nversion:\n", 1),
	} {
		_, _, ok := model.DecodePieces("net.yaml", []byte(data), 100, 2)
		require.False(t, ok)
	}
	err = filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.Contains(path, "testdata") ||
			!(strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		checkDecodeSplit(t, path, data, 1)
		return nil
	})
	require.NoError(t, err)
}
