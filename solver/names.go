package solver

import (
	"fmt"
	"slices"

	"github.com/vpcreach/vpcreach/model"
)

// This file reads query ends written as names (Name tags and load
// balancer names, model.Index.ResolveName) and gives the components of a
// result their names.

// idForName resolves a query end written as the name of an instance,
// network interface, NAT gateway, endpoint, load balancer or external
// network. ok is false when t is an id (an id always wins over a name) or
// no such resource carries the name; a name that several carry is an
// invalid query that lists them.
func (s *Solver) idForName(t string) (id model.ID, ok bool, err error) {
	if s.x.Kind(model.ID(t)) != model.KindUnknown {
		return "", false, nil
	}
	id, err = s.x.ResolveName(t)
	if err != nil {
		return "", false, fmt.Errorf("%w: %w", ErrInvalidQuery, err)
	}
	return id, id != "", nil
}

// byName wraps the error of resolving the id a name stands for with the
// name, so that the message says which resource the query meant.
func byName(err error, name string, id model.ID) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%w (%q is the name of %s)", err, name, id)
}

// componentName returns the readable name of a hop's or blocker's
// component, or "" when it has none or its name is its id.
func (s *Solver) componentName(id model.ID) string {
	if n := s.x.Name(id); n != string(id) {
		return n
	}
	return ""
}

// withNames sets the Name and AWSID of every hop, blocker and warning
// whose component has a readable name or an AWS id. Hop slices may share
// their arrays with other answers of the same query, so changed slices
// are copies.
func (s *Solver) withNames(r Result) Result {
	r.Forward = namedCopy(r.Forward, s, func(h *Hop) (model.ID, *string, *model.ID) { return h.Component, &h.Name, &h.AWSID })
	r.Return = namedCopy(r.Return, s, func(h *Hop) (model.ID, *string, *model.ID) { return h.Component, &h.Name, &h.AWSID })
	r.Blockers = namedCopy(r.Blockers, s, func(b *Blocker) (model.ID, *string, *model.ID) { return b.Component, &b.Name, &b.AWSID })
	r.Warnings = namedCopy(r.Warnings, s, func(w *Warning) (model.ID, *string, *model.ID) { return w.Component, &w.Name, &w.AWSID })
	return r
}

// namedCopy returns xs with the names and AWS ids of their components
// set, copied when one is; field gives an element's component and its
// name and AWS id fields.
func namedCopy[T any](xs []T, s *Solver, field func(*T) (model.ID, *string, *model.ID)) []T {
	var out []T
	for i := range xs {
		id, _, _ := field(&xs[i])
		n, aws := s.componentName(id), s.x.AWSID(id)
		if n == "" && aws == "" {
			continue
		}
		if out == nil {
			out = slices.Clone(xs)
		}
		_, name, awsID := field(&out[i])
		*name, *awsID = n, aws
	}
	if out == nil {
		return xs
	}
	return out
}
