package tfimport

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/model"
)

// Sentinel errors wrapped by the importer's diagnostics, for errors.Is.
// Model's sentinels (model.ErrSyntax, ...) mark files that are not usable
// JSON.
var (
	// ErrUnknownValue: a value Terraform knows only after apply, which the
	// model cannot do without (a VPC's CIDR from an IPAM pool).
	ErrUnknownValue = errors.New("unknown until apply")
	// ErrAssumed: a value unknown until apply that the importer assumed
	// (an instance's private address, an availability zone).
	ErrAssumed = errors.New("assumed")
	// ErrUnresolved: a reference unknown until apply that the
	// configuration's expressions do not resolve to one resource.
	ErrUnresolved = errors.New("unresolved reference")
	// ErrOutsidePlan: an id of a resource the file does not manage (a data
	// source's, another configuration's).
	ErrOutsidePlan = errors.New("outside the plan")
	// ErrNotModelled: an AWS feature vpcreach does not model.
	ErrNotModelled = errors.New("not modelled")
	// ErrSkipped: a resource type or a resource that is not read.
	ErrSkipped = errors.New("skipped")
)

// Kind tells a plan from a state.
type Kind uint8

// Kinds of file.
const (
	KindUnknown Kind = iota
	// KindPlan is `terraform show -json PLANFILE`.
	KindPlan
	// KindState is `terraform show -json` of a state (after apply).
	KindState
)

// String returns "plan", "state" or "unknown".
func (k Kind) String() string {
	switch k {
	case KindPlan:
		return "plan"
	case KindState:
		return "state"
	}
	return "unknown"
}

// Import is what a plan or state file holds, as models.
type Import struct {
	// Kind is KindPlan or KindState.
	Kind Kind
	// FormatVersion and TerraformVersion are the file's format_version
	// and terraform_version.
	FormatVersion, TerraformVersion string
	// Planned is the network the file describes: a plan's planned values
	// (the proposed network), or a state's resources. Never nil.
	Planned *model.Model
	// Prior is a plan's prior state: the network before the change. Nil
	// for a state, and for a plan of a new configuration (no prior state).
	Prior *model.Model
	// PriorDiagnostics are the diagnostics of building Prior; those of
	// Planned are returned by Read.
	PriorDiagnostics model.Diagnostics
	// Aliases maps the AWS ids the file knows (vpc-0a1b..., i-0c2d...) to
	// the addresses that name the resources in the models.
	Aliases map[model.ID]model.ID
	// Replaced lists, sorted, the resources of both Prior and Planned that
	// the plan replaces (its resource_changes actions delete and create
	// them: ["delete", "create"], or ["create", "delete"] under
	// create_before_destroy). Their AWS ids change; vpcreach diff reports
	// each as removed and added.
	Replaced []model.ID
}

// Resolve turns an AWS id the file knows into the address that names its
// resource in the models; anything else is returned as is.
func (im *Import) Resolve(s string) string {
	if im == nil {
		return s
	}
	if a, ok := im.Aliases[model.ID(s)]; ok {
		return string(a)
	}
	return s
}

// Read reads a plan or state JSON file (the output of `terraform show
// -json`) and maps it to models, without validating them, as
// model.ReadFiles does. It returns nil and the errors when the file cannot
// be read as one; else the Import and every diagnostic of Planned.
func Read(name string) (*Import, model.Diagnostics) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, model.Diagnostics{{Severity: model.SeverityError, Pos: model.Position{File: name}, Message: err.Error(), Err: err}}
	}
	return Decode(name, data)
}

// Decode is Read for the contents of a file; name is used in positions.
func Decode(name string, data []byte) (*Import, model.Diagnostics) {
	d, diags := decodeDocument(name, data)
	if d == nil || diags.Err() != nil {
		diags.Sort()
		return nil, diags
	}
	im := &Import{Kind: d.kind, FormatVersion: d.formatVersion, TerraformVersion: d.terraformVersion}
	alias := aliases(d)
	planned := d.planned
	if d.kind == KindPlan {
		// Data sources read during the plan are in its prior state.
		have := map[string]bool{}
		for _, r := range planned {
			have[r.addr] = true
		}
		for _, r := range d.prior {
			if r.mode == "data" && !have[r.addr] {
				planned = append(planned, r)
			}
		}
	}
	pb := newBuilder(d, planned, alias)
	im.Planned = pb.build()
	diags = append(diags, pb.diags...)
	if d.kind == KindPlan && d.prior != nil {
		prior := &document{file: d.file, li: d.li, root: d.root, kind: KindState, cfg: d.cfg}
		bb := newBuilder(prior, d.prior, alias)
		im.Prior = bb.build()
		im.PriorDiagnostics = bb.diags
		im.PriorDiagnostics.Sort()
	}
	if im.Prior != nil {
		inPrior, _ := model.NewIndex(im.Prior)
		inPlanned, _ := model.NewIndex(im.Planned)
		for addr, actions := range d.actions {
			id := model.ID(addr)
			if slices.Contains(actions, "delete") && slices.Contains(actions, "create") &&
				inPrior.Kind(id) != model.KindUnknown && inPlanned.Kind(id) != model.KindUnknown {
				im.Replaced = append(im.Replaced, id)
			}
		}
		slices.Sort(im.Replaced)
	}
	im.Aliases = map[model.ID]model.ID{}
	for id, addr := range alias {
		if _, isResource := pb.byAddr[addr]; isResource {
			im.Aliases[model.ID(id)] = model.ID(addr)
		}
	}
	diags.Sort()
	return im, diags
}

// Load reads a file as Read does and validates Planned, as
// model.LoadFiles does: err, when not nil, is a model.Diagnostics holding
// every error, and the Import is then nil.
func Load(name string) (*Import, model.Diagnostics, error) {
	im, diags := Read(name)
	if im == nil {
		if err := diags.Err(); err != nil {
			return nil, nil, err
		}
		return nil, diags, model.Diagnostics{{Severity: model.SeverityError, Pos: model.Position{File: name}, Message: "nothing to import", Err: ErrSkipped}}
	}
	all := append(diags, model.Validate(im.Planned)...)
	all.Sort()
	if err := all.Err(); err != nil {
		return nil, nil, err
	}
	return im, all, nil
}

// aliases maps every AWS id the file knows to its resource's address:
// ids of resources first, then the VPCs' implicit main route table,
// default security group and default network ACL, which name the VPC.
func aliases(d *document) map[string]string {
	out := map[string]string{}
	// An accepter shares its connection's id: the connection comes first.
	for _, accepters := range []bool{false, true} {
		for _, side := range [][]*resource{d.planned, d.prior} {
			for _, r := range side {
				if (r.mode != "managed" && !(r.mode == "data" && dataRead[r.typ])) || strings.HasSuffix(r.typ, "_accepter") != accepters {
					continue
				}
				if id := r.values.get("id").strVal(); id != "" {
					if _, ok := out[id]; !ok {
						out[id] = r.addr
					}
				}
			}
		}
	}
	for _, side := range [][]*resource{d.planned, d.prior} {
		for _, r := range side {
			if r.typ != "aws_vpc" || r.mode != "managed" {
				continue
			}
			for _, k := range []string{"main_route_table_id", "default_route_table_id", "default_security_group_id", "default_network_acl_id"} {
				if id := r.values.get(k).strVal(); id != "" {
					if _, ok := out[id]; !ok {
						out[id] = r.addr
					}
				}
			}
		}
	}
	return out
}

// Sniff reports whether data looks like Terraform's JSON output: a JSON
// object with a format_version and one of the keys a plan or a state has
// (values, planned_values, resource_changes, prior_state, configuration,
// terraform_version). Topology files (YAML, or JSON with "version") and AWS
// CLI output do not.
func Sniff(data []byte) bool {
	keys, ok := topKeys(data)
	if !ok || !keys["format_version"] {
		return false
	}
	for _, k := range []string{"terraform_version", "values", "planned_values", "resource_changes", "prior_state", "configuration"} {
		if keys[k] {
			return true
		}
	}
	return false
}

// topKeys lists the keys of a JSON object's top level without decoding
// its values; ok is false when data does not start as an object. A
// truncated file lists the keys before the cut, so that a broken plan is
// still recognised, and its errors reported as a plan's.
func topKeys(data []byte) (map[string]bool, bool) {
	p := &parser{data: data}
	p.skipWS()
	if p.i < len(data) && data[p.i] == 0xEF && len(data) > p.i+2 && data[p.i+1] == 0xBB && data[p.i+2] == 0xBF {
		p.i += 3 // a byte order mark
		p.skipWS()
	}
	if p.i >= len(data) || data[p.i] != '{' {
		return nil, false
	}
	p.i++
	keys := map[string]bool{}
	for {
		p.skipWS()
		if p.i >= len(data) || data[p.i] != '"' {
			return keys, true
		}
		k, err := p.stringLit()
		if err != nil {
			return keys, true
		}
		keys[k] = true
		p.skipWS()
		if p.i >= len(data) || data[p.i] != ':' {
			return keys, true
		}
		p.i++
		p.skipWS()
		// Skip the value: count brackets outside strings.
		depth := 0
		for p.i < len(data) {
			c := data[p.i]
			switch {
			case c == '"':
				if _, err := p.stringLit(); err != nil {
					return keys, true
				}
				continue
			case c == '{' || c == '[':
				depth++
			case c == '}' || c == ']':
				depth--
				if depth < 0 {
					return keys, true
				}
			}
			if c == ',' && depth == 0 {
				break
			}
			p.i++
		}
		if p.i >= len(data) {
			return keys, true
		}
		p.i++ // the comma
	}
}

// IsTerraform reports whether the file name holds Terraform's JSON output
// (see Sniff). Directories and unreadable files are not.
func IsTerraform(name string) bool {
	st, err := os.Stat(name)
	if err != nil || st.IsDir() {
		return false
	}
	ext := strings.ToLower(filepath.Ext(name))
	if ext == ".yaml" || ext == ".yml" {
		return false
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return false
	}
	return Sniff(data)
}

// RewriteRefs rewrites, in a merged model, the AWS ids that other files
// use (expectations' from and to, external networks' via) into the
// addresses that name the resources of an imported plan or state.
func RewriteRefs(m *model.Model, ims ...*Import) {
	var resolve func(s string) string
	resolve = func(s string) string {
		if addr, vpc, ok := strings.Cut(s, "@"); ok {
			return addr + "@" + resolve(vpc) // ADDRESS@VPC-ID
		}
		for _, im := range ims {
			if t := im.Resolve(s); t != s {
				return t
			}
		}
		return s
	}
	for i := range m.Expectations {
		x := &m.Expectations[i]
		x.From = resolve(x.From)
		x.To = resolve(x.To)
	}
	for i := range m.ExternalNetworks {
		m.ExternalNetworks[i].Via = model.ID(resolve(string(m.ExternalNetworks[i].Via)))
	}
}
