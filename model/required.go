package model

import (
	"reflect"
	"strconv"
	"strings"
)

// A field tagged required:"true" must hold a value, and an id is never
// blank. Two checks share the work, each where it can see the problem:
//
//   - the decoder, on what a file says: a required key must be there and not
//     null, and an id written blank (route_table: "", subnets: [""]) is an
//     error wherever it is, since leaving it out is how a file says "none";
//   - Validate, on every model, decoded or built in Go (requiredValues): a
//     required field must not be blank (an empty string or id, an empty
//     list, an unset enum, address or CIDR), and no list of ids holds a
//     blank one.
//
// So nothing past validation meets a required value that is not there.

// blankID reports whether s, written as an id, names nothing.
func blankID(s string) bool { return strings.TrimSpace(s) == "" }

// blankValue reports whether v, the value of a required field, holds
// nothing: a blank string or id, an empty list, or the zero value of an
// enum, address, CIDR or other value type. Numbers are not blank at zero:
// their ranges are checked where they are used.
func blankValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		return strings.TrimSpace(v.String()) == ""
	case reflect.Slice:
		return v.Len() == 0
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return false
	}
	return v.IsZero()
}

// requiredValues reports every required field of the model that is blank
// and every blank id in a list of ids, except where another check has
// already reported an error at that field (skipping one never makes a
// model valid: that other error stays).
func (v *validator) requiredValues() {
	reported := map[string]bool{}
	for _, d := range v.list {
		if d.Severity == SeverityError {
			reported[d.Path] = true
		}
	}
	v.requiredIn(reflect.ValueOf(v.m).Elem(), nil, reported)
}

// fieldPath is the field path of a value, spelt out (String) only when a
// diagnostic needs it: key below parent, or element index of parent when
// key is "".
type fieldPath struct {
	parent *fieldPath
	key    string
	index  int
}

// String returns the path as diagnostics write it: vpcs[0].subnets[2].
func (p *fieldPath) String() string {
	switch {
	case p == nil:
		return ""
	case p.key == "":
		return p.parent.String() + "[" + strconv.Itoa(p.index) + "]"
	}
	return joinPath(p.parent.String(), p.key)
}

// requiredIn checks struct value s, at field path path, and every struct
// below it.
func (v *validator) requiredIn(s reflect.Value, path *fieldPath, reported map[string]bool) {
	si := infoOf(s.Type())
	var src Source
	if si.source != nil {
		if f := s.FieldByIndex(si.source); f.CanAddr() {
			src = *f.Addr().Interface().(*Source)
		} else {
			src = f.Interface().(Source)
		}
	}
	// A model built in Go has no paths: name the field by the walk's.
	named := func(at Source, p *fieldPath) Source {
		if src.Path == "" {
			at.Path = p.String()
		}
		return at
	}
	for _, f := range si.fields {
		if f.walk == walkNone && !f.required {
			continue
		}
		fv := s.FieldByIndex(f.index)
		if f.required && blankValue(fv) {
			if at := src.Field(f.key); !reported[at.Path] {
				v.errorf(named(at, &fieldPath{parent: path, key: f.key}), ErrMissingField, "required field is empty")
			}
			continue
		}
		if f.walk == walkNone {
			continue
		}
		fp := &fieldPath{parent: path, key: f.key}
		switch f.walk {
		case walkIDs:
			for i := range fv.Len() {
				if blankID(fv.Index(i).String()) {
					if at := src.Elem(f.key, i); !reported[at.Path] {
						v.errorf(named(at, &fieldPath{parent: fp, index: i}), ErrInvalidValue, "empty id")
					}
				}
			}
		case walkStructs:
			for i := range fv.Len() {
				v.requiredIn(fv.Index(i), &fieldPath{parent: fp, index: i}, reported)
			}
		case walkStructPtr:
			if !fv.IsNil() {
				v.requiredIn(fv.Elem(), fp, reported)
			}
		case walkStruct:
			v.requiredIn(fv, fp, reported)
		}
	}
}

// What requiredIn does with a field, by its type (walkOf).
const (
	walkNone      uint8 = iota
	walkIDs             // a list of ids: none blank
	walkStructs         // a list of model structs: each checked
	walkStructPtr       // a pointer to a model struct: checked when set
	walkStruct          // a model struct: checked
)

// walkOf returns what requiredIn does with a field of type t.
func walkOf(t reflect.Type) uint8 {
	switch {
	case t.Kind() == reflect.Slice && t.Elem() == idType:
		return walkIDs
	case t.Kind() == reflect.Slice && isModelStruct(t.Elem()):
		return walkStructs
	case t.Kind() == reflect.Pointer && isModelStruct(t.Elem()):
		return walkStructPtr
	case isModelStruct(t):
		return walkStruct
	}
	return walkNone
}

// isModelStruct reports whether t is a struct the decoder decodes field by
// field: one of the resources of this package, not a value type (an
// address, a CIDR, a destination or peer written as text).
func isModelStruct(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t != addrType && t != prefixType && t != sourceType &&
		!reflect.PointerTo(t).Implements(textUnmarshalerType)
}
