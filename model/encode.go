package model

import (
	"bytes"
	"encoding"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/netip"
	"reflect"
	"slices"
	"strconv"

	"gopkg.in/yaml.v3"
)

// Encode writes a model in the topology format, so that Parse reads it back
// into an equal model (Source positions aside). The output is deterministic:
// fields in declaration order, zero values and defaults left out, small
// resources written on one line in flow style, as people write them. A nil
// list is left out and an empty one written as [], so that "not written"
// (a new security group's default egress) and "none" survive the trip.
func Encode(m *Model) ([]byte, error) {
	n, err := encodeValue(reflect.ValueOf(withLintSettings(m)).Elem())
	if err != nil {
		return nil, err
	}
	return emit(n)
}

// withLintSettings returns m, or, when its per-file lint settings (a merged
// model's) are not yet one, a copy whose LintSettings joins them.
func withLintSettings(m *Model) *Model {
	if m.LintSettings != nil || len(m.Lint) == 0 {
		return m
	}
	c := *m
	c.LintSettings = &LintSettings{}
	for _, l := range m.Lint {
		for _, id := range l.Disable {
			if !slices.Contains(c.LintSettings.Disable, id) {
				c.LintSettings.Disable = append(c.LintSettings.Disable, id)
			}
		}
	}
	return &c
}

// emit writes a node as a YAML document, as Encode writes it.
func emit(n *yaml.Node) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// EncodeStream writes m to w as Encode does, with the VPCs that vpcs
// yields in place of m.VPCs (which must be empty): each VPC is encoded and
// written as it comes, so that a large network need not be held whole, in
// the model or as YAML. The fields of m that come after the VPCs (peering
// connections, transit gateways, ...) are read after the last VPC, so
// that vpcs may fill them in; those before (version, accounts) are read
// before the first. A VPC that vpcs yields may be reused once the next is
// asked for. An error that vpcs yields stops the stream and is returned.
func EncodeStream(w io.Writer, m *Model, vpcs iter.Seq2[*VPC, error]) error {
	if len(m.VPCs) > 0 {
		return errors.New("model: EncodeStream: m.VPCs must be empty: pass the VPCs through vpcs")
	}
	si := infoOf(reflect.TypeFor[Model]())
	at := slices.IndexFunc(si.fields, func(f *fieldInfo) bool { return f.key == "vpcs" })
	// part encodes the fields of m in si.fields[from:to] as a block
	// mapping, or returns nil when they are all left out.
	part := func(m *Model, from, to int) ([]byte, error) {
		n, err := encodeFields(reflect.ValueOf(m).Elem(), si.fields[from:to])
		if n == nil || err != nil {
			return nil, err
		}
		n.Style = 0 // the whole, with its VPCs, is a block mapping
		return emit(n)
	}
	count := 0
	for v, err := range vpcs {
		if err != nil {
			return err
		}
		var out []byte
		if count == 0 {
			if out, err = part(m, 0, at); err != nil {
				return err
			}
		}
		item, err := part(&Model{VPCs: []VPC{*v}}, at, at+1)
		if err != nil {
			return err
		}
		if count > 0 {
			item = item[bytes.IndexByte(item, '\n')+1:] // the key, "vpcs:", once
		}
		if _, err := w.Write(append(out, item...)); err != nil {
			return err
		}
		count++
	}
	tailModel := withLintSettings(m)
	if count == 0 {
		// No VPC: exactly Encode, whose whole may be a flow mapping.
		out, err := Encode(tailModel)
		if err == nil {
			_, err = w.Write(out)
		}
		return err
	}
	out, err := part(tailModel, at+1, len(si.fields))
	if err == nil && len(out) > 0 {
		_, err = w.Write(out)
	}
	return err
}

var textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()

func scalarNode(s string, tag string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Value: s, Tag: tag}
}

// encodeValue returns the node for v, or nil to leave it out.
func encodeValue(v reflect.Value) (*yaml.Node, error) {
	t := v.Type()
	switch {
	case t == addrType:
		a := v.Interface().(netip.Addr)
		if !a.IsValid() {
			return nil, nil
		}
		return scalarNode(a.String(), "!!str"), nil
	case t == prefixType:
		p := v.Interface().(netip.Prefix)
		if !p.IsValid() {
			return nil, nil
		}
		return scalarNode(p.String(), "!!str"), nil
	}
	if t.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil, nil
		}
		n, err := encodeValue(v.Elem())
		if n == nil && err == nil {
			// A pointer to a zero value is still a written value.
			n, err = encodeZero(v.Elem())
		}
		return n, err
	}
	if names := EnumValues(v.Interface()); names != nil {
		// The zero value of an enum is its default, or unset.
		if v.IsZero() {
			return nil, nil
		}
		return scalarNode(fmt.Sprint(v.Interface()), ""), nil
	}
	if t.Implements(textMarshalerType) {
		if v.IsZero() {
			return nil, nil
		}
		b, err := v.Interface().(encoding.TextMarshaler).MarshalText()
		if err != nil {
			return nil, err
		}
		// Plain: ports and protocols may look like numbers, which the
		// decoder accepts.
		return scalarNode(string(b), ""), nil
	}
	switch t.Kind() {
	case reflect.Struct:
		return encodeStruct(v)
	case reflect.Slice:
		if v.IsNil() {
			return nil, nil
		}
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		leaf := true
		for i := 0; i < v.Len(); i++ {
			c, err := encodeValue(v.Index(i))
			if err != nil {
				return nil, err
			}
			if c == nil {
				c, _ = encodeZero(v.Index(i))
			}
			if c.Kind != yaml.ScalarNode {
				leaf = false
			}
			n.Content = append(n.Content, c)
		}
		if leaf {
			n.Style = yaml.FlowStyle
		}
		return n, nil
	case reflect.String:
		if v.Len() == 0 {
			return nil, nil
		}
		return scalarNode(v.String(), "!!str"), nil
	case reflect.Bool:
		if !v.Bool() {
			return nil, nil
		}
		return scalarNode("true", "!!bool"), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if v.Int() == 0 {
			return nil, nil
		}
		return scalarNode(strconv.FormatInt(v.Int(), 10), "!!int"), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if v.Uint() == 0 {
			return nil, nil
		}
		return scalarNode(strconv.FormatUint(v.Uint(), 10), "!!int"), nil
	}
	return nil, fmt.Errorf("model: cannot encode %s", t)
}

// encodeZero writes a zero value that must appear (a list element, a
// pointer's target, a required field).
func encodeZero(v reflect.Value) (*yaml.Node, error) {
	switch v.Kind() {
	case reflect.Bool:
		return scalarNode("false", "!!bool"), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if names := EnumValues(v.Interface()); names == nil && !v.Type().Implements(textMarshalerType) {
			return scalarNode("0", "!!int"), nil
		}
	case reflect.Struct:
		if v.Type() != addrType && v.Type() != prefixType && !v.Type().Implements(textMarshalerType) {
			return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle}, nil
		}
	case reflect.String:
		return scalarNode("", "!!str"), nil
	}
	if v.Type().Implements(textMarshalerType) {
		b, err := v.Interface().(encoding.TextMarshaler).MarshalText()
		return scalarNode(string(b), "!!str"), err
	}
	if names := EnumValues(v.Interface()); names != nil {
		return scalarNode(fmt.Sprint(v.Interface()), "!!str"), nil
	}
	return scalarNode("", "!!str"), nil
}

func encodeStruct(v reflect.Value) (*yaml.Node, error) {
	return encodeFields(v, infoOf(v.Type()).fields)
}

// encodeFields encodes the given fields of struct v as a mapping, as
// encodeStruct does.
func encodeFields(v reflect.Value, fields []*fieldInfo) (*yaml.Node, error) {
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	leaf := true
	for _, f := range fields {
		fv := v.FieldByIndex(f.index)
		var c *yaml.Node
		var err error
		if f.def != "" && fv.Kind() == reflect.Int {
			// Written unless it holds the default the decoder applies.
			if d, derr := strconv.Atoi(f.def); derr == nil && fv.Int() != int64(d) {
				c = scalarNode(strconv.FormatInt(fv.Int(), 10), "!!int")
			}
		} else {
			c, err = encodeValue(fv)
			if err != nil {
				return nil, err
			}
			if c == nil && f.required {
				c, err = encodeZero(fv)
				if err != nil {
					return nil, err
				}
			}
		}
		if c == nil {
			continue
		}
		if c.Kind == yaml.MappingNode || (c.Kind == yaml.SequenceNode && c.Style != yaml.FlowStyle) {
			leaf = false
		}
		if c.Kind == yaml.SequenceNode && len(c.Content) > 8 {
			leaf = false
		}
		n.Content = append(n.Content, scalarNode(f.key, "!!str"), c)
	}
	if len(n.Content) == 0 {
		return nil, nil
	}
	if leaf && len(n.Content) <= 16 && flowWidth(n) <= 140 {
		n.Style = yaml.FlowStyle
	}
	return n, nil
}

// flowWidth estimates the width of a mapping written on one line.
func flowWidth(n *yaml.Node) int {
	w := 2
	for _, c := range n.Content {
		switch c.Kind {
		case yaml.ScalarNode:
			w += len(c.Value) + 2
		case yaml.SequenceNode:
			for _, e := range c.Content {
				w += len(e.Value) + 2
			}
			w += 2
		default:
			w += 200
		}
	}
	return w
}
