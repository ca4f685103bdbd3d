package awsimport

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// A small JSON decoder for the AWS structs of this package: strings,
// booleans, integers, pointers, slices and structs whose fields are named
// as AWS names them (matched exactly, else case-insensitively). Snapshots
// run to hundreds of megabytes, mostly fields vpcreach does not read; this
// decoder reads in one pass, skips unread values without decoding them,
// and is several times faster than encoding/json on such input. Syntax
// errors and values of the wrong type are reported with their offset.

// jsonError is a decoding error at an offset of the file.
type jsonError struct {
	off  int
	msg  string
	typ  bool   // a value of the wrong type, not a syntax error
	path string // where the value of the wrong type is, such as Subnets[0].CidrBlock
}

func (e *jsonError) Error() string {
	if e.path != "" {
		return e.path + ": " + e.msg
	}
	return e.msg
}

// in prefixes the path of a type error with the key or index it is in.
func (e *jsonError) in(step string) {
	if !e.typ {
		return
	}
	switch {
	case e.path == "":
		e.path = step
	case strings.HasPrefix(e.path, "["):
		e.path = step + e.path
	default:
		e.path = step + "." + e.path
	}
}

func syntaxErr(off int, format string, args ...any) error {
	return &jsonError{off: off, msg: fmt.Sprintf(format, args...)}
}

// structInfo is the decoding plan of a struct type.
type structInfo struct {
	exact  map[string]int // JSON name -> field index
	fields []fieldName
}

type fieldName struct {
	name  string
	index int
}

var structInfos sync.Map // reflect.Type -> *structInfo

func infoOf(t reflect.Type) *structInfo {
	if si, ok := structInfos.Load(t); ok {
		return si.(*structInfo)
	}
	si := &structInfo{exact: map[string]int{}}
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
	}
	structInfos.Store(t, si)
	return si
}

// field finds the field for a JSON key: exactly, else ignoring case, as
// encoding/json does.
func (si *structInfo) field(key []byte) (int, bool) {
	if i, ok := si.exact[string(key)]; ok {
		return i, true
	}
	for _, f := range si.fields {
		if strings.EqualFold(f.name, string(key)) {
			return f.index, true
		}
	}
	return 0, false
}

// decodeJSON decodes the value at data[i:] into v and returns the index
// after it.
func decodeJSON(data []byte, i int, v reflect.Value) (int, error) {
	return decodeValue(data, i, v, nil, nil)
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

// decodeValue is decodeJSON with, for an object, a tracker of the lists
// under some of its keys, and for a list, a hook called with the offset of
// each element.
func decodeValue(data []byte, i int, v reflect.Value, tr *tracker, h *hook) (int, error) {
	i = skipWS(data, i)
	if i >= len(data) {
		return i, syntaxErr(i, "unexpected end of JSON input")
	}
	c := data[i]
	if c == 'n' {
		if !hasLiteral(data, i, "null") {
			return i, syntaxErr(i, "invalid character %q looking for beginning of value", c)
		}
		v.SetZero()
		return i + 4, nil
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		return decodeValue(data, i, v.Elem(), tr, h)
	case reflect.Struct:
		if c != '{' {
			return i, typeErr(data, i, v.Type())
		}
		si := infoOf(v.Type())
		i = skipWS(data, i+1)
		if i < len(data) && data[i] == '}' {
			return i + 1, nil
		}
		for {
			if i >= len(data) || data[i] != '"' {
				return i, syntaxErr(i, "expected a key")
			}
			end := endOfString(data, i)
			key := data[i+1 : max(i+1, end-1)]
			i = skipWS(data, end)
			if i >= len(data) || data[i] != ':' {
				return i, syntaxErr(i, "expected ':' after a key")
			}
			i = skipWS(data, i+1)
			var err error
			if fi, ok := si.field(key); ok {
				var h *hook
				if tr != nil {
					for _, k := range tr.keys {
						if k == string(key) {
							h = &hook{tr, k}
						}
					}
				}
				i, err = decodeValue(data, i, v.Field(fi), nil, h)
			} else {
				i, err = skipJSON(data, i)
			}
			if err != nil {
				if je, ok := err.(*jsonError); ok {
					je.in(string(key))
				}
				return i, err
			}
			var done bool
			if i, done, err = afterElement(data, i, '}', "object key:value pair"); done || err != nil {
				return i, err
			}
		}
	case reflect.Slice:
		if c != '[' {
			return i, typeErr(data, i, v.Type())
		}
		i = skipWS(data, i+1)
		n := 0
		if v.IsNil() {
			v.Set(reflect.MakeSlice(v.Type(), 0, 1)) // most AWS lists hold one element
		}
		if i < len(data) && data[i] == ']' {
			return i + 1, nil
		}
		for {
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
			if i, err = decodeJSON(data, i, v.Index(n)); err != nil {
				if je, ok := err.(*jsonError); ok {
					je.in("[" + strconv.Itoa(n) + "]")
				}
				return i, err
			}
			n++
			var done bool
			if i, done, err = afterElement(data, i, ']', "array element"); done || err != nil {
				return i, err
			}
		}
	case reflect.String:
		if c != '"' {
			return i, typeErr(data, i, v.Type())
		}
		s, end, err := readString(data, i)
		if err != nil {
			return end, err
		}
		v.SetString(s)
		return end, nil
	case reflect.Bool:
		switch {
		case hasLiteral(data, i, "true"):
			v.SetBool(true)
			return i + 4, nil
		case hasLiteral(data, i, "false"):
			v.SetBool(false)
			return i + 5, nil
		}
		return i, typeErr(data, i, v.Type())
	case reflect.Int, reflect.Int32, reflect.Int64:
		end := i
		for end < len(data) && (data[end] == '-' || data[end] == '+' || data[end] == '.' || data[end] == 'e' || data[end] == 'E' || (data[end] >= '0' && data[end] <= '9')) {
			end++
		}
		if end == i {
			return i, typeErr(data, i, v.Type())
		}
		n, err := strconv.ParseInt(string(data[i:end]), 10, 64)
		if err != nil {
			f, ferr := strconv.ParseFloat(string(data[i:end]), 64)
			if ferr != nil || f != float64(int64(f)) {
				return i, &jsonError{off: i, msg: fmt.Sprintf("number %s does not fit %s", data[i:end], v.Type()), typ: true}
			}
			n = int64(f)
		}
		v.SetInt(n)
		return end, nil
	case reflect.Interface:
		end, err := skipJSON(data, i)
		if err != nil {
			return end, err
		}
		var x any
		if err := json.Unmarshal(data[i:end], &x); err != nil {
			return i, syntaxErr(i, "%s", err)
		}
		v.Set(reflect.ValueOf(x))
		return end, nil
	}
	return i, fmt.Errorf("awsimport: cannot decode into %s", v.Type())
}

func hasLiteral(data []byte, i int, lit string) bool {
	return len(data)-i >= len(lit) && string(data[i:i+len(lit)]) == lit
}

// typeErr reports a value of the wrong type.
func typeErr(data []byte, i int, t reflect.Type) error {
	what := "value"
	switch data[i] {
	case '"':
		what = "string"
	case '{':
		what = "object"
	case '[':
		what = "array"
	case 't', 'f':
		what = "boolean"
	default:
		if data[i] == '-' || (data[i] >= '0' && data[i] <= '9') {
			what = "number"
		} else {
			return syntaxErr(i, "invalid character %q looking for beginning of value", data[i])
		}
	}
	want := t.Kind().String()
	switch t.Kind() {
	case reflect.Struct:
		want = "object"
	case reflect.Slice:
		want = "array"
	case reflect.Int, reflect.Int32, reflect.Int64:
		want = "number"
	case reflect.Bool:
		want = "boolean"
	}
	return &jsonError{off: i, msg: fmt.Sprintf("a %s where a %s belongs", what, want), typ: true}
}

// readString decodes the string literal at data[i].
func readString(data []byte, i int) (string, int, error) {
	j := i + 1
	for j < len(data) {
		c := data[j]
		if c == '"' {
			return string(data[i+1 : j]), j + 1, nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		j++
	}
	// Escapes or control characters: let encoding/json decide.
	end := endOfString(data, i)
	if end > len(data) || data[end-1] != '"' || end == i+1 {
		return "", end, syntaxErr(i, "unterminated string")
	}
	var s string
	if err := json.Unmarshal(data[i:end], &s); err != nil {
		return "", end, syntaxErr(i, "%s", strings.TrimPrefix(err.Error(), "json: "))
	}
	return s, end, nil
}

// skipJSON returns the index after the value at data[i], checking its
// brackets and strings.
func skipJSON(data []byte, i int) (int, error) {
	if i >= len(data) {
		return i, syntaxErr(i, "unexpected end of JSON input")
	}
	switch data[i] {
	case '"':
		end := endOfString(data, i)
		if end > len(data) || end == i+1 || data[end-1] != '"' {
			return end, syntaxErr(i, "unterminated string")
		}
		return end, nil
	case '{', '[':
		end := skipValue(data, i)
		if end > len(data) || (data[end-1] != '}' && data[end-1] != ']') {
			return end, syntaxErr(i, "unexpected end of JSON input")
		}
		return end, nil
	}
	end := skipValue(data, i)
	if end == i {
		return i, syntaxErr(i, "invalid character %q looking for beginning of value", data[i])
	}
	return end, nil
}

// afterElement reads what follows an object member or array element at i:
// a comma (and the whitespace after it) or the closing byte, which ends
// the value (done).
func afterElement(data []byte, i int, closing byte, what string) (next int, done bool, err error) {
	i = skipWS(data, i)
	if i >= len(data) {
		return i, false, syntaxErr(i, "unexpected end of JSON input")
	}
	switch data[i] {
	case ',':
		return skipWS(data, i+1), false, nil
	case closing:
		return i + 1, true, nil
	}
	return i, false, syntaxErr(i, "invalid character %q after %s", data[i], what)
}
