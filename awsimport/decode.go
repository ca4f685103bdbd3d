package awsimport

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

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
	// lists counts the resource lists read (top-level keys with a handler).
	lists int
	// root names the snapshot, a directory or a file (rootIsFile), for
	// diagnostics about the whole of it.
	root       string
	rootIsFile bool
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
	dec  decoder
	// off is where the counter stands; line and lineStart describe it.
	off, line, lineStart int
}

func newJSONFile(name string, data []byte, sc *scope) *jsonFile {
	f := &jsonFile{name: name, data: data, sc: sc, line: 1}
	f.dec = decoder{data: data, file: f}
	return f
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
	decode func(snap *snapshot, f *jsonFile, i int, key string) (int, error)
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
	if r.root == "" {
		r.root, r.rootIsFile = name, true
	}
	if sc.file == "" {
		sc.file = name
	}
	r.decodeFile(name, data, sc)
}

// decodeFile is readFile without the bookkeeping of files and scopes, so
// that files can be decoded concurrently, each by its own reader. The
// whole file is checked: a JSON error anywhere, in values vpcreach skips
// too, is reported at its position, and nothing of the file is kept.
func (r *reader) decodeFile(name string, data []byte, sc *scope) {
	f := newJSONFile(name, data, sc)
	d := &f.dec
	buf := memberBufs.Get().(*[]member)
	d.members = (*buf)[:0]
	defer func() { *buf = d.members[:0]; memberBufs.Put(buf) }()
	i := 0
	if len(data) >= 3 && string(data[:3]) == "\xef\xbb\xbf" {
		i = 3 // a byte order mark
	} else if len(data) >= 2 && (string(data[:2]) == "\xff\xfe" || string(data[:2]) == "\xfe\xff") {
		r.errorf(model.Position{File: name, Line: 1, Column: 1}, model.ErrSyntax, "JSON: the file is in UTF-16 (as Windows PowerShell writes files); save it as UTF-8")
		return
	}
	i = skipWS(data, i)
	if i >= len(data) {
		r.notef(model.Position{File: name}, ErrSkipped, "empty file: skipped")
		return
	}
	if data[i] != '{' {
		end, err := d.skip(i)
		if err == nil {
			err = d.end(end)
		}
		if err != nil {
			r.jsonError(f, err)
			return
		}
		r.notef(f.pos(i), ErrSkipped, "not a JSON object: skipped (AWS CLI outputs are objects with one key per resource list)")
		return
	}
	read, unknown, err := r.topLevel(f, i, &r.snap)
	if err != nil {
		r.jsonError(f, err)
		return
	}
	r.lists += len(read)
	switch {
	case len(read) == 0 && len(unknown) == 0:
		r.notef(model.Position{File: name, Line: 1, Column: 1}, ErrSkipped, "no resource list: skipped")
	case len(read) == 0:
		r.notef(model.Position{File: name, Line: 1, Column: 1}, ErrSkipped, "skipped: vpcreach does not read %s", quoteList(unknown))
	case len(unknown) > 0:
		r.notef(model.Position{File: name, Line: 1, Column: 1}, ErrSkipped, "keys %s skipped: vpcreach does not read them", quoteList(unknown))
	}
}

// memberBufs recycles the decoders' stacks of object members: snapshots
// hold many small files.
var memberBufs = sync.Pool{New: func() any { return new([]member) }}

// topLevel decodes the top-level object of a file, at data[i], into snap:
// every key with a handler. It returns the keys read and the others, but
// the benign ones.
func (r *reader) topLevel(f *jsonFile, i int, snap *snapshot) (read, unknown []string, err error) {
	d, data := &f.dec, f.data
	if err := d.enter(i); err != nil {
		return nil, nil, err
	}
	i = skipWS(data, i+1)
	if i < len(data) && data[i] == '}' {
		return nil, nil, d.end(i + 1)
	}
	type seenKey struct {
		key string
		off int
	}
	var seen []seenKey
	for {
		if i >= len(data) || data[i] != '"' {
			return nil, nil, d.expectedKey(i)
		}
		keyOff := i
		k, end, err := d.key(i)
		if err != nil {
			return nil, nil, err
		}
		key := string(k)
		for _, s := range seen {
			if s.key == key {
				return nil, nil, &jsonError{off: keyOff, first: s.off, msg: fmt.Sprintf("key %q given twice", key)}
			}
		}
		seen = append(seen, seenKey{key, keyOff})
		if i, err = d.colon(end, k); err != nil {
			return nil, nil, err
		}
		switch h, ok := handlers[key]; {
		case key == "provider":
			// An np-guard bundle names its cloud.
			var p string
			if i, err = d.value(i, reflect.ValueOf(&p).Elem(), nil, nil); err != nil {
				if je, ok := err.(*jsonError); ok {
					je.in(key)
				}
				return nil, nil, err
			}
			if p != "aws" {
				r.errorf(f.pos(keyOff), model.ErrInvalidValue, "bundle of provider %q: only aws bundles are read", p)
				return nil, nil, errStop
			}
		case ok:
			if i, err = h.decode(snap, f, i, key); err != nil {
				return nil, nil, err
			}
			read = append(read, key)
		default:
			if i, err = d.skip(i); err != nil {
				if je, ok := err.(*jsonError); ok {
					je.in(key)
				}
				return nil, nil, err
			}
			if !benignKeys[key] {
				unknown = append(unknown, key)
			}
		}
		var done bool
		if i, done, err = d.afterMember(i); err != nil {
			return nil, nil, err
		}
		if done {
			return read, unknown, d.end(i)
		}
	}
}

// errStop stops the reading of a file whose error is already reported.
var errStop = errors.New("stop")

func quoteList(keys []string) string {
	q := make([]string, len(keys))
	for i, k := range keys {
		q[i] = strconv.Quote(k)
	}
	return strings.Join(q, ", ")
}

// jsonError reports a decoding error at its offset; nothing of the file
// is kept.
func (r *reader) jsonError(f *jsonFile, err error) {
	if err == errStop {
		return
	}
	je, ok := err.(*jsonError)
	if !ok {
		panic("awsimport: a decoding error without an offset: " + err.Error())
	}
	pos := f.pos(min(je.off, len(f.data)))
	sentinel, msg := model.ErrSyntax, je.msg
	switch {
	case je.first > 0:
		sentinel = model.ErrDuplicateID
		first := f.pos(je.first)
		msg += fmt.Sprintf(" (first at %d:%d)", first.Line, first.Column)
	case je.typ:
		sentinel = model.ErrType
	}
	r.add(model.SeverityError, pos, je.path, sentinel, "JSON: %s (nothing of the file is read)", msg)
}

// list returns a handler that decodes a list of T, recording each
// element's position and, for the nested keys, the positions of the
// elements of those lists.
func list[T any](dst func(*snapshot) *[]item[T], nested ...string) handler {
	return handler{decode: func(snap *snapshot, f *jsonFile, i int, key string) (int, error) {
		d, data := &f.dec, f.data
		if i >= len(data) {
			return i, d.expectedValue(i)
		}
		if data[i] == 'n' {
			return d.literal(i, "null") // an empty list
		}
		if data[i] != '[' {
			_, err := d.typeErr(i, reflect.TypeFor[[]T]())
			if je, ok := err.(*jsonError); ok {
				je.in(key)
			}
			return i, err
		}
		if err := d.enter(i); err != nil {
			return i, err
		}
		out := dst(snap)
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
			d.depth--
			return i + 1, nil
		}
		for n := 0; ; n++ {
			if i < len(data) && data[i] == ']' {
				return i, syntaxErr(i, "a comma before ']': JSON has no trailing commas")
			}
			start := i
			*out = append(*out, item[T]{sc: f.sc, src: model.Source{Position: f.pos(start), Path: key + "[" + strconv.Itoa(n) + "]"}})
			it = &(*out)[len(*out)-1]
			end, err := d.value(i, reflect.ValueOf(&it.v).Elem(), tr, nil)
			if err != nil {
				if je, ok := err.(*jsonError); ok {
					je.in(key + "[" + strconv.Itoa(n) + "]")
				}
				return end, err
			}
			var done bool
			if i, done, err = d.afterElement(end); done || err != nil {
				d.depth--
				return i, err
			}
		}
	}}
}

// isBundle reports whether data is an np-guard cloud-resource-collector
// bundle: a top-level "provider" key.
func isBundle(data []byte) bool {
	found := false
	topKeys(data, func(key string) bool {
		found = key == "provider"
		return !found
	})
	return found
}

// recognise reports whether data is a JSON object with a key the importer
// reads at its top level.
func recognise(data []byte) bool {
	found := false
	topKeys(data, func(key string) bool {
		// AWS's keys are capitalised; the lower-case ones of np-guard
		// bundles (vpcs, subnets, ...) count only with "provider", as a
		// topology written in JSON has them too.
		found = key == "provider" || (handlers[key].decode != nil && key[0] >= 'A' && key[0] <= 'Z')
		return !found
	})
	return found
}

// topKeys calls fn with the keys of the top-level object of data, in
// order, while fn returns true and the text is JSON.
func topKeys(data []byte, fn func(key string) bool) {
	if len(data) >= 3 && string(data[:3]) == "\xef\xbb\xbf" {
		data = data[3:]
	}
	d := &decoder{data: data}
	i := skipWS(data, 0)
	if i >= len(data) || data[i] != '{' {
		return
	}
	i = skipWS(data, i+1)
	for i < len(data) && data[i] == '"' {
		key, end, err := d.key(i)
		if err != nil || !fn(string(key)) {
			return
		}
		if i, err = d.colon(end, key); err != nil {
			return
		}
		if i, err = d.skip(i); err != nil {
			return
		}
		var done bool
		if i, done, err = d.afterMember(i); done || err != nil {
			return
		}
	}
}
