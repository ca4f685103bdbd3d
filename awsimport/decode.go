package awsimport

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

// item is one resource read from a file: its decoded value, where it was
// written, and the scope of its file.
type item[T any] struct {
	v   T
	src model.Source
	sc  *scope
	// nested holds the positions of the elements of some of its lists
	// (the routes of a route table, ...), by key.
	nested []nestedList
}

type nestedList struct {
	key string
	pos []model.Position
}

// at returns the Source of element i of the nested list key, or the
// item's own Source extended by the path when it is not known.
func (it *item[T]) at(key string, i int) model.Source {
	src := model.Source{Position: it.src.Position, Path: it.src.Path + "." + key + "[" + strconv.Itoa(i) + "]"}
	for _, n := range it.nested {
		if n.key == key && i < len(n.pos) {
			src.Position = n.pos[i]
		}
	}
	return src
}

// reader reads snapshot files into a snapshot, then builds the model.
type reader struct {
	snap       snapshot
	diags      model.Diagnostics
	scopes     map[string]*scope
	scopeOrder []string
	files      int
}

func newReader() *reader {
	return &reader{scopes: map[string]*scope{}}
}

func (r *reader) add(sev model.Severity, pos model.Position, path string, err error, format string, args ...any) {
	r.diags = append(r.diags, model.Diagnostic{Severity: sev, Pos: pos, Path: path, Message: fmt.Sprintf(format, args...), Err: err})
}

func (r *reader) errorf(pos model.Position, err error, format string, args ...any) {
	r.add(model.SeverityError, pos, "", err, format, args...)
}

func (r *reader) warnf(pos model.Position, err error, format string, args ...any) {
	r.add(model.SeverityWarning, pos, "", err, format, args...)
}

func (r *reader) notef(pos model.Position, err error, format string, args ...any) {
	r.add(model.SeverityNote, pos, "", err, format, args...)
}

func (r *reader) dirPos(dir string) model.Position {
	if s := r.scopes[dir]; s != nil {
		return model.Position{File: s.file}
	}
	return model.Position{}
}

// jsonFile is a file being decoded, with a line counter that moves forward
// through it.
type jsonFile struct {
	name string
	data []byte
	sc   *scope
	// off is where the counter stands; line and lineStart describe it.
	off, line, lineStart int
}

// pos returns the position of byte offset off. Offsets are asked for in
// increasing order, so counting lines costs one pass over the file.
func (f *jsonFile) pos(off int) model.Position {
	if off < f.off {
		f.off, f.line, f.lineStart = 0, 1, 0
	}
	chunk := f.data[f.off:off]
	if n := bytes.Count(chunk, []byte{'\n'}); n > 0 {
		f.line += n
		f.lineStart = f.off + bytes.LastIndexByte(chunk, '\n') + 1
	}
	f.off = off
	return model.Position{File: f.name, Line: f.line, Column: off - f.lineStart + 1}
}

// handler decodes the value of one top-level key, at data[i], and returns
// the index after it.
type handler struct {
	decode func(r *reader, f *jsonFile, i int, key string) (int, error)
}

// benignKeys are top-level keys of describe-* outputs that hold no
// resources (paging markers, lists of names).
var benignKeys = map[string]bool{
	"NextToken": true, "NextMarker": true, "Marker": true, "IsTruncated": true, "MaxItems": true,
	"ResponseMetadata": true, "ServiceNames": true, "AdditionalRoutesAvailable": true,
	"collector_version": true, "provider": true, "region": true,
}

// readFile decodes one JSON file: every top-level key with a handler, the
// others listed as skipped.
func (r *reader) readFile(name string, data []byte, sc *scope) {
	r.files++
	if sc.file == "" {
		sc.file = name
	}
	r.decodeFile(name, data, sc)
}

// decodeFile is readFile without the bookkeeping of files and scopes, so
// that files can be decoded concurrently, each by its own reader.
func (r *reader) decodeFile(name string, data []byte, sc *scope) {
	f := &jsonFile{name: name, data: data, sc: sc, line: 1}
	i := skipWS(data, 0)
	if len(data) >= 3 && string(data[:3]) == "\xef\xbb\xbf" {
		i = skipWS(data, 3) // a byte order mark
	}
	if i >= len(data) {
		r.notef(model.Position{File: name}, ErrSkipped, "empty file: skipped")
		return
	}
	if data[i] != '{' {
		r.notef(model.Position{File: name, Line: 1, Column: 1}, ErrSkipped, "not a JSON object: skipped (AWS CLI outputs are objects with one key per resource list)")
		return
	}
	var read, unknown []string
	i = skipWS(data, i+1)
	empty := i < len(data) && data[i] == '}'
	for !empty {
		if i >= len(data) || data[i] != '"' {
			r.jsonError(f, syntaxErr(i, "expected a key"))
			return
		}
		key, end, err := readString(data, i)
		if err != nil {
			r.jsonError(f, err)
			return
		}
		i = skipWS(data, end)
		if i >= len(data) || data[i] != ':' {
			r.jsonError(f, syntaxErr(i, "expected ':' after key %q", key))
			return
		}
		i = skipWS(data, i+1)
		switch h, ok := handlers[key]; {
		case key == "provider":
			// An np-guard bundle names its cloud.
			var p string
			end, err := decodeJSON(data, i, reflect.ValueOf(&p).Elem())
			if err != nil || p != "aws" {
				r.errorf(model.Position{File: name, Line: 1, Column: 1}, model.ErrInvalidValue, "bundle of provider %q: only aws bundles are read", p)
				return
			}
			i = end
		case ok:
			if i, err = h.decode(r, f, i, key); err != nil {
				r.jsonError(f, err)
				return
			}
			read = append(read, key)
		default:
			if i, err = skipJSON(data, i); err != nil {
				r.jsonError(f, err)
				return
			}
			if !benignKeys[key] {
				unknown = append(unknown, key)
			}
		}
		var done bool
		if i, done, err = afterElement(data, i, '}', "object key:value pair"); err != nil {
			r.jsonError(f, err)
			return
		}
		if done {
			break
		}
	}
	switch {
	case len(read) == 0 && len(unknown) == 0:
		r.notef(model.Position{File: name, Line: 1, Column: 1}, ErrSkipped, "no resource list: skipped")
	case len(read) == 0:
		r.notef(model.Position{File: name, Line: 1, Column: 1}, ErrSkipped, "skipped: vpcreach does not read %s", quoteList(unknown))
	case len(unknown) > 0:
		r.notef(model.Position{File: name, Line: 1, Column: 1}, ErrSkipped, "keys %s skipped: vpcreach does not read them", quoteList(unknown))
	}
}

func quoteList(keys []string) string {
	q := make([]string, len(keys))
	for i, k := range keys {
		q[i] = strconv.Quote(k)
	}
	return strings.Join(q, ", ")
}

// jsonError reports a decoding error at its offset; the rest of the file
// is not read.
func (r *reader) jsonError(f *jsonFile, err error) {
	je, ok := err.(*jsonError)
	if !ok {
		r.add(model.SeverityError, model.Position{File: f.name}, "", model.ErrSyntax, "JSON: %s", err)
		return
	}
	f.off, f.line, f.lineStart = 0, 1, 0
	pos := f.pos(min(je.off, len(f.data)))
	sentinel := model.ErrSyntax
	if je.typ {
		sentinel = model.ErrType
	}
	r.add(model.SeverityError, pos, je.path, sentinel, "JSON: %s (the rest of the file is not read)", je.msg)
}

// list returns a handler that decodes a list of T, recording each
// element's position and, for the nested keys, the positions of the
// elements of those lists.
func list[T any](dst func(*snapshot) *[]item[T], nested ...string) handler {
	return handler{decode: func(r *reader, f *jsonFile, i int, key string) (int, error) {
		data := f.data
		if i >= len(data) {
			return i, syntaxErr(i, "unexpected end of JSON input")
		}
		if hasLiteral(data, i, "null") {
			return i + 4, nil // an empty list
		}
		if data[i] != '[' {
			return i, &jsonError{off: i, msg: key + " is not a list", typ: true}
		}
		out := dst(&r.snap)
		// One tracker for the whole list, writing into the current item.
		var it *item[T]
		var tr *tracker
		if len(nested) > 0 {
			tr = &tracker{keys: nested, fn: func(k string, idx, off int) {
				if idx == 0 {
					it.nested = append(it.nested, nestedList{key: k})
				}
				nl := &it.nested[len(it.nested)-1]
				nl.pos = append(nl.pos, f.pos(off))
			}}
		}
		i = skipWS(data, i+1)
		if i < len(data) && data[i] == ']' {
			return i + 1, nil
		}
		for n := 0; ; n++ {
			start := i
			*out = append(*out, item[T]{sc: f.sc, src: model.Source{Position: f.pos(start), Path: key + "[" + strconv.Itoa(n) + "]"}})
			it = &(*out)[len(*out)-1]
			end, err := decodeValue(data, i, reflect.ValueOf(&it.v).Elem(), tr, nil)
			if err != nil {
				if je, ok := err.(*jsonError); ok {
					je.in(key + "[" + strconv.Itoa(n) + "]")
				}
				return end, err
			}
			var done bool
			if i, done, err = afterElement(data, end, ']', "array element in "+key); done || err != nil {
				return i, err
			}
		}
	}}
}

func skipWS(data []byte, i int) int {
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

// endOfString returns the index after the string that starts at i.
func endOfString(data []byte, i int) int {
	for j := i + 1; j < len(data); j++ {
		switch data[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(data)
}

// skipValue returns the index after the JSON value that starts at i.
func skipValue(data []byte, i int) int {
	if i >= len(data) {
		return i
	}
	switch data[i] {
	case '"':
		return endOfString(data, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(data); {
			switch data[j] {
			case '"':
				j = endOfString(data, j)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
			j++
		}
		return len(data)
	}
	for j := i; j < len(data); j++ {
		switch data[j] {
		case ',', ']', '}', ' ', '\t', '\r', '\n':
			return j
		}
	}
	return len(data)
}

// isBundle reports whether data is an np-guard cloud-resource-collector
// bundle: a top-level "provider" key.
func isBundle(data []byte) bool {
	var head struct {
		Provider *string `json:"provider"`
	}
	return json.Unmarshal(data, &head) == nil && head.Provider != nil
}

// recognise reports whether data is a JSON object with a key the importer
// reads at its top level.
func recognise(data []byte) bool {
	i := skipWS(data, 0)
	if i >= len(data) || data[i] != '{' {
		return false
	}
	i = skipWS(data, i+1)
	for i < len(data) && data[i] == '"' {
		key, end, err := readString(data, i)
		if err != nil {
			return false
		}
		// AWS's keys are capitalised; the lower-case ones of np-guard
		// bundles (vpcs, subnets, ...) count only with "provider", as a
		// topology written in JSON has them too.
		if key == "provider" || (handlers[key].decode != nil && key[0] >= 'A' && key[0] <= 'Z') {
			return true
		}
		i = skipWS(data, end)
		if i >= len(data) || data[i] != ':' {
			return false
		}
		if i, err = skipJSON(data, skipWS(data, i+1)); err != nil {
			return false
		}
		i = skipWS(data, i)
		if i < len(data) && data[i] == ',' {
			i = skipWS(data, i+1)
		}
	}
	return false
}
