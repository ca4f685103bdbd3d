package model

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// TestExampleTagsDecode decodes every example tag of the format's structs
// with the decoder itself, alone into its field's type, and then all the
// examples of a struct together as one mapping: the docs and the JSON
// Schema show these values, so they must be valid.
func TestExampleTagsDecode(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	var structs []reflect.Type
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] || reflect.PointerTo(t).Implements(textUnmarshalerType) || t == addrType || t == prefixType {
			return
		}
		seen[t] = true
		structs = append(structs, t)
		for _, f := range infoOf(t).fields {
			walk(t.FieldByIndex(f.index).Type)
		}
	}
	walk(reflect.TypeFor[Model]())
	require.Greater(t, len(structs), 20, "the walk missed the model's structs")

	for _, st := range structs {
		t.Run(st.Name(), func(t *testing.T) {
			var mapping strings.Builder
			for _, f := range infoOf(st).fields {
				sf := st.FieldByIndex(f.index)
				ex, ok := sf.Tag.Lookup("example")
				if !ok {
					continue
				}
				var doc yaml.Node
				require.NoError(t, yaml.Unmarshal([]byte(ex), &doc), "%s.%s: example %q is not YAML", st.Name(), f.key, ex)
				require.Len(t, doc.Content, 1, "%s.%s: example %q is empty", st.Name(), f.key, ex)
				d := &decoder{file: "example", family: f.family}
				d.decode(doc.Content[0], reflect.New(sf.Type).Elem(), decodePath{key: f.key, index: -1}, nil, "", -1)
				require.Empty(t, d.diags.list, "%s.%s: example %q does not decode", st.Name(), f.key, ex)
				mapping.WriteString(f.key + ": " + ex + "\n")
			}
			if mapping.Len() == 0 {
				return
			}
			var doc yaml.Node
			require.NoError(t, yaml.Unmarshal([]byte(mapping.String()), &doc))
			d := &decoder{file: "example"}
			d.decode(doc.Content[0], reflect.New(st).Elem(), rootPath, nil, "", -1)
			for _, dg := range d.diags.list {
				// A required key without an example tag is reported as missing; the
				// generator's -lint lists those. Anything else is a bad example.
				require.ErrorIs(t, dg, ErrMissingField, "%s: the examples do not decode together: %s", st.Name(), dg.Error())
			}
		})
	}
}
