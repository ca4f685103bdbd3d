package awsimport

import (
	"fmt"
	"reflect"
	"strconv"

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
//
// This file decodes into Go values; jsonscan.go reads and checks the
// tokens (and skips values); jsonstruct.go holds the plans of the structs
// and the positioned values.

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

// tracker asks value for the offsets of the elements of some lists
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
	if err := d.enter(i); err != nil {
		return i, err
	}
	base := len(d.members)
	i, err := d.fields(i, v, infoOf(v.Type()), tr, base)
	d.members = d.members[:base]
	d.depth--
	return i, err
}

// fields decodes the members of the object at data[i] into the struct v,
// of plan si; its keys go on d.members from base.
func (d *decoder) fields(i int, v reflect.Value, si *structInfo, tr *tracker, base int) (int, error) {
	data := d.data
	var seen seenKeys
	i = skipWS(data, i+1)
	if i < len(data) && data[i] == '}' {
		return i + 1, nil
	}
	for {
		if i >= len(data) || data[i] != '"' {
			return i, d.expectedKey(i)
		}
		keyOff := i
		key, end, escaped, err := d.keyText(i)
		if err != nil {
			return end, err
		}
		fi, ok := si.field(key)
		if !ok {
			fi = -1
		}
		if err := d.member(base, &seen, fi, key, keyOff, end, escaped); err != nil {
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
// The key is written at data[off:end] (with escapes); key is its text.
func (d *decoder) member(base int, seen *seenKeys, field int, key []byte, off, end int, escaped bool) error {
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
	d.members = append(d.members, member{field: field, off: off, end: end, escaped: escaped})
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
