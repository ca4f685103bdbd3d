package model

// RouteTableOf returns the route table subnet sn of v uses: the one
// explicitly associated with it, else v's main route table (S-10). It
// returns nil when neither is written: the subnet then uses the VPC's
// implicit main table, which holds the local routes only.
//
// This is the one place the rule is written; the solver compiles by it and
// publishes the result (solver.Solver.SubnetRouteTable).
func (v *VPC) RouteTableOf(sn *Subnet) *RouteTable {
	var main *RouteTable
	for i := range v.RouteTables {
		rt := &v.RouteTables[i]
		if sn.RouteTable != "" && rt.ID == sn.RouteTable {
			return rt
		}
		if rt.Main && main == nil {
			main = rt
		}
	}
	return main
}

// NetworkACLOf returns the network ACL subnet sn of v uses: the one
// associated with it, else v's default ACL (S-30). It returns nil when
// neither is written: the subnet then uses the VPC's implicit default ACL,
// which allows all traffic both ways.
func (v *VPC) NetworkACLOf(sn *Subnet) *NetworkACL {
	var def *NetworkACL
	for i := range v.NetworkACLs {
		a := &v.NetworkACLs[i]
		if sn.NetworkACL != "" && a.ID == sn.NetworkACL {
			return a
		}
		if a.Default && def == nil {
			def = a
		}
	}
	return def
}
