package model

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Sentinel errors wrapped by every Diagnostic, for errors.Is.
var (
	// ErrSyntax: the file is not well-formed YAML.
	ErrSyntax = errors.New("syntax error")
	// ErrUnknownField: a key the format does not define.
	ErrUnknownField = errors.New("unknown field")
	// ErrType: a value of the wrong YAML type (a list where a string belongs).
	ErrType = errors.New("wrong type")
	// ErrMissingField: a required field is absent.
	ErrMissingField = errors.New("missing field")
	// ErrInvalidValue: a value that does not parse or is out of range.
	ErrInvalidValue = errors.New("invalid value")
	// ErrDuplicateID: two resources share an id.
	ErrDuplicateID = errors.New("duplicate id")
	// ErrUnknownRef: a reference to an id that no resource has.
	ErrUnknownRef = errors.New("unknown reference")
	// ErrAmbiguousName: a name, written where an id or a name may stand,
	// that several resources carry (AmbiguousNameError).
	ErrAmbiguousName = errors.New("ambiguous name")
	// ErrWrongRef: a reference to a resource of the wrong kind or place.
	ErrWrongRef = errors.New("wrong reference")
	// ErrAddress: an address or CIDR that breaks an addressing rule.
	ErrAddress = errors.New("addressing error")
	// ErrConflict: resources whose settings contradict each other.
	ErrConflict = errors.New("conflict")
	// ErrQuota: a count above an AWS quota.
	ErrQuota = errors.New("quota exceeded")
	// ErrTooLarge: an input above a limit of LoadOptions (file size, YAML
	// nodes); the file is not checked further.
	ErrTooLarge = errors.New("input too large")
	// ErrOutsideSnapshot: the topology holds something an imported AWS
	// snapshot could not tell (a route, group or attachment marked outside
	// the snapshot); answers that depend on it are unknown.
	ErrOutsideSnapshot = errors.New("outside the snapshot")
)

// Severity ranks a finding. In validation, errors stop a run; warnings are
// reported and do not. Analyses also report notes, for information.
type Severity uint8

// Severities, most severe first.
const (
	SeverityError Severity = iota + 1
	SeverityWarning
	// SeverityNote is for information that needs no action.
	SeverityNote
)

// String returns "error", "warning" or "note".
func (s Severity) String() string {
	switch s {
	case SeverityError:
		return "error"
	case SeverityWarning:
		return "warning"
	case SeverityNote:
		return "note"
	}
	return "unknown"
}

// Diagnostic is one problem found in a topology: where (file, line, column
// and field path), what (a one-line message), how bad (Severity), and which
// class (a wrapped sentinel such as ErrUnknownRef).
type Diagnostic struct {
	Severity Severity
	Pos      Position
	// Path is the field path, like "vpcs[0].subnets[2].cidr_block".
	Path    string
	Message string
	// Rule names the aws-semantics rule behind the check, such as "S-41",
	// when there is one.
	Rule string
	Err  error
}

// Error renders the diagnostic as
// `net.yaml:41:7: vpcs[0].subnets[2].cidr_block: "10.0.1.0/33" is not a CIDR`;
// warnings carry a "warning: " prefix before the message.
func (d Diagnostic) Error() string {
	var b strings.Builder
	b.WriteString(d.Pos.String())
	b.WriteString(": ")
	if d.Path != "" {
		b.WriteString(d.Path)
		b.WriteString(": ")
	}
	if d.Severity == SeverityWarning {
		b.WriteString("warning: ")
	}
	b.WriteString(d.Message)
	if d.Rule != "" {
		b.WriteString(" (")
		b.WriteString(d.Rule)
		b.WriteString(")")
	}
	return b.String()
}

// Unwrap returns the sentinel class of the diagnostic.
func (d Diagnostic) Unwrap() error { return d.Err }

// Diagnostics is a list of problems, in the manner of go/scanner.ErrorList.
type Diagnostics []Diagnostic

// Sort orders the list by file, line, column, then path and message, so
// output is deterministic.
func (l Diagnostics) Sort() {
	slices.SortStableFunc(l, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.Pos.File, b.Pos.File),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Column, b.Pos.Column),
			cmp.Compare(a.Path, b.Path),
			cmp.Compare(a.Message, b.Message),
		)
	})
}

// Errors returns the diagnostics of error severity.
func (l Diagnostics) Errors() Diagnostics { return l.filter(SeverityError) }

// Warnings returns the diagnostics of warning severity.
func (l Diagnostics) Warnings() Diagnostics { return l.filter(SeverityWarning) }

func (l Diagnostics) filter(s Severity) Diagnostics {
	var out Diagnostics
	for _, d := range l {
		if d.Severity == s {
			out = append(out, d)
		}
	}
	return out
}

// Err returns nil when the list holds no error, else the errors of the list
// (sorted) as an error.
func (l Diagnostics) Err() error {
	errs := l.Errors()
	if len(errs) == 0 {
		return nil
	}
	errs.Sort()
	return errs
}

// Error returns "first error (and N more errors)".
func (l Diagnostics) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	case 2:
		return fmt.Sprintf("%s (and 1 more error)", l[0].Error())
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0].Error(), len(l)-1)
}

// Unwrap returns the diagnostics as errors, so errors.Is finds any sentinel
// in the list.
func (l Diagnostics) Unwrap() []error {
	out := make([]error, len(l))
	for i, d := range l {
		out[i] = d
	}
	return out
}

// diagnoser accumulates diagnostics.
type diagnoser struct {
	list Diagnostics
}

func (d *diagnoser) add(sev Severity, src Source, sentinel error, rule, format string, args ...any) {
	d.list = append(d.list, Diagnostic{
		Severity: sev,
		Pos:      src.Position,
		Path:     src.Path,
		Message:  fmt.Sprintf(format, args...),
		Rule:     rule,
		Err:      sentinel,
	})
}

func (d *diagnoser) errorf(src Source, sentinel error, format string, args ...any) {
	d.add(SeverityError, src, sentinel, "", format, args...)
}

func (d *diagnoser) warnf(src Source, sentinel error, format string, args ...any) {
	d.add(SeverityWarning, src, sentinel, "", format, args...)
}
