package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"sync"

	"gopkg.in/yaml.v3"
)

// JSONSchema returns a JSON Schema (draft 2020-12) of the topology format,
// indented, the same bytes on every call. Editors use it to check and
// complete topology files as they are typed: with yaml-language-server (the
// YAML extension of VS Code and others), save the schema to a file and name
// it in a comment at the top of a topology:
//
//	# yaml-language-server: $schema=topology.schema.json
//
// The schema is built by reflection over Model with the decoder's own struct
// tags (yaml keys, inline embedding, required, default, example), so it
// accepts the keys the loader accepts and no others: every object has
// "additionalProperties": false. Descriptions are the doc comments of the
// types and fields; enum types list their values, and CIDRs, addresses,
// protocols and port ranges carry patterns.
//
// It checks form, not meaning: a reference to an unknown id, or a subnet
// outside its VPC, passes the schema and fails Validate. It is also a little
// stricter than the loader, to steer files toward one spelling: enum values,
// protocols and "all" must be written as the docs show them (the loader
// ignores case), a key may not be null, and ids and other strings must be
// YAML strings (quote a numeric account id).
func JSONSchema() []byte {
	schemaOnce.Do(func() { schemaJSON = buildSchema() })
	return bytes.Clone(schemaJSON)
}

var (
	schemaOnce sync.Once
	schemaJSON []byte
)

// schemaDialect is the JSON Schema draft that JSONSchema follows.
const schemaDialect = "https://json-schema.org/draft/2020-12/schema"

// Patterns of the scalar types. JSON Schema patterns are ECMA-262 regular
// expressions; these use the part that RE2 shares with it.
const (
	octetRE = `(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])`
	ipv4RE  = octetRE + `(?:\.` + octetRE + `){3}`
	cidrRE  = ipv4RE + `/(?:3[0-2]|[12]?[0-9])`
	// ipv6RE is loose: hex digits, colons and dots with at least one
	// colon; the decoder checks the rest.
	ipv6RE       = `[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*`
	cidr6RE      = ipv6RE + `/(?:12[0-8]|1[01][0-9]|[1-9]?[0-9])`
	addr6Pattern = `^` + ipv6RE + `$`
	cidr6Pattern = `^` + cidr6RE + `$`
	anyCIDRRE    = `^(?:` + cidrRE + `|` + cidr6RE + `)$`
	refRE        = `[^0-9 \t][^ \t]*` // an id: text that does not start with a digit
	addrPattern  = `^` + ipv4RE + `$`
	cidrPattern  = `^` + cidrRE + `$`
	cidrOrIDRE   = `^(?:` + cidrRE + `|` + cidr6RE + `|` + refRE + `)$`
	// peerRE adds ACCOUNT/GROUP-ID to cidrOrIDRE (see Peer).
	peerRE = `^(?:` + cidrRE + `|` + cidr6RE + `|[0-9]{12}/[^0-9 \t/][^ \t/]*|` + refRE + `)$`
	// protocolPattern is the string form of a Protocol; numbers 1 to 254.
	protocolPattern = `^(?:tcp|udp|icmp|icmpv6|all|-1|[1-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-4])$`
	// nonBlankPattern matches a string with something other than spaces:
	// ids and required strings.
	nonBlankPattern = `\S`
	// portRangePattern is the string form of a PortRange.
	portRangePattern = `^(?:all|[0-9]{1,5}(?: *- *[0-9]{1,5})?)$`
)

var (
	modelType       = reflect.TypeFor[Model]()
	idType          = reflect.TypeFor[ID]()
	protocolType    = reflect.TypeFor[Protocol]()
	portRangeType   = reflect.TypeFor[PortRange]()
	destinationType = reflect.TypeFor[Destination]()
	peerType        = reflect.TypeFor[Peer]()
)

type schemaBuilder struct {
	defs map[string]any
}

func buildSchema() []byte {
	b := &schemaBuilder{defs: map[string]any{}}
	root := b.object(modelType)
	root["$schema"] = schemaDialect
	root["title"] = "vpcreach topology"
	root["$defs"] = b.defs
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(root); err != nil {
		panic("model: the JSON Schema does not marshal: " + err.Error())
	}
	return out.Bytes()
}

// ref returns a reference to the definition name, building it on first use.
func (b *schemaBuilder) ref(name string, build func() map[string]any) map[string]any {
	if _, ok := b.defs[name]; !ok {
		b.defs[name] = nil // taken, should a type ever contain itself
		b.defs[name] = build()
	}
	return map[string]any{"$ref": "#/$defs/" + name}
}

// schemaOf describes a value of type t as the decoder reads it.
func (b *schemaBuilder) schemaOf(t reflect.Type) map[string]any {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == addrType:
		return b.ref("Address", func() map[string]any {
			return map[string]any{"type": "string", "pattern": addrPattern,
				"description": "An IPv4 address, such as 10.0.1.10."}
		})
	case t == prefixType:
		return b.ref("CIDR", func() map[string]any {
			return map[string]any{"type": "string", "pattern": cidrPattern,
				"description": "An IPv4 CIDR with its host bits zero, such as 10.0.0.0/16."}
		})
	case reflect.PointerTo(t).Implements(textUnmarshalerType):
		return b.ref(t.Name(), func() map[string]any { return textSchema(t) })
	}
	switch t.Kind() {
	case reflect.Struct:
		return b.ref(t.Name(), func() map[string]any { return b.object(t) })
	case reflect.Slice:
		return map[string]any{"type": "array", "items": b.schemaOf(t.Elem())}
	case reflect.String:
		if t == idType {
			return b.ref(t.Name(), func() map[string]any {
				return withDoc(map[string]any{"type": "string", "minLength": 1, "pattern": nonBlankPattern}, typeDocs[t.Name()])
			})
		}
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		s := map[string]any{"type": "integer"}
		if bits := t.Bits(); bits < 64 && t.Kind() != reflect.Int {
			s["minimum"] = -(int64(1) << (bits - 1))
			s["maximum"] = int64(1)<<(bits-1) - 1
		}
		return s
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		s := map[string]any{"type": "integer", "minimum": 0}
		if bits := t.Bits(); bits < 64 && t.Kind() != reflect.Uint {
			s["maximum"] = uint64(1)<<bits - 1
		}
		return s
	}
	panic("model: JSONSchema cannot describe " + t.String())
}

// fieldSchema describes the value of a field of type t whose family tag
// is family: an address or CIDR (or a list of them) of that family.
func (b *schemaBuilder) fieldSchema(t reflect.Type, family string) map[string]any {
	if family == "" {
		return b.schemaOf(t)
	}
	if t.Kind() == reflect.Slice {
		return map[string]any{"type": "array", "items": b.fieldSchema(t.Elem(), family)}
	}
	switch {
	case t == addrType && family == "ipv6":
		return b.ref("IPv6Address", func() map[string]any {
			return map[string]any{"type": "string", "pattern": addr6Pattern,
				"description": "An IPv6 address, such as 2600:1f18:a:c01::10."}
		})
	case t == prefixType && family == "ipv6":
		return b.ref("IPv6CIDR", func() map[string]any {
			return map[string]any{"type": "string", "pattern": cidr6Pattern,
				"description": "An IPv6 CIDR with its host bits zero, such as 2600:1f18:a:c00::/56."}
		})
	case t == addrType && family == "any":
		return b.ref("AnyAddress", func() map[string]any {
			return map[string]any{"type": "string", "pattern": `^(?:` + ipv4RE + `|` + ipv6RE + `)$`,
				"description": "An IPv4 or IPv6 address, such as 10.0.1.10 or 2600:1f18:a:c01::10."}
		})
	case t == prefixType && family == "any":
		return b.ref("AnyCIDR", func() map[string]any {
			return map[string]any{"type": "string", "pattern": anyCIDRRE,
				"description": "An IPv4 or IPv6 CIDR with its host bits zero, such as 10.0.0.0/16 or ::/0."}
		})
	}
	panic("model: no schema for family " + family + " of " + t.String())
}

// textSchema describes a type read through UnmarshalText.
func textSchema(t reflect.Type) map[string]any {
	doc := typeDocs[t.Name()]
	if vals := EnumValues(reflect.Zero(t).Interface()); vals != nil {
		return withDoc(map[string]any{"type": "string", "enum": vals}, doc)
	}
	switch t {
	case protocolType:
		return withDoc(map[string]any{
			"type":    []string{"string", "integer"},
			"pattern": protocolPattern,
			"minimum": -1,
			"maximum": 254,
			"not":     map[string]any{"const": 0},
		}, doc)
	case portRangeType:
		return withDoc(map[string]any{
			"type":    []string{"string", "integer"},
			"pattern": portRangePattern,
			"minimum": 0,
			"maximum": 65535,
		}, doc)
	case destinationType:
		return withDoc(map[string]any{"type": "string", "pattern": cidrOrIDRE}, doc)
	case peerType:
		return withDoc(map[string]any{"type": "string", "pattern": peerRE}, doc)
	}
	return withDoc(map[string]any{"type": "string", "minLength": 1}, doc)
}

func withDoc(s map[string]any, doc string) map[string]any {
	if doc != "" {
		s["description"] = doc
	}
	return s
}

// object describes a struct: its YAML keys as the decoder finds them.
func (b *schemaBuilder) object(t reflect.Type) map[string]any {
	si := infoOf(t)
	props := map[string]any{}
	var required []string
	for _, f := range si.fields {
		sf := t.FieldByIndex(f.index)
		owner := t
		if len(f.index) > 1 {
			owner = t.FieldByIndex(f.index[:len(f.index)-1]).Type
		}
		p := maps.Clone(b.fieldSchema(sf.Type, f.family))
		if d := fieldDocs[owner.Name()+"."+sf.Name]; d != "" {
			p["description"] = d
		}
		if vals := FieldValues(owner.Name() + "." + sf.Name); vals != nil {
			// The values validation accepts for this field, fewer than its
			// type's (fieldValues).
			if items, ok := p["items"].(map[string]any); ok {
				items = maps.Clone(items)
				items["enum"] = vals
				p["items"] = items
			} else {
				p["enum"] = vals
			}
		}
		if v, ok := defaultValue(sf.Type, f.def); ok {
			p["default"] = v
		}
		if ex := sf.Tag.Get("example"); ex != "" {
			if v, ok := exampleValue(sf.Type, ex); ok {
				p["examples"] = []any{v}
			}
		}
		if t == modelType && f.key == "version" {
			p["const"] = FormatVersion
		}
		props[f.key] = p
		if f.required {
			// A required value is not blank either (required.go).
			required = append(required, f.key)
			switch {
			case sf.Type.Kind() == reflect.String && sf.Type != idType:
				p["minLength"], p["pattern"] = 1, nonBlankPattern
			case sf.Type.Kind() == reflect.Slice:
				p["minItems"] = 1
			}
		}
	}
	obj := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		obj["required"] = required
	}
	return withDoc(obj, typeDocs[t.Name()])
}

// defaultValue is a field's default: its default tag, else the zero value
// of a non-pointer field when the zero value means something (an enum
// whose zero value has a name; false).
func defaultValue(t reflect.Type, def string) (any, bool) {
	pointer := t.Kind() == reflect.Pointer
	if pointer {
		t = t.Elem()
	}
	if def != "" {
		switch t.Kind() {
		case reflect.Bool:
			b, err := strconv.ParseBool(def)
			return b, err == nil
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			i, err := strconv.ParseInt(def, 10, 64)
			return i, err == nil
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			u, err := strconv.ParseUint(def, 10, 64)
			return u, err == nil
		}
		return def, true
	}
	if pointer {
		return nil, false
	}
	zero := reflect.Zero(t).Interface()
	if vals := EnumValues(zero); vals != nil {
		s := fmt.Sprint(zero)
		return s, slices.Contains(vals, s)
	}
	if t.Kind() == reflect.Bool {
		return false, true
	}
	return nil, false
}

// exampleValue turns an example tag, a YAML value, into the JSON value of
// the field's type: an account id stays a string, a port range of one port
// is a number.
func exampleValue(t reflect.Type, ex string) (any, bool) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(ex), &doc); err != nil || len(doc.Content) != 1 {
		return nil, false
	}
	return jsonValue(t, doc.Content[0])
}

func jsonValue(t reflect.Type, n *yaml.Node) (any, bool) {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Slice {
		if n.Kind != yaml.SequenceNode {
			return nil, false
		}
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, ok := jsonValue(t.Elem(), c)
			if !ok {
				return nil, false
			}
			out = append(out, v)
		}
		return out, true
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return nil, false
	}
	if t == protocolType || t == portRangeType {
		if i, err := strconv.ParseInt(n.Value, 10, 64); err == nil && n.Tag == "!!int" {
			return i, true
		}
		return n.Value, true
	}
	if reflect.PointerTo(t).Implements(textUnmarshalerType) {
		return n.Value, true
	}
	switch t.Kind() {
	case reflect.Bool:
		b, err := strconv.ParseBool(n.Value)
		return b, err == nil && n.Tag == "!!bool"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, err := strconv.ParseInt(n.Value, 10, 64)
		return i, err == nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		u, err := strconv.ParseUint(n.Value, 10, 64)
		return u, err == nil
	}
	return n.Value, true
}
