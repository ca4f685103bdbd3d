package awsimport

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/vpcreach/vpcreach/model"
)

// A strict JSON decoder for the AWS structs of this package: strings,
// booleans, integers, pointers, slices and structs whose fields are named
// as AWS names them (matched exactly, else ignoring case, as
// encoding/json does), and the positioned values jsonInt and jsonText.
// Snapshots run to hundreds of megabytes, mostly fields vpcreach does not
// read; this decoder reads in one pass, checks the values it skips as
// strictly as those it decodes, without decoding them, and is several
// times faster than encoding/json on such input.
//
// It accepts exactly the texts encoding/json accepts, and decodes the same
// values (FuzzDecoderMatchesEncodingJSON checks both), with two deliberate
// differences, both errors here:
//
//   - a key given twice in an object decoded into a struct (encoding/json
//     keeps the last value): which one AWS meant is unknown;
//   - invalid UTF-8 in a string (encoding/json replaces it with U+FFFD): the
//     file is damaged, and the text would not survive export.
//
// Integers are integer literals, as for encoding/json: 22.0 and 2e1 are
// not ports. Every error carries the offset of the byte at fault.

// maxDepth is how deep arrays and objects may nest: encoding/json's limit.
const maxDepth = 10000

// jsonError is a decoding error at an offset of the file.
type jsonError struct {
	off  int
	msg  string
	typ  bool   // a value of the wrong type, not a syntax error
	path string // the value at fault, such as Subnets[0].CidrBlock
	// first is the offset of the first occurrence of a key given twice (a
	// key is never at offset 0); 0 otherwise.
	first int
	// badUTF8: invalid UTF-8 in a string, which encoding/json accepts.
	badUTF8 bool
}

func (e *jsonError) Error() string {
	if e.path != "" {
		return e.path + ": " + e.msg
	}
	return e.msg
}

// in prefixes the path of the error with the key or index it is in.
func (e *jsonError) in(step string) {
	switch {
	case e.path == "":
		e.path = step
	case strings.HasPrefix(e.path, "["):
		e.path = step + e.path
	default:
		e.path = step + "." + e.path
	}
}

func syntaxErr(off int, format string, args ...any) *jsonError {
	return &jsonError{off: off, msg: fmt.Sprintf(format, args...)}
}

// jsonInt is an integer of a snapshot with where it is written, for the
// values checked against what AWS writes (ports, ICMP types and codes,
// rule numbers), so that a bad one is reported at its line and column.
// Pos is zero for values not read from a file.
type jsonInt struct {
	V   int
	Pos model.Position
}

// jsonText is a string of a snapshot with where it is written (CIDR
// blocks), as jsonInt is for integers.
type jsonText struct {
	S   string
	Pos model.Position
}

// MarshalJSON writes the integer.
func (n jsonInt) MarshalJSON() ([]byte, error) { return strconv.AppendInt(nil, int64(n.V), 10), nil }

// UnmarshalJSON reads an integer (null leaves it unchanged), for
// encoding/json, with which the decoder is compared.
func (n *jsonInt) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	return json.Unmarshal(b, &n.V)
}

// MarshalJSON writes the string.
func (t jsonText) MarshalJSON() ([]byte, error) { return json.Marshal(t.S) }

// UnmarshalJSON reads a string (null leaves it unchanged), as
// jsonInt.UnmarshalJSON does.
func (t *jsonText) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	return json.Unmarshal(b, &t.S)
}

// jsonNum and jsonStr are set in the integer and string of a positioned
// value.
func jsonNum(v int) *jsonInt     { return &jsonInt{V: v} }
func jsonStr(s string) *jsonText { return &jsonText{S: s} }

var (
	jsonIntType  = reflect.TypeFor[jsonInt]()
	jsonTextType = reflect.TypeFor[jsonText]()
)

// structInfo is the decoding plan of a struct type.
type structInfo struct {
	exact map[string]int // JSON name -> field index
	// lower maps JSON names in lower case to their first field, when all
	// names are ASCII (nonASCII is false).
	lower    map[string]int
	nonASCII bool
	// names has bit nameBit(name) set for every ASCII name, so that most
	// keys no field takes are known after one test.
	names  uint64
	fields []fieldName
}

// nameBit is the bit of names for a name of length n starting with c (in
// lower case).
func nameBit(n int, c byte) uint64 { return 1 << ((n*5 + int(c|0x20)) & 63) }

type fieldName struct {
	name  string
	index int
}

var structInfos sync.Map // reflect.Type -> *structInfo

func infoOf(t reflect.Type) *structInfo {
	if si, ok := structInfos.Load(t); ok {
		return si.(*structInfo)
	}
	si := &structInfo{exact: map[string]int{}, lower: map[string]int{}}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name := f.Name
		if tag, ok := f.Tag.Lookup("json"); ok {
			if n, _, _ := strings.Cut(tag, ","); n == "-" {
				continue
			} else if n != "" {
				name = n
			}
		}
		si.exact[name] = i
		si.fields = append(si.fields, fieldName{name, i})
		if !isASCII(name) || name == "" {
			si.nonASCII = true
			continue
		}
		si.names |= nameBit(len(name), name[0])
		if _, ok := si.lower[strings.ToLower(name)]; !ok {
			si.lower[strings.ToLower(name)] = i
		}
	}
	structInfos.Store(t, si)
	return si
}

// field finds the field for a JSON key: exactly, else ignoring case, as
// encoding/json does (the first field of the name, by Unicode folding).
func (si *structInfo) field(key []byte) (int, bool) {
	if i, ok := si.exact[string(key)]; ok {
		return i, true
	}
	var buf [64]byte
	if len(key) <= len(buf) && !si.nonASCII {
		ascii := true
		for k, c := range key {
			if c >= 0x80 {
				ascii = false
				break
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[k] = c
		}
		if ascii {
			if len(key) == 0 || si.names&nameBit(len(key), key[0]) == 0 {
				return 0, false // no field has a name of this length and first letter
			}
			i, ok := si.lower[string(buf[:len(key)])]
			return i, ok
		}
	}
	// Long keys, and keys with non-ASCII letters, which may fold to
	// ASCII ones (the Kelvin sign to k, the long s to s).
	k := string(key)
	for _, f := range si.fields {
		if strings.EqualFold(f.name, k) {
			return f.index, true
		}
	}
	return 0, false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// name returns the JSON name of field index i.
func (si *structInfo) name(i int) string {
	for _, f := range si.fields {
		if f.index == i {
			return f.name
		}
	}
	return ""
}

// decoder decodes one JSON text, data.
type decoder struct {
	data []byte
	// depth is how many arrays and objects enclose the value being read.
	depth int
	// members are the keys read so far of the objects being decoded into
	// structs, innermost object last, for keys given twice.
	members []member
	// file, when not nil, turns offsets into positions for jsonInt and
	// jsonText.
	file *jsonFile
}

// member is a key of an object being decoded: the struct field it sets
// (-1 for none), and where the key is written, data[off:end].
type member struct {
	field, off, end int
	escaped         bool
}

// tracker asks decodeValue for the offsets of the elements of some lists
// of the object it decodes (the routes of a route table, ...), for
// positions.
type tracker struct {
	keys []string
	fn   func(key string, idx, off int)
}

// hook is a tracked list: its elements' offsets go to the tracker.
type hook struct {
	tr  *tracker
	key string
}

// decodeAll decodes the whole of d.data, one value with nothing but
// whitespace around it, into v.
func (d *decoder) decodeAll(v reflect.Value) error {
	i, err := d.value(skipWS(d.data, 0), v, nil, nil)
	if err != nil {
		return err
	}
	return d.end(i)
}

// end checks that nothing but whitespace follows the top-level value,
// which ends at i.
func (d *decoder) end(i int) error {
	if i = skipWS(d.data, i); i < len(d.data) {
		return syntaxErr(i, "expected the end of the file after the top-level value, found %s", d.found(i))
	}
	return nil
}

// value decodes the value at data[i:] into v and returns the index after
// it. For an object, tr tracks the elements of some of its lists; for a
// list, h is called with the offset of each element.
func (d *decoder) value(i int, v reflect.Value, tr *tracker, h *hook) (int, error) {
	data := d.data
	i = skipWS(data, i)
	if i >= len(data) {
		return i, d.expectedValue(i)
	}
	c := data[i]
	if c == 'n' {
		end, err := d.literal(i, "null")
		if err == nil {
			v.SetZero()
		}
		return end, err
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		return d.value(i, v.Elem(), tr, h)
	case reflect.Struct:
		switch v.Type() {
		case jsonIntType, jsonTextType:
			return d.positioned(i, v.Field(0), v.Field(1))
		}
		if c != '{' {
			return d.typeErr(i, v.Type())
		}
		return d.object(i, v, tr)
	case reflect.Slice:
		if c != '[' {
			return d.typeErr(i, v.Type())
		}
		return d.array(i, v, h)
	case reflect.String:
		if c != '"' {
			return d.typeErr(i, v.Type())
		}
		s, end, err := d.str(i)
		if err != nil {
			return end, err
		}
		v.SetString(s)
		return end, nil
	case reflect.Bool:
		switch c {
		case 't':
			end, err := d.literal(i, "true")
			if err == nil {
				v.SetBool(true)
			}
			return end, err
		case 'f':
			end, err := d.literal(i, "false")
			if err == nil {
				v.SetBool(false)
			}
			return end, err
		}
		return d.typeErr(i, v.Type())
	case reflect.Int, reflect.Int32, reflect.Int64:
		if c != '-' && (c < '0' || c > '9') {
			return d.typeErr(i, v.Type())
		}
		end, integer, err := d.number(i)
		if err != nil {
			return end, err
		}
		n, perr := strconv.ParseInt(string(data[i:end]), 10, v.Type().Bits())
		switch {
		case !integer:
			return i, &jsonError{off: i, msg: fmt.Sprintf("the number %s where an integer belongs", data[i:end]), typ: true}
		case perr != nil:
			return i, &jsonError{off: i, msg: fmt.Sprintf("the number %s is out of range", data[i:end]), typ: true}
		}
		v.SetInt(n)
		return end, nil
	}
	panic(fmt.Sprintf("awsimport: cannot decode into %s", v.Type()))
}

// positioned decodes the value of a jsonInt or jsonText into its field
// val, and its position into pos.
func (d *decoder) positioned(i int, val, pos reflect.Value) (int, error) {
	end, err := d.value(i, val, nil, nil)
	if err != nil {
		return end, err
	}
	if d.file != nil {
		*pos.Addr().Interface().(*model.Position) = d.file.pos(i)
	}
	return end, nil
}

// object decodes the object at data[i] into the struct v.
func (d *decoder) object(i int, v reflect.Value, tr *tracker) (int, error) {
	data := d.data
	if err := d.enter(i); err != nil {
		return i, err
	}
	si := infoOf(v.Type())
	base := len(d.members)
	var seen seenKeys
	defer func() { d.members = d.members[:base]; d.depth-- }()
	i = skipWS(data, i+1)
	if i < len(data) && data[i] == '}' {
		return i + 1, nil
	}
	for {
		if i >= len(data) || data[i] != '"' {
			return i, d.expectedKey(i)
		}
		keyOff := i
		key, end, err := d.key(i)
		if err != nil {
			return end, err
		}
		fi, ok := si.field(key)
		if !ok {
			fi = -1
		}
		if err := d.member(base, &seen, fi, key, keyOff, end); err != nil {
			return keyOff, err
		}
		if i, err = d.colon(end, key); err != nil {
			return i, err
		}
		if ok {
			var h *hook
			if tr != nil {
				name := si.name(fi)
				for _, k := range tr.keys {
					if k == name {
						h = &hook{tr, k}
					}
				}
			}
			i, err = d.value(i, v.Field(fi), nil, h)
		} else {
			i, err = d.skip(i)
		}
		if err != nil {
			if je, ok := err.(*jsonError); ok {
				je.in(string(key))
			}
			return i, err
		}
		var done bool
		if i, done, err = d.afterMember(i); done || err != nil {
			return i, err
		}
	}
}

// seenKeys summarises the keys of an object read so far, so that most
// keys are known to be new without comparing them with the others: one bit
// per field index (modulo 64), one per hash of a key no field takes.
type seenKeys struct{ fields, keys uint64 }

// member records a key of the object whose members start at
// d.members[base], and fails when it was given before: the same field
// (whatever the case of its key), or the same key that no field takes.
// The key is written at data[off:end]; key is its text.
func (d *decoder) member(base int, seen *seenKeys, field int, key []byte, off, end int) error {
	var bit uint64
	var set *uint64
	if field >= 0 {
		bit, set = 1<<(field&63), &seen.fields
	} else {
		h := len(key)
		if len(key) > 0 {
			h = h*7 + int(key[0])*3 + int(key[len(key)-1])
		}
		bit, set = 1<<(h&63), &seen.keys
	}
	if *set&bit != 0 {
		for _, m := range d.members[base:] {
			if field >= 0 && m.field == field || field < 0 && m.field < 0 && string(d.memberKey(m)) == string(key) {
				return &jsonError{off: off, first: m.off, msg: fmt.Sprintf("key %q given twice", key)}
			}
		}
	}
	*set |= bit
	d.members = append(d.members, member{field: field, off: off, end: end, escaped: end-off-2 != len(key) || string(d.data[off+1:end-1]) != string(key)})
	return nil
}

// memberKey returns the text of a key read before.
func (d *decoder) memberKey(m member) []byte {
	if !m.escaped {
		return d.data[m.off+1 : m.end-1]
	}
	key, _, _ := d.key(m.off)
	return key
}

// array decodes the array at data[i] into the slice v.
func (d *decoder) array(i int, v reflect.Value, h *hook) (int, error) {
	data := d.data
	if err := d.enter(i); err != nil {
		return i, err
	}
	defer func() { d.depth-- }()
	i = skipWS(data, i+1)
	n := 0
	if v.IsNil() {
		v.Set(reflect.MakeSlice(v.Type(), 0, 1)) // most AWS lists hold one element
	}
	if i < len(data) && data[i] == ']' {
		return i + 1, nil
	}
	for {
		if i < len(data) && data[i] == ']' {
			return i, syntaxErr(i, "a comma before ']': JSON has no trailing commas")
		}
		if n >= v.Cap() {
			nv := reflect.MakeSlice(v.Type(), n, max(2, 2*n))
			reflect.Copy(nv, v)
			v.Set(nv)
		}
		v.SetLen(n + 1)
		if h != nil {
			h.tr.fn(h.key, n, i)
		}
		var err error
		if i, err = d.value(i, v.Index(n), nil, nil); err != nil {
			if je, ok := err.(*jsonError); ok {
				je.in("[" + strconv.Itoa(n) + "]")
			}
			return i, err
		}
		n++
		var done bool
		if i, done, err = d.afterElement(i); done || err != nil {
			return i, err
		}
	}
}

// enter steps into an array or object at data[i].
func (d *decoder) enter(i int) error {
	if d.depth++; d.depth > maxDepth {
		return syntaxErr(i, "arrays and objects nested deeper than %d", maxDepth)
	}
	return nil
}

// key reads the key at data[i]: its text (unescaped), and the index after
// it.
func (d *decoder) key(i int) ([]byte, int, error) {
	end, escaped, err := d.scanString(i)
	if err != nil || !escaped {
		return d.data[i+1 : max(i+1, end-1)], end, err
	}
	s, end, err := d.str(i)
	return []byte(s), end, err
}

// colon reads the ':' after key, which ends at i, and the whitespace
// after it.
func (d *decoder) colon(i int, key []byte) (int, error) {
	i = skipWS(d.data, i)
	if i >= len(d.data) || d.data[i] != ':' {
		return i, syntaxErr(i, "expected ':' after the key %q, found %s", key, d.found(i))
	}
	return skipWS(d.data, i+1), nil
}

// afterMember reads what follows an object member at i: a comma and the
// whitespace after it, or the closing brace, which ends the object
// (done).
func (d *decoder) afterMember(i int) (next int, done bool, err error) {
	data := d.data
	i = skipWS(data, i)
	switch {
	case i >= len(data):
	case data[i] == ',':
		return skipWS(data, i+1), false, nil
	case data[i] == '}':
		return i + 1, true, nil
	}
	return i, false, syntaxErr(i, "expected ',' or '}' after an object member, found %s", d.found(i))
}

// afterElement is afterMember for arrays.
func (d *decoder) afterElement(i int) (next int, done bool, err error) {
	data := d.data
	i = skipWS(data, i)
	switch {
	case i >= len(data):
	case data[i] == ',':
		return skipWS(data, i+1), false, nil
	case data[i] == ']':
		return i + 1, true, nil
	}
	return i, false, syntaxErr(i, "expected ',' or ']' after an array element, found %s", d.found(i))
}

// expectedKey reports what stands where a key belongs.
func (d *decoder) expectedKey(i int) error {
	if i < len(d.data) && d.data[i] == '}' {
		return syntaxErr(i, "a comma before '}': JSON has no trailing commas")
	}
	return syntaxErr(i, "expected a key (a string in double quotes), found %s", d.found(i))
}

// expectedValue reports what stands where a value belongs.
func (d *decoder) expectedValue(i int) error {
	return syntaxErr(i, "expected a value, found %s", d.found(i))
}

// found describes what stands at data[i], for messages: the end of the
// file, a word (a bare word or a misspelt literal), or a character.
func (d *decoder) found(i int) string {
	data := d.data
	if i >= len(data) {
		return "the end of the file"
	}
	j := i
	for j < len(data) && j-i < 24 && (isAlnum(data[j]) || data[j] == '_') {
		j++
	}
	if j > i+1 {
		return strconv.Quote(string(data[i:j]))
	}
	c := data[i]
	switch {
	case c == '\'':
		return `'\''`
	case c >= 0x20 && c < 0x7f:
		return "'" + string(c) + "'"
	case c < 0x80:
		return fmt.Sprintf("the control character U+%04X", c)
	}
	if r, n := utf8.DecodeRune(data[i:]); r != utf8.RuneError || n > 1 {
		return fmt.Sprintf("%q", r)
	}
	return fmt.Sprintf("the byte 0x%02x (not UTF-8)", c)
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// literal reads the literal lit (true, false or null) at data[i].
func (d *decoder) literal(i int, lit string) (int, error) {
	end := i + len(lit)
	if len(d.data) >= end && string(d.data[i:end]) == lit && (end == len(d.data) || !isAlnum(d.data[end])) {
		return end, nil
	}
	return i, d.expectedValue(i)
}

// typeErr reports a value of the wrong type at data[i], or a syntax error
// when there is no value there.
func (d *decoder) typeErr(i int, t reflect.Type) (int, error) {
	what := ""
	switch c := d.data[i]; {
	case c == '"':
		what = "a string"
	case c == '{':
		what = "an object"
	case c == '[':
		what = "an array"
	case c == 't' || c == 'f':
		what = "a boolean"
	case c == '-' || c >= '0' && c <= '9':
		what = "a number"
	}
	// A value of the wrong type is reported once the text is known to be
	// JSON there: a syntax error is the root cause.
	end, err := d.skip(i)
	if err != nil || what == "" {
		if err == nil {
			err = d.expectedValue(i)
		}
		return end, err
	}
	want := "a " + t.Kind().String()
	switch t.Kind() {
	case reflect.Struct:
		want = "an object"
	case reflect.Slice:
		want = "an array"
	case reflect.Int, reflect.Int32, reflect.Int64:
		want = "an integer"
	case reflect.Bool:
		want = "a boolean"
	}
	return i, &jsonError{off: i, msg: fmt.Sprintf("%s where %s belongs", what, want), typ: true}
}

// skip returns the index after the value at data[i], checking it as
// strictly as if it were decoded.
func (d *decoder) skip(i int) (int, error) {
	data := d.data
	if i >= len(data) {
		return i, d.expectedValue(i)
	}
	switch c := data[i]; c {
	case '"':
		end, _, err := d.scanString(i)
		return end, err
	case '{':
		if err := d.enter(i); err != nil {
			return i, err
		}
		i = skipWS(data, i+1)
		if i < len(data) && data[i] == '}' {
			d.depth--
			return i + 1, nil
		}
		for {
			if i >= len(data) || data[i] != '"' {
				return i, d.expectedKey(i)
			}
			key, end, err := d.key(i)
			if err != nil {
				return end, err
			}
			if i, err = d.colon(end, key); err != nil {
				return i, err
			}
			if i, err = d.skip(i); err != nil {
				return i, err
			}
			var done bool
			if i, done, err = d.afterMember(i); err != nil || done {
				d.depth--
				return i, err
			}
		}
	case '[':
		if err := d.enter(i); err != nil {
			return i, err
		}
		i = skipWS(data, i+1)
		if i < len(data) && data[i] == ']' {
			d.depth--
			return i + 1, nil
		}
		for {
			if i < len(data) && data[i] == ']' {
				return i, syntaxErr(i, "a comma before ']': JSON has no trailing commas")
			}
			var err error
			if i, err = d.skip(i); err != nil {
				return i, err
			}
			var done bool
			if i, done, err = d.afterElement(i); err != nil || done {
				d.depth--
				return i, err
			}
		}
	case 't':
		return d.literal(i, "true")
	case 'f':
		return d.literal(i, "false")
	case 'n':
		return d.literal(i, "null")
	}
	end, _, err := d.number(i)
	return end, err
}

// number reads the number at data[i] and returns the index after it and
// whether it is an integer (no fraction, no exponent).
func (d *decoder) number(i int) (end int, integer bool, err error) {
	data := d.data
	j := i
	if j < len(data) && data[j] == '-' {
		j++
	}
	switch {
	case j < len(data) && data[j] == '0':
		j++
		if j < len(data) && data[j] >= '0' && data[j] <= '9' {
			return i, false, syntaxErr(i, "the number %s has a leading zero", d.numberText(i))
		}
	case j < len(data) && data[j] >= '1' && data[j] <= '9':
		for j++; j < len(data) && data[j] >= '0' && data[j] <= '9'; j++ {
		}
	case j == i:
		return i, false, d.expectedValue(i)
	default:
		return j, false, syntaxErr(j, "expected a digit after '-', found %s", d.found(j))
	}
	integer = true
	if j < len(data) && data[j] == '.' {
		integer = false
		j++
		if j >= len(data) || data[j] < '0' || data[j] > '9' {
			return j, false, syntaxErr(j, "expected a digit after the decimal point, found %s", d.found(j))
		}
		for j++; j < len(data) && data[j] >= '0' && data[j] <= '9'; j++ {
		}
	}
	if j < len(data) && (data[j] == 'e' || data[j] == 'E') {
		integer = false
		j++
		if j < len(data) && (data[j] == '+' || data[j] == '-') {
			j++
		}
		if j >= len(data) || data[j] < '0' || data[j] > '9' {
			return j, false, syntaxErr(j, "expected a digit in the exponent, found %s", d.found(j))
		}
		for j++; j < len(data) && data[j] >= '0' && data[j] <= '9'; j++ {
		}
	}
	return j, integer, nil
}

// numberText returns the run of number characters at data[i], for
// messages.
func (d *decoder) numberText(i int) string {
	j := i
	for j < len(d.data) && j-i < 24 && strings.IndexByte("+-.0123456789eE", d.data[j]) >= 0 {
		j++
	}
	return string(d.data[i:j])
}

// plain marks the bytes that stand for themselves in a string: printable
// ASCII but the quote and the backslash.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// scanString checks the string at data[i] (a '"') and returns the index
// after it and whether it holds escapes.
func (d *decoder) scanString(i int) (end int, escaped bool, err error) {
	data := d.data
	j := i + 1
	for {
		for j+8 <= len(data) && plainWord(binary.LittleEndian.Uint64(data[j:])) {
			j += 8
		}
		for j < len(data) && plain[data[j]] {
			j++
		}
		if j >= len(data) {
			return j, false, syntaxErr(i, "unterminated string")
		}
		switch c := data[j]; {
		case c == '"':
			return j + 1, escaped, nil
		case c == '\\':
			escaped = true
			if j+1 >= len(data) {
				return j + 1, false, syntaxErr(i, "unterminated string")
			}
			switch data[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j += 2
			case 'u':
				for k := j + 2; k < j+6; k++ {
					if k >= len(data) || !isHex(data[k]) {
						return j, false, syntaxErr(j, "invalid escape %s in a string: \\u takes four hexadecimal digits", strconv.Quote(string(data[j:min(k+1, len(data))])))
					}
				}
				j += 6
			default:
				e := string(data[j : j+2])
				if c := data[j+1]; c <= 0x20 || c >= 0x7f {
					e = fmt.Sprintf("\\ followed by the byte 0x%02x", c)
				}
				return j, false, syntaxErr(j, "invalid escape %s in a string (JSON has \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX)", e)
			}
		case c < 0x20:
			if c == '\n' || c == '\r' {
				return j, false, syntaxErr(i, "unterminated string (a line break before its closing quote)")
			}
			return j, false, syntaxErr(j, "the control character U+%04X in a string: JSON writes it escaped", c)
		default:
			r, n := utf8.DecodeRune(data[j:])
			if r == utf8.RuneError && n <= 1 {
				e := syntaxErr(j, "invalid UTF-8 in a string (the byte 0x%02x): the file is damaged, or not in UTF-8", c)
				e.badUTF8 = true
				return j, false, e
			}
			j += n
		}
	}
}

// plainWord reports whether the eight bytes of w all stand for themselves
// in a string (plain), testing them at once: none is a quote, a
// backslash, a control character or a byte of a multi-byte character.
func plainWord(w uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	hasZero := func(v uint64) uint64 { return (v - ones) & ^v & highs }
	return (w|hasZero(w^(ones*'"'))|hasZero(w^(ones*'\\'))|(w-ones*0x20)&^w)&highs == 0
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// str decodes the string at data[i].
func (d *decoder) str(i int) (string, int, error) {
	end, escaped, err := d.scanString(i)
	if err != nil {
		return "", end, err
	}
	if !escaped {
		return string(d.data[i+1 : end-1]), end, nil
	}
	// The string is valid: encoding/json unescapes it as it would.
	var s string
	if err := json.Unmarshal(d.data[i:end], &s); err != nil {
		panic("awsimport: a checked string does not unescape: " + err.Error())
	}
	return s, end, nil
}

func skipWS(data []byte, i int) int {
	// The AWS CLI indents by four spaces a level: skip them eight at a
	// time.
	for i+8 <= len(data) && binary.LittleEndian.Uint64(data[i:]) == 0x2020202020202020 {
		i += 8
	}
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\r', '\n':
			i++
		default:
			return i
		}
	}
	return i
}
