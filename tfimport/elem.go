package tfimport

import (
	"fmt"
	"strconv"

	"github.com/vpcreach/vpcreach/model"
)

// elem is an object of a resource's values, the resource itself or one of
// its nested blocks (a route of a route table, an ingress rule), read with
// what the plan knows about it: its planned values, which of them are
// unknown until apply (after_unknown), and the configuration's
// expressions for it (to follow references when a value is unknown).
type elem struct {
	b    *builder
	r    *resource
	path string  // the resource address, then .key[i] for nested blocks
	v    *jvalue // planned values (an object), nil when unknown
	u    *jvalue // after_unknown for v: true, or an object mirroring v
	cfg  *jvalue // configuration expressions for v, or nil
}

// top returns the elem of a resource's own values.
func (b *builder) top(r *resource) elem {
	e := elem{b: b, r: r, path: r.addr, v: r.values, u: r.unknown}
	if r.cfg != nil {
		e.cfg = r.cfg.exprs
	}
	return e
}

// unknown reports whether key's value is unknown until apply.
func (e elem) unknown(key string) bool {
	if e.u != nil && e.u.kind == jbool && e.u.b {
		return true
	}
	if b, ok := e.u.get(key).boolVal(); ok && b && e.v.get(key).isNull() {
		return true
	}
	return false
}

// computed reports whether key is unknown only because the provider
// computes it: the file holds the resource's configuration, and it has no
// expression for key (a route's other target attributes, an Elastic IP's
// instance, in older AWS providers). Nothing in the configuration sets
// such an attribute.
func (e elem) computed(key string) bool {
	if !e.unknown(key) || e.r.cfg == nil {
		return false
	}
	if e.cfg == nil {
		return e.path == e.r.addr // the resource's own values, without expressions
	}
	return e.cfg.get(key) == nil
}

// given reports whether key holds a value, or will hold one that the
// configuration sets: a known value, or one unknown until apply that is
// not computed.
func (e elem) given(key string) bool {
	if e.str(key) != "" {
		return true
	}
	return e.unknown(key) && !e.computed(key)
}

// val returns key's value: the planned value, else (when the whole object
// is unknown) the configuration's constant.
func (e elem) val(key string) *jvalue {
	if v := e.v.get(key); v != nil {
		return v
	}
	if e.v == nil {
		return e.cfg.get(key).get("constant_value")
	}
	return nil
}

// str returns key's string value ("" when absent, null or unknown).
func (e elem) str(key string) string { return e.val(key).strVal() }

// boolean returns key's boolean value, or def when absent.
func (e elem) boolean(key string, def bool) bool {
	if b, ok := e.val(key).boolVal(); ok {
		return b
	}
	return def
}

// integer returns key's whole-number value, and whether it has one.
func (e elem) integer(key string) (int64, bool) { return e.val(key).intVal() }

// strs returns key's list of strings (known elements only).
func (e elem) strs(key string) []string { return e.val(key).strings() }

// node returns the JSON value to point at for key: its value, else the
// object, else the resource.
func (e elem) node(key string) *jvalue {
	if v := e.v.get(key); v != nil {
		return v
	}
	if e.v != nil {
		return e.v
	}
	return e.r.node
}

// src returns the model Source of the elem: its position and its path.
func (e elem) src() model.Source {
	n := e.v
	if n == nil {
		n = e.r.node
	}
	return model.Source{Position: e.b.d.posOf(n), Path: e.path}
}

// sub returns the nested blocks under key (ingress, route, ...), each
// matched with its block in the configuration.
func (e elem) sub(key string) []elem {
	vals := e.v.get(key)
	cfgs := e.cfg.get(key).list()
	var out []elem
	if vals.isNull() {
		if !e.unknown(key) && e.v != nil {
			return nil
		}
		// Unknown until apply as a whole: read the configuration's blocks.
		for i, c := range cfgs {
			if c.kind == jobject {
				out = append(out, elem{b: e.b, r: e.r, path: e.path + "." + key + "[" + strconv.Itoa(i) + "]", u: &jvalue{kind: jbool, b: true}, cfg: c})
			}
		}
		return out
	}
	us := e.u.get(key)
	used := make([]bool, len(cfgs))
	for i, v := range vals.list() {
		sub := elem{b: e.b, r: e.r, path: e.path + "." + key + "[" + strconv.Itoa(i) + "]", v: v}
		if v.kind != jobject {
			if v.isNull() {
				sub.u = &jvalue{kind: jbool, b: true}
			} else {
				continue
			}
		}
		if l := us.list(); i < len(l) {
			sub.u = l[i]
		}
		if j := matchBlock(v, cfgs, used, i, len(vals.list())); j >= 0 {
			sub.cfg = cfgs[j]
			used[j] = true
		}
		out = append(out, sub)
	}
	return out
}

// matchBlock finds the configuration block of planned element v (index i
// of n): the one whose constants all agree with v's known values, else
// the one at the same index when the counts agree. Sets are unordered, so
// constants come first.
func matchBlock(v *jvalue, cfgs []*jvalue, used []bool, i, n int) int {
	found := -1
	for j, c := range cfgs {
		if used[j] || c.kind != jobject {
			continue
		}
		agree, some := true, false
		for k, key := range c.keys {
			cv := c.vals[k].get("constant_value")
			if cv == nil {
				continue
			}
			pv := v.get(key)
			if pv == nil {
				continue
			}
			some = true
			if !sameJSON(cv, pv) {
				agree = false
				break
			}
		}
		if agree && some {
			if found >= 0 {
				found = -2 // several agree
				break
			}
			found = j
		}
	}
	if found >= 0 {
		return found
	}
	if len(cfgs) == n && i < len(cfgs) && !used[i] {
		return i
	}
	return -1
}

// sameJSON compares two scalar JSON values, or lists of scalars.
func sameJSON(a, b *jvalue) bool {
	if a.kind != b.kind {
		return false
	}
	switch a.kind {
	case jstring, jnumber:
		return a.str == b.str
	case jbool:
		return a.b == b.b
	case jnull:
		return true
	case jarray:
		if len(a.elems) != len(b.elems) {
			return false
		}
		for i := range a.elems {
			if !sameJSON(a.elems[i], b.elems[i]) {
				return false
			}
		}
		return true
	}
	return true // objects: not compared
}

// warnf adds a warning about key of the elem, at its value's position.
func (e elem) warnf(key string, err error, format string, args ...any) {
	e.b.diag(model.SeverityWarning, e.node(key), e.fieldPath(key), err, format, args...)
}

// notef adds a note about key of the elem.
func (e elem) notef(key string, err error, format string, args ...any) {
	e.b.diag(model.SeverityNote, e.node(key), e.fieldPath(key), err, format, args...)
}

// errorf adds an error about key of the elem.
func (e elem) errorf(key string, err error, format string, args ...any) {
	e.b.diag(model.SeverityError, e.node(key), e.fieldPath(key), err, format, args...)
}

func (e elem) fieldPath(key string) string {
	if key == "" {
		return e.path
	}
	return e.path + "." + key
}

func (b *builder) diag(sev model.Severity, at *jvalue, path string, err error, format string, args ...any) {
	b.diags = append(b.diags, model.Diagnostic{Severity: sev, Pos: b.d.posOf(at), Path: path, Message: fmt.Sprintf(format, args...), Err: err})
}
