package solver

import (
	"slices"
	"strings"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/routing"
	"github.com/vpcreach/vpcreach/sgeval"
)

// The compiled network, read-only.
//
// New compiles every route table, network ACL and security group of the
// model once, including the implicit ones AWS supplies when the model
// writes none (a VPC's main route table, default ACL and default group).
// The methods below publish those compiled values, so that other packages
// (the linter, a user's own checks) ask the solver which table or filter
// applies instead of deciding it, or compiling it, a second time.
//
// The compiled values are the ones Reach uses, shared and immutable (see
// packages routing and sgeval): do not modify them. Slices returned are
// fresh: the caller may keep and change them. Every method is safe for
// concurrent use, costs a map lookup or two, and returns nil for an id the
// model does not hold.

// SubnetRouteTable returns the compiled route table a subnet uses: the one
// model.VPC.RouteTableOf names (the subnet's own, else the VPC's main one,
// S-10), or the VPC's implicit main table (Implicit set: local routes only)
// when that is nil.
func (s *Solver) SubnetRouteTable(subnet model.ID) *routing.Table {
	if i, ok := s.subnet[subnet]; ok {
		return s.subnets[i].table
	}
	return nil
}

// SubnetACL returns the compiled network ACL at a subnet's boundary: the
// one model.VPC.NetworkACLOf names (the subnet's own, else the VPC's
// default one, S-30), or the VPC's implicit default ACL, which allows all
// traffic, when that is nil.
func (s *Solver) SubnetACL(subnet model.ID) *sgeval.ACL {
	if i, ok := s.subnet[subnet]; ok {
		return s.subnets[i].acl
	}
	return nil
}

// RouteTables returns a VPC's compiled route tables in the order the model
// writes them, followed by the implicit main table when the VPC writes no
// main one.
func (s *Solver) RouteTables(vpc model.ID) []*routing.Table {
	vi, ok := s.vpcByID[vpc]
	if !ok {
		return nil
	}
	v := &s.vpcs[vi]
	out := make([]*routing.Table, 0, len(v.m.RouteTables)+1)
	for i := range v.m.RouteTables {
		out = append(out, v.tables[v.m.RouteTables[i].ID])
	}
	if v.main.Implicit {
		out = append(out, v.main)
	}
	return out
}

// RouteTable returns the compiled VPC route table with an id: a written
// one, or VPC-ID/main, the implicit main table of a VPC that writes none.
func (s *Solver) RouteTable(id model.ID) *routing.Table {
	if v := s.x.OwnerVPC(id); v != nil && s.x.Kind(id) == model.KindRouteTable {
		return s.vpcs[s.vpcByID[v.ID]].tables[id]
	}
	if vpc, ok := strings.CutSuffix(string(id), "/main"); ok {
		if vi, ok := s.vpcByID[model.ID(vpc)]; ok && s.vpcs[vi].main.Implicit {
			return s.vpcs[vi].main
		}
	}
	return nil
}

// TGWRouteTables returns a transit gateway's compiled route tables, in the
// order the model writes them.
func (s *Solver) TGWRouteTables(tgw model.ID) []*routing.TGWTable {
	t, ok := s.tgws[tgw]
	if !ok {
		return nil
	}
	out := make([]*routing.TGWTable, 0, len(t.m.RouteTables))
	for i := range t.m.RouteTables {
		out = append(out, t.tables[t.m.RouteTables[i].ID])
	}
	return out
}

// TGWRouteTable returns the compiled transit gateway route table with an
// id.
func (s *Solver) TGWRouteTable(id model.ID) *routing.TGWTable {
	if t := s.x.OwnerTransitGateway(id); t != nil {
		return s.tgws[t.ID].tables[id]
	}
	return nil
}

// AttachmentRouteTable returns the compiled route table a transit gateway
// attachment is associated with, which routes the traffic entering the
// gateway through it (model.TransitGateway.AssociationOf, S-52); nil when
// it has none.
func (s *Solver) AttachmentRouteTable(attachment model.ID) *routing.TGWTable {
	if a, ok := s.atts[attachment]; ok {
		return a.assoc
	}
	return nil
}

// NetworkACL returns the compiled network ACL with an id: a written one,
// or VPC-ID/default-acl, the implicit default ACL of a VPC that writes
// none.
func (s *Solver) NetworkACL(id model.ID) *sgeval.ACL {
	if v := s.x.OwnerVPC(id); v != nil && s.x.Kind(id) == model.KindNetworkACL {
		return s.vpcs[s.vpcByID[v.ID]].acl[id]
	}
	if vpc, ok := strings.CutSuffix(string(id), "/default-acl"); ok {
		if vi, ok := s.vpcByID[model.ID(vpc)]; ok && s.vpcs[vi].defACL.ID == id {
			return s.vpcs[vi].defACL
		}
	}
	return nil
}

// SecurityGroup returns the compiled security group with an id: a written
// one, or VPC-ID/default-sg, the implicit default group of a VPC that
// writes none.
func (s *Solver) SecurityGroup(id model.ID) *sgeval.SecurityGroup {
	if g, ok := s.groups[id]; ok {
		return g
	}
	if vpc, ok := strings.CutSuffix(string(id), "/default-sg"); ok {
		if vi, ok := s.vpcByID[model.ID(vpc)]; ok && s.vpcs[vi].defSG.ID == id {
			return s.vpcs[vi].defSG
		}
	}
	return nil
}

// InterfaceGroups returns the compiled security groups that filter an
// interface's traffic (S-20): those an instance, network interface or
// interface endpoint lists, else its VPC's default group (written or
// implicit); those a load balancer lists (none: it has no group). Each
// node of an interface endpoint or load balancer has the same groups. It
// returns nil for a NAT gateway, which security groups do not filter, and
// for an unknown id.
func (s *Solver) InterfaceGroups(id model.ID) []*sgeval.SecurityGroup {
	ei, ok := s.eni[id]
	if !ok {
		nodes := s.nodes[id]
		if len(nodes) == 0 {
			return nil
		}
		ei = nodes[0]
	}
	return slices.Clone(s.enis[ei].groups)
}
