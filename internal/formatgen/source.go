package formatgen

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// generatedFile is the file Generate writes into the model package. It is
// not read back, so that a stale or broken copy cannot stop a regeneration.
const generatedFile = "fielddoc_gen.go"

// source is the parsed Go source of the model package.
type source struct {
	pkg     string
	specs   map[string]*ast.TypeSpec     // type name -> declaration
	docs    map[string]*ast.CommentGroup // type name -> doc comment
	methods map[string]map[string]bool   // type name -> method names
	funcs   map[string]*ast.FuncDecl     // top-level functions
	vars    map[string]ast.Expr          // top-level var name -> value
	enums   map[string][]string          // enum type -> value names; "" marks an unused number
	// fieldVals holds the model's fieldValues: by "Type.Field", the
	// values an enum field accepts when they are fewer than its type's.
	fieldVals map[string][]string
	structs   map[string]*structInfo // struct types reached from Model
	order     []string               // struct types in the order first reached
	scalars   map[string]bool        // scalar model types reached (ID, Protocol, enums)
	stacking  map[string]bool        // structs on the walk's stack, to refuse cycles
	fileSet   *token.FileSet
}

// kind classifies a field type by what YAML holds.
type kind int

const (
	kString kind = iota
	kBool
	kInt
	kUint
	kID
	kCIDR
	kAddr
	kEnum
	kText // a model type read through UnmarshalText: Protocol, PortRange, ...
	kStruct
	kList
)

// typ is a field type as YAML sees it.
type typ struct {
	kind     kind
	name     string // Go type name: "uint16", "RouteState", "Subnet"
	bits     int    // kInt, kUint: size in bits (0 for int and uint)
	elem     *typ   // kList: the element type
	optional bool   // a pointer: absent and null mean "not set"
	family   string // kCIDR, kAddr: the field's family tag ("", "ipv6", "any")
}

// withFamily returns t, a CIDR or address type or a list of them, with
// the family of its base type set; other types are returned as they are.
func withFamily(t *typ, family string) *typ {
	c := *t
	switch c.kind {
	case kList:
		c.elem = withFamily(c.elem, family)
	case kCIDR, kAddr:
		c.family = family
	}
	return &c
}

// field is one YAML key of a struct, after inline embedded structs are
// flattened.
type field struct {
	key      string
	owner    string // the struct that declares the Go field
	goName   string
	typ      *typ
	required bool
	def      string
	example  string
	doc      string // the doc comment, as one line
	fullDoc  string // the doc comment with its paragraphs
}

// structInfo is a struct type of the format.
type structInfo struct {
	name    string
	fields  []*field
	inlined []string // structs flattened into this one
	paths   []string // where it is written, like "vpcs[].subnets[]"
}

// load parses the non-test Go files of dir.
func load(dir string) (*source, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	s := &source{
		specs:     map[string]*ast.TypeSpec{},
		docs:      map[string]*ast.CommentGroup{},
		methods:   map[string]map[string]bool{},
		funcs:     map[string]*ast.FuncDecl{},
		vars:      map[string]ast.Expr{},
		enums:     map[string][]string{},
		fieldVals: map[string][]string{},
		structs:   map[string]*structInfo{},
		scalars:   map[string]bool{},
		stacking:  map[string]bool{},
		fileSet:   token.NewFileSet(),
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || name == generatedFile {
			continue
		}
		f, err := parser.ParseFile(s.fileSet, filepath.Join(dir, name), nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		if s.pkg == "" {
			s.pkg = f.Name.Name
		} else if s.pkg != f.Name.Name {
			return nil, fmt.Errorf("%s: package %s, want %s", name, f.Name.Name, s.pkg)
		}
		s.addFile(f)
	}
	if s.pkg == "" {
		return nil, fmt.Errorf("%s: no Go files", dir)
	}
	if err := s.findEnums(); err != nil {
		return nil, err
	}
	if err := s.findFieldValues(); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *source) addFile(f *ast.File) {
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				switch sp := sp.(type) {
				case *ast.TypeSpec:
					s.specs[sp.Name.Name] = sp
					doc := sp.Doc
					if doc == nil && !d.Lparen.IsValid() {
						doc = d.Doc
					}
					s.docs[sp.Name.Name] = doc
				case *ast.ValueSpec:
					if d.Tok != token.VAR || len(sp.Values) != len(sp.Names) {
						continue
					}
					for i, n := range sp.Names {
						s.vars[n.Name] = sp.Values[i]
					}
				}
			}
		case *ast.FuncDecl:
			if d.Recv == nil {
				s.funcs[d.Name.Name] = d
				continue
			}
			if len(d.Recv.List) == 1 {
				if recv := baseName(d.Recv.List[0].Type); recv != "" {
					if s.methods[recv] == nil {
						s.methods[recv] = map[string]bool{}
					}
					s.methods[recv][d.Name.Name] = true
				}
			}
		}
	}
}

// baseName returns the name of T, *T, T[...] or *T[...], or "".
func baseName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.StarExpr:
		return baseName(e.X)
	case *ast.IndexExpr:
		return baseName(e.X)
	case *ast.IndexListExpr:
		return baseName(e.X)
	}
	return ""
}

// findEnums reads the enum value lists the way EnumValues finds them: its
// type switch names a type (or a pointer to it) per case and assigns that
// type's names variable, a []string literal.
func (s *source) findEnums() error {
	fn := s.funcs["EnumValues"]
	if fn == nil || fn.Body == nil {
		return fmt.Errorf("the model has no EnumValues function to read enum values from")
	}
	var err error
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		cc, ok := n.(*ast.CaseClause)
		if !ok || err != nil {
			return err == nil
		}
		varName := ""
		for _, st := range cc.Body {
			if as, ok := st.(*ast.AssignStmt); ok && len(as.Rhs) == 1 {
				if id, ok := as.Rhs[0].(*ast.Ident); ok {
					varName = id.Name
				}
			}
		}
		if varName == "" {
			return false
		}
		names, e := s.stringList(varName)
		if e != nil {
			err = e
			return false
		}
		for _, t := range cc.List {
			if n := baseName(t); n != "" {
				s.enums[n] = names
			}
		}
		return false
	})
	if err == nil && len(s.enums) == 0 {
		err = fmt.Errorf("EnumValues: found no case that assigns a names variable")
	}
	return err
}

// findFieldValues reads the model's fieldValues, a map literal from
// "Type.Field" to a []string literal of the values the field accepts, when
// the model has one.
func (s *source) findFieldValues() error {
	e, ok := s.vars["fieldValues"]
	if !ok {
		return nil
	}
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		return fmt.Errorf("fieldValues is not a map literal")
	}
	for _, el := range lit.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			return fmt.Errorf("fieldValues holds an element that is not key: value")
		}
		key, err := stringLit(kv.Key)
		if err != nil {
			return fmt.Errorf("fieldValues: a key: %v", err)
		}
		vals, ok := kv.Value.(*ast.CompositeLit)
		if !ok {
			return fmt.Errorf("fieldValues[%q] is not a []string literal", key)
		}
		for _, v := range vals.Elts {
			str, err := stringLit(v)
			if err != nil {
				return fmt.Errorf("fieldValues[%q]: %v", key, err)
			}
			s.fieldVals[key] = append(s.fieldVals[key], str)
		}
	}
	return nil
}

// checkFieldValues makes sure every entry of fieldValues names an enum
// field of the format (or a list of one), with values of its type.
func (s *source) checkFieldValues() error {
	fields := map[string]*field{}
	for _, n := range s.order {
		for _, f := range s.structs[n].fields {
			fields[f.owner+"."+f.goName] = f
		}
	}
	for _, key := range slices.Sorted(maps.Keys(s.fieldVals)) {
		f := fields[key]
		if f == nil {
			return fmt.Errorf("fieldValues lists %s, which is not a field of the format", key)
		}
		t := f.typ
		if t.kind == kList {
			t = t.elem
		}
		if t.kind != kEnum {
			return fmt.Errorf("fieldValues lists %s, which is not an enum field", key)
		}
		for _, v := range s.fieldVals[key] {
			if !slices.Contains(s.enumValues(t.name), v) {
				return fmt.Errorf("fieldValues lists %q for %s, which is not a value of %s", v, key, t.name)
			}
		}
	}
	return nil
}

// stringLit returns the value of a string literal expression.
func stringLit(e ast.Expr) (string, error) {
	bl, ok := e.(*ast.BasicLit)
	if !ok || bl.Kind != token.STRING {
		return "", fmt.Errorf("not a string literal")
	}
	return strconv.Unquote(bl.Value)
}

// stringList returns the elements of var name = []string{"a", ...}.
func (s *source) stringList(name string) ([]string, error) {
	lit, ok := s.vars[name].(*ast.CompositeLit)
	if !ok {
		return nil, fmt.Errorf("EnumValues uses %s, which is not a []string literal", name)
	}
	var out []string
	for _, e := range lit.Elts {
		bl, ok := e.(*ast.BasicLit)
		if !ok || bl.Kind != token.STRING {
			return nil, fmt.Errorf("%s holds a non-literal element", name)
		}
		v, err := strconv.Unquote(bl.Value)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// enumValues returns the YAML spellings of enum type name, without the
// unused numbers, as model.EnumValues does.
func (s *source) enumValues(name string) []string {
	var out []string
	for _, n := range s.enums[name] {
		if n != "" {
			out = append(out, n)
		}
	}
	return out
}

// enumZero returns the spelling of an enum's zero value, or "" when the zero
// value is "unset".
func (s *source) enumZero(name string) string {
	if names := s.enums[name]; len(names) > 0 {
		return names[0]
	}
	return ""
}

// textTypes are the model types read through UnmarshalText that are not
// enums. The generator refuses a text type missing from this list, so that
// a new one gets a description before it reaches the docs.
var textTypes = map[string]string{
	"Protocol":    "protocol",
	"PortRange":   "port range",
	"Destination": "CIDR or prefix list id",
	"Peer":        "CIDR or id",
}

// resolve classifies a field type expression.
func (s *source) resolve(e ast.Expr, where string) (*typ, error) {
	switch e := e.(type) {
	case *ast.StarExpr:
		t, err := s.resolve(e.X, where)
		if err != nil {
			return nil, err
		}
		if t.optional || t.kind == kList {
			return nil, fmt.Errorf("%s: pointer to %s is not supported", where, t.name)
		}
		c := *t
		c.optional = true
		return &c, nil
	case *ast.ArrayType:
		if e.Len != nil {
			return nil, fmt.Errorf("%s: arrays are not supported; use a slice", where)
		}
		el, err := s.resolve(e.Elt, where)
		if err != nil {
			return nil, err
		}
		return &typ{kind: kList, name: "[]" + el.name, elem: el}, nil
	case *ast.SelectorExpr:
		if x, ok := e.X.(*ast.Ident); ok && x.Name == "netip" {
			switch e.Sel.Name {
			case "Prefix":
				return &typ{kind: kCIDR, name: "netip.Prefix"}, nil
			case "Addr":
				return &typ{kind: kAddr, name: "netip.Addr"}, nil
			}
		}
		return nil, fmt.Errorf("%s: type %s is not supported by the format", where, exprString(e))
	case *ast.Ident:
		if t := basicType(e.Name); t != nil {
			return t, nil
		}
		return s.resolveNamed(e.Name, where)
	}
	return nil, fmt.Errorf("%s: type %s is not supported by the format", where, exprString(e))
}

func (s *source) resolveNamed(name, where string) (*typ, error) {
	spec := s.specs[name]
	if spec == nil {
		return nil, fmt.Errorf("%s: unknown type %s", where, name)
	}
	if s.methods[name]["UnmarshalText"] {
		s.scalars[name] = true
		if _, ok := s.enums[name]; ok {
			return &typ{kind: kEnum, name: name}, nil
		}
		if _, ok := textTypes[name]; ok {
			return &typ{kind: kText, name: name}, nil
		}
		return nil, fmt.Errorf("%s: %s is read through UnmarshalText but is neither an enum listed by EnumValues nor described in formatgen's textTypes; add it there", where, name)
	}
	switch u := spec.Type.(type) {
	case *ast.StructType:
		return &typ{kind: kStruct, name: name}, nil
	case *ast.Ident:
		t := basicType(u.Name)
		if t == nil {
			return nil, fmt.Errorf("%s: type %s (%s) is not supported by the format", where, name, u.Name)
		}
		s.scalars[name] = true
		c := *t
		c.name = name
		if name == "ID" {
			c.kind = kID
		}
		return &c, nil
	}
	return nil, fmt.Errorf("%s: type %s is not supported by the format", where, name)
}

func basicType(name string) *typ {
	switch name {
	case "string":
		return &typ{kind: kString, name: name}
	case "bool":
		return &typ{kind: kBool, name: name}
	case "int", "int8", "int16", "int32", "int64":
		bits, _ := strconv.Atoi(strings.TrimPrefix(name, "int"))
		return &typ{kind: kInt, name: name, bits: bits}
	case "uint", "uint8", "uint16", "uint32", "uint64":
		bits, _ := strconv.Atoi(strings.TrimPrefix(name, "uint"))
		return &typ{kind: kUint, name: name, bits: bits}
	}
	return nil
}

func exprString(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return exprString(e.X) + "." + e.Sel.Name
	case *ast.StarExpr:
		return "*" + exprString(e.X)
	case *ast.ArrayType:
		return "[]" + exprString(e.Elt)
	case *ast.MapType:
		return "map[" + exprString(e.Key) + "]" + exprString(e.Value)
	}
	return fmt.Sprintf("%T", e)
}

// base returns the element type under lists.
func (t *typ) base() *typ {
	for t.kind == kList {
		t = t.elem
	}
	return t
}

// walk visits the struct types reachable from root, depth first in field
// order, recording every path each one is written at.
func (s *source) walk(root string) error {
	return s.visit(root, "")
}

func (s *source) visit(name, path string) error {
	if s.stacking[name] {
		return fmt.Errorf("type %s contains itself; the format cannot describe it", name)
	}
	st := s.structs[name]
	if st == nil {
		st = &structInfo{name: name}
		if err := s.collect(st, name, map[string]bool{}); err != nil {
			return err
		}
		s.structs[name] = st
		s.order = append(s.order, name)
	}
	st.paths = append(st.paths, path)
	s.stacking[name] = true
	defer delete(s.stacking, name)
	for _, f := range st.fields {
		p := path
		if p != "" {
			p += "."
		}
		p += f.key
		t := f.typ
		for t.kind == kList {
			p += "[]"
			t = t.elem
		}
		if t.kind == kStruct {
			if err := s.visit(t.name, p); err != nil {
				return err
			}
		}
	}
	return nil
}

// collect appends the YAML fields of struct type name to st, flattening
// inline embedded structs, with the decoder's rules: a field named Source of
// type Source and fields tagged yaml:"-" are not in YAML, unexported fields
// are skipped, and every other field needs a key.
func (s *source) collect(st *structInfo, name string, seen map[string]bool) error {
	spec := s.specs[name]
	if spec == nil {
		return fmt.Errorf("unknown type %s", name)
	}
	stt, ok := spec.Type.(*ast.StructType)
	if !ok {
		return fmt.Errorf("%s is not a struct", name)
	}
	for _, f := range stt.Fields.List {
		var tag reflect.StructTag
		if f.Tag != nil {
			raw, err := strconv.Unquote(f.Tag.Value)
			if err != nil {
				return fmt.Errorf("%s: bad struct tag %s", name, f.Tag.Value)
			}
			tag = reflect.StructTag(raw)
		}
		yamlTag := tag.Get("yaml")
		key, opts, _ := strings.Cut(yamlTag, ",")
		typeName := exprString(f.Type)
		if len(f.Names) == 0 { // embedded
			en := baseName(f.Type)
			if en == "Source" && typeName == "Source" {
				continue
			}
			if yamlTag == "-" || !ast.IsExported(en) {
				continue
			}
			if opts == "inline" {
				if !s.isStruct(en) || typeName != en {
					return fmt.Errorf("%s: inline field %s is not an embedded struct", name, typeName)
				}
				st.inlined = append(st.inlined, en)
				if err := s.collect(st, en, seen); err != nil {
					return err
				}
				continue
			}
			if key == "" {
				return fmt.Errorf("field %s.%s has no yaml key", name, en)
			}
			if err := s.addField(st, name, en, key, f, tag, seen); err != nil {
				return err
			}
			continue
		}
		for _, n := range f.Names {
			if n.Name == "Source" && typeName == "Source" {
				continue
			}
			if yamlTag == "-" || !n.IsExported() {
				continue
			}
			if key == "" {
				return fmt.Errorf("field %s.%s has no yaml key", name, n.Name)
			}
			if err := s.addField(st, name, n.Name, key, f, tag, seen); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *source) isStruct(name string) bool {
	spec := s.specs[name]
	if spec == nil {
		return false
	}
	_, ok := spec.Type.(*ast.StructType)
	return ok
}

func (s *source) addField(st *structInfo, owner, goName, key string, f *ast.Field, tag reflect.StructTag, seen map[string]bool) error {
	where := owner + "." + goName
	if seen[key] {
		return fmt.Errorf("%s: key %q is used twice in %s", where, key, st.name)
	}
	seen[key] = true
	t, err := s.resolve(f.Type, where)
	if err != nil {
		return err
	}
	doc := f.Doc
	if doc == nil {
		doc = f.Comment
	}
	full := strings.TrimSpace(doc.Text())
	if fam := tag.Get("family"); fam != "" {
		t = withFamily(t, fam)
	}
	st.fields = append(st.fields, &field{
		key:      key,
		owner:    owner,
		goName:   goName,
		typ:      t,
		required: tag.Get("required") == "true",
		def:      tag.Get("default"),
		example:  tag.Get("example"),
		doc:      oneLine(full),
		fullDoc:  full,
	})
	return nil
}

// oneLine joins text into one line with single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// firstParagraph returns the first paragraph of a doc comment, as one line.
func firstParagraph(s string) string {
	p, _, _ := strings.Cut(strings.TrimSpace(s), "\n\n")
	return oneLine(p)
}

// userDoc rewrites a field's doc comment for a YAML author: a leading Go
// field name becomes its YAML key ("CIDRBlocks are ..." -> "cidr_blocks
// are ..."). quote wraps the key, as markdown code for instance.
func userDoc(doc, goName, key string, quote func(string) string) string {
	rest, ok := strings.CutPrefix(doc, goName)
	if !ok || goName == key {
		return doc
	}
	if rest != "" && !strings.ContainsRune(" :,.;", rune(rest[0])) {
		return doc
	}
	return quote(key) + rest
}

// typeDoc returns the doc comment of a type, without its trailing newline.
func (s *source) typeDoc(name string) string {
	return strings.TrimSpace(s.docs[name].Text())
}

// reachedTypes returns every model type the format uses, sorted: the
// structs, the inline embedded structs and the named scalar types.
func (s *source) reachedTypes() []string {
	set := map[string]bool{}
	for _, n := range s.order {
		set[n] = true
		for _, in := range s.structs[n].inlined {
			set[in] = true
		}
	}
	for n := range s.scalars {
		set[n] = true
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}
