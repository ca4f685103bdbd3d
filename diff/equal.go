package diff

import (
	"net/netip"
	"reflect"
	"sync"

	"github.com/vpcreach/vpcreach/model"
)

// An eqPlan compares two values of one type as fingerprints tell them
// apart: every field but Source and AWSID, nil and empty lists alike
// (unless tagged absent:"differs"), maps by their entries. Unlike
// fingerprints, it compares the resources nested in a value too: two VPCs
// are equal when their subnets, tables, groups and instances are. A diff
// skips the VPCs that are equal on both sides instead of fingerprinting
// each of their resources.
type eqPlan func(a, b reflect.Value) bool

var (
	eqPlansMu sync.Mutex
	eqPlans   = map[reflect.Type]*eqPlan{}
)

// eqPlanFor returns the plan of type t, compiling it on first use.
func eqPlanFor(t reflect.Type) eqPlan {
	eqPlansMu.Lock()
	defer eqPlansMu.Unlock()
	p := compileEqPlan(t)
	return func(a, b reflect.Value) bool { return (*p)(a, b) }
}

// compileEqPlan builds the plan of t; the caller holds eqPlansMu. Plans
// are reached through pointers, fixed once built, so recursive types
// compile.
func compileEqPlan(t reflect.Type) *eqPlan {
	if p, ok := eqPlans[t]; ok {
		return p
	}
	p := new(eqPlan)
	eqPlans[t] = p
	switch t {
	case addrType:
		*p = func(a, b reflect.Value) bool { return valueOf[netip.Addr](a) == valueOf[netip.Addr](b) }
		return p
	case prefixType:
		*p = func(a, b reflect.Value) bool { return valueOf[netip.Prefix](a) == valueOf[netip.Prefix](b) }
		return p
	}
	switch t.Kind() {
	case reflect.Pointer:
		elem := compileEqPlan(t.Elem())
		*p = func(a, b reflect.Value) bool {
			if a.IsNil() || b.IsNil() {
				return a.IsNil() == b.IsNil()
			}
			return (*elem)(a.Elem(), b.Elem())
		}
	case reflect.Struct:
		type field struct {
			index int
			plan  *eqPlan
		}
		var fields []field
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() || f.Type == sourceType || f.Name == "AWSID" {
				continue
			}
			plan := compileEqPlan(f.Type)
			if f.Type.Kind() == reflect.Slice && f.Tag.Get("absent") == "differs" {
				inner := plan
				plan = new(eqPlan)
				*plan = func(a, b reflect.Value) bool { return a.IsNil() == b.IsNil() && (*inner)(a, b) }
			}
			fields = append(fields, field{i, plan})
		}
		*p = func(a, b reflect.Value) bool {
			for _, f := range fields {
				if !(*f.plan)(a.Field(f.index), b.Field(f.index)) {
					return false
				}
			}
			return true
		}
	case reflect.Slice, reflect.Array:
		elem := compileEqPlan(t.Elem())
		*p = func(a, b reflect.Value) bool {
			n := a.Len()
			if n != b.Len() {
				return false
			}
			for i := range n {
				if !(*elem)(a.Index(i), b.Index(i)) {
					return false
				}
			}
			return true
		}
	case reflect.Map:
		elem := compileEqPlan(t.Elem())
		*p = func(a, b reflect.Value) bool {
			if a.Len() != b.Len() {
				return false
			}
			it := a.MapRange()
			for it.Next() {
				w := b.MapIndex(it.Key())
				if !w.IsValid() || !(*elem)(it.Value(), w) {
					return false
				}
			}
			return true
		}
	case reflect.String:
		*p = func(a, b reflect.Value) bool { return a.String() == b.String() }
	case reflect.Bool:
		*p = func(a, b reflect.Value) bool { return a.Bool() == b.Bool() }
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		*p = func(a, b reflect.Value) bool { return a.Int() == b.Int() }
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		*p = func(a, b reflect.Value) bool { return a.Uint() == b.Uint() }
	case reflect.Interface:
		*p = func(a, b reflect.Value) bool {
			if a.IsNil() || b.IsNil() {
				return a.IsNil() == b.IsNil()
			}
			if a.Elem().Type() != b.Elem().Type() {
				return false
			}
			return eqPlanFor(a.Elem().Type())(a.Elem(), b.Elem())
		}
	default:
		// Functions, channels and the like carry no model content.
		*p = func(a, b reflect.Value) bool { return true }
	}
	return p
}

// equalVPCs returns the VPCs that both models hold under one id with
// equal contents, nested resources included (see eqPlan), leaving out
// those that hold a resource of keep.
func equalVPCs(old, new *model.Model, keep []model.ID, ownerVPC func(model.ID) model.ID) map[model.ID]bool {
	byID := make(map[model.ID]*model.VPC, len(old.VPCs))
	for i := range old.VPCs {
		byID[old.VPCs[i].ID] = &old.VPCs[i]
	}
	plan := eqPlanFor(reflect.TypeFor[model.VPC]())
	equal := make([]bool, len(new.VPCs))
	inParallel(len(new.VPCs), func(i int) {
		if o := byID[new.VPCs[i].ID]; o != nil {
			equal[i] = plan(reflect.ValueOf(o).Elem(), reflect.ValueOf(&new.VPCs[i]).Elem())
		}
	})
	out := make(map[model.ID]bool, len(new.VPCs))
	for i, eq := range equal {
		if eq {
			out[new.VPCs[i].ID] = true
		}
	}
	for _, id := range keep {
		delete(out, id)
		delete(out, ownerVPC(id))
	}
	return out
}
