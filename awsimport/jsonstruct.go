package awsimport

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/vpcreach/vpcreach/model"
)

// jsonInt is an integer of a snapshot with where it is written, for the
// values checked against what AWS writes (ports, ICMP types and codes,
// rule numbers), so that a bad one is reported at its line and column.
// Pos is zero for values not read from a file.
type jsonInt struct {
	V   int
	Pos model.Position
}

// jsonText is a string of a snapshot with where it is written (CIDR
// blocks), as jsonInt is for integers.
type jsonText struct {
	S   string
	Pos model.Position
}

// MarshalJSON writes the integer.
func (n jsonInt) MarshalJSON() ([]byte, error) { return strconv.AppendInt(nil, int64(n.V), 10), nil }

// UnmarshalJSON reads an integer (null leaves it unchanged), for
// encoding/json, with which the decoder is compared.
func (n *jsonInt) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	return json.Unmarshal(b, &n.V)
}

// MarshalJSON writes the string.
func (t jsonText) MarshalJSON() ([]byte, error) { return json.Marshal(t.S) }

// UnmarshalJSON reads a string (null leaves it unchanged), as
// jsonInt.UnmarshalJSON does.
func (t *jsonText) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	return json.Unmarshal(b, &t.S)
}

// jsonNum returns an integer without a position, for the exporter.
func jsonNum(v int) *jsonInt { return &jsonInt{V: v} }

var (
	jsonIntType  = reflect.TypeFor[jsonInt]()
	jsonTextType = reflect.TypeFor[jsonText]()
)

// structInfo is the decoding plan of a struct type.
type structInfo struct {
	exact map[string]int // JSON name -> field index
	// lower maps JSON names in lower case to their first field, when all
	// names are ASCII (nonASCII is false).
	lower    map[string]int
	nonASCII bool
	// names has bit nameBit(name) set for every ASCII name, so that most
	// keys no field takes are known after one test.
	names  uint64
	fields []fieldName
}

// nameBit is the bit of names for a name of length n starting with c (in
// lower case).
func nameBit(n int, c byte) uint64 { return 1 << ((n*5 + int(c|0x20)) & 63) }

type fieldName struct {
	name  string
	index int
}

var structInfos sync.Map // reflect.Type -> *structInfo

func infoOf(t reflect.Type) *structInfo {
	if si, ok := structInfos.Load(t); ok {
		return si.(*structInfo)
	}
	si := &structInfo{exact: map[string]int{}, lower: map[string]int{}}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name := f.Name
		if tag, ok := f.Tag.Lookup("json"); ok {
			if n, _, _ := strings.Cut(tag, ","); n == "-" {
				continue
			} else if n != "" {
				name = n
			}
		}
		si.exact[name] = i
		si.fields = append(si.fields, fieldName{name, i})
		if !isASCII(name) || name == "" {
			si.nonASCII = true
			continue
		}
		si.names |= nameBit(len(name), name[0])
		if _, ok := si.lower[strings.ToLower(name)]; !ok {
			si.lower[strings.ToLower(name)] = i
		}
	}
	structInfos.Store(t, si)
	return si
}

// field finds the field for a JSON key: exactly, else ignoring case, as
// encoding/json does (the first field of the name, by Unicode folding).
func (si *structInfo) field(key []byte) (int, bool) {
	if i, ok := si.exact[string(key)]; ok {
		return i, true
	}
	var buf [64]byte
	if len(key) <= len(buf) && !si.nonASCII {
		ascii := true
		for k, c := range key {
			if c >= 0x80 {
				ascii = false
				break
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[k] = c
		}
		if ascii {
			if len(key) == 0 || si.names&nameBit(len(key), key[0]) == 0 {
				return 0, false // no field has a name of this length and first letter
			}
			i, ok := si.lower[string(buf[:len(key)])]
			return i, ok
		}
	}
	// Long keys, and keys with non-ASCII letters, which may fold to
	// ASCII ones (the Kelvin sign to k, the long s to s).
	k := string(key)
	for _, f := range si.fields {
		if strings.EqualFold(f.name, k) {
			return f.index, true
		}
	}
	return 0, false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// name returns the JSON name of field index i.
func (si *structInfo) name(i int) string {
	for _, f := range si.fields {
		if f.index == i {
			return f.name
		}
	}
	return ""
}
