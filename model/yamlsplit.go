package model

import (
	"bytes"
	"reflect"
	"runtime"
	"sync"

	"gopkg.in/yaml.v3"
)

// A large topology file is parsed and decoded in pieces, on several
// goroutines: yaml.v3 spends most of a load building its node tree, one
// character at a time, and the whole tree of a large file takes more
// memory than the model decoded from it. splitText cuts the text at lines
// that begin a top-level key, and the long lists under a key (vpcs:,
// written as a block list) at lines that begin one of their items. Each
// piece is a YAML document of its own: a mapping of some top-level keys,
// the line of a key whose list is cut, or a list of some of its items,
// parsed by fastParse (yamlfast.go) when it is written in the plain
// block style, else by yaml.v3.
// The pieces' trees, their lines shifted, put together are the tree of
// the whole text (parsePieces; TestParseSplitMatchesWhole and
// FuzzParseSplit compare them), and decodeSplit decodes the items of
// each list piece as soon as it is parsed, then drops its tree.
//
// The cuts are safe because a piece that ends inside something the whole
// text continues on the next line (a quoted string, a flow [ ] or { })
// does not parse on its own, while block scalars and plain multi-line
// strings end at a line as little indented as the lines cut at, for the
// whole text as for the pieces. Whenever that reasoning does not plainly
// hold (anchors, aliases, directives, document markers, line breaks other
// than \n and \r\n, a top level that is not a block mapping of plain
// keys, a piece that does not parse or parses to the wrong kind), the
// pieces are given up and the whole text is parsed as one, which also
// gives the canonical syntax errors.

const (
	// splitMinSize is the smallest input cut into pieces: below it, the
	// pieces would not pay for themselves.
	splitMinSize = 1 << 20
	// splitPieceSize is the size the pieces are cut to, about.
	splitPieceSize = 256 << 10
)

// splitPiece is one piece of the text: its bytes, the number of lines
// before it, what it holds, and what parsing and decoding it gave.
type splitPiece struct {
	text  []byte
	lines int
	kind  uint8
	// items is the number of items of a list piece, counted in the text
	// (lines that begin an item), and first the index in the list of its
	// first item.
	items, first int

	root *yaml.Node // the parsed piece, until decodeSplit drops it
	// Of a list piece: the position of its first item, its number of
	// nodes, and its items decoded, with their diagnostics.
	line, column int
	nodes        int
	decoded      reflect.Value
	diags        []Diagnostic
}

const (
	pieceMapping uint8 = iota // top-level keys and their values
	pieceKey                  // the line of a key whose list is cut into list pieces
	pieceItems                // items of the list of the last key piece
)

// decodeSplit parses and decodes data in pieces when it is large enough
// and can be cut (see above); ok is false when the caller must parse it
// whole. A model it returns is the one the whole text decodes to, with
// the same diagnostics.
func (o LoadOptions) decodeSplit(name string, data []byte) (m *Model, diags Diagnostics, ok bool) {
	workers := runtime.GOMAXPROCS(0)
	if len(data) < splitMinSize || workers < 2 {
		return nil, nil, false
	}
	return o.decodePieces(name, data, splitPieceSize, workers)
}

// decodePieces is decodeSplit with pieces of about size bytes, on the
// given number of goroutines.
func (o LoadOptions) decodePieces(name string, data []byte, size, workers int) (*Model, Diagnostics, bool) {
	pieces, ok := splitText(data, size)
	if !ok || len(pieces) < 2 {
		return nil, nil, false
	}
	// The list fields of the model that the key pieces name.
	modelInfo := infoOf(reflect.TypeFor[Model]())
	fields := make([]*fieldInfo, len(pieces))
	for i := range pieces {
		p := &pieces[i]
		if p.kind != pieceKey {
			continue
		}
		key := string(bytes.TrimSpace(p.text[:bytes.IndexByte(p.text, ':')]))
		f := modelInfo.byKey[key]
		if f == nil || !structList(reflect.TypeFor[Model]().FieldByIndex(f.index).Type) {
			return nil, nil, false // the whole decode says what is wrong
		}
		for j := i + 1; j < len(pieces) && pieces[j].kind == pieceItems; j++ {
			fields[j] = f
		}
	}
	decodeItems := func(p *splitPiece, f *fieldInfo) bool {
		items := p.root
		if len(items.Content) != p.items {
			return false
		}
		p.line, p.column = items.Line, items.Column
		for _, c := range items.Content {
			p.nodes += treeSize(c)
		}
		t := reflect.TypeFor[Model]().FieldByIndex(f.index).Type
		p.decoded = reflect.MakeSlice(t, len(items.Content), len(items.Content))
		d := &decoder{file: name}
		for i, c := range items.Content {
			d.decode(c, p.decoded.Index(i), decodePath{base: f.key, index: p.first + i}, nil, "", 0)
		}
		p.diags = d.diags.list
		p.root = nil // its tree is garbage now
		return true
	}
	// Each worker parses its list pieces into its own arena: a list
	// piece's tree is dropped once decoded.
	arenas := make([]nodeArena, workers)
	if !forEachPiece(pieces, workers, func(p *splitPiece, i, w int) bool {
		if p.kind != pieceItems {
			return parsePiece(p, nil) // kept until the root is decoded
		}
		defer arenas[w].reset()
		return parsePiece(p, &arenas[w]) && decodeItems(p, fields[i])
	}) {
		return nil, nil, false
	}

	// The root: the mapping pieces' keys and values, and for each key
	// piece its key and a list that stands for its decoded items.
	root := pieces[0].root
	total := 1
	var content []*yaml.Node
	presplit := map[*yaml.Node]splitList{}
	for i := 0; i < len(pieces); i++ {
		p := &pieces[i]
		switch p.kind {
		case pieceMapping:
			content = append(content, p.root.Content...)
			for _, c := range p.root.Content {
				total += treeSize(c)
			}
		case pieceKey:
			seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
			var list splitList
			for i+1 < len(pieces) && pieces[i+1].kind == pieceItems {
				i++
				q := &pieces[i]
				if !list.value.IsValid() {
					seq.Line, seq.Column = q.line, q.column
					list.value = q.decoded
				} else {
					list.value = reflect.AppendSlice(list.value, q.decoded)
				}
				list.diags = append(list.diags, q.diags...)
				total += q.nodes
			}
			if !list.value.IsValid() {
				return nil, nil, false
			}
			presplit[seq] = list
			content = append(content, p.root.Content[0], seq)
			total += 2
		default:
			return nil, nil, false
		}
	}
	if total > o.maxNodes() {
		return nil, nil, false // the whole parse positions the error
	}
	root.Content = content
	d := &decoder{file: name, presplit: presplit}
	m := &Model{}
	d.decode(root, reflect.ValueOf(m).Elem(), rootPath, nil, "", -1)
	return m, finishDecode(m, d), true
}

// splitList is a list decoded in pieces: the slice, and the diagnostics
// of its items, in order.
type splitList struct {
	value reflect.Value
	diags []Diagnostic
}

// structList reports whether t is a list whose items the decoder decodes
// as structs, field by field.
func structList(t reflect.Type) bool {
	if t.Kind() != reflect.Slice {
		return false
	}
	e := t.Elem()
	return e.Kind() == reflect.Struct && !reflect.PointerTo(e).Implements(textUnmarshalerType) && e != addrType && e != prefixType
}

// treeSize returns the number of nodes of the tree at n (no aliases).
func treeSize(n *yaml.Node) int {
	s := 1
	for _, c := range n.Content {
		s += treeSize(c)
	}
	return s
}

// forEachPiece runs f on every piece, on up to workers goroutines, and
// reports whether it returned true for all.
func forEachPiece(pieces []splitPiece, workers int, f func(p *splitPiece, i, worker int) bool) bool {
	var mu sync.Mutex
	good := true
	next := make(chan int)
	var wg sync.WaitGroup
	for w := range min(workers, len(pieces)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if !f(&pieces[i], i, w) {
					mu.Lock()
					good = false
					mu.Unlock()
				}
			}
		}()
	}
	for i := range pieces {
		next <- i
	}
	close(next)
	wg.Wait()
	return good
}

// parsePieces parses data in pieces of about size bytes on the given
// number of goroutines, and returns the root of the tree they make, or
// false where decodeSplit would parse data whole. It is what decodeSplit
// does but keeps the items' trees, for the tests.
func parsePieces(data []byte, size, workers int) (*yaml.Node, bool) {
	pieces, ok := splitText(data, size)
	if !ok || len(pieces) < 2 || !forEachPiece(pieces, workers, func(p *splitPiece, _, _ int) bool {
		return parsePiece(p, nil) && (p.kind != pieceItems || len(p.root.Content) == p.items)
	}) {
		return nil, false
	}
	root := pieces[0].root
	var content []*yaml.Node
	for i := 0; i < len(pieces); i++ {
		p := &pieces[i]
		switch p.kind {
		case pieceMapping:
			content = append(content, p.root.Content...)
		case pieceKey:
			seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
			for i+1 < len(pieces) && pieces[i+1].kind == pieceItems {
				i++
				items := pieces[i].root
				if seq.Line == 0 {
					seq.Line, seq.Column = items.Line, items.Column
				}
				seq.Content = append(seq.Content, items.Content...)
			}
			if seq.Line == 0 {
				return nil, false
			}
			content = append(content, p.root.Content[0], seq)
		default:
			return nil, false
		}
	}
	root.Content = content
	return root, true
}

// parsePiece parses one piece (with fastParse, its nodes in arena, or
// yaml.v3 where it declines), shifts its lines, and checks that it holds
// what its kind says and nothing the pieces cannot join (an anchor, an
// alias).
func parsePiece(p *splitPiece, arena *nodeArena) bool {
	root, ok := fastParse(p.text, p.lines, arena)
	if !ok {
		if root, ok = slowParsePiece(p); !ok {
			return false
		}
	}
	want := yaml.MappingNode
	if p.kind == pieceItems {
		want = yaml.SequenceNode
	}
	if root.Kind != want || root.Style != 0 {
		return false
	}
	if p.kind == pieceKey && (len(root.Content) != 2 || root.Content[1].Tag != "!!null") {
		return false
	}
	p.root = root
	return true
}

// slowParsePiece parses a piece with yaml.v3 and shifts its lines. It
// returns false when the piece does not parse, holds more or less than
// one document, or holds an anchor or an alias.
func slowParsePiece(p *splitPiece) (*yaml.Node, bool) {
	doc, extra, err := decodeOne(p.text)
	if err != nil || extra != nil || doc == nil || len(doc.Content) != 1 {
		return nil, false
	}
	ok := true
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.AliasNode || n.Anchor != "" {
			ok = false
			return
		}
		n.Line += p.lines
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(doc.Content[0])
	return doc.Content[0], ok
}

// splitText cuts data into pieces of about size bytes, or returns false
// when it cannot be cut safely (see above).
func splitText(data []byte, size int) ([]splitPiece, bool) {
	if bytes.Count(data, []byte("\r")) != bytes.Count(data, []byte("\r\n")) {
		return nil, false // a lone \r breaks a line
	}
	for _, br := range []string{"\u0085", "\u2028", "\u2029"} {
		if bytes.Contains(data, []byte(br)) {
			return nil, false // so do these
		}
	}
	// Lines, as offsets of their first byte.
	var starts []int
	for i := 0; i < len(data); {
		starts = append(starts, i)
		j := bytes.IndexByte(data[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
	}
	offset := func(k int) int {
		if k < len(starts) {
			return starts[k]
		}
		return len(data)
	}
	line := func(k int) []byte { return bytes.TrimRight(data[starts[k]:offset(k+1)], "\r\n") }
	// Top-level keys: lines that start with a plain key character. Any
	// other line at column 1 other than a comment, a blank line or an
	// item of a list at indentation 0 means the text is not cut.
	var keys []int
	for k := range starts {
		l := line(k)
		if len(l) == 0 {
			continue
		}
		switch c := l[0]; {
		case c == ' ' || c == '#':
		case c == '-':
			if bytes.HasPrefix(l, []byte("---")) || len(keys) == 0 {
				return nil, false
			}
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
			keys = append(keys, k)
		default:
			return nil, false
		}
	}
	if len(keys) == 0 || keys[0] != firstContentLine(len(starts), line) {
		return nil, false
	}
	var pieces []splitPiece
	// pending is the first line not yet in a piece.
	pending := 0
	flush := func(k int, kind uint8) *splitPiece {
		if k <= pending {
			return nil
		}
		pieces = append(pieces, splitPiece{text: data[starts[pending]:offset(k)], lines: pending, kind: kind})
		pending = k
		return &pieces[len(pieces)-1]
	}
	for ki, k := range keys {
		end := len(starts) // the key's lines: k to end
		if ki+1 < len(keys) {
			end = keys[ki+1]
		}
		if offset(end)-starts[k] < 2*size || !bareKey(line(k)) {
			continue
		}
		// A key with a long value: is it a block list?
		first := -1
		for j := k + 1; j < end; j++ {
			if t := bytes.TrimLeft(line(j), " "); len(t) > 0 && t[0] != '#' {
				first = j
				break
			}
		}
		if first < 0 {
			continue
		}
		fl := line(first)
		indent := len(fl) - len(bytes.TrimLeft(fl, " "))
		if !isItemLine(fl, indent) {
			continue
		}
		flush(k, pieceMapping)
		flush(k+1, pieceKey)
		at, items, index := starts[k+1], 1, 0
		cut := func(j int) {
			if p := flush(j, pieceItems); p != nil {
				p.items, p.first = items, index
				index += items
			}
			at, items = offset(j), 0
		}
		for j := first + 1; j < end; j++ {
			if isItemLine(line(j), indent) {
				if starts[j]-at >= size {
					cut(j)
				}
				items++
			}
		}
		cut(end)
	}
	flush(len(starts), pieceMapping)
	return pieces, true
}

// firstContentLine returns the first of n lines that is not blank or a
// comment, or -1.
func firstContentLine(n int, line func(int) []byte) int {
	for k := range n {
		if t := bytes.TrimLeft(line(k), " "); len(t) > 0 && t[0] != '#' {
			return k
		}
	}
	return -1
}

// bareKey reports whether l is a top-level key with nothing after its
// colon but spaces or a comment: "vpcs:".
func bareKey(l []byte) bool {
	i := bytes.IndexByte(l, ':')
	if i <= 0 {
		return false
	}
	for _, c := range l[:i] {
		if !(c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	rest := bytes.TrimLeft(l[i+1:], " ")
	return len(rest) == 0 || rest[0] == '#' && len(rest) < len(l[i+1:])
}

// isItemLine reports whether l begins an item of a block list at the
// given indentation: indent spaces, then "-" and a space or the end.
func isItemLine(l []byte, indent int) bool {
	if len(l) <= indent || l[indent] != '-' {
		return false
	}
	for _, c := range l[:indent] {
		if c != ' ' {
			return false
		}
	}
	return len(l) == indent+1 || l[indent+1] == ' '
}
