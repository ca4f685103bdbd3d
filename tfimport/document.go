package tfimport

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

// document is a decoded plan or state file.
type document struct {
	file string
	li   *lineIndex
	root *jvalue
	kind Kind

	formatVersion, terraformVersion string
	// planned holds the resources of planned_values (a plan) or values (a
	// state); prior those of a plan's prior_state.
	planned, prior []*resource
	// unknown maps an address to its change's after_unknown.
	unknown map[string]*jvalue
	// actions maps an address to its change's actions (create, delete...).
	actions map[string][]string
	cfg     *config
}

// resource is one resource instance of a plan or state.
type resource struct {
	addr   string // module.net["a"].aws_subnet.private[0]
	mode   string // managed or data
	typ    string // aws_subnet
	name   string // private
	module string // the module instance address: module.net["a"], or ""
	// base is the address without the instance key: module.net["a"].aws_subnet.private
	base string
	// key is the instance key: nil, a number (count) or a string (for_each).
	key      *jvalue
	provider string
	node     *jvalue // the resource object, for its position
	values   *jvalue
	unknown  *jvalue // after_unknown, for a planned resource of a plan
	// sensitive is sensitive_values: a value hidden from the JSON.
	sensitive *jvalue
	// cfg is the resource block of the configuration, when the plan has one.
	cfg *cfgResource
}

// keyString renders the instance key as Terraform writes it: [0] or ["a"].
func (r *resource) keyString() string {
	switch {
	case r.key == nil:
		return ""
	case r.key.kind == jstring:
		return "[" + strconv.Quote(r.key.str) + "]"
	}
	return "[" + r.key.str + "]"
}

// supportedMajor is the JSON output format's major version this package
// reads; 0.x (Terraform 0.12 to 0.15) has the same shape.
const supportedMajor = 1

// decodeDocument reads the top level of a plan or state. The returned
// diagnostics are errors when the file cannot be read as one.
func decodeDocument(file string, data []byte) (*document, model.Diagnostics) {
	d := &document{file: file, li: &lineIndex{data: data}, unknown: map[string]*jvalue{}, actions: map[string][]string{}}
	root, err := parseJSON(data)
	if err != nil {
		off := 0
		if se, ok := err.(*jsonSyntaxError); ok {
			off = se.off
		}
		return nil, model.Diagnostics{{Severity: model.SeverityError, Pos: d.pos(off), Message: "not valid JSON: " + err.Error(), Err: model.ErrSyntax}}
	}
	d.root = root
	if root.kind != jobject {
		return nil, d.errorAt(root, "", model.ErrType, "a Terraform plan or state is a JSON object, not a %s", root.kind)
	}
	fv := root.get("format_version")
	if fv == nil {
		return nil, d.errorAt(root, "", model.ErrMissingField, `no "format_version": not the output of "terraform show -json"`)
	}
	if fv.kind != jstring {
		return nil, d.errorAt(fv, "format_version", model.ErrType, "format_version is a %s, want a string such as \"1.2\"", fv.kind)
	}
	d.formatVersion = fv.str
	major, _, _ := strings.Cut(fv.str, ".")
	n, err := strconv.Atoi(major)
	if err != nil {
		return nil, d.errorAt(fv, "format_version", model.ErrInvalidValue, "format_version %q is not a version number", fv.str)
	}
	if n > supportedMajor {
		return nil, d.errorAt(fv, "format_version", model.ErrInvalidValue,
			"format_version %s: this vpcreach reads Terraform's JSON output format %d.x (and 0.x); a new major version may change its meaning, so it is refused (upgrade vpcreach)", fv.str, supportedMajor)
	}
	d.terraformVersion = root.get("terraform_version").strVal()
	var diags model.Diagnostics
	isPlan := root.has("planned_values") || root.has("resource_changes") || root.has("prior_state") || root.has("configuration")
	if isPlan {
		d.kind = KindPlan
		pv := root.get("planned_values")
		d.planned = d.readModule(pv.get("root_module"), "planned_values.root_module", &diags)
		ps := root.get("prior_state")
		if ps != nil && !ps.isNull() {
			d.prior = d.readModule(ps.get("values").get("root_module"), "prior_state.values.root_module", &diags)
		}
		for i, rc := range root.get("resource_changes").list() {
			addr := rc.get("address").strVal()
			if addr == "" {
				diags = append(diags, d.warnAt(rc, fmt.Sprintf("resource_changes[%d]", i), ErrSkipped, "a resource change without an address is skipped")...)
				continue
			}
			ch := rc.get("change")
			d.unknown[addr] = ch.get("after_unknown")
			d.actions[addr] = ch.get("actions").strings()
		}
		for _, r := range d.planned {
			r.unknown = d.unknown[r.addr]
		}
		if c := root.get("configuration"); c != nil {
			d.cfg = readConfig(c)
		}
	} else {
		d.kind = KindState
		d.planned = d.readModule(root.get("values").get("root_module"), "values.root_module", &diags)
	}
	if d.cfg != nil {
		for _, r := range d.planned {
			r.cfg = d.cfg.resource(r)
		}
		for _, r := range d.prior {
			r.cfg = d.cfg.resource(r)
		}
	}
	return d, diags
}

// readModule reads a module's resources and, recursively, its child
// modules'.
func (d *document) readModule(m *jvalue, path string, diags *model.Diagnostics) []*resource {
	if m == nil || m.isNull() {
		return nil
	}
	if m.kind != jobject {
		*diags = append(*diags, d.errorAt(m, path, model.ErrType, "a module is an object, not a %s", m.kind)...)
		return nil
	}
	module := m.get("address").strVal()
	var out []*resource
	rs := m.get("resources")
	if rs != nil && rs.kind != jarray && !rs.isNull() {
		*diags = append(*diags, d.errorAt(rs, path+".resources", model.ErrType, "resources is a list, not a %s", rs.kind)...)
	}
	for i, rv := range rs.list() {
		p := fmt.Sprintf("%s.resources[%d]", path, i)
		if rv.kind != jobject {
			*diags = append(*diags, d.errorAt(rv, p, model.ErrType, "a resource is an object, not a %s", rv.kind)...)
			continue
		}
		r := &resource{
			addr: rv.get("address").strVal(), mode: rv.get("mode").strVal(), typ: rv.get("type").strVal(),
			name: rv.get("name").strVal(), module: module, provider: rv.get("provider_name").strVal(),
			node: rv, values: rv.get("values"), sensitive: rv.get("sensitive_values"),
		}
		if k := rv.get("index"); k != nil && (k.kind == jnumber || k.kind == jstring) {
			r.key = k
		}
		if r.addr == "" || r.typ == "" || r.name == "" {
			*diags = append(*diags, d.errorAt(rv, p, model.ErrMissingField, "a resource needs address, type and name")...)
			continue
		}
		if r.mode == "" {
			r.mode = "managed"
		}
		if r.values != nil && r.values.kind != jobject && !r.values.isNull() {
			*diags = append(*diags, d.errorAt(r.values, r.addr+".values", model.ErrType, "values is an object, not a %s", r.values.kind)...)
			continue
		}
		r.base = r.addr
		if ks := r.keyString(); ks != "" {
			r.base = strings.TrimSuffix(r.addr, ks)
		}
		out = append(out, r)
	}
	for i, c := range m.get("child_modules").list() {
		out = append(out, d.readModule(c, fmt.Sprintf("%s.child_modules[%d]", path, i), diags)...)
	}
	return out
}

func (d *document) pos(off int) model.Position {
	l, c := d.li.pos(off)
	return model.Position{File: d.file, Line: l, Column: c}
}

func (d *document) posOf(v *jvalue) model.Position {
	if v == nil {
		return model.Position{File: d.file}
	}
	return d.pos(int(v.off))
}

func (d *document) errorAt(v *jvalue, path string, err error, format string, args ...any) model.Diagnostics {
	return model.Diagnostics{{Severity: model.SeverityError, Pos: d.posOf(v), Path: path, Message: fmt.Sprintf(format, args...), Err: err}}
}

func (d *document) warnAt(v *jvalue, path string, err error, format string, args ...any) model.Diagnostics {
	return model.Diagnostics{{Severity: model.SeverityWarning, Pos: d.posOf(v), Path: path, Message: fmt.Sprintf(format, args...), Err: err}}
}
