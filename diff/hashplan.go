package diff

import (
	"cmp"
	"hash/maphash"
	"net/netip"
	"reflect"
	"slices"
	"strconv"
	"sync"

	"github.com/vpcreach/vpcreach/model"
)

// A hashPlan hashes values of one type for fingerprint. Plans are compiled
// once per type, so that hashing a resource walks precomputed field lists
// instead of asking reflect for each struct field every time (a diff of
// 1,000 VPCs fingerprints about 100,000 resources per side).
type hashPlan struct {
	hash   func(h *maphash.Hash, v reflect.Value, alias map[model.ID]model.ID)
	fields []hashField // for structs: the fields that count, in order
}

// hashField is one struct field a plan hashes: its name, then its value.
type hashField struct {
	index    int
	name     string
	idOrName bool // the ID or Name field: left out of bare fingerprints
	plan     *hashPlan
}

// hash writes the field of struct value v.
func (f hashField) hash(h *maphash.Hash, v reflect.Value, alias map[model.ID]model.ID) {
	h.WriteString(f.name)
	f.plan.hash(h, v.Field(f.index), alias)
}

var (
	hashPlansMu sync.Mutex
	hashPlans   = map[reflect.Type]*hashPlan{}
)

// hashPlanFor returns the plan of type t, compiling it on first use. A
// plan is complete before any caller gets it; nested plans are reached
// through pointers fixed under the lock, so recursive types compile.
func hashPlanFor(t reflect.Type) *hashPlan {
	hashPlansMu.Lock()
	defer hashPlansMu.Unlock()
	return compileHashPlan(t)
}

// compileHashPlan builds the plan of t; the caller holds hashPlansMu.
func compileHashPlan(t reflect.Type) *hashPlan {
	if p, ok := hashPlans[t]; ok {
		return p
	}
	p := &hashPlan{}
	hashPlans[t] = p
	switch t {
	case addrType:
		p.hash = func(h *maphash.Hash, v reflect.Value, _ map[model.ID]model.ID) {
			writeAddr(h, valueOf[netip.Addr](v))
		}
		return p
	case prefixType:
		p.hash = func(h *maphash.Hash, v reflect.Value, _ map[model.ID]model.ID) {
			pfx := valueOf[netip.Prefix](v)
			writeAddr(h, pfx.Addr())
			h.WriteByte(byte(pfx.Bits() + 1))
		}
		return p
	case idType:
		p.hash = func(h *maphash.Hash, v reflect.Value, alias map[model.ID]model.ID) {
			id := model.ID(v.String())
			if to, ok := alias[id]; ok {
				id = to
			}
			h.WriteString(string(id))
			h.WriteByte(0)
		}
		return p
	}
	switch t.Kind() {
	case reflect.Pointer:
		elem := compileHashPlan(t.Elem())
		p.hash = func(h *maphash.Hash, v reflect.Value, alias map[model.ID]model.ID) {
			if v.IsNil() {
				h.WriteByte(0)
				return
			}
			h.WriteByte(1)
			elem.hash(h, v.Elem(), alias)
		}
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() || f.Type == sourceType || f.Name == "AWSID" {
				continue
			}
			if f.Type.Kind() == reflect.Slice && isResource(f.Type.Elem()) {
				continue // a resource of its own
			}
			hf := hashField{index: i, name: f.Name, idOrName: f.Name == "ID" || f.Name == "Name", plan: compileHashPlan(f.Type)}
			if f.Type.Kind() == reflect.Slice && f.Tag.Get("absent") == "differs" {
				hf.plan = nilSlicePlan(hf.plan)
			}
			p.fields = append(p.fields, hf)
		}
		p.hash = func(h *maphash.Hash, v reflect.Value, alias map[model.ID]model.ID) {
			for _, f := range p.fields {
				f.hash(h, v, alias)
			}
		}
	case reflect.Slice, reflect.Array:
		elem := compileHashPlan(t.Elem())
		p.hash = func(h *maphash.Hash, v reflect.Value, alias map[model.ID]model.ID) {
			n := v.Len()
			h.WriteString(strconv.Itoa(n))
			for i := range n {
				elem.hash(h, v.Index(i), alias)
			}
		}
	case reflect.Map:
		key, elem := compileHashPlan(t.Key()), compileHashPlan(t.Elem())
		p.hash = func(h *maphash.Hash, v reflect.Value, alias map[model.ID]model.ID) {
			keys := v.MapKeys()
			slices.SortFunc(keys, func(a, b reflect.Value) int { return cmp.Compare(a.String(), b.String()) })
			for _, k := range keys {
				key.hash(h, k, alias)
				elem.hash(h, v.MapIndex(k), alias)
			}
		}
	case reflect.String:
		p.hash = func(h *maphash.Hash, v reflect.Value, _ map[model.ID]model.ID) {
			h.WriteString(v.String())
			h.WriteByte(0)
		}
	case reflect.Bool:
		p.hash = func(h *maphash.Hash, v reflect.Value, _ map[model.ID]model.ID) {
			if v.Bool() {
				h.WriteByte(1)
			} else {
				h.WriteByte(0)
			}
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		p.hash = func(h *maphash.Hash, v reflect.Value, _ map[model.ID]model.ID) {
			var b [20]byte
			h.Write(strconv.AppendInt(b[:0], v.Int(), 10))
			h.WriteByte(0)
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		p.hash = func(h *maphash.Hash, v reflect.Value, _ map[model.ID]model.ID) {
			var b [20]byte
			h.Write(strconv.AppendUint(b[:0], v.Uint(), 10))
			h.WriteByte(0)
		}
	case reflect.Interface:
		p.hash = func(h *maphash.Hash, v reflect.Value, alias map[model.ID]model.ID) {
			if !v.IsNil() {
				hashPlanFor(v.Elem().Type()).hash(h, v.Elem(), alias)
			}
		}
	default:
		// Functions, channels and the like carry no model content.
		p.hash = func(*maphash.Hash, reflect.Value, map[model.ID]model.ID) {}
	}
	return p
}

// nilSlicePlan wraps a slice plan for a field whose absence means
// something else than an empty list (tag absent:"differs": an omitted
// egress list is AWS's default rules, "egress: []" none; omitted
// propagations are the transit gateway's default table, "propagations:
// []" none), so that the two hash apart. Other slices hash nil and empty
// alike: both mean none.
func nilSlicePlan(p *hashPlan) *hashPlan {
	return &hashPlan{hash: func(h *maphash.Hash, v reflect.Value, alias map[model.ID]model.ID) {
		if v.IsNil() {
			h.WriteString("absent")
			return
		}
		p.hash(h, v, alias)
	}}
}

// valueOf returns v's value as a T without boxing it when v is
// addressable (fields of resources reached through pointers are).
func valueOf[T any](v reflect.Value) T {
	if v.CanAddr() {
		return *(*T)(v.Addr().UnsafePointer())
	}
	return v.Interface().(T)
}

// writeAddr writes an address: its length in bits (0 for none) and its
// bytes, so that 10.0.0.1 and ::ffff:10.0.0.1 differ.
func writeAddr(h *maphash.Hash, a netip.Addr) {
	h.WriteByte(byte(a.BitLen() / 8))
	b := a.As16()
	h.Write(b[:])
}
