package model

import (
	"bytes"

	"gopkg.in/yaml.v3"
)

// fastParse parses the pieces of a large file (yamlsplit.go) when they
// are written in the plain block style that generate, export and the
// importers write, about nine times faster than yaml.v3 (0.6 s of CPU
// instead of 5.3 for a generated network of 5,000 VPCs), which builds its
// tree one character at a time through a scanner, a token queue and an
// event parser, and resolves the tag of every plain scalar that starts
// with a digit through integer, float and timestamp parsers and a
// regular expression. It reads the text line by line and builds the
// nodes yaml.v3 builds (kind, style, tag, value, line, column, with
// lines lines before text; it keeps no comments, which the decoder does
// not read).
//
// It accepts only a small subset of YAML, where the structure follows
// from indentation and a few characters with no room for doubt:
//
//   - printable ASCII, lines ending in \n or \r\n, no tabs;
//   - block mappings whose keys are plain words ([A-Za-z0-9_] then also
//     . / -) followed by ": " or ":" at the end of the line; block lists
//     whose items start with "- " and hold a scalar, a flow collection or
//     a block mapping that starts on the item's line;
//   - scalars that end on their line: plain ones that hold no ": " (and
//     in flow collections no ",?[]{}"), and quoted ones with no escape;
//   - flow lists and mappings that close on their line, whose keys are
//     plain words;
//   - blank lines and comments (not kept).
//
// Where yaml.v3 would read on (a plain scalar continues on a line more
// indented than its block; a quoted scalar or a flow collection that is
// not closed continues on the next line) or could read differently (block
// scalars, anchors, aliases, tags, merge keys, escapes, an empty list
// item, an indentation that matches no open block), fastParse declines
// and the piece is parsed by yaml.v3, so an error is always yaml.v3's.
// Whatever it accepts, yaml.v3 parses to the same tree: FuzzFastParse and
// FuzzFastParseDocuments check it on arbitrary and on generated texts,
// TestFastParseMatchesYAML on edge cases, the repository's YAML files and
// generated networks.
//
// Its nodes come from arena when it is not nil (see nodeArena).
func fastParse(text []byte, lines int, arena *nodeArena) (*yaml.Node, bool) {
	if !fastText(text) {
		return nil, false
	}
	p := &fastParser{text: text, lines: lines, line: -1, keys: map[string]fastKey{}, arena: arena}
	p.advance()
	if p.eof {
		return nil, false
	}
	root := p.block(p.indent)
	if root == nil || !p.eof {
		return nil, false
	}
	return root, true
}

// fastText reports whether text holds only printable ASCII and line
// breaks \n and \r\n.
func fastText(text []byte) bool {
	for i, c := range text {
		if c < ' ' || c > '~' {
			if c == '\n' || c == '\r' && i+1 < len(text) && text[i+1] == '\n' {
				continue
			}
			return false
		}
	}
	return true
}

const (
	fastMaxDepth = 64  // deeper nesting is declined
	fastMaxKey   = 128 // longer keys are declined (yaml.v3 limits them to 1,024 characters)
)

// fastParser is the state of fastParse: the current line (the next that
// holds content) and the nodes made so far.
type fastParser struct {
	text  []byte
	lines int // lines before text, added to every node's line
	// The current line: its index in text, the offsets of its first
	// byte and of the end of its content (before its line break), its
	// indentation; eof when no line with content is left.
	line, start, end, indent int
	next                     int // offset of the line after it
	eof                      bool

	depth int
	arena *nodeArena
	slab  []yaml.Node        // nodes allocated in bulk
	stack []*yaml.Node       // children of the collections being parsed
	keys  map[string]fastKey // keys met so far, with their tags
}

// fastKey is a plain key's value, shared by its nodes, and its tag.
type fastKey struct{ value, tag string }

// advance moves to the next line that holds something other than spaces
// or a comment.
func (p *fastParser) advance() {
	for p.next < len(p.text) {
		s := p.next
		e := bytes.IndexByte(p.text[s:], '\n')
		if e < 0 {
			e, p.next = len(p.text), len(p.text)
		} else {
			e += s
			p.next = e + 1
		}
		p.line++
		if e > s && p.text[e-1] == '\r' {
			e--
		}
		i := s
		for i < e && p.text[i] == ' ' {
			i++
		}
		if i == e || p.text[i] == '#' {
			continue
		}
		p.start, p.end, p.indent = s, e, i-s
		return
	}
	p.eof = true
}

// node returns a new node at offset i of the current line.
func (p *fastParser) node(kind yaml.Kind, style yaml.Style, tag, value string, i int) *yaml.Node {
	if len(p.slab) == 0 {
		p.slab = p.arena.chunk()
	}
	n := &p.slab[0]
	p.slab = p.slab[1:]
	*n = yaml.Node{Kind: kind, Style: style, Tag: tag, Value: value, Line: p.lines + p.line + 1, Column: i - p.start + 1}
	return n
}

// enter counts one more level of nesting, false beyond fastMaxDepth.
func (p *fastParser) enter() bool {
	p.depth++
	return p.depth <= fastMaxDepth
}

// children sets n's content to the nodes pushed since base.
func (p *fastParser) children(n *yaml.Node, base int) {
	if len(p.stack) > base {
		if a := p.arena; a != nil {
			start := len(a.content)
			a.content = append(a.content, p.stack[base:]...)
			n.Content = a.content[start:len(a.content):len(a.content)]
		} else {
			n.Content = append([]*yaml.Node(nil), p.stack[base:]...)
		}
	}
	p.stack = p.stack[:base]
}

// nodeArena holds the nodes of trees that are dropped one after the
// other, so that each tree reuses the memory of the one before instead
// of leaving it to the garbage collector: decodeSplit decodes each list
// piece, which keeps no node, and then resets its worker's arena. A nil
// arena allocates.
type nodeArena struct {
	chunks  [][]yaml.Node
	next    int          // the chunk to hand out next
	content []*yaml.Node // the children of the nodes
}

// chunk returns memory for nodes.
func (a *nodeArena) chunk() []yaml.Node {
	const size = 512
	if a == nil {
		return make([]yaml.Node, size)
	}
	if a.next == len(a.chunks) {
		a.chunks = append(a.chunks, make([]yaml.Node, size))
	}
	a.next++
	return a.chunks[a.next-1]
}

// reset makes the memory of every node handed out so far free again:
// those nodes must not be used any more.
func (a *nodeArena) reset() {
	a.next = 0
	a.content = a.content[:0]
}

// isItem reports whether the current line has an item's "-" at column
// col (from 0), followed by a space or the end of the line.
func (p *fastParser) isItem(col int) bool {
	i := p.start + col
	return i < p.end && p.text[i] == '-' && (i+1 == p.end || p.text[i+1] == ' ')
}

// block parses the block list or mapping at indentation ind that starts
// on the current line.
func (p *fastParser) block(ind int) *yaml.Node {
	if p.isItem(ind) {
		return p.sequence(ind)
	}
	return p.mapping(ind)
}

// mapping parses a block mapping whose first key is at column ind of the
// current line, and leaves the current line at its end.
func (p *fastParser) mapping(ind int) *yaml.Node {
	defer func() { p.depth-- }()
	if !p.enter() {
		return nil
	}
	base := len(p.stack)
	n := p.node(yaml.MappingNode, 0, "!!map", "", p.start+ind)
	for {
		k, colon := p.key(p.start + ind)
		if k == nil {
			return nil
		}
		var v *yaml.Node
		if i := skipSpaces(p.text, colon+1, p.end); i < p.end && p.text[i] != '#' {
			var j int
			if v, j = p.inline(i, false); v == nil || !p.lineEnd(j) {
				return nil
			}
			p.advance()
		} else {
			// The value is on the next lines, or null: yaml.v3
			// places a null just after the colon.
			null := p.node(yaml.ScalarNode, 0, "!!null", "", colon+1)
			p.advance()
			switch {
			case !p.eof && p.indent > ind:
				v = p.block(p.indent)
			case !p.eof && p.indent == ind && p.isItem(ind):
				v = p.sequence(ind) // a list at the key's indentation
			default:
				v = null
			}
			if v == nil {
				return nil
			}
		}
		p.stack = append(p.stack, k, v)
		if p.eof || p.indent < ind {
			break
		}
		if p.indent > ind {
			return nil // the continuation of a scalar, or an error
		}
	}
	p.children(n, base)
	return n
}

// sequence parses a block list whose first "-" is at column ind of the
// current line, and leaves the current line at its end.
func (p *fastParser) sequence(ind int) *yaml.Node {
	defer func() { p.depth-- }()
	if !p.enter() {
		return nil
	}
	base := len(p.stack)
	n := p.node(yaml.SequenceNode, 0, "!!seq", "", p.start+ind)
	for {
		at := p.start + ind + 1
		i := skipSpaces(p.text, at, p.end)
		if i == at || i == p.end || p.text[i] == '#' || p.isItem(i-p.start) {
			return nil // an empty item, or one that starts on the next line, or a list in a list
		}
		var v *yaml.Node
		if p.isKey(i) {
			v = p.mapping(i - p.start)
		} else {
			var j int
			if v, j = p.inline(i, false); v != nil && !p.lineEnd(j) {
				v = nil
			}
			p.advance()
		}
		if v == nil {
			return nil
		}
		p.stack = append(p.stack, v)
		if p.eof || p.indent < ind || p.indent == ind && !p.isItem(ind) {
			break
		}
		if p.indent > ind {
			return nil
		}
	}
	p.children(n, base)
	return n
}

// keyEnd returns the offset of the colon of the plain key at offset i of
// the current line, followed by a space or the end of the line, or -1.
func (p *fastParser) keyEnd(i int) int {
	j := i
	for j < p.end && j-i < fastMaxKey {
		c := p.text[j]
		if c == ':' {
			break
		}
		if !(isAlnum(c) || c == '_' || j > i && (c == '.' || c == '/' || c == '-')) {
			return -1
		}
		j++
	}
	if j == i || j == p.end || p.text[j] != ':' || j+1 < p.end && p.text[j+1] != ' ' {
		return -1
	}
	return j
}

// isKey reports whether a plain key starts at offset i.
func (p *fastParser) isKey(i int) bool { return p.keyEnd(i) >= 0 }

// key returns the node of the plain key at offset i of the current line
// and the offset of its colon, or nil.
func (p *fastParser) key(i int) (*yaml.Node, int) {
	j := p.keyEnd(i)
	if j < 0 {
		return nil, 0
	}
	k, ok := p.keys[string(p.text[i:j])]
	if !ok {
		v := string(p.text[i:j])
		k = fastKey{v, plainTag(v)}
		p.keys[v] = k
	}
	return p.node(yaml.ScalarNode, 0, k.tag, k.value, i), j
}

// lineEnd reports whether the current line holds nothing from offset i on
// but spaces and a comment.
func (p *fastParser) lineEnd(i int) bool {
	j := skipSpaces(p.text, i, p.end)
	return j == p.end || p.text[j] == '#' && j > i
}

// inline parses the scalar or flow collection at offset i of the current
// line, in a flow collection when flow is true; it returns the node and
// the offset after it, or nil.
func (p *fastParser) inline(i int, flow bool) (*yaml.Node, int) {
	if i >= p.end {
		return nil, 0
	}
	switch c := p.text[i]; {
	case c == '"' || c == '\'':
		j := bytes.IndexByte(p.text[i+1:p.end], c)
		if j < 0 {
			return nil, 0 // continued on the next line
		}
		j += i + 1
		v := p.text[i+1 : j]
		style := yaml.SingleQuotedStyle
		if c == '"' {
			style = yaml.DoubleQuotedStyle
			if bytes.IndexByte(v, '\\') >= 0 {
				return nil, 0
			}
		} else if j+1 < p.end && p.text[j+1] == '\'' {
			return nil, 0 // an escaped quote
		}
		return p.node(yaml.ScalarNode, style, "!!str", string(v), i), j + 1
	case c == '[' || c == '{':
		return p.flow(i)
	case isAlnum(c) || c == '_' || c == '.' || c == '/' || c == '(' || c == '+' || c == '$' || c == '=' || c == '~',
		c == '-' && i+1 < p.end && (isAlnum(p.text[i+1]) || p.text[i+1] == '.'):
	default:
		return nil, 0
	}
	// A plain scalar, to the end of the line (in a flow collection, to
	// an indicator), or to a comment, or to ": " which makes it a key.
	j := i + 1
	for ; j < p.end; j++ {
		switch c := p.text[j]; {
		case c == ':' && (j+1 == p.end || p.text[j+1] == ' '):
			if !flow {
				return nil, 0 // a key, or an error
			}
		case c == '#' && p.text[j-1] == ' ':
			if flow {
				return nil, 0 // a comment would end the line
			}
		case flow && (c == ',' || c == ']' || c == '}' || c == '?' || c == '[' || c == '{'):
		default:
			continue
		}
		break
	}
	for p.text[j-1] == ' ' {
		j--
	}
	v := string(p.text[i:j])
	return p.node(yaml.ScalarNode, 0, plainTag(v), v, i), j
}

// flow parses the flow list or mapping at offset i of the current line.
func (p *fastParser) flow(i int) (*yaml.Node, int) {
	defer func() { p.depth-- }()
	if !p.enter() {
		return nil, 0
	}
	base := len(p.stack)
	n := p.node(yaml.SequenceNode, yaml.FlowStyle, "!!seq", "", i)
	closing := byte(']')
	if p.text[i] == '{' {
		n.Kind, n.Tag, closing = yaml.MappingNode, "!!map", '}'
	}
	j := skipSpaces(p.text, i+1, p.end)
	if j < p.end && p.text[j] == closing {
		return n, j + 1
	}
	for {
		if n.Kind == yaml.MappingNode {
			k, colon := p.key(j)
			if k == nil {
				return nil, 0
			}
			p.stack = append(p.stack, k)
			j = skipSpaces(p.text, colon+1, p.end)
		}
		v, e := p.inline(j, true)
		if v == nil {
			return nil, 0
		}
		p.stack = append(p.stack, v)
		if j = skipSpaces(p.text, e, p.end); j == p.end {
			return nil, 0
		}
		if p.text[j] == closing {
			p.children(n, base)
			return n, j + 1
		}
		if p.text[j] != ',' {
			return nil, 0
		}
		if j = skipSpaces(p.text, j+1, p.end); j == p.end || p.text[j] == closing {
			return nil, 0 // a trailing comma
		}
	}
}

func skipSpaces(text []byte, i, end int) int {
	for i < end && text[i] == ' ' {
		i++
	}
	return i
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// plainTag returns the tag yaml.v3 gives the plain scalar v. Most values
// are told apart by their first character or by a character that no
// number or timestamp holds; the others go through yaml.v3's resolver.
func plainTag(v string) string {
	if v == "<<" {
		return "!!merge" // the parser's, not the resolver's
	}
	switch c := v[0]; {
	case c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.':
		// Numbers and timestamps hold no "/" and at most one ".".
		dots := 0
		for i := 0; i < len(v); i++ {
			if v[i] == '/' {
				return "!!str"
			}
			if v[i] == '.' {
				dots++
			}
		}
		if dots > 1 {
			return "!!str"
		}
	case c == '~' || c == 'y' || c == 'Y' || c == 'n' || c == 'N' || c == 't' || c == 'T' ||
		c == 'f' || c == 'F' || c == 'o' || c == 'O':
	default:
		return "!!str"
	}
	return (&yaml.Node{Kind: yaml.ScalarNode, Value: v}).ShortTag()
}
