package tfimport

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"unicode/utf8"
)

// A positioned JSON value tree. encoding/json gives no positions, and
// Terraform's JSON is mostly maps of attributes whose shape depends on the
// resource type, so the plan is read once into this tree, each value
// keeping its byte offset, and the importer walks it. The scanner is
// strict (RFC 8259), bounded in depth, and never panics on any input.

// jkind is the kind of a JSON value.
type jkind uint8

const (
	jnull jkind = iota
	jbool
	jnumber
	jstring
	jobject
	jarray
)

func (k jkind) String() string {
	return [...]string{"null", "boolean", "number", "string", "object", "array"}[k]
}

// jvalue is one JSON value: its kind, its offset in the file, and its
// content. A nil *jvalue stands for an absent value; its methods answer as
// for null.
type jvalue struct {
	kind jkind
	off  int32
	b    bool
	// str holds a string's text or a number's literal.
	str string
	// keys and vals hold an object's members in file order; elems an
	// array's elements.
	keys  []string
	vals  []*jvalue
	elems []*jvalue
}

// get returns the member key of an object, or nil.
func (v *jvalue) get(key string) *jvalue {
	if v == nil || v.kind != jobject {
		return nil
	}
	for i, k := range v.keys {
		if k == key {
			return v.vals[i]
		}
	}
	return nil
}

// has reports whether an object has the member key (even null).
func (v *jvalue) has(key string) bool {
	if v == nil || v.kind != jobject {
		return false
	}
	for _, k := range v.keys {
		if k == key {
			return true
		}
	}
	return false
}

// isNull reports whether v is null or absent.
func (v *jvalue) isNull() bool { return v == nil || v.kind == jnull }

// strVal returns a string's text ("" for anything else).
func (v *jvalue) strVal() string {
	if v == nil || v.kind != jstring {
		return ""
	}
	return v.str
}

// boolVal returns a boolean's value, and whether v is a boolean. Terraform
// writes booleans as booleans; a "true" string (from an old state) counts
// too.
func (v *jvalue) boolVal() (bool, bool) {
	if v == nil {
		return false, false
	}
	switch v.kind {
	case jbool:
		return v.b, true
	case jstring:
		if b, err := strconv.ParseBool(v.str); err == nil {
			return b, true
		}
	}
	return false, false
}

// intVal returns a whole number's value (a number, or a number in a
// string, as old states write ports), and whether v is one.
func (v *jvalue) intVal() (int64, bool) {
	if v == nil || (v.kind != jnumber && v.kind != jstring) {
		return 0, false
	}
	n, err := strconv.ParseInt(v.str, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(v.str, 64)
		if ferr != nil || f != float64(int64(f)) {
			return 0, false
		}
		n = int64(f)
	}
	return n, true
}

// list returns an array's elements (nil for anything else).
func (v *jvalue) list() []*jvalue {
	if v == nil || v.kind != jarray {
		return nil
	}
	return v.elems
}

// strings returns the strings of an array of strings, skipping others.
func (v *jvalue) strings() []string {
	var out []string
	for _, e := range v.list() {
		if e.kind == jstring {
			out = append(out, e.str)
		}
	}
	return out
}

// maxDepth bounds nesting, so that hostile input cannot exhaust the stack.
const maxDepth = 256

// jsonSyntaxError is a syntax error at a byte offset.
type jsonSyntaxError struct {
	off int
	msg string
}

func (e *jsonSyntaxError) Error() string { return e.msg }

// parser reads a JSON text into a tree. Values are allocated in chunks.
type parser struct {
	data  []byte
	i     int
	chunk []jvalue
	depth int
	// keys interns object keys: Terraform repeats the same few hundred.
	keys map[string]string
	// discard > 0 while a value is checked but not kept (see skipAt).
	discard int
	scratch jvalue
	// kbuf, vbuf and ebuf are stacks where the members and elements of
	// the containers being read gather, copied once into exact slices.
	kbuf []string
	vbuf []*jvalue
	ebuf []*jvalue
}

// skipAt lists the members that are checked but not kept, by the depth of
// the object that holds them: a plan's resource_changes[i].change holds
// before and after, which repeat prior_state and planned_values.
var skipAt = map[int]map[string]bool{
	4: {"before": true, "after": true, "before_sensitive": true, "after_sensitive": true, "replace_paths": true, "importing": true},
}

// parseJSON reads data, which must hold exactly one JSON value.
func parseJSON(data []byte) (*jvalue, error) {
	p := &parser{data: data, keys: map[string]string{}}
	p.skipWS()
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	p.skipWS()
	if p.i < len(p.data) {
		return nil, p.errf("invalid character %s after the top-level value", p.quoteAt(p.i))
	}
	return v, nil
}

func (p *parser) newValue(k jkind) *jvalue {
	if p.discard > 0 {
		p.scratch = jvalue{kind: k}
		return &p.scratch
	}
	if len(p.chunk) == 0 {
		p.chunk = make([]jvalue, 256)
	}
	v := &p.chunk[0]
	p.chunk = p.chunk[1:]
	v.kind = k
	v.off = int32(min(p.i, 1<<31-1))
	return v
}

// container returns a new object or array.
func (p *parser) container(k jkind) *jvalue {
	// Discarded containers keep nothing: the scratch value will do.
	return p.newValue(k)
}

// key reads an object key, interned: a key seen before costs no
// allocation.
func (p *parser) key() (string, error) {
	start := p.i
	j := p.i + 1
	for j < len(p.data) && p.data[j] != '"' && p.data[j] != '\\' && p.data[j] >= 0x20 && p.data[j] < 0x80 {
		j++
	}
	if j < len(p.data) && p.data[j] == '"' {
		raw := p.data[start+1 : j]
		p.i = j + 1
		if k, ok := p.keys[string(raw)]; ok {
			return k, nil
		}
		k := string(raw)
		if len(p.keys) < 4096 {
			p.keys[k] = k
		}
		return k, nil
	}
	return p.stringLit()
}

func (p *parser) errf(format string, args ...any) error {
	return &jsonSyntaxError{off: p.i, msg: fmt.Sprintf(format, args...)}
}

func (p *parser) quoteAt(i int) string {
	if i >= len(p.data) {
		return "end of input"
	}
	r, _ := utf8.DecodeRune(p.data[i:])
	return strconv.QuoteRune(r)
}

func (p *parser) skipWS() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) value() (*jvalue, error) {
	if p.i >= len(p.data) {
		return nil, p.errf("unexpected end of input: the file is truncated")
	}
	switch c := p.data[p.i]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		v := p.newValue(jstring)
		s, err := p.stringLit()
		v.str = s
		return v, err
	case c == 't' || c == 'f' || c == 'n':
		for _, lit := range []string{"true", "false", "null"} {
			if len(p.data)-p.i >= len(lit) && string(p.data[p.i:p.i+len(lit)]) == lit {
				v := p.newValue(jbool)
				switch lit {
				case "true":
					v.b = true
				case "null":
					v.kind = jnull
				}
				p.i += len(lit)
				return v, nil
			}
		}
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	}
	return nil, p.errf("invalid character %s looking for the beginning of a value", p.quoteAt(p.i))
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return p.errf("values nested more than %d deep", maxDepth)
	}
	return nil
}

func (p *parser) object() (*jvalue, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	v := p.container(jobject)
	p.i++
	p.skipWS()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		return v, nil
	}
	mark := len(p.kbuf)
	defer func() {
		if p.discard == 0 && len(p.kbuf) > mark {
			v.keys = append([]string(nil), p.kbuf[mark:]...)
			v.vals = append([]*jvalue(nil), p.vbuf[mark:]...)
		}
		p.kbuf, p.vbuf = p.kbuf[:mark], p.vbuf[:mark]
	}()
	for {
		if p.i >= len(p.data) {
			return nil, p.errf("unexpected end of input in an object: the file is truncated")
		}
		if p.data[p.i] != '"' {
			return nil, p.errf("invalid character %s looking for an object key", p.quoteAt(p.i))
		}
		k, err := p.key()
		if err != nil {
			return nil, err
		}
		p.skipWS()
		if p.i >= len(p.data) || p.data[p.i] != ':' {
			if p.i >= len(p.data) {
				return nil, p.errf("unexpected end of input after an object key: the file is truncated")
			}
			return nil, p.errf("invalid character %s after object key %q (want ':')", p.quoteAt(p.i), k)
		}
		p.i++
		p.skipWS()
		skip := p.discard == 0 && skipAt[p.depth][k]
		if skip {
			p.discard++
		}
		e, err := p.value()
		if skip {
			p.discard--
		}
		if err != nil {
			return nil, err
		}
		if p.discard == 0 && !skip {
			p.kbuf = append(p.kbuf, k)
			p.vbuf = append(p.vbuf, e)
		}
		p.skipWS()
		if p.i >= len(p.data) {
			return nil, p.errf("unexpected end of input in an object: the file is truncated")
		}
		switch p.data[p.i] {
		case ',':
			p.i++
			p.skipWS()
		case '}':
			p.i++
			return v, nil
		default:
			return nil, p.errf("invalid character %s after an object member (want ',' or '}')", p.quoteAt(p.i))
		}
	}
}

func (p *parser) array() (*jvalue, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	v := p.container(jarray)
	p.i++
	p.skipWS()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		return v, nil
	}
	mark := len(p.ebuf)
	defer func() {
		if p.discard == 0 && len(p.ebuf) > mark {
			v.elems = append([]*jvalue(nil), p.ebuf[mark:]...)
		}
		p.ebuf = p.ebuf[:mark]
	}()
	for {
		e, err := p.value()
		if err != nil {
			return nil, err
		}
		if p.discard == 0 {
			p.ebuf = append(p.ebuf, e)
		}
		p.skipWS()
		if p.i >= len(p.data) {
			return nil, p.errf("unexpected end of input in an array: the file is truncated")
		}
		switch p.data[p.i] {
		case ',':
			p.i++
			p.skipWS()
		case ']':
			p.i++
			return v, nil
		default:
			return nil, p.errf("invalid character %s after an array element (want ',' or ']')", p.quoteAt(p.i))
		}
	}
}

// stringLit reads the string literal at p.i.
func (p *parser) stringLit() (string, error) {
	start := p.i
	j := p.i + 1
	simple := true
	for j < len(p.data) {
		c := p.data[j]
		if c == '"' {
			break
		}
		if c < 0x20 {
			p.i = j
			return "", p.errf("invalid control character in a string")
		}
		if c == '\\' {
			simple = false
			j++
		} else if c >= 0x80 {
			simple = false
		}
		j++
	}
	if j >= len(p.data) {
		return "", p.errf("unterminated string: the file is truncated")
	}
	p.i = j + 1
	if simple {
		if p.discard > 0 {
			return "", nil
		}
		return string(p.data[start+1 : j]), nil
	}
	lit := p.data[start:p.i]
	if !utf8.Valid(lit) {
		p.i = start
		return "", p.errf("invalid UTF-8 in a string")
	}
	var s string
	if err := json.Unmarshal(lit, &s); err != nil {
		p.i = start
		return "", p.errf("invalid string literal: %s", trimJSONPrefix(err.Error()))
	}
	return s, nil
}

func trimJSONPrefix(s string) string {
	if len(s) > 6 && s[:6] == "json: " {
		return s[6:]
	}
	return s
}

// number reads a number literal at p.i, checking its grammar.
func (p *parser) number() (*jvalue, error) {
	v := p.newValue(jnumber)
	start := p.i
	d := p.data
	i := p.i
	if d[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(d) && d[i] == '0' {
		i++
	} else if digits() == 0 {
		p.i = i
		return nil, p.errf("invalid number: want a digit, got %s", p.quoteAt(i))
	}
	if i < len(d) && d[i] == '.' {
		i++
		if digits() == 0 {
			p.i = i
			return nil, p.errf("invalid number: want a digit after '.', got %s", p.quoteAt(i))
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if digits() == 0 {
			p.i = i
			return nil, p.errf("invalid number: want a digit in the exponent, got %s", p.quoteAt(i))
		}
	}
	p.i = i
	v.str = string(d[start:i])
	return v, nil
}

// lineIndex turns byte offsets into lines and columns.
type lineIndex struct {
	data   []byte
	starts []int32 // offset of each line's first byte; built on first use
}

// pos returns the 1-based line and column (in bytes) of offset off.
func (x *lineIndex) pos(off int) (line, col int) {
	if x.starts == nil {
		x.starts = append(x.starts, 0)
		for i, c := range x.data {
			if c == '\n' {
				x.starts = append(x.starts, int32(i+1))
			}
		}
	}
	off = max(0, min(off, len(x.data)))
	l := sort.Search(len(x.starts), func(i int) bool { return int(x.starts[i]) > off }) - 1
	return l + 1, off - int(x.starts[l]) + 1
}
