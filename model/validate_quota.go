package model

// MaxRoutesPerTable is the most routes AWS allows in a VPC route table:
// the quota of non-propagated routes is 50 by default and can be raised
// to 1,000, no further.
const MaxRoutesPerTable = 1000

// routeQuota refuses a route table that lists more routes than any AWS
// account can hold. Such a table cannot be built, and it is what a runaway
// generated file looks like; the checks of the model go on. A route to a
// prefix list counts one here: the linter's quota-routes-per-table counts
// it at the list's size and reports the tables that the weighted count
// puts above the maximum.
func (v *validator) routeQuota(rt *RouteTable) {
	if n := len(rt.Routes); n > MaxRoutesPerTable {
		v.errorf(rt.Source.Field("routes"), ErrQuota, "route table %s lists %d routes; AWS allows at most %d in a table", rt.ID, n, MaxRoutesPerTable)
	}
}
