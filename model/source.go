package model

import (
	"strconv"
)

// Position is a place in a topology file. Line and Column count from 1; the
// zero Position means "not from a file" (a model built in Go).
type Position struct {
	File   string
	Line   int
	Column int
}

// IsValid reports whether p names a place in a file.
func (p Position) IsValid() bool { return p.Line > 0 }

// String returns "file:line:column", "file:line" when the column is not
// known, "file" (a file that is not read), or "-".
func (p Position) String() string {
	s := p.File
	if p.IsValid() {
		if s != "" {
			s += ":"
		}
		s += strconv.Itoa(p.Line)
		if p.Column > 0 {
			s += ":" + strconv.Itoa(p.Column)
		}
	}
	if s == "" {
		s = "-"
	}
	return s
}

// Source records where a resource was written: the position of its YAML
// mapping, its field path ("vpcs[0].subnets[2]") and the positions of its
// scalar fields. The loader fills it; models built in Go leave it zero, and
// every method then still returns a usable (empty) Source.
type Source struct {
	Position
	// Path is the field path of the resource from the top of its file.
	Path string
	// fields holds the position of each scalar field and scalar list element
	// that was written, in file order.
	fields []fieldPos
}

type fieldPos struct {
	key       string
	index     int32 // -1 for a field, else the list index
	line, col int32
}

func (s *Source) record(key string, index int, line, col int) {
	s.fields = append(s.fields, fieldPos{key, int32(index), int32(line), int32(col)})
}

// Field returns the Source of the named field (its YAML key): its value's
// position when it was written, else the resource's own position, with the
// path extended by the key.
func (s Source) Field(key string) Source {
	return s.lookup(key, -1, joinPath(s.Path, key))
}

// Elem returns the Source of element i of the named list field.
func (s Source) Elem(key string, i int) Source {
	src := s.lookup(key, i, joinPath(s.Path, key)+"["+strconv.Itoa(i)+"]")
	return src
}

func (s Source) lookup(key string, index int, path string) Source {
	out := Source{Position: s.Position, Path: path}
	fallback := true
	for _, f := range s.fields {
		if f.key != key {
			continue
		}
		if int(f.index) == index {
			out.Line, out.Column = int(f.line), int(f.col)
			return out
		}
		if fallback && index >= 0 && f.index < 0 {
			// The list itself was written as a block; point at it.
			out.Line, out.Column = int(f.line), int(f.col)
			fallback = false
		}
	}
	return out
}

// Has reports whether the field key was written in the file.
func (s Source) Has(key string) bool {
	for _, f := range s.fields {
		if f.key == key {
			return true
		}
	}
	return false
}

func joinPath(base, key string) string {
	if base == "" {
		return key
	}
	return base + "." + key
}
