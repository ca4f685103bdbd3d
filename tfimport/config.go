package tfimport

import (
	"strconv"
	"strings"
)

// config is a plan's configuration: the resource blocks of every module
// with their expressions, and the providers.
type config struct {
	root      *cfgModule
	providers map[string]*jvalue // provider_config by key
}

// cfgModule is one module of the configuration (not an instance of it).
type cfgModule struct {
	resources map[string]*cfgResource // by "type.name", data sources by "data.type.name"
	calls     map[string]*cfgCall
	outputs   map[string]*jvalue // output name -> its expression
}

// cfgCall is a module block.
type cfgCall struct {
	module *cfgModule
	exprs  *jvalue
}

// cfgResource is a resource block.
type cfgResource struct {
	node        *jvalue
	exprs       *jvalue // expressions, by attribute
	forEach     *jvalue // for_each_expression
	count       *jvalue // count_expression
	providerKey string
}

func readConfig(c *jvalue) *config {
	cfg := &config{providers: map[string]*jvalue{}, root: readCfgModule(c.get("root_module"), 0)}
	pc := c.get("provider_config")
	for i, k := range pc.keysOf() {
		cfg.providers[k] = pc.vals[i]
	}
	return cfg
}

// keysOf returns an object's keys.
func (v *jvalue) keysOf() []string {
	if v == nil || v.kind != jobject {
		return nil
	}
	return v.keys
}

func readCfgModule(m *jvalue, depth int) *cfgModule {
	cm := &cfgModule{resources: map[string]*cfgResource{}, calls: map[string]*cfgCall{}, outputs: map[string]*jvalue{}}
	if m == nil || depth > 64 {
		return cm
	}
	for _, r := range m.get("resources").list() {
		key := r.get("type").strVal() + "." + r.get("name").strVal()
		if r.get("mode").strVal() == "data" {
			key = "data." + key
		}
		cm.resources[key] = &cfgResource{node: r, exprs: r.get("expressions"), forEach: r.get("for_each_expression"),
			count: r.get("count_expression"), providerKey: r.get("provider_config_key").strVal()}
	}
	mc := m.get("module_calls")
	for i, name := range mc.keysOf() {
		call := mc.vals[i]
		cm.calls[name] = &cfgCall{module: readCfgModule(call.get("module"), depth+1), exprs: call.get("expressions")}
	}
	outs := m.get("outputs")
	for i, name := range outs.keysOf() {
		cm.outputs[name] = outs.vals[i].get("expression")
	}
	return cm
}

// module returns the configuration module of a module instance address
// (module.a["x"].module.b), or nil.
func (c *config) module(instance string) *cfgModule {
	m := c.root
	var names []string
	for _, s := range parseTraversal(instance) {
		if !s.index {
			names = append(names, s.name) // the keys of instances do not matter
		}
	}
	for i := 0; i < len(names); i += 2 {
		if names[i] != "module" || i+1 >= len(names) || m == nil {
			return nil
		}
		call := m.calls[names[i+1]]
		if call == nil {
			return nil
		}
		m = call.module
	}
	return m
}

// resource returns the resource block of a resource instance.
func (c *config) resource(r *resource) *cfgResource {
	m := c.module(r.module)
	if m == nil {
		return nil
	}
	key := r.typ + "." + r.name
	if r.mode == "data" {
		key = "data." + key
	}
	return m.resources[key]
}

// region returns the region a provider configuration sets as a constant.
func (c *config) region(key string) string {
	return c.provider(key, func(x *jvalue) string { return x.get("region").get("constant_value").strVal() })
}

// account returns the account a provider configuration names as a
// constant: its only allowed_account_ids, or the account of its
// assume_role's role_arn.
func (c *config) account(key string) string {
	return c.provider(key, func(x *jvalue) string {
		if ids := x.get("allowed_account_ids").get("constant_value").strings(); len(ids) == 1 {
			return ids[0]
		}
		for _, ar := range x.get("assume_role").list() {
			if p := arnParts(ar.get("role_arn").get("constant_value").strVal()); p != nil {
				return p[4]
			}
		}
		return ""
	})
}

// provider reads a constant from the provider configuration of key, or
// of the parent module's when a module has none of its own.
func (c *config) provider(key string, read func(exprs *jvalue) string) string {
	for {
		if p := c.providers[key]; p != nil {
			if s := read(p.get("expressions")); s != "" {
				return s
			}
		}
		// A module without its own provider block inherits its parent's:
		// "module.a.module.b:aws" -> "module.a:aws" -> "aws".
		mod, name, ok := strings.Cut(key, ":")
		if !ok {
			return ""
		}
		if i := strings.LastIndex(mod, ".module."); i >= 0 {
			key = mod[:i] + ":" + name
		} else {
			key = name
		}
	}
}

// step is one step of a traversal: a name, or an index ([0], ["a"], [*]).
type step struct {
	name  string
	index bool
	key   string // the index's text: a number, a string's value, or *
	str   bool   // the index is a string
}

// parseTraversal splits a Terraform reference or address such as
// module.net["a"].aws_subnet.private[0].id into steps. It never fails:
// text it does not understand ends the traversal.
func parseTraversal(s string) []step {
	var out []step
	i := 0
	for i < len(s) {
		switch s[i] {
		case '.':
			i++
		case '[':
			j := i + 1
			if j < len(s) && s[j] == '"' {
				// A quoted key: find the closing quote, honouring escapes.
				k := j + 1
				for k < len(s) && s[k] != '"' {
					if s[k] == '\\' {
						k++
					}
					k++
				}
				if k >= len(s) {
					return out
				}
				key, err := strconv.Unquote(s[j : k+1])
				if err != nil {
					return out
				}
				out = append(out, step{index: true, key: key, str: true})
				i = k + 1
				if i < len(s) && s[i] == ']' {
					i++
				}
				continue
			}
			k := strings.IndexByte(s[j:], ']')
			if k < 0 {
				return out
			}
			out = append(out, step{index: true, key: s[j : j+k]})
			i = j + k + 1
		default:
			j := i
			for j < len(s) && s[j] != '.' && s[j] != '[' {
				j++
			}
			out = append(out, step{name: s[i:j]})
			i = j
		}
	}
	return out
}
