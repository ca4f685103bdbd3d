// Package formatgen writes the documentation of the topology format from
// the Go source of package model: model/fielddoc_gen.go (the doc comments
// of the model's types and fields, which model.JSONSchema uses as
// descriptions) and docs/format.md (the format reference).
//
// It reads the model's source with go/parser and walks the types from
// Model the way the model's decoder walks them by reflection: the same
// struct tags, inline embedded structs flattened, Source fields skipped. It
// does not import package model, so it still runs when the generated file
// is missing or stale. Enum values come from the []string literals that
// model.EnumValues returns; a field that accepts fewer values than its
// type (the model's fieldValues map literal, which validation checks
// against) is documented with those.
//
// Run it with go generate ./model. Output depends only on the input files,
// so a test can compare it with the files on disk.
package formatgen

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// rootType is the top of a topology file.
const rootType = "Model"

// Example files for the reference's complete example, relative to the model
// directory; the first that exists is used.
var exampleFiles = []string{
	"../testdata/seed000-peering-nlb.yaml",
	"example.yaml", // the embedded ExampleTopology
}

// Generate reads the Go source of the model package in modelDir and returns
// the contents of its fielddoc_gen.go and of docs/format.md.
func Generate(modelDir string) (fieldDocGo, formatMD []byte, err error) {
	s, err := load(modelDir)
	if err != nil {
		return nil, nil, fmt.Errorf("formatgen: %w", err)
	}
	if err := s.walk(rootType); err != nil {
		return nil, nil, fmt.Errorf("formatgen: %w", err)
	}
	if err := s.checkFieldValues(); err != nil {
		return nil, nil, fmt.Errorf("formatgen: %w", err)
	}
	fieldDocGo, err = s.fieldDocGo()
	if err != nil {
		return nil, nil, fmt.Errorf("formatgen: %w", err)
	}
	exName, example, err := readExample(modelDir)
	if err != nil {
		return nil, nil, fmt.Errorf("formatgen: %w", err)
	}
	formatMD, err = s.markdown(exName, example)
	if err != nil {
		return nil, nil, fmt.Errorf("formatgen: %w", err)
	}
	return fieldDocGo, formatMD, nil
}

// EnumValues returns the values of every enum type the format uses, as
// the generator read them from the source, by type name. A test compares
// them with model.EnumValues.
func EnumValues(modelDir string) (map[string][]string, error) {
	s, err := load(modelDir)
	if err != nil {
		return nil, fmt.Errorf("formatgen: %w", err)
	}
	if err := s.walk(rootType); err != nil {
		return nil, fmt.Errorf("formatgen: %w", err)
	}
	out := map[string][]string{}
	for n := range s.scalars {
		if _, ok := s.enums[n]; ok {
			out[n] = s.enumValues(n)
		}
	}
	return out, nil
}

// FieldValues returns the model's fieldValues as the generator read them
// from the source: by "Type.Field", the values an enum field accepts when
// they are fewer than its type's, which the reference lists instead. A
// test compares them with model.FieldValues.
func FieldValues(modelDir string) (map[string][]string, error) {
	s, err := load(modelDir)
	if err != nil {
		return nil, fmt.Errorf("formatgen: %w", err)
	}
	if err := s.walk(rootType); err != nil {
		return nil, fmt.Errorf("formatgen: %w", err)
	}
	if err := s.checkFieldValues(); err != nil {
		return nil, fmt.Errorf("formatgen: %w", err)
	}
	return s.fieldVals, nil
}

// Lint lists what the format's documentation lacks: types and fields
// without a doc comment, required fields without an example tag. The
// generator's command prints it with -lint.
func Lint(modelDir string) ([]string, error) {
	s, err := load(modelDir)
	if err != nil {
		return nil, fmt.Errorf("formatgen: %w", err)
	}
	if err := s.walk(rootType); err != nil {
		return nil, fmt.Errorf("formatgen: %w", err)
	}
	var out []string
	for _, n := range s.reachedTypes() {
		if s.typeDoc(n) == "" {
			out = append(out, fmt.Sprintf("type %s has no doc comment", n))
		}
	}
	done := map[string]bool{}
	for _, n := range s.order {
		for _, f := range s.structs[n].fields {
			name := f.owner + "." + f.goName
			if done[name] {
				continue
			}
			done[name] = true
			if f.doc == "" {
				out = append(out, fmt.Sprintf("field %s (%s) has no doc comment", name, f.key))
			}
			if f.required && f.example == "" && f.typ.base().kind != kStruct {
				out = append(out, fmt.Sprintf("required field %s (%s) has no example tag", name, f.key))
			}
		}
	}
	return out, nil
}

func readExample(modelDir string) (name string, data []byte, err error) {
	for _, f := range exampleFiles {
		data, err := os.ReadFile(filepath.Join(modelDir, filepath.FromSlash(f)))
		if err == nil {
			return f, data, nil
		}
		if !os.IsNotExist(err) {
			return "", nil, err
		}
	}
	return "", nil, fmt.Errorf("no example topology: looked for %s in %s", strings.Join(exampleFiles, ", "), modelDir)
}

// fieldDocGo renders fielddoc_gen.go.
func (s *source) fieldDocGo() ([]byte, error) {
	fields := map[string]string{}
	for _, n := range s.order {
		for _, f := range s.structs[n].fields {
			if f.doc != "" {
				fields[f.owner+"."+f.goName] = userDoc(f.doc, f.goName, f.key, func(k string) string { return k })
			}
		}
	}
	types := map[string]string{}
	for _, n := range s.reachedTypes() {
		if d := firstParagraph(s.typeDoc(n)); d != "" {
			types[n] = d
		}
	}
	var b bytes.Buffer
	b.WriteString("// Code generated by internal/formatgen; DO NOT EDIT.\n\n")
	fmt.Fprintf(&b, "package %s\n\n", s.pkg)
	b.WriteString("// fieldDocs holds the doc comment of every documented field of the\n")
	b.WriteString("// format's types, keyed by \"Type.Field\" (the struct that declares the\n")
	b.WriteString("// field): one line, a leading Go field name replaced by its YAML key.\n")
	b.WriteString("var fieldDocs = map[string]string{\n")
	writeMap(&b, fields)
	b.WriteString("}\n\n")
	b.WriteString("// typeDocs holds the first paragraph of the doc comment of every\n")
	b.WriteString("// documented type of the format, as one line, keyed by type name.\n")
	b.WriteString("var typeDocs = map[string]string{\n")
	writeMap(&b, types)
	b.WriteString("}\n")
	return format.Source(b.Bytes())
}

func writeMap(b *bytes.Buffer, m map[string]string) {
	for _, k := range sortedKeys(m) {
		fmt.Fprintf(b, "\t%s: %s,\n", strconv.Quote(k), strconv.Quote(m[k]))
	}
}
