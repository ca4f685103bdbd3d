package model

import (
	"encoding"
	"fmt"
	"net/netip"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// The decoder walks a yaml.Node tree against the Go types of this package,
// strictly: unknown keys, duplicate keys, wrong YAML types and missing
// required fields are all errors, each with its position and field path, and
// decoding goes on after an error so that one pass reports everything.
// Struct tags drive it:
//
//	yaml:"key"        the YAML key ("-" skips the field, ",inline" flattens an embedded struct)
//	required:"true"   the key must be present, and not null (see required.go)
//	default:"-1"      value of an int field whose key is absent
//
// A field named Source of type Source receives the position, the path and
// the positions of the struct's scalar fields.

type fieldInfo struct {
	key      string
	ord      int // its place in structInfo.fields
	index    []int
	required bool
	def      string
	walk     uint8 // what Validate's required-value walk does with it (walkOf)
	// family is the address family an address or CIDR field takes: ""
	// (IPv4, the default), "ipv6" or "any" (the family tag).
	family string
	// unless is the requiredunless tag: the key of a bool field of the
	// same struct that, true, lifts the requirement to write this one.
	unless string
}

type structInfo struct {
	fields   []*fieldInfo
	byKey    map[string]*fieldInfo
	keys     []string
	source   []int // index of the Source field, nil if none
	hasDefer bool  // some field has a default
}

var (
	structInfos         sync.Map // reflect.Type -> *structInfo
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	sourceType          = reflect.TypeFor[Source]()
	addrType            = reflect.TypeFor[netip.Addr]()
	prefixType          = reflect.TypeFor[netip.Prefix]()
)

func infoOf(t reflect.Type) *structInfo {
	if v, ok := structInfos.Load(t); ok {
		return v.(*structInfo)
	}
	si := &structInfo{byKey: map[string]*fieldInfo{}}
	collectFields(t, nil, si)
	structInfos.Store(t, si)
	return si
}

func collectFields(t reflect.Type, prefix []int, si *structInfo) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		idx := append(append([]int(nil), prefix...), i)
		tag := f.Tag.Get("yaml")
		if f.Type == sourceType && f.Name == "Source" {
			if prefix == nil {
				si.source = idx
			}
			continue
		}
		if tag == "-" || !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if opts == "inline" && f.Anonymous && f.Type.Kind() == reflect.Struct {
			collectFields(f.Type, idx, si)
			continue
		}
		if name == "" {
			panic("model: field " + t.Name() + "." + f.Name + " has no yaml key")
		}
		fi := &fieldInfo{key: name, ord: len(si.fields), index: idx, required: f.Tag.Get("required") == "true", def: f.Tag.Get("default"), walk: walkOf(f.Type), family: f.Tag.Get("family"), unless: f.Tag.Get("requiredunless")}
		if fi.def != "" && f.Type.Kind() == reflect.Int {
			si.hasDefer = true
		}
		si.fields = append(si.fields, fi)
		si.byKey[name] = fi
		si.keys = append(si.keys, name)
	}
}

// decoder decodes a document whose size LoadOptions.countNodes has
// checked, aliases expanded.
type decoder struct {
	file  string
	diags diagnoser
	// reported holds the position and message of each error reported:
	// through aliases, one node is decoded many times, and its errors
	// are reported once.
	reported map[errorKey]bool
	// presplit holds the lists decoded in pieces (decodeSplit), by the
	// node that stands for each in the root mapping.
	presplit map[*yaml.Node]splitList
	// family is the family tag of the field being decoded (fieldInfo).
	family string
	// unless is the requiredunless tag: the key of a bool field of the
	// same struct that, true, lifts the requirement to write this one.
	unless string
}

type errorKey struct {
	line, col int
	msg       string
}

func (d *decoder) pos(n *yaml.Node) Position {
	return Position{File: d.file, Line: n.Line, Column: n.Column}
}

func (d *decoder) fail(n *yaml.Node, path string, sentinel error, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	k := errorKey{n.Line, n.Column, msg}
	if d.reported[k] {
		return
	}
	if d.reported == nil {
		d.reported = map[errorKey]bool{}
	}
	d.reported[k] = true
	d.diags.list = append(d.diags.list, Diagnostic{
		Severity: SeverityError, Pos: d.pos(n), Path: path, Message: msg, Err: sentinel,
	})
}

// resolve follows aliases.
func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "null"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "a document"
}

// decodePath is the path of a value being decoded, put together only when
// it is needed (an error, a resource's Source.Path), so that decoding a
// scalar costs no string concatenation: base, then ".key" when key is
// set, else "[index]" when index >= 0.
type decodePath struct {
	base, key string
	index     int
}

// rootPath is the path of the document.
var rootPath = decodePath{index: -1}

func (p decodePath) String() string {
	switch {
	case p.key != "":
		return joinPath(p.base, p.key)
	case p.index >= 0:
		return p.base + "[" + strconv.Itoa(p.index) + "]"
	}
	return p.base
}

// decode sets v from n. owner receives the positions of scalar values under
// key (index -1 for a field, else the list index).
func (d *decoder) decode(n *yaml.Node, v reflect.Value, path decodePath, owner *Source, key string, index int) {
	n = resolve(n)
	if n == nil {
		return
	}
	if owner != nil && (n.Kind == yaml.ScalarNode || index < 0) {
		owner.record(key, index, n.Line, n.Column)
	}
	t := v.Type()
	if t.Kind() == reflect.Pointer {
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			return
		}
		nv := reflect.New(t.Elem())
		d.decode(n, nv.Elem(), path, nil, key, -1)
		v.Set(nv)
		return
	}
	switch {
	case t == addrType:
		if s, ok := d.scalar(n, path, familyWord(d.family, "address")); ok {
			a, err := parseAddrOf(d.family, s)
			if err != nil {
				d.fail(n, path.String(), ErrInvalidValue, "%s%s", err, familyHint(d.family, key, s))
				return
			}
			v.Set(reflect.ValueOf(a))
		}
		return
	case t == prefixType:
		if s, ok := d.scalar(n, path, familyWord(d.family, "CIDR")); ok {
			p, err := parseCIDROf(d.family, s)
			if err != nil {
				d.fail(n, path.String(), ErrInvalidValue, "%s%s", err, familyHint(d.family, key, s))
				return
			}
			v.Set(reflect.ValueOf(p))
		}
		return
	case reflect.PointerTo(t).Implements(textUnmarshalerType):
		if s, ok := d.scalar(n, path, "a scalar"); ok {
			if strings.TrimSpace(s) == "" {
				d.fail(n, path.String(), ErrInvalidValue, "empty value")
				return
			}
			if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
				d.fail(n, path.String(), ErrInvalidValue, "%s", err)
			}
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		d.decodeStruct(n, v, path)
	case reflect.Slice:
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			return
		}
		if n.Kind != yaml.SequenceNode {
			d.fail(n, path.String(), ErrType, "expected a list, got %s", kindName(n))
			return
		}
		if l, ok := d.presplit[n]; ok {
			v.Set(l.value)
			d.diags.list = append(d.diags.list, l.diags...)
			return
		}
		s := reflect.MakeSlice(t, len(n.Content), len(n.Content))
		elemIsStruct := t.Elem().Kind() == reflect.Struct && !reflect.PointerTo(t.Elem()).Implements(textUnmarshalerType) && t.Elem() != addrType && t.Elem() != prefixType
		list := path.String()
		for i, c := range n.Content {
			ep := decodePath{base: list, index: i}
			if elemIsStruct {
				d.decode(c, s.Index(i), ep, nil, "", 0)
			} else {
				d.decode(c, s.Index(i), ep, owner, key, i)
			}
		}
		v.Set(s)
	case reflect.String:
		if s, ok := d.scalar(n, path, "a string"); ok {
			if t == idType && blankID(s) {
				// Leaving an id out is how a file says "none".
				d.fail(n, path.String(), ErrInvalidValue, "empty id")
				return
			}
			v.SetString(s)
		}
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			d.fail(n, path.String(), ErrType, "expected true or false, got %s", kindName(n))
			return
		}
		b, _ := strconv.ParseBool(strings.ToLower(n.Value))
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
			d.fail(n, path.String(), ErrType, "expected a whole number, got %s", kindName(n))
			return
		}
		i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, t.Bits())
		if err != nil {
			d.fail(n, path.String(), ErrInvalidValue, "%s is out of range", n.Value)
			return
		}
		v.SetInt(i)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
			d.fail(n, path.String(), ErrType, "expected a whole number, got %s", kindName(n))
			return
		}
		u, err := strconv.ParseUint(strings.ReplaceAll(n.Value, "_", ""), 0, t.Bits())
		if err != nil {
			d.fail(n, path.String(), ErrInvalidValue, "%s is out of range (0 to %d)", n.Value, uint64(1)<<t.Bits()-1)
			return
		}
		v.SetUint(u)
	default:
		panic("model: decoder cannot handle " + t.String())
	}
}

// scalar returns the text of a non-null scalar, or reports what was found.
func (d *decoder) scalar(n *yaml.Node, path decodePath, want string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		d.fail(n, path.String(), ErrType, "expected %s, got %s", want, kindName(n))
		return "", false
	}
	return n.Value, true
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, fpath decodePath) {
	si := infoOf(v.Type())
	path := fpath.String()
	var src *Source
	if si.source != nil {
		// Set even when the value is not a mapping, so that later checks
		// of the (empty) resource point here and are recognised as
		// repeats of this error.
		src = v.FieldByIndex(si.source).Addr().Interface().(*Source)
		src.Position = d.pos(n)
		src.Path = path
	}
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, ErrType, "expected a mapping, got %s", kindName(n))
		return
	}
	if src != nil && src.fields == nil && len(n.Content) > 0 {
		src.fields = make([]fieldPos, 0, len(n.Content)/2) // one a field, at least
	}
	if si.hasDefer {
		for _, f := range si.fields {
			if f.def != "" && v.FieldByIndex(f.index).Kind() == reflect.Int {
				if i, err := strconv.Atoi(f.def); err == nil {
					v.FieldByIndex(f.index).SetInt(int64(i))
				}
			}
		}
	}
	// seen holds the fields given, by their place in si.fields.
	var few [32]bool
	seen := few[:]
	if len(si.fields) > len(few) {
		seen = make([]bool, len(si.fields))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := resolve(n.Content[i])
		val := n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.fail(k, path, ErrType, "expected a key, got %s", kindName(k))
			continue
		}
		fp := decodePath{base: path, key: k.Value, index: -1}
		if k.Value == "<<" {
			d.fail(k, path, ErrUnknownField, "YAML merge keys (<<) are not supported; write the fields out")
			continue
		}
		f := si.byKey[k.Value]
		if f == nil {
			if s := Suggest(k.Value, si.keys); s != "" {
				d.fail(k, fp.String(), ErrUnknownField, "unknown field %q (did you mean %q?)", k.Value, s)
			} else {
				d.fail(k, fp.String(), ErrUnknownField, "unknown field %q (known: %s)", k.Value, strings.Join(si.keys, ", "))
			}
			continue
		}
		if seen[f.ord] {
			d.fail(k, fp.String(), ErrDuplicateID, "field %q given twice", k.Value)
			continue
		}
		seen[f.ord] = true
		if isNull(val) {
			if f.required {
				// Null counts as absent.
				d.fail(resolve(val), fp.String(), ErrMissingField, "required field is missing")
			}
			continue
		}
		outer := d.family
		d.family = f.family
		d.decode(val, v.FieldByIndex(f.index), fp, src, f.key, -1)
		d.family = outer
	}
	for _, f := range si.fields {
		if f.required && !seen[f.ord] {
			d.fail(n, joinPath(path, f.key), ErrMissingField, "required field is missing")
		}
		if f.unless == "" {
			continue
		}
		if u := si.byKey[f.unless]; u != nil && !seen[f.ord] && !v.FieldByIndex(u.index).Bool() {
			d.fail(n, joinPath(path, f.key), ErrMissingField, "required field is missing (%s: true lifts the requirement)", f.unless)
		}
	}
}

func isNull(n *yaml.Node) bool {
	n = resolve(n)
	return n != nil && n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// familyWord names what a field of the family takes: "an IPv4 address",
// "an IPv6 CIDR", "an IPv4 or IPv6 CIDR".
func familyWord(family, what string) string {
	switch family {
	case "ipv6":
		return "an IPv6 " + what
	case "any":
		return "an IPv4 or IPv6 " + what
	}
	return "an IPv4 " + what
}

// parseAddrOf parses an address of the family.
func parseAddrOf(family, s string) (netip.Addr, error) {
	switch family {
	case "ipv6":
		return ParseIPv6Addr(s)
	case "any":
		return ParseAnyAddr(s)
	}
	return ParseAddr(s)
}

// parseCIDROf parses a CIDR of the family.
func parseCIDROf(family, s string) (netip.Prefix, error) {
	switch family {
	case "ipv6":
		return ParseIPv6CIDR(s)
	case "any":
		return ParseAnyCIDR(s)
	}
	return ParseCIDR(s)
}

// ipv6Fields names the field that takes the IPv6 values of an IPv4 field.
var ipv6Fields = map[string]string{"cidr_blocks": "ipv6_cidr_blocks", "cidr_block": "ipv6_cidr_block",
	"private_ip": "ipv6_addresses", "secondary_ips": "ipv6_addresses"}

// familyHint says where an IPv6 value written in an IPv4 field belongs:
// its IPv6 sibling field, or nowhere yet.
func familyHint(family, key, s string) string {
	if family != "" || !strings.Contains(s, ":") {
		return ""
	}
	if f, ok := ipv6Fields[key]; ok {
		return "; write IPv6 values under " + f
	}
	return "; vpcreach models this field with IPv4 only"
}
