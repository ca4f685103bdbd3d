package cost

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/vpcreach/vpcreach/model"
)

// Prices are one region's list prices: per GB of data and per hour of a
// provisioned resource. Every field is set in a table that parsed.
type Prices struct {
	// Region is the region the prices are for, such as us-east-1.
	Region string

	// NATGatewayProcessing is charged per GB a NAT gateway processes, in
	// either direction.
	NATGatewayProcessing Money
	// TransitGatewayProcessing is charged per GB sent into a transit
	// gateway from a VPC, VPN or Direct Connect attachment (not from a
	// peering attachment).
	TransitGatewayProcessing Money
	// InterfaceEndpointProcessing is charged per GB an interface endpoint
	// (PrivateLink) processes, in either direction.
	InterfaceEndpointProcessing Money
	// CrossAZ is charged per GB leaving an availability zone for another
	// of the same region, and again per GB entering the other: a GB that
	// crosses costs twice this.
	CrossAZ Money
	// InterRegion is charged per GB sent out of this region to another.
	InterRegion Money
	// InternetEgress is charged per GB sent out of this region to the
	// internet (the first volume tier).
	InternetEgress Money

	// NATGatewayHour is charged per hour a NAT gateway exists.
	NATGatewayHour Money
	// InterfaceEndpointAZHour is charged per hour an interface endpoint
	// exists, for each availability zone (subnet) it is in.
	InterfaceEndpointAZHour Money
	// TransitGatewayAttachmentHour is charged per hour a transit gateway
	// attachment exists.
	TransitGatewayAttachmentHour Money
}

// priceKey ties a key of the price file to a field of Prices.
type priceKey struct {
	section, key string
	field        func(*Prices) *Money
}

// priceKeys are the keys of a region's prices, in the order the file
// documents them.
var priceKeys = []priceKey{
	{"per_gb", "nat_gateway_processing", func(p *Prices) *Money { return &p.NATGatewayProcessing }},
	{"per_gb", "transit_gateway_processing", func(p *Prices) *Money { return &p.TransitGatewayProcessing }},
	{"per_gb", "interface_endpoint_processing", func(p *Prices) *Money { return &p.InterfaceEndpointProcessing }},
	{"per_gb", "cross_az", func(p *Prices) *Money { return &p.CrossAZ }},
	{"per_gb", "inter_region", func(p *Prices) *Money { return &p.InterRegion }},
	{"per_gb", "internet_egress", func(p *Prices) *Money { return &p.InternetEgress }},
	{"per_hour", "nat_gateway", func(p *Prices) *Money { return &p.NATGatewayHour }},
	{"per_hour", "interface_endpoint_az", func(p *Prices) *Money { return &p.InterfaceEndpointAZHour }},
	{"per_hour", "transit_gateway_attachment", func(p *Prices) *Money { return &p.TransitGatewayAttachmentHour }},
}

// Table is a price list: each region's Prices, the region whose prices
// stand for regions the table lacks, and where the figures come from.
// Default returns the embedded us-east-1 table; ParseTable and LoadTable
// read a file in the same format (YAML, or JSON, which is YAML too). A
// Table is immutable and safe for concurrent use.
type Table struct {
	name, date, file string
	fallback         string
	// regions is keyed by region; never changed after parsing.
	regions map[string]Prices
	// sources maps a price key to where its figure comes from.
	sources map[string]string
}

//go:embed prices.yaml
var defaultTableText []byte

// DefaultText returns the embedded price table's file: the format
// --prices reads, with each figure's source. The bytes are the caller's.
func DefaultText() []byte { return slices.Clone(defaultTableText) }

// Default returns the embedded price table: AWS list prices for us-east-1,
// the fallback for every other region. It is parsed once and shared (a
// Table is immutable). It panics only if the embedded file is broken,
// which a test rules out.
func Default() *Table { return defaultTable() }

var defaultTable = sync.OnceValue(func() *Table {
	t, err := ParseTable("(embedded)", defaultTableText)
	if err != nil {
		panic("cost: embedded price table: " + err.Error())
	}
	return t
})

// LoadTable reads and parses a price file.
func LoadTable(path string) (*Table, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseTable(path, b)
}

// Name returns the table's name, such as "AWS list prices, US East (N.
// Virginia)".
func (t *Table) Name() string { return t.name }

// Date returns the date the table's prices were read, as written in it.
func (t *Table) Date() string { return t.date }

// File returns the file the table was read from, or "(embedded)".
func (t *Table) File() string { return t.file }

// Fallback returns the region whose prices stand for regions the table
// lacks.
func (t *Table) Fallback() string { return t.fallback }

// Regions returns the regions the table prices, sorted.
func (t *Table) Regions() []string {
	out := make([]string, 0, len(t.regions))
	for r := range t.regions {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// Source returns where the figure of a price key (such as
// "nat_gateway_processing") comes from, or "".
func (t *Table) Source(key string) string { return t.sources[key] }

// For returns the prices of a region, and whether the table has them: a
// region it lacks gets the fallback region's prices (with their Region
// field naming the fallback).
func (t *Table) For(region string) (Prices, bool) {
	if p, ok := t.regions[region]; ok {
		return p, true
	}
	return t.regions[t.fallback], false
}

// Error is a problem in a price file, at a line and column.
type Error struct {
	File         string
	Line, Column int
	// Path is the field, such as regions.us-east-1.per_gb.cross_az.
	Path string
	Msg  string
}

// Error renders "file:line:column: path: message".
func (e *Error) Error() string {
	s := e.File
	if e.Line > 0 {
		s += fmt.Sprintf(":%d:%d", e.Line, e.Column)
	}
	if e.Path != "" {
		s += ": " + e.Path
	}
	return s + ": " + e.Msg
}

// tableParser collects the errors of one price file.
type tableParser struct {
	file string
	errs []*Error
}

func (p *tableParser) errorf(n *yaml.Node, path, format string, args ...any) {
	e := &Error{File: p.file, Path: path, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	p.errs = append(p.errs, e)
}

// ParseTable parses a price file (named file in errors): YAML, or JSON. It
// reports every problem at once, sorted by position, as errors joined with
// errors.Join, each an *Error: unknown and missing fields (with the
// nearest known name), prices that are not plain non-negative decimals,
// a fallback region the table lacks.
func ParseTable(file string, data []byte) (*Table, error) {
	p := &tableParser{file: file}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &Error{File: file, Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	t := &Table{file: file, regions: map[string]Prices{}, sources: map[string]string{}}
	if len(doc.Content) == 0 {
		p.errorf(nil, "", "empty price file")
		return nil, p.err()
	}
	root := doc.Content[0]
	fields := p.mapping(root, "", []string{"version", "name", "date", "currency", "fallback", "regions", "sources"}, []string{"version", "fallback", "regions"})
	if n := fields["version"]; n != nil && p.scalar(n, "version") && n.Value != "1" {
		p.errorf(n, "version", "version %s is not known (1 is)", n.Value)
	}
	if n := fields["name"]; n != nil && p.scalar(n, "name") {
		t.name = n.Value
	}
	if n := fields["date"]; n != nil && p.scalar(n, "date") {
		t.date = n.Value
	}
	if n := fields["currency"]; n != nil && p.scalar(n, "currency") && n.Value != "USD" {
		p.errorf(n, "currency", "%q is not a currency vpcreach prices in (USD is)", n.Value)
	}
	if n := fields["regions"]; n != nil {
		if n.Kind != yaml.MappingNode || len(n.Content) == 0 {
			p.errorf(n, "regions", "want a mapping of region names to prices, such as us-east-1: {per_gb: ..., per_hour: ...}")
		} else {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				path := "regions." + k.Value
				if _, dup := t.regions[k.Value]; dup {
					p.errorf(k, path, "region %s is priced twice", k.Value)
					continue
				}
				t.regions[k.Value] = p.prices(k.Value, v, path)
			}
		}
	}
	if n := fields["fallback"]; n != nil && p.scalar(n, "fallback") {
		t.fallback = n.Value
		if _, ok := t.regions[n.Value]; !ok && fields["regions"] != nil {
			p.errorf(n, "fallback", "region %q is not in regions", n.Value)
		}
	}
	if n := fields["sources"]; n != nil {
		if n.Kind != yaml.MappingNode {
			p.errorf(n, "sources", "want a mapping of price keys to where their figures come from")
		} else {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if !slices.ContainsFunc(priceKeys, func(pk priceKey) bool { return pk.key == k.Value }) {
					p.errorf(k, "sources."+k.Value, "unknown price key%s", p.suggest(k.Value, allKeys()))
					continue
				}
				if p.scalar(v, "sources."+k.Value) {
					t.sources[k.Value] = v.Value
				}
			}
		}
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return t, nil
}

// allKeys returns every price key.
func allKeys() []string {
	out := make([]string, len(priceKeys))
	for i, k := range priceKeys {
		out[i] = k.key
	}
	return out
}

// prices reads one region's prices.
func (p *tableParser) prices(region string, n *yaml.Node, path string) Prices {
	out := Prices{Region: region}
	sections := p.mapping(n, path, []string{"per_gb", "per_hour"}, []string{"per_gb", "per_hour"})
	for _, section := range []string{"per_gb", "per_hour"} {
		sn := sections[section]
		if sn == nil {
			continue
		}
		var known, required []string
		for _, k := range priceKeys {
			if k.section == section {
				known = append(known, k.key)
				required = append(required, k.key)
			}
		}
		values := p.mapping(sn, path+"."+section, known, required)
		for _, k := range priceKeys {
			v := values[k.key]
			if k.section != section || v == nil {
				continue
			}
			fp := path + "." + section + "." + k.key
			if !p.scalar(v, fp) {
				continue
			}
			m, err := ParseMoney(v.Value)
			if err != nil {
				p.errorf(v, fp, "%s", err)
				continue
			}
			*k.field(&out) = m
		}
	}
	return out
}

// mapping checks that n is a mapping with only known keys and every
// required one, and returns its values by key.
func (p *tableParser) mapping(n *yaml.Node, path string, known, required []string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	if n.Kind != yaml.MappingNode {
		p.errorf(n, path, "want a mapping with %s", strings.Join(known, ", "))
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		fp := joinPath(path, k.Value)
		if !slices.Contains(known, k.Value) {
			p.errorf(k, fp, "unknown field%s", p.suggest(k.Value, known))
			continue
		}
		if out[k.Value] != nil {
			p.errorf(k, fp, "given twice")
			continue
		}
		out[k.Value] = n.Content[i+1]
	}
	for _, r := range required {
		if out[r] == nil {
			p.errorf(n, path, "missing %s", r)
		}
	}
	return out
}

// scalar checks that n is a plain value.
func (p *tableParser) scalar(n *yaml.Node, path string) bool {
	if n.Kind != yaml.ScalarNode {
		p.errorf(n, path, "want a single value")
		return false
	}
	return true
}

// suggest returns " (did you mean X?)" for the known name nearest to s,
// or "" when none is near.
func (p *tableParser) suggest(s string, known []string) string {
	best := model.Suggest(s, known)
	if best == "" {
		return " (known: " + strings.Join(known, ", ") + ")"
	}
	return " (did you mean " + strconv.Quote(best) + "?)"
}

// err returns the collected errors sorted by position, joined, or nil.
func (p *tableParser) err() error {
	if len(p.errs) == 0 {
		return nil
	}
	sort.SliceStable(p.errs, func(i, j int) bool {
		a, b := p.errs[i], p.errs[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	errs := make([]error, len(p.errs))
	for i, e := range p.errs {
		errs[i] = e
	}
	return errors.Join(errs...)
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
