package model

import (
	"errors"
	"io"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// FormatVersion is the topology format version this package reads.
const FormatVersion = 1

// Parse decodes one topology file. name is used in positions. It checks
// syntax, field names and value types, not meaning: see Validate. The error,
// when not nil, is a Diagnostics holding every problem found, sorted.
func Parse(name string, data []byte) (*Model, error) { return LoadOptions{}.Parse(name, data) }

// Parse is the package's Parse within o's limits.
func (o LoadOptions) Parse(name string, data []byte) (*Model, error) {
	m, diags := o.parse(name, data)
	if err := diags.Err(); err != nil {
		return nil, err
	}
	return m, nil
}

// parse decodes as much of a file as it can: the model it returns holds
// every value that decoded. It is nil when the file is not YAML at all or
// is above a limit: what such a file holds is not checked.
func (o LoadOptions) parse(name string, data []byte) (*Model, Diagnostics) {
	if int64(len(data)) > o.maxFileSize() {
		return nil, Diagnostics{*o.tooLarge(name, int64(len(data)))}
	}
	data, bad := checkEncoding(name, data)
	if bad != nil {
		return nil, Diagnostics{*bad}
	}
	if m, diags, ok := o.decodeSplit(name, data); ok {
		return m, diags
	}
	return o.decodeWhole(name, data)
}

// decodeWhole parses data (UTF-8, see checkEncoding) as one and decodes
// it, as parse does.
func (o LoadOptions) decodeWhole(name string, data []byte) (*Model, Diagnostics) {
	root, err := parseYAML(name, data)
	if err != nil {
		return nil, asDiagnostics(err)
	}
	if root == nil {
		return nil, Diagnostics{{Severity: SeverityError, Pos: Position{File: name, Line: 1, Column: 1},
			Message: "empty file: a topology starts with \"version: 1\"", Err: ErrMissingField}}
	}
	if bad := o.countNodes(name, root); bad != nil {
		return nil, Diagnostics{*bad}
	}
	d := &decoder{file: name}
	m := &Model{}
	d.decode(root, reflect.ValueOf(m).Elem(), rootPath, nil, "", -1)
	return m, finishDecode(m, d)
}

// finishDecode completes a decoded model (lint settings, the format
// version) and returns the decoder's diagnostics.
func finishDecode(m *Model, d *decoder) Diagnostics {
	if m.LintSettings != nil {
		m.Lint = append(m.Lint, *m.LintSettings)
		m.LintSettings = nil
	}
	if m.Version != 0 && m.Version != FormatVersion {
		d.diags.errorf(m.Source.Field("version"), ErrInvalidValue,
			"unsupported format version %d (this vpcreach reads version %d)", m.Version, FormatVersion)
	}
	return d.diags.list
}

// parseYAML returns the root node of the single document in data (UTF-8,
// see checkEncoding), nil for an empty file, or a positioned syntax
// error.
func parseYAML(name string, data []byte) (*yaml.Node, error) {
	doc, extra, err := decodeOne(data)
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	if err != nil {
		return nil, syntaxError(name, data, err)
	}
	if extra != nil {
		return nil, Diagnostics{{Severity: SeverityError, Pos: Position{File: name, Line: extra.Line, Column: extra.Column},
			Message: "a topology file holds one YAML document; split the others into their own files", Err: ErrSyntax}}
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

// Merge joins several parsed files into one model by concatenating their
// top-level lists. Ids must stay unique across files (Validate checks it),
// except accounts: an account listed in several files with the same name,
// or with a name in only one of them, is listed once.
func Merge(models ...*Model) *Model {
	out := &Model{Version: FormatVersion}
	for i, m := range models {
		if m == nil {
			continue
		}
		if i == 0 {
			out.Source = m.Source
		}
		for _, a := range m.Accounts {
			// Files written per team often list the same accounts: an
			// account repeated with the same (or no) name is one account.
			if j := slices.IndexFunc(out.Accounts, func(b Account) bool { return b.ID == a.ID }); j >= 0 &&
				(a.Name == "" || out.Accounts[j].Name == "" || a.Name == out.Accounts[j].Name) {
				if out.Accounts[j].Name == "" {
					out.Accounts[j].Name = a.Name
				}
				continue
			}
			out.Accounts = append(out.Accounts, a)
		}
		out.VPCs = append(out.VPCs, m.VPCs...)
		out.PeeringConnections = append(out.PeeringConnections, m.PeeringConnections...)
		out.TransitGateways = append(out.TransitGateways, m.TransitGateways...)
		out.PrefixLists = append(out.PrefixLists, m.PrefixLists...)
		out.EndpointServices = append(out.EndpointServices, m.EndpointServices...)
		out.HostedZones = append(out.HostedZones, m.HostedZones...)
		out.ExternalNetworks = append(out.ExternalNetworks, m.ExternalNetworks...)
		out.Expectations = append(out.Expectations, m.Expectations...)
		out.Lint = append(out.Lint, m.Lint...)
	}
	return out
}

// LoadFiles reads, parses, merges and validates topology files. It returns
// the model and every warning; err, when not nil, is a Diagnostics holding
// every error of every file (sorted), and the model is then nil.
//
// A value that does not decode (a bad CIDR, an unknown key) does not stop
// the checks of meaning: the rest of the file is still validated, so one run
// reports every mistake. Checks that would only repeat a decoding error
// about the same resource are left out.
func LoadFiles(paths ...string) (m *Model, warnings Diagnostics, err error) {
	return LoadOptions{}.LoadFiles(paths...)
}

// LoadFiles is the package's LoadFiles within o's limits.
func (o LoadOptions) LoadFiles(paths ...string) (m *Model, warnings Diagnostics, err error) {
	m, diags := o.ReadFiles(paths...)
	return split(m, diags)
}

// ReadFiles is LoadFiles for callers that inspect the errors themselves: it
// returns the merged model even when it has errors (nil only when no file
// parsed at all), with every diagnostic, sorted. A model with errors may be
// incomplete; analyse it only if the errors allow.
func ReadFiles(paths ...string) (*Model, Diagnostics) { return LoadOptions{}.ReadFiles(paths...) }

// ReadFiles is the package's ReadFiles within o's limits.
func (o LoadOptions) ReadFiles(paths ...string) (*Model, Diagnostics) {
	models, all := o.ParseFiles(paths...)
	if len(models) == 0 {
		all.Sort()
		return nil, all
	}
	m := Merge(models...)
	return m, Check(m, all)
}

// ParseFiles reads and parses topology files without validating them: the
// first step of ReadFiles, for callers that merge the files with models
// from elsewhere (an imported AWS snapshot) before validating the whole
// with Check. It returns the models that parsed (each as complete as its
// file allows) and every diagnostic of reading and decoding.
func ParseFiles(paths ...string) ([]*Model, Diagnostics) { return LoadOptions{}.ParseFiles(paths...) }

// ParseFiles is the package's ParseFiles within o's limits.
//
// Several files are read and parsed at once, on up to GOMAXPROCS
// goroutines; the result is in the order of paths all the same.
func (o LoadOptions) ParseFiles(paths ...string) ([]*Model, Diagnostics) {
	type result struct {
		m     *Model
		diags Diagnostics
	}
	results := make([]result, len(paths))
	parseOne := func(i int) {
		data, bad := o.readFile(paths[i])
		if bad != nil {
			results[i].diags = Diagnostics{*bad}
			return
		}
		results[i].m, results[i].diags = o.parse(paths[i], data)
	}
	if workers := min(runtime.GOMAXPROCS(0), len(paths)); workers > 1 {
		next := make(chan int)
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					parseOne(i)
				}
			}()
		}
		for i := range paths {
			next <- i
		}
		close(next)
		wg.Wait()
	} else {
		for i := range paths {
			parseOne(i)
		}
	}
	var all Diagnostics
	var models []*Model
	for _, r := range results {
		all = append(all, r.diags...)
		if r.m != nil {
			models = append(models, r.m)
		}
	}
	return models, all
}

// Check validates a merged model and joins the result with the decoding
// diagnostics of ParseFiles, sorted, leaving out the checks that would only
// repeat a decoding error; ReadFiles is ParseFiles, Merge and Check.
func Check(m *Model, decoding Diagnostics) Diagnostics { return check(m, decoding) }

// LoadBytes parses and validates one topology held in memory, as LoadFiles
// does; name is used in positions.
func LoadBytes(name string, data []byte) (*Model, Diagnostics, error) {
	return LoadOptions{}.LoadBytes(name, data)
}

// LoadBytes is the package's LoadBytes within o's limits.
func (o LoadOptions) LoadBytes(name string, data []byte) (*Model, Diagnostics, error) {
	pm, diags := o.parse(name, data)
	if pm == nil {
		return nil, nil, diags.Err()
	}
	return split(pm, check(pm, diags))
}

// check validates a merged model and joins the result with the decoding
// diagnostics, sorted.
func check(m *Model, decoding Diagnostics) Diagnostics {
	return joinDecoding(Validate(m), decoding)
}

// joinDecoding joins the diagnostics of validation and of decoding, sorted,
// leaving out the checks that would only repeat a decoding error.
func joinDecoding(diags, decoding Diagnostics) Diagnostics {
	if len(decoding) > 0 {
		diags = append(suppressRepeats(diags, decoding), decoding...)
	}
	diags.Sort()
	return dropRepeats(diags)
}

// dropRepeats keeps the first of the diagnostics that say the same thing
// at the same place: a resource written once and used through several
// YAML aliases is checked once per use.
func dropRepeats(diags Diagnostics) Diagnostics {
	type key struct {
		sev       Severity
		pos       Position
		msg, rule string
	}
	seen := make(map[key]bool, len(diags))
	out := diags[:0]
	for _, d := range diags {
		k := key{d.Severity, d.Pos, d.Message, d.Rule}
		if !d.Pos.IsValid() || !seen[k] {
			out = append(out, d)
		}
		seen[k] = true
	}
	return out
}

// split returns the model and its warnings, or the errors.
func split(m *Model, diags Diagnostics) (*Model, Diagnostics, error) {
	if err := diags.Err(); err != nil {
		return nil, diags.Warnings(), err
	}
	return m, diags.Warnings(), nil
}

// suppressRepeats drops the validation diagnostics about a resource that
// already has a decoding error: they would only repeat it (a missing CIDR
// reported again as "not inside the VPC").
func suppressRepeats(diags, decoding Diagnostics) Diagnostics {
	bad := map[string]bool{}
	for _, d := range decoding {
		bad[d.Pos.File+"\x00"+resourcePath(d.Path)] = true
	}
	out := diags[:0]
	for _, d := range diags {
		if !bad[d.Pos.File+"\x00"+resourcePath(d.Path)] {
			out = append(out, d)
		}
	}
	return out
}

// resourcePath cuts a field path back to the resource that holds the field:
// "vpcs[0].subnets[2].cidr_block" -> "vpcs[0].subnets[2]".
func resourcePath(p string) string {
	if i := strings.LastIndexByte(p, ']'); i >= 0 {
		return p[:i+1]
	}
	return ""
}

func asDiagnostics(err error) Diagnostics {
	var ds Diagnostics
	if errors.As(err, &ds) {
		return ds
	}
	return Diagnostics{{Severity: SeverityError, Message: err.Error(), Err: err}}
}
