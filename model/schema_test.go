package model_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/vpcreach/vpcreach/internal/formatgen"
	"github.com/vpcreach/vpcreach/model"
)

// loadSchema parses JSONSchema's output.
func loadSchema(t *testing.T) map[string]any {
	t.Helper()
	var s map[string]any
	require.NoError(t, json.Unmarshal(model.JSONSchema(), &s), "JSONSchema is not valid JSON")
	return s
}

// yamlField is a YAML key of a struct as the decoder's tags define it.
type yamlField struct {
	key      string
	field    reflect.StructField
	required bool
}

// yamlFields lists the YAML keys of struct t by reflection, independently
// of the schema builder: inline embedded structs flattened, Source and
// yaml:"-" fields skipped.
func yamlFields(t reflect.Type) []yamlField {
	var out []yamlField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("yaml")
		if f.Name == "Source" && f.Type == reflect.TypeFor[model.Source]() || tag == "-" || !f.IsExported() {
			continue
		}
		key, opts, _ := strings.Cut(tag, ",")
		if opts == "inline" && f.Anonymous {
			out = append(out, yamlFields(f.Type)...)
			continue
		}
		out = append(out, yamlField{key: key, field: f, required: f.Tag.Get("required") == "true"})
	}
	return out
}

var textUnmarshaler = reflect.TypeFor[interface{ UnmarshalText([]byte) error }]()

// formatStructs returns the struct types a topology file holds, by name,
// walking from Model through fields, lists and pointers.
func formatStructs() map[string]reflect.Type {
	out := map[string]reflect.Type{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || reflect.PointerTo(t).Implements(textUnmarshaler) || t.PkgPath() != reflect.TypeFor[model.Model]().PkgPath() {
			return
		}
		if _, ok := out[t.Name()]; ok {
			return
		}
		out[t.Name()] = t
		for _, f := range yamlFields(t) {
			walk(f.field.Type)
		}
	}
	walk(reflect.TypeFor[model.Model]())
	return out
}

// schemaDef returns the schema of struct name: the root for Model, else
// its $defs entry.
func schemaDef(t *testing.T, s map[string]any, name string) map[string]any {
	t.Helper()
	if name == "Model" {
		return s
	}
	defs, ok := s["$defs"].(map[string]any)
	require.True(t, ok, "the schema has no $defs")
	def, ok := defs[name].(map[string]any)
	require.True(t, ok, "the schema has no $defs entry for %s", name)
	return def
}

func TestJSONSchemaShape(t *testing.T) {
	s := loadSchema(t)
	require.Equal(t, "https://json-schema.org/draft/2020-12/schema", s["$schema"])
	require.Equal(t, "object", s["type"])
	require.NotEmpty(t, s["description"], "the root has no description")
	defs, ok := s["$defs"].(map[string]any)
	require.True(t, ok, "the schema has no $defs")
	for _, name := range []string{"VPC", "Subnet", "RouteTable", "Route", "NetworkACL", "ACLRule",
		"SecurityGroup", "IngressRule", "EgressRule", "Instance", "NetworkInterface", "LoadBalancer",
		"TargetGroup", "TransitGateway", "TGWAttachment", "HostedZone", "Expectation",
		"ID", "CIDR", "Address", "Protocol", "PortRange", "RouteState"} {
		require.Contains(t, defs, name, "no $defs entry for %s", name)
	}
	for name, def := range defs {
		d := def.(map[string]any)
		if d["type"] == "object" {
			require.Equal(t, false, d["additionalProperties"], "%s allows unknown keys", name)
		}
	}

	vpc := schemaDef(t, s, "VPC")
	props := vpc["properties"].(map[string]any)
	var keys []string
	for _, f := range yamlFields(reflect.TypeFor[model.VPC]()) {
		keys = append(keys, f.key)
	}
	require.ElementsMatch(t, keys, slices.Collect(maps.Keys(props)), "VPC's schema properties are not its yaml keys")
	require.Contains(t, props["subnets"], "items")
	require.Equal(t, map[string]any{"$ref": "#/$defs/Subnet"}, props["subnets"].(map[string]any)["items"])
}

// TestJSONSchemaFollowsTags checks every struct of the format against its
// schema: the same keys, the same required keys, a description for every
// documented field, the default tags, and an example for every field that
// has an example tag.
func TestJSONSchemaFollowsTags(t *testing.T) {
	s := loadSchema(t)
	structs := formatStructs()
	require.Contains(t, structs, "VPC")
	for name, st := range structs {
		t.Run(name, func(t *testing.T) {
			def := schemaDef(t, s, name)
			require.Equal(t, "object", def["type"])
			require.Equal(t, false, def["additionalProperties"], "%s allows unknown keys", name)
			props, _ := def["properties"].(map[string]any)
			fields := yamlFields(st)
			var keys, required []string
			for _, f := range fields {
				keys = append(keys, f.key)
				if f.required {
					required = append(required, f.key)
				}
				p, ok := props[f.key].(map[string]any)
				require.True(t, ok, "%s: no schema for key %q", name, f.key)
				if ex := f.field.Tag.Get("example"); ex != "" {
					require.Contains(t, p, "examples", "%s.%s: example tag %q is missing from the schema", name, f.key, ex)
					require.Len(t, p["examples"], 1)
				}
				if def := f.field.Tag.Get("default"); def != "" {
					require.Equal(t, def, fmt.Sprint(p["default"]), "%s.%s: default", name, f.key)
				}
			}
			require.ElementsMatch(t, keys, slices.Collect(maps.Keys(props)), "%s: schema properties are not the yaml keys", name)
			var gotRequired []string
			if r, ok := def["required"].([]any); ok {
				for _, k := range r {
					gotRequired = append(gotRequired, k.(string))
				}
			}
			require.Equal(t, required, gotRequired, "%s: required keys", name)
		})
	}
}

// TestJSONSchemaEnums checks each enum's values against model.EnumValues,
// and the generator's reading of them from the source.
func TestJSONSchemaEnums(t *testing.T) {
	s := loadSchema(t)
	defs := s["$defs"].(map[string]any)
	fromSource, err := formatgen.EnumValues(".")
	require.NoError(t, err)
	seen := map[string]bool{}
	for _, st := range formatStructs() {
		for _, f := range yamlFields(st) {
			ft := f.field.Type
			for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
				ft = ft.Elem()
			}
			want := model.EnumValues(reflect.Zero(ft).Interface())
			if want == nil {
				continue
			}
			seen[ft.Name()] = true
			def, ok := defs[ft.Name()].(map[string]any)
			require.True(t, ok, "no $defs entry for enum %s", ft.Name())
			var got []string
			for _, v := range def["enum"].([]any) {
				got = append(got, v.(string))
			}
			require.Equal(t, want, got, "schema values of enum %s", ft.Name())
			require.Equal(t, want, fromSource[ft.Name()], "formatgen read the values of enum %s wrong", ft.Name())
		}
	}
	require.Len(t, fromSource, len(seen), "formatgen found other enums than the schema: %v", fromSource)
}

func TestJSONSchemaStable(t *testing.T) {
	a := model.JSONSchema()
	a[0] = 'x' // the caller owns the slice
	b := model.JSONSchema()
	require.NotEqual(t, a, b)
	a[0] = b[0]
	require.Equal(t, a, b)
	require.True(t, json.Valid(b))
}

// TestJSONSchemaPatterns checks the patterns of the scalar types against the
// decoder: written the documented way, what the loader reads the schema
// accepts, and what it refuses the schema mostly refuses too.
func TestJSONSchemaPatterns(t *testing.T) {
	s := loadSchema(t)
	defs := s["$defs"].(map[string]any)
	pattern := func(name string) *regexp.Regexp {
		p, ok := defs[name].(map[string]any)["pattern"].(string)
		require.True(t, ok, "%s has no pattern", name)
		return regexp.MustCompile(p)
	}
	tests := []struct {
		def      string
		accept   []string
		refuse   []string
		parseErr func(string) error
	}{
		{
			def:    "CIDR",
			accept: []string{"10.0.0.0/16", "0.0.0.0/0", "255.255.255.255/32", "192.168.1.0/24"},
			refuse: []string{"10.0.0.0", "10.0.0.0/33", "256.0.0.0/8", "10.0.0/16", "pl-123", "10.0.0.0/08", "010.0.0.0/8"},
			parseErr: func(v string) error {
				_, err := model.ParseCIDR(v)
				return err
			},
		},
		{
			def:    "Address",
			accept: []string{"10.0.1.10", "0.0.0.0", "255.255.255.255"},
			refuse: []string{"10.0.1.10/32", "10.0.1", "1.2.3.256", "01.2.3.4", "vpc-a"},
		},
		{
			def:    "Destination",
			accept: []string{"10.0.0.0/8", "pl-s3-apse1", "pl-0a1b2c"},
			refuse: []string{"10.0.0.1", "10.0.0.0/40", "pl with space", "1abc"},
			parseErr: func(v string) error {
				var d model.Destination
				return d.UnmarshalText([]byte(v))
			},
		},
		{
			def:    "Peer",
			accept: []string{"10.0.0.0/16", "sg-b-nlb", "pl-s3-apse1", "111111111111/sg-b-nlb"},
			refuse: []string{"10.0.0.5", "sg a", "11111111111/sg-b", "111111111111/10", "111111111111/", "111111111111/sg b", "111111111111/sg/b"},
			parseErr: func(v string) error {
				var p model.Peer
				return p.UnmarshalText([]byte(v))
			},
		},
		{
			def:    "Protocol",
			accept: []string{"tcp", "udp", "icmp", "icmpv6", "all", "-1", "1", "47", "254"},
			refuse: []string{"0", "255", "-2", "sctp", "tcp/udp", ""},
			parseErr: func(v string) error {
				_, err := model.ParseProtocol(v)
				return err
			},
		},
		{
			def:    "PortRange",
			accept: []string{"443", "0", "1024-65535", "all", "80 - 81"},
			refuse: []string{"http", "1-2-3", "-1", ""},
			parseErr: func(v string) error {
				_, err := model.ParsePortRange(v)
				return err
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.def, func(t *testing.T) {
			re := pattern(tt.def)
			for _, v := range tt.accept {
				require.True(t, re.MatchString(v), "the %s pattern refuses %q", tt.def, v)
				if tt.parseErr != nil {
					require.NoError(t, tt.parseErr(v), "test case %q is not a valid %s", v, tt.def)
				}
			}
			for _, v := range tt.refuse {
				require.False(t, re.MatchString(v), "the %s pattern accepts %q", tt.def, v)
				if tt.parseErr != nil {
					require.Error(t, tt.parseErr(v), "test case %q is a valid %s", v, tt.def)
				}
			}
		})
	}
}

// TestGeneratedFilesUpToDate regenerates fielddoc_gen.go and
// docs/format.md in memory and compares them with the files on disk.
func TestGeneratedFilesUpToDate(t *testing.T) {
	goSrc, md, err := formatgen.Generate(".")
	require.NoError(t, err)
	goSrc2, md2, err := formatgen.Generate(".")
	require.NoError(t, err)
	require.Equal(t, goSrc, goSrc2, "formatgen is not deterministic")
	require.Equal(t, md, md2, "formatgen is not deterministic")
	for _, f := range []struct {
		path string
		want []byte
	}{
		{"fielddoc_gen.go", goSrc},
		{"../docs/format.md", md},
	} {
		got, err := os.ReadFile(f.path)
		require.NoError(t, err, "run go generate ./model")
		if !bytes.Equal(got, f.want) {
			t.Errorf("%s is stale (%s); run go generate ./model", f.path, firstDiff(got, f.want))
		}
	}
}

// firstDiff describes the first line where got and want differ.
func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl || i >= len(g) || i >= len(w) {
			return fmt.Sprintf("line %d is %q, want %q", i+1, gl, wl)
		}
	}
	return "same lines"
}

// TestJSONSchemaAcceptsTopologies checks that the schema accepts every
// topology the loader accepts: the embedded example and testdata/*.yaml.
func TestJSONSchemaAcceptsTopologies(t *testing.T) {
	s := loadSchema(t)
	files, err := filepath.Glob("../testdata/*.yaml")
	require.NoError(t, err)
	files = append(files, "example.yaml")
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			_, _, err = model.LoadBytes(f, data)
			require.NoError(t, err, "a topology the schema test relies on does not load")
			errs := checkYAML(t, s, data)
			require.Empty(t, errs, "the schema rejects %s, which the loader accepts:\n  %s", f, strings.Join(errs, "\n  "))
		})
	}
}

// TestSchemaCheckerRejects makes sure the checker (and the schema) catch
// what they should, so that an empty error list above means something.
func TestSchemaCheckerRejects(t *testing.T) {
	s := loadSchema(t)
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown top-level key", "version: 1\nvpc: []\n", `vpc: unknown key`},
		{"unknown nested key", "version: 1\nvpcs:\n  - {id: a, region: r, cidr_blocks: [10.0.0.0/16], subnet: []}\n", `vpcs[0].subnet: unknown key`},
		{"inline key", "version: 1\nvpcs:\n  - id: a\n    region: r\n    cidr_blocks: [10.0.0.0/16]\n    instances: [{id: i, subnet: s, private_ip: 10.0.0.5, protocol: tcp}]\n", `vpcs[0].instances[0].protocol: unknown key`},
		{"missing required", "version: 1\nvpcs:\n  - {id: a, cidr_blocks: [10.0.0.0/16]}\n", `vpcs[0]: missing required key "region"`},
		{"bad CIDR", "version: 1\nvpcs:\n  - {id: a, region: r, cidr_blocks: [10.0.0.0/33]}\n", `vpcs[0].cidr_blocks[0]: "10.0.0.0/33" does not match`},
		{"bad enum", "version: 1\nexpectations:\n  - {from: a, to: b, protocol: tcp, expect: maybe}\n", `expectations[0].expect: "maybe" is not one of`},
		{"protocol 0", "version: 1\nexpectations:\n  - {from: a, to: b, protocol: 0, expect: reachable}\n", `expectations[0].protocol: "0" matches a schema it must not`},
		{"wrong type", "version: 1\nvpcs: {}\n", `vpcs: a mapping where array belongs`},
		{"version 2", "version: 2\n", `version: 2 is not 1`},
		{"blank required string", "version: 1\nvpcs:\n  - {id: a, region: \" \", cidr_blocks: [10.0.0.0/16]}\n", `vpcs[0].region: " " does not match`},
		{"empty required list", "version: 1\nvpcs:\n  - {id: a, region: r, cidr_blocks: []}\n", `vpcs[0].cidr_blocks: 0 items, fewer than 1`},
		{"empty id", "version: 1\nvpcs:\n  - {id: a, region: r, cidr_blocks: [10.0.0.0/16], subnets: [{id: s, az: r1, cidr_block: 10.0.0.0/24, route_table: \"\"}]}\n", `vpcs[0].subnets[0].route_table: "" does not match`},
		{"a value of the enum the field does not take", "version: 1\nvpcs:\n  - {id: a, region: r, cidr_blocks: [10.0.0.0/16], load_balancers: [{id: lb, type: network, scheme: internal, subnets: [s], ip_address_type: ipv6}]}\n", `vpcs[0].load_balancers[0].ip_address_type: "ipv6" is not one of`},
		{"and in a list", "version: 1\nendpoint_services:\n  - {id: s, load_balancers: [lb], supported_ip_address_types: [dualstack]}\n", `endpoint_services[0].supported_ip_address_types[0]: "dualstack" is not one of`},
		{"port out of range", "version: 1\nexpectations:\n  - {from: a, to: b, protocol: tcp, port: 70000, expect: reachable}\n", `expectations[0].port: 70000 is above 65535`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := checkYAML(t, s, []byte(tt.yaml))
			require.NotEmpty(t, errs, "the schema accepts %q", tt.yaml)
			require.Contains(t, strings.Join(errs, "\n"), tt.want)
		})
	}
}

// checkYAML validates a YAML document against the schema with the subset
// of JSON Schema that JSONSchema uses: $ref, type, properties,
// additionalProperties, required, items, minItems, enum, const, pattern, minLength,
// minimum, maximum and not. It returns one message per problem.
func checkYAML(t *testing.T, schema map[string]any, data []byte) []string {
	t.Helper()
	var doc yaml.Node
	require.NoError(t, yaml.Unmarshal(data, &doc))
	require.Len(t, doc.Content, 1)
	c := &schemaChecker{root: schema}
	c.check(schema, doc.Content[0], "")
	return c.errs
}

type schemaChecker struct {
	root map[string]any
	errs []string
}

func (c *schemaChecker) fail(path, format string, args ...any) {
	if path == "" {
		path = "(top)"
	}
	c.errs = append(c.errs, path+": "+fmt.Sprintf(format, args...))
}

// jsonType is the JSON type a YAML node stands for.
func jsonType(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "object"
	case yaml.SequenceNode:
		return "array"
	}
	switch n.Tag {
	case "!!int":
		return "integer"
	case "!!float":
		return "number"
	case "!!bool":
		return "boolean"
	case "!!null":
		return "null"
	}
	return "string"
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return strconv.Quote(n.Value)
}

func (c *schemaChecker) check(s map[string]any, n *yaml.Node, path string) {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if ref, ok := s["$ref"].(string); ok {
		name, ok := strings.CutPrefix(ref, "#/$defs/")
		def, ok2 := c.root["$defs"].(map[string]any)[name].(map[string]any)
		if !ok || !ok2 {
			c.fail(path, "dangling $ref %q", ref)
			return
		}
		c.check(def, n, path)
	}
	jt := jsonType(n)
	if typ, ok := s["type"]; ok {
		var types []string
		switch typ := typ.(type) {
		case string:
			types = []string{typ}
		case []any:
			for _, x := range typ {
				types = append(types, x.(string))
			}
		}
		if !slices.Contains(types, jt) && !(jt == "integer" && slices.Contains(types, "number")) {
			c.fail(path, "%s where %s belongs", describe(n), strings.Join(types, " or "))
			return
		}
	}
	switch jt {
	case "object":
		c.checkObject(s, n, path)
	case "array":
		if m, ok := s["minItems"].(float64); ok && float64(len(n.Content)) < m {
			c.fail(path, "%d items, fewer than %v", len(n.Content), m)
		}
		if items, ok := s["items"].(map[string]any); ok {
			for i, e := range n.Content {
				c.check(items, e, fmt.Sprintf("%s[%d]", path, i))
			}
		}
	case "string":
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(n.Value) {
			c.fail(path, "%q does not match %s", n.Value, p)
		}
		if m, ok := s["minLength"].(float64); ok && float64(len(n.Value)) < m {
			c.fail(path, "%q is shorter than %v", n.Value, m)
		}
	case "integer", "number":
		v, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err != nil {
			c.fail(path, "%q is not a number", n.Value)
			break
		}
		if m, ok := s["minimum"].(float64); ok && v < m {
			c.fail(path, "%s is below %v", n.Value, m)
		}
		if m, ok := s["maximum"].(float64); ok && v > m {
			c.fail(path, "%s is above %v", n.Value, m)
		}
	}
	if enum, ok := s["enum"].([]any); ok && !slices.ContainsFunc(enum, func(v any) bool { return sameValue(v, n) }) {
		c.fail(path, "%q is not one of %v", n.Value, enum)
	}
	if v, ok := s["const"]; ok && !sameValue(v, n) {
		c.fail(path, "%s is not %v", n.Value, v)
	}
	if not, ok := s["not"].(map[string]any); ok {
		sub := &schemaChecker{root: c.root}
		sub.check(not, n, path)
		if len(sub.errs) == 0 {
			c.fail(path, "%s matches a schema it must not (%v)", describe(n), not)
		}
	}
}

func (c *schemaChecker) checkObject(s map[string]any, n *yaml.Node, path string) {
	props, _ := s["properties"].(map[string]any)
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key := n.Content[i].Value
		seen[key] = true
		kp := key
		if path != "" {
			kp = path + "." + key
		}
		p, ok := props[key].(map[string]any)
		if !ok {
			if s["additionalProperties"] == false {
				c.fail(kp, "unknown key")
			}
			continue
		}
		c.check(p, n.Content[i+1], kp)
	}
	if req, ok := s["required"].([]any); ok {
		for _, k := range req {
			if !seen[k.(string)] {
				c.fail(path, "missing required key %q", k)
			}
		}
	}
}

// sameValue compares a JSON value from the schema with a YAML scalar.
func sameValue(v any, n *yaml.Node) bool {
	if n.Kind != yaml.ScalarNode {
		return false
	}
	switch v := v.(type) {
	case string:
		return jsonType(n) == "string" && n.Value == v
	case float64:
		f, err := strconv.ParseFloat(n.Value, 64)
		return (jsonType(n) == "integer" || jsonType(n) == "number") && err == nil && f == v
	case bool:
		return jsonType(n) == "boolean" && n.Value == strconv.FormatBool(v)
	}
	return false
}
