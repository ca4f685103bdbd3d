package model_test

import (
	"bytes"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/model"
)

// checkFast parses data with the fast parser and, when it does not
// decline, checks that yaml.v3 parses data without error to the same
// tree. It returns whether the fast parser took data.
func checkFast(t testing.TB, name string, data []byte) bool {
	t.Helper()
	fast, ok := model.FastParse(data)
	if !ok {
		return false
	}
	require.NotNil(t, fast, name)
	whole, err := model.ParseWhole(data)
	require.NoError(t, err, "%s: the fast parser took a text that yaml.v3 rejects:\n%s", name, data)
	if d := sameTree(fast, whole, ""); d != "" {
		t.Fatalf("%s: the fast parser's tree differs from yaml.v3's at %s; text:\n%s", name, d, data)
	}
	return true
}

// repositoryYAML returns every YAML file under a testdata directory of
// the repository, by path.
func repositoryYAML(t testing.TB) map[string][]byte {
	files := map[string][]byte{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.Contains(path, "testdata") ||
			!(strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			return err
		}
		data, err := os.ReadFile(path)
		files[path] = data
		return err
	})
	require.NoError(t, err)
	require.NotEmpty(t, files)
	return files
}

// fastCases are texts at the edges of what the fast parser takes: it
// must either decline them or give yaml.v3's tree.
var fastCases = map[string]string{
	"block scalar":             "a:\n  b: |\n    - x\n    c: d\n  e: 1\n",
	"folded scalar":            "a: >-\n  x\nb: 1\n",
	"key at column 1 in block": "a: |\n  x\nb: 1\n",
	"multi-line plain":         "a: b\n  c\nd: e\n",
	"multi-line plain item":    "- a\n  b\n- c\n",
	"plain after blank line":   "a: b\n\n  c\n",
	"multi-line double quoted": "a: \"b\n  c\"\nd: 1\n",
	"multi-line single quoted": "- 'b\n  - c'\n",
	"flow across lines":        "a: [1,\n  2]\nb: {c: d,\n  e: f}\n",
	"anchor and alias":         "a: &x 1\nb: *x\n",
	"tag":                      "a: !!str 1\nb: !custom x\n",
	"comments everywhere":      "# head\na: 1 # line\n# between\nb:\n  # inside\n  - x # item\n\n  # foot\nc: {d: e} # flow\n",
	"comment without space":    "a: b#c\nd: 'e'#f\n",
	"crlf":                     "a: 1\r\nb:\r\n  - x\r\n  - {c: d}\r\n",
	"lone cr":                  "a: 1\rb: 2\n",
	"tabs":                     "a:\t1\nb:\n\t- x\n",
	"tab in value":             "a: b\tc\n",
	"indentless list":          "a:\n- x\n- y: 1\n  z: 2\nb: 1\n",
	"null values":              "a:\nb:   \nc: # x\n- d\n",
	"null in item":             "- a:\n  b:\n- c\n",
	"empty item":               "- \n- a\n",
	"item on next line":        "-\n  a: 1\n",
	"list in list":             "- - a\n  - b\n",
	"mapping in list item":     "- a: 1\n  b:\n    c: [x, y]\n  d: {}\n- []\n",
	"wider item indentation":   "-   a: 1\n    b: 2\n-    c\n",
	"bad indentation":          "a:\n  b: 1\n c: 2\n",
	"deeper after scalar":      "a: 1\n   b: 2\n",
	"deeper after flow":        "a: [1]\n   b\n",
	"key with spaces":          "a b: 1\n",
	"quoted key":               "\"a\": 1\n'b': 2\n",
	"colon in value":           "a: b:c\nd: http://x/y\ne: f: g\n",
	"colon at end":             "a: b:\n",
	"flow colon":               "a: {b:c}\nd: [e:f]\n",
	"flow single pair":         "a: [b: c]\n",
	"flow trailing comma":      "a: [b, c,]\n",
	"flow empty value":         "a: {b: , c: d}\n",
	"flow spaces":              "a: [ b , c ]\nd: {  e: f ,g: h  }\n",
	"flow nested":              "a: {b: [c, {d: e}], f: []}\n",
	"flow comment":             "a: [b, # c\n  d]\n",
	"flow text after":          "a: [b] c\n",
	"quotes":                   "a: \"b # c\"\nd: 'e: f'\ng: \"\"\nh: ''\ni: ['j', \"k\", 'l: m', \"{n}\"]\n",
	"escapes":                  "a: 'j''k'\nb: \"m\\\"n\"\nc: \"\\t\"\n",
	"resolved tags":            "a: [1, -2, +3, 0x1F, 0o17, 017, 1_000, 1.5, .5, -.inf, .nan, 1e3, true, False, yes, No, on, null, Null, ~, 2001-12-14]\nb:\n  - 2001-12-14t21:59:43.10-05:00\n  - 12:30\n  - 1.5\n",
	"strings like numbers":     "a: [10.0.0.0/8, 10.0.0.4, 1.2.3, 1-2, -1-2, 1024-65535, 0b2, 0xZ, +x]\nb: 1:30\n",
	"timestamp with space":     "a: 2001-12-14 21:59:43.10\n",
	"merge key":                "a: {<<: b}\n<<: c\n",
	"document markers":         "---\na: 1\n...\n",
	"second document":          "a: 1\n---\nb: 2\n",
	"directive":                "%YAML 1.2\n---\na: 1\n",
	"root scalar":              "a\n",
	"root flow":                "[a, b]\n",
	"indented root":            "  a: 1\n  b: 2\n",
	"indented root list":       "  - a\n  - b\n",
	"less indented after root": "  a: 1\nb: 2\n",
	"only comments":            "# a\n\n# b\n",
	"empty":                    "",
	"no final line break":      "a: 1\nb: [c]",
	"special first characters": "a: [-x, .x, /x, (x), +x, $x, =x, ~x, _x]\nb: -x\nc: @x\nd: `x\ne: %x\nf: |x\ng: ?x\n",
	"dash alone":               "a: -\nb: - c\n",
	"long key":                 strings.Repeat("k", 1100) + ": 1\n",
	"long flow key":            "a: {" + strings.Repeat("k", 1100) + ": 1}\n",
	"deep flow":                "a: " + strings.Repeat("[", 80) + strings.Repeat("]", 80) + "\n",
	"deep blocks":              deepBlocks(80),
	"duplicate keys":           "a: 1\na: 2\n",
	"non-ascii":                "a: é\n",
	"trailing spaces":          "a: b   \nc: 'd'   \ne: [f]  \n- x\n",
	"hash in flow":             "a: [b#c]\n",
	"question mark":            "a: [b?c]\nd: e?f\n",
}

// deepBlocks returns a block mapping nested n levels deep.
func deepBlocks(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat(" ", i) + "k:\n")
	}
	b.WriteString(strings.Repeat(" ", n) + "k: v\n")
	return b.String()
}

// TestFastParseMatchesYAML: whatever the fast parser takes, yaml.v3
// parses to the same tree (kind, style, tag, value, line, column, every
// child): on the texts at the edges of its subset, on every YAML file of
// the repository's test data, and on generated networks, which it must
// take whole.
func TestFastParseMatchesYAML(t *testing.T) {
	taken := 0
	for name, text := range fastCases {
		if checkFast(t, name, []byte(text)) {
			taken++
		}
	}
	t.Logf("%d of %d edge cases taken", taken, len(fastCases))
	// Some of the edge cases must be taken, or they test nothing.
	for _, name := range []string{"comments everywhere", "crlf", "indentless list", "null values", "null in item",
		"mapping in list item", "wider item indentation", "flow spaces", "flow nested", "quotes",
		"resolved tags", "strings like numbers", "indented root", "indented root list", "no final line break"} {
		require.True(t, checkFast(t, name, []byte(fastCases[name])), "%s: declined", name)
	}

	taken = 0
	files := repositoryYAML(t)
	for path, data := range files {
		if checkFast(t, path, data) {
			taken++
		}
	}
	t.Logf("%d of %d test data files taken", taken, len(files))
	require.Greater(t, taken, len(files)/2, "the fast parser declines most test data files")

	for _, vpcs := range []int{1, 40, 120} {
		var buf bytes.Buffer
		require.NoError(t, gen.Write(&buf, gen.Options{VPCs: vpcs, Seed: uint64(vpcs), OverlapEvery: 7, DualStack: vpcs == 40}))
		net := buf.Bytes()
		for name, data := range map[string][]byte{
			"generated": net,
			"crlf":      bytes.ReplaceAll(net, []byte("\n"), []byte("\r\n")),
			"indent 0":  bytes.ReplaceAll(net, []byte("\n  "), []byte("\n")),
			"comments": bytes.ReplaceAll(bytes.ReplaceAll(net, []byte("\n  - id:"), []byte("\n# a comment\n  # another\n\n  - id:")),
				[]byte("routes:\n"), []byte("routes:   # the routes\n      # more\n")),
		} {
			require.True(t, checkFast(t, name, data), "%d VPCs, %s: the fast parser declines a generated network", vpcs, name)
		}
	}
}

// TestPlainTag: the tag of a plain scalar is the one yaml.v3 resolves,
// also where plainTag decides without yaml.v3.
func TestPlainTag(t *testing.T) {
	for _, v := range []string{"a", "10.0.0.0/8", "10.0.0.4", "1.5", "1.2.3", ".5", ".inf", "-.inf", "+1", "-1", "0x1F",
		"1_000", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "true", "yes", "null", "~", "Null", "NULL", "on", "<<",
		"1e3", "1.", "+", ".", "..", "1/2", "tcp", "443", "1024-65535", "0o17", "0b101", "-0b101"} {
		var n yaml.Node
		require.NoError(t, yaml.Unmarshal([]byte("k: "+v+"\n"), &n))
		require.Equal(t, n.Content[0].Content[1].Tag, model.PlainTag(v), "tag of %q", v)
	}
}

// FuzzFastParse: whenever the fast parser takes a text, yaml.v3 parses it
// without error to the same tree.
func FuzzFastParse(f *testing.F) {
	for _, text := range fastCases {
		f.Add([]byte(text))
	}
	for _, data := range repositoryYAML(f) {
		f.Add(data)
	}
	var buf bytes.Buffer
	require.NoError(f, gen.Write(&buf, gen.Options{VPCs: 2, Seed: 1}))
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		checkFast(t, "fuzz", data)
	})
}

// TestLargeFileErrorsPositioned: an error deep in a file large enough to
// be parsed in pieces (a value that is not a CIDR, and separately a YAML
// syntax error, both in its third piece) is reported at the line and
// column where it is, as when the file is parsed whole.
func TestLargeFileErrorsPositioned(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, gen.Write(&buf, gen.Options{VPCs: 120, Seed: 7}))
	text := buf.String()
	require.Greater(t, len(text), 1<<20, "the file must be large enough to be cut")
	_, _, cut := model.DecodePieces("big.yaml", buf.Bytes(), 256<<10, 2)
	require.True(t, cut, "the generated file is not cut into pieces")

	// at returns text with the first occurrence of old after offset
	// 2.5 pieces (256 KiB each) replaced, and the line and column (from
	// 1) of the byte of the replacement at offset col.
	at := func(old, repl string, col int) (string, int, int) {
		from := 5 * (256 << 10) / 2
		i := strings.Index(text[from:], old)
		require.GreaterOrEqual(t, i, 0, "no %q in the third piece", old)
		i += from
		line := strings.Count(text[:i], "\n") + 1
		column := i - strings.LastIndexByte(text[:i], '\n') + col
		return text[:i] + repl + text[i+len(old):], line, column
	}
	for _, c := range []struct {
		name, old, repl string
		col             int // of the error in repl, from 0
		sentinel        error
	}{
		{"not a CIDR", "cidr_block: 10.", "cidr_block: 300.", len("cidr_block: "), model.ErrInvalidValue},
		{"syntax", "\n    region: ", "\n    region: [", len("\n    region: "), model.ErrSyntax},
	} {
		t.Run(c.name, func(t *testing.T) {
			data, line, col := at(c.old, c.repl, c.col)
			// The line of the replacement is that of its first byte; the
			// syntax case starts with a line break.
			if strings.HasPrefix(c.repl, "\n") {
				line++
				col = len(c.repl) - len("\n")
			}
			_, err := model.Parse("big.yaml", []byte(data))
			var diags model.Diagnostics
			require.ErrorAs(t, err, &diags)
			require.Len(t, diags, 1, "%v", diags)
			d := diags[0]
			require.ErrorIs(t, d.Err, c.sentinel)
			require.Equal(t, model.Position{File: "big.yaml", Line: line, Column: col}, d.Pos, "%s", d)
			_, whole := model.DecodeWhole("big.yaml", []byte(data))
			require.Equal(t, model.Diagnostics(whole), diags, "parsed whole, the file gives other diagnostics")
		})
	}
}

// fastKeys and fastValues are what randomDocument builds lines from:
// keys and values at the edges of the fast parser's subset.
var (
	fastKeys   = [...]string{"key", "k-2.x/y", "a", "10", "true", "a b", "\"q\"", "?", "<<", "-x", "k" + strings.Repeat("y", 1030)}
	fastValues = [...]string{
		"word", "two  words ", "1", "-1", "0x1F", "1.5", "1.2.3", "10.0.0.0/8", "2600:1f18::/56", "2001-12-14", "~", "null", "yes", "<<",
		"a: b", "a:b", "a:", "a #c", "a#b", "'q'", "'it''s'", "\"q\"", "\"a\\\"b\"", "\"a # b\"", "'a: b'", "'q' x", "\"q\":",
		"[a, b]", "[]", "{}", "{a: b, c: [d, e]}", "[a: b]", "{a:b}", "[a,", "b]", "{a: ", "}", "[a, ]", "[a?b]", "[a#b]", "[a #b]", "[2600::/56, a@b]", "{ a : b }",
		"|", ">-", "&x a", "*x", "!!str a", "!t a", "@a", "`a", "%a", "---", "...", ".inf", "x'y", "x\"y", "=a", "(a)", "- a", "-",
		"\t", "a\tb", "é",
	}
)

// randomDocument returns the text that the choices make: four bytes a
// line, for its indentation, its form, its key and its value.
func randomDocument(choices []byte) string {
	var b strings.Builder
	indent := 0
	for i := 0; i+3 < len(choices); i += 4 {
		// The same indentation as the line before, or 2 more or less,
		// or anything.
		switch c := choices[i]; c % 5 {
		case 1, 2:
			indent += 2
		case 3:
			indent = max(0, indent-2*int(c>>6))
		case 4:
			indent = int(c>>4) % 7
		}
		b.WriteString(strings.Repeat(" ", indent))
		// Half the keys and values are among the first ones, which
		// the fast parser takes.
		pick := func(c byte, n, good int) int {
			if c&1 == 0 {
				return int(c>>1) % good
			}
			return int(c>>1) % n
		}
		k, v := fastKeys[pick(choices[i+2], len(fastKeys), 5)], fastValues[pick(choices[i+3], len(fastValues), 13)]
		switch choices[i+1] % 12 {
		case 0:
			b.WriteString(k + ": " + v)
		case 1:
			b.WriteString(k + ":")
		case 2:
			b.WriteString("- " + v)
		case 3:
			b.WriteString("- " + k + ": " + v)
		case 4:
			b.WriteString("- " + k + ":")
		case 5:
			b.WriteString("# " + v)
		case 6:
		case 7:
			b.WriteString(v)
		case 8:
			b.WriteString("-   " + k + ":    " + v + "   ")
		case 9:
			b.WriteString("- - " + v)
		case 10:
			b.WriteString(k + ": " + v + " # " + k)
		case 11:
			b.WriteString(k + ":   #" + v)
		}
		if choices[i]%13 == 0 {
			b.WriteString("\r")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestFastParseRandomDocuments: on random documents made of the pieces
// of YAML at the edges of the fast parser's subset (fixed seeds), the
// fast parser declines or gives yaml.v3's tree, and takes a fair share
// of them.
func TestFastParseRandomDocuments(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 1))
	taken, n := 0, 20000
	if testing.Short() {
		n = 2000
	}
	for range n {
		choices := make([]byte, 4*(1+rng.IntN(8)))
		for i := range choices {
			choices[i] = byte(rng.Uint32())
		}
		if checkFast(t, "random", []byte(randomDocument(choices))) {
			taken++
		}
	}
	t.Logf("%d of %d random documents taken", taken, n)
	require.Greater(t, taken, n/100, "the fast parser takes almost none of the random documents")
}

// FuzzFastParseDocuments is FuzzFastParse on documents built from pieces
// of YAML (randomDocument), which byte-level mutation rarely makes.
func FuzzFastParseDocuments(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 2, 0, 11, 11})
	f.Add([]byte{0, 1, 0, 44, 2, 0, 2, 28, 2, 2, 0, 13})
	f.Fuzz(func(t *testing.T, choices []byte) {
		if len(choices) > 1<<10 {
			return
		}
		checkFast(t, "fuzz", []byte(randomDocument(choices)))
	})
}

// TestGeneratedPiecesTakeTheFastPath: every piece of a generated network
// (the text `vpcreach generate` writes, cut as a large file is) is parsed
// by the fast parser, not by yaml.v3: the fast path is what makes loading
// a large organisation fast, and a change of the generator's or the
// exporter's style that it declines would go unnoticed otherwise.
func TestGeneratedPiecesTakeTheFastPath(t *testing.T) {
	for _, dual := range []bool{false, true} {
		var buf bytes.Buffer
		require.NoError(t, gen.Write(&buf, gen.Options{VPCs: 30, Seed: 7, DualStack: dual}))
		pieces, declined := model.FastPieces(buf.Bytes(), 2000)
		require.Greater(t, pieces, 10, "dual-stack %v: the generated network is not cut", dual)
		require.Empty(t, declined, "dual-stack %v: the fast parser declines the pieces at these lines", dual)
	}
}
