package tfimport

import (
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

// ref is a resolved reference from one resource to another.
type ref struct {
	// ID is the referenced resource's model id (its address), or, when
	// outside is set, the AWS id the plan names. Empty: no reference.
	ID model.ID
	// typ is the referenced resource's type (aws_vpc), when in the plan.
	typ string
	// outside: an AWS id that no resource of the plan or state holds (a
	// data source's, or one written literally).
	outside bool
}

// ref resolves the id-valued attribute key of e to a resource of one of
// the types. A known id is looked up among the ids the file holds; an id
// unknown until apply is followed through the configuration's expression
// references. An ambiguous or unresolvable reference is a warning, and
// the result is empty.
func (e elem) ref(key string, types ...string) ref {
	v := e.val(key)
	if s := v.strVal(); s != "" {
		return e.b.byID(s, types)
	}
	if !e.unknown(key) {
		return ref{}
	}
	cands, why := e.b.follow(e.r, e.cfg.get(key), types)
	switch {
	case len(cands) == 1:
		return ref{ID: model.ID(cands[0].addr), typ: cands[0].typ}
	case len(cands) > 1:
		e.warnf(key, ErrUnresolved, "%s is unknown until apply and its reference matches %d resources (%s): it cannot be resolved to one instance, so it is left out",
			key, len(cands), addrList(cands))
		return ref{}
	}
	if c := e.b.byTypeIn(e.r.module, types); c != nil {
		e.warnf(key, ErrUnresolved, "%s is unknown until apply and %s: taken as %s, the only %s in its module", key, why, c.addr, typeWords(types))
		return ref{ID: model.ID(c.addr), typ: c.typ}
	}
	e.warnf(key, ErrUnresolved, "%s is unknown until apply and %s: it is left out", key, why)
	return ref{}
}

// refs resolves a list of ids (security groups, subnets): known elements
// by id, unknown ones through the configuration's references, all of which
// count (a list expression names each of its elements).
func (e elem) refs(key string, types ...string) []ref {
	v := e.val(key)
	var out []ref
	unknown := e.unknown(key)
	for _, x := range v.list() {
		if s := x.strVal(); s != "" {
			if r := e.b.byID(s, types); r.ID != "" {
				out = append(out, r)
			}
		} else if x.isNull() {
			unknown = true
		}
	}
	if b, ok := e.u.get(key).boolVal(); ok && b {
		unknown = true
	}
	for _, u := range e.u.get(key).list() {
		if b, _ := u.boolVal(); b {
			unknown = true
		}
	}
	if !unknown || e.computed(key) {
		return out
	}
	cands, why := e.b.follow(e.r, e.cfg.get(key), types)
	if len(cands) == 0 {
		e.warnf(key, ErrUnresolved, "%s holds ids unknown until apply and %s: they are left out", key, why)
	}
	for _, c := range cands {
		r := ref{ID: model.ID(c.addr), typ: c.typ}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// byID finds the resource that holds AWS id s.
func (b *builder) byID(s string, types []string) ref {
	if addr, ok := b.alias[s]; ok {
		if r := b.byAddr[addr]; r != nil && (len(types) == 0 || slices.Contains(types, r.typ)) {
			return ref{ID: model.ID(addr), typ: r.typ}
		}
		if r := b.byAddr[addr]; r != nil {
			// An id of a resource of another type: a route's gateway_id
			// naming a NAT gateway, ... Keep the id as written.
			return ref{ID: model.ID(addr), typ: r.typ}
		}
	}
	return ref{ID: model.ID(s), outside: true}
}

// follow resolves a configuration expression's references to resource
// instances of the types, in the module instance of the referring
// resource, matching instance keys as Terraform does for the common
// patterns. It returns the candidates, or why there are none.
func (b *builder) follow(r *resource, expr *jvalue, types []string) ([]*resource, string) {
	if expr == nil {
		if b.d.cfg == nil {
			return nil, "the file has no configuration to follow"
		}
		return nil, "the configuration has no expression for it"
	}
	refs := expr.get("references").strings()
	if len(refs) == 0 {
		return nil, "its expression holds no reference"
	}
	var forEach []string
	if r.cfg != nil {
		forEach = r.cfg.forEach.get("references").strings()
	}
	cands, unresolved := b.resolveRefs(r.module, refs, r.key, forEach, 0)
	var out []*resource
	for _, c := range cands {
		if (len(types) == 0 || slices.Contains(types, c.typ)) && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		if len(unresolved) > 0 {
			return nil, "its reference " + strings.Join(unresolved, ", ") + " cannot be followed in the JSON output"
		}
		return nil, "its references (" + strings.Join(refs, ", ") + ") name no " + typeWords(types) + " of the plan"
	}
	return out, ""
}

// resolveRefs turns references, read in module instance ctx by a resource
// with instance key key, into resource instances.
func (b *builder) resolveRefs(ctx string, refs []string, key *jvalue, forEach []string, depth int) (out []*resource, unresolved []string) {
	if depth > 16 {
		return nil, nil
	}
	prefix := ""
	if ctx != "" {
		prefix = ctx + "."
	}
	var countIndex, eachKey, eachValue bool
	type target struct {
		base string
		key  *step
	}
	var targets []target
	for _, s := range refs {
		steps := parseTraversal(s)
		if len(steps) == 0 {
			continue
		}
		switch steps[0].name {
		case "count":
			countIndex = true
		case "each":
			if len(steps) > 1 && steps[1].name == "key" {
				eachKey = true
			} else {
				eachValue = true
			}
		case "var", "local", "path", "terraform", "self":
			if steps[0].name == "local" || steps[0].name == "var" {
				unresolved = append(unresolved, s)
			}
		case "data":
			if len(steps) >= 3 && dataRead[steps[1].name] {
				t := target{base: prefix + "data." + steps[1].name + "." + steps[2].name}
				if len(steps) > 3 && steps[3].index && steps[3].key != "*" {
					st := steps[3]
					t.key = &st
				}
				targets = append(targets, t)
				continue
			}
			unresolved = append(unresolved, s)
		case "module":
			if len(steps) < 3 {
				continue
			}
			call := steps[1].name
			rest := steps[2:]
			modKey := ""
			if rest[0].index {
				modKey = indexText(rest[0])
				rest = rest[1:]
			}
			if len(rest) == 0 || rest[0].index {
				continue
			}
			output := rest[0].name
			var cm *cfgModule
			if b.d.cfg != nil {
				cm = b.d.cfg.module(ctx)
			}
			if cm == nil || cm.calls[call] == nil || cm.calls[call].module.outputs[output] == nil {
				unresolved = append(unresolved, s)
				continue
			}
			oref := cm.calls[call].module.outputs[output].get("references").strings()
			for _, inst := range b.moduleInstances(prefix+"module."+call, modKey) {
				o, u := b.resolveRefs(inst, oref, nil, nil, depth+1)
				out = append(out, o...)
				unresolved = append(unresolved, u...)
			}
		default:
			if len(steps) < 2 || steps[1].index {
				continue
			}
			t := target{base: prefix + steps[0].name + "." + steps[1].name}
			if len(steps) > 2 && steps[2].index && steps[2].key != "*" {
				st := steps[2]
				t.key = &st
			}
			targets = append(targets, t)
		}
	}
	if eachValue && len(targets) == 0 {
		// for_each = aws_subnet.private, then each.value.id.
		for _, s := range forEach {
			steps := parseTraversal(s)
			if len(steps) >= 2 && !steps[1].index && !reservedRoot(steps[0].name) {
				targets = append(targets, target{base: prefix + steps[0].name + "." + steps[1].name})
			}
		}
	}
	keyed := map[string]bool{}
	for _, t := range targets {
		if t.key != nil {
			keyed[t.base] = true
		}
	}
	for _, t := range targets {
		if t.key == nil && keyed[t.base] {
			continue // Terraform lists aws_subnet.x[1] and aws_subnet.x: the first says which
		}
		insts := b.byBase[t.base]
		switch {
		case t.key != nil:
			for _, in := range insts {
				if in.key != nil && in.key.str == t.key.key {
					out = append(out, in)
				}
			}
		case len(insts) == 1:
			out = append(out, insts[0])
		case key != nil && ((countIndex && key.kind == jnumber) || ((eachKey || eachValue) && key.kind == jstring)):
			for _, in := range insts {
				if in.key != nil && in.key.str == key.str && in.key.kind == key.kind {
					out = append(out, in)
				}
			}
		default:
			out = append(out, insts...)
		}
	}
	return out, unresolved
}

// moduleInstances lists the module instance addresses of a module call
// (module.net, or module.net["a"] ...), or the one with key modKey.
func (b *builder) moduleInstances(call, modKey string) []string {
	var out []string
	for _, r := range b.all {
		m := r.module
		if m != call && !strings.HasPrefix(m, call+"[") && !strings.HasPrefix(m, call+".") {
			continue
		}
		// The instance address is call plus its key, if any.
		inst := call
		if strings.HasPrefix(m, call+"[") {
			end := strings.Index(m[len(call):], "]")
			inst = m[:len(call)+end+1]
		}
		if modKey != "" && inst != call+"["+modKey+"]" {
			continue
		}
		if !slices.Contains(out, inst) {
			out = append(out, inst)
		}
	}
	return out
}

func indexText(s step) string {
	if s.str {
		return `"` + s.key + `"`
	}
	return s.key
}

func reservedRoot(s string) bool {
	switch s {
	case "var", "local", "path", "terraform", "self", "count", "each", "data", "module":
		return true
	}
	return false
}

// byTypeIn returns the only resource of the types in module instance ctx,
// or nil when there are none or several.
func (b *builder) byTypeIn(ctx string, types []string) *resource {
	if len(types) == 0 {
		return nil
	}
	var found *resource
	for _, t := range types {
		for _, r := range b.byType[t] {
			if r.module != ctx {
				continue
			}
			if found != nil {
				return nil
			}
			found = r
		}
	}
	return found
}

func addrList(rs []*resource) string {
	var s []string
	for i, r := range rs {
		if i == 4 {
			s = append(s, "...")
			break
		}
		s = append(s, r.addr)
	}
	return strings.Join(s, ", ")
}

func typeWords(types []string) string {
	if len(types) == 0 {
		return "resource"
	}
	return strings.Join(types, " or ")
}
