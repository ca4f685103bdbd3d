package model

import (
	"bytes"
	"errors"
	"io"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// FormatVersion is the topology format version this package reads.
const FormatVersion = 1

// Parse decodes one topology file. name is used in positions. It checks
// syntax, field names and value types, not meaning: see Validate. The error,
// when not nil, is a Diagnostics holding every problem found, sorted.
func Parse(name string, data []byte) (*Model, error) {
	m, diags := parse(name, data)
	if err := diags.Err(); err != nil {
		return nil, err
	}
	return m, nil
}

// parse decodes as much of a file as it can: the model it returns (nil only
// when the file is not YAML at all) holds every value that decoded.
func parse(name string, data []byte) (*Model, Diagnostics) {
	root, err := parseYAML(name, data)
	if err != nil {
		return nil, asDiagnostics(err)
	}
	if root == nil {
		return nil, Diagnostics{{Severity: SeverityError, Pos: Position{File: name, Line: 1, Column: 1},
			Message: "empty file: a topology starts with \"version: 1\"", Err: ErrMissingField}}
	}
	d := &decoder{file: name}
	m := &Model{}
	d.decode(root, reflect.ValueOf(m).Elem(), "", nil, "", -1)
	if m.LintSettings != nil {
		m.Lint = append(m.Lint, *m.LintSettings)
		m.LintSettings = nil
	}
	if m.Version != 0 && m.Version != FormatVersion {
		d.diags.errorf(m.Source.Field("version"), ErrInvalidValue,
			"unsupported format version %d (this vpcreach reads version %d)", m.Version, FormatVersion)
	}
	return m, d.diags.list
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseYAML returns the root node of the single document in data, nil for
// an empty file, or a positioned syntax error.
func parseYAML(name string, data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, syntaxError(name, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, Diagnostics{{Severity: SeverityError, Pos: Position{File: name, Line: extra.Line, Column: extra.Column},
			Message: "a topology file holds one YAML document; split the others into their own files", Err: ErrSyntax}}
	} else if !errors.Is(err, io.EOF) {
		return nil, syntaxError(name, err)
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

// syntaxError turns a yaml.v3 error into a Diagnostic. The YAML parser
// reports a line but no column; the column is then 0 and not printed. For
// parser (as opposed to scanner) errors, yaml.v3 reports the 0-based line
// where the construct being parsed starts; those are corrected to 1-based
// and say so.
func syntaxError(name string, err error) error {
	msg := err.Error()
	pos := Position{File: name}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		pos.Line, _ = strconv.Atoi(m[1])
		msg = m[2]
		if isParserError(msg) {
			pos.Line++
			msg += " (in the construct that starts on this line)"
		}
	} else if len(msg) > 6 && msg[:6] == "yaml: " {
		msg = msg[6:]
	}
	if pos.Line == 0 {
		pos.Line = 1
	}
	return Diagnostics{{Severity: SeverityError, Pos: pos, Message: "YAML syntax: " + msg, Err: ErrSyntax}}
}

// parserErrors are the yaml.v3 messages raised by its parser, which
// reports lines 0-based; its scanner reports them 1-based.
var parserErrors = []string{
	"did not find expected <document start>", "did not find expected node content",
	"did not find expected key", "did not find expected ',' or ']'", "did not find expected ',' or '}'",
	"did not find expected '-' indicator", "found duplicate %YAML directive",
	"found incompatible YAML document", "found undefined tag handle",
}

func isParserError(msg string) bool {
	for _, p := range parserErrors {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
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
	m, diags := ReadFiles(paths...)
	return split(m, diags)
}

// ReadFiles is LoadFiles for callers that inspect the errors themselves: it
// returns the merged model even when it has errors (nil only when no file
// parsed at all), with every diagnostic, sorted. A model with errors may be
// incomplete; analyse it only if the errors allow.
func ReadFiles(paths ...string) (*Model, Diagnostics) {
	models, all := ParseFiles(paths...)
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
func ParseFiles(paths ...string) ([]*Model, Diagnostics) {
	var all Diagnostics
	var models []*Model
	for _, p := range paths {
		data, rerr := os.ReadFile(p)
		if rerr != nil {
			all = append(all, Diagnostic{Severity: SeverityError, Pos: Position{File: p}, Message: rerr.Error(), Err: rerr})
			continue
		}
		pm, diags := parse(p, data)
		all = append(all, diags...)
		if pm != nil {
			models = append(models, pm)
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
	pm, diags := parse(name, data)
	if pm == nil {
		return nil, nil, diags.Err()
	}
	return split(pm, check(pm, diags))
}

// check validates a merged model and joins the result with the decoding
// diagnostics, sorted.
func check(m *Model, decoding Diagnostics) Diagnostics {
	diags := Validate(m)
	if len(decoding) > 0 {
		diags = append(suppressRepeats(diags, decoding), decoding...)
	}
	diags.Sort()
	return diags
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
