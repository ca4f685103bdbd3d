package solver

import (
	"net/netip"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/routing"
	"github.com/vpcreach/vpcreach/sgeval"
)

// resolver is the Solver as the route and filter compilers see it: what a
// route's target or a rule's peer stands for. It is a distinct type so that
// these answers, which only compilation needs, are not part of the
// Solver's API.
type resolver Solver

var (
	_ routing.Resolver = (*resolver)(nil)
	_ sgeval.Resolver  = (*resolver)(nil)
)

// resolver returns s as the compilers' resolver.
func (s *Solver) resolver() *resolver { return (*resolver)(s) }

// PrefixList implements sgeval.Resolver and routing.Resolver.
func (r *resolver) PrefixList(id model.ID) []netip.Prefix {
	if pl := r.x.PrefixList(id); pl != nil {
		return pl.CIDRs
	}
	return nil
}

// Group implements sgeval.Resolver.
func (r *resolver) Group(id model.ID) sgeval.GroupRef {
	if ref, ok := r.refs[id]; ok {
		return ref
	}
	return -1
}

// Kind implements routing.Resolver.
func (r *resolver) Kind(id model.ID) model.Kind { return r.x.Kind(id) }

// EndpointType implements routing.Resolver.
func (r *resolver) EndpointType(id model.ID) model.EndpointType {
	if e := r.x.Endpoint(id); e != nil {
		return e.Type
	}
	return 0
}

// ServicePrefixList implements routing.Resolver.
func (r *resolver) ServicePrefixList(service string) (model.ID, []netip.Prefix) {
	return (*Solver)(r).servicePrefixList(service)
}

// ServicePrefixList6 implements routing.Resolver.
func (r *resolver) ServicePrefixList6(service string) (model.ID, []netip.Prefix) {
	return (*Solver)(r).servicePrefixList6(service)
}

// ExternalCIDRs implements routing.Resolver.
func (r *resolver) ExternalCIDRs(via model.ID) []netip.Prefix {
	var out []netip.Prefix
	for _, i := range r.externalVia[via] {
		out = append(out, r.externals[i].CIDRs...)
	}
	return out
}

// VPCCIDRs implements routing.Resolver.
func (r *resolver) VPCCIDRs(id model.ID) []netip.Prefix {
	if v := r.x.VPC(id); v != nil {
		// A VPC attachment propagates its IPv6 blocks too (V-14).
		return v.AllCIDRBlocks()
	}
	return nil
}
