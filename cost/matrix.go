package cost

import (
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// Cell is what the paths behind one cell of a reachability matrix cost
// per GB: the least and the most over the class pairs the cell stands
// for (one at the instance level; at the subnet level, every pair of a
// class of the source subnet and a class of the destination subnet that
// reaches).
type Cell struct {
	// RequestMin and RequestMax bound the cost per GB sent.
	RequestMin, RequestMax Money
	// ResponseMin and ResponseMax bound the cost per GB answered.
	ResponseMin, ResponseMax Money
	// Pairs is the number of class pairs priced.
	Pairs int
}

// PriceMatrix prices every reachable cell of m, which s computed: the
// result's rows and columns follow m.Reach (out[i][k] prices the cell
// m.Nodes[i] -> m.Nodes[m.Reach[i][k]]). Interfaces of one class route
// alike, so one path per class pair, between the classes' first members,
// is asked (Reach) and priced (PricePath), and two members of a class for
// a class with itself; each class pair is asked once.
// Cost: one point query per class pair behind a reachable cell.
func PriceMatrix(s *solver.Solver, m solver.Matrix, t *Table) [][]Cell {
	classes := s.Classes()
	classOf := map[model.ID]int{}
	bySubnet := map[model.ID][]int{}
	for i, c := range classes {
		for _, id := range c.Members {
			classOf[id] = i
		}
		bySubnet[c.Subnet] = append(bySubnet[c.Subnet], i)
	}
	candidates := func(node model.ID) []int {
		if m.Level == solver.LevelSubnet {
			return bySubnet[node]
		}
		if i, ok := classOf[node]; ok {
			return []int{i}
		}
		return nil
	}
	type price struct {
		ok                bool
		request, response Money
	}
	memo := map[[2]int]price{}
	priced := func(a, b int) price {
		key := [2]int{a, b}
		if p, ok := memo[key]; ok {
			return p
		}
		q := m.Query
		q.From, q.To = string(classes[a].Members[0]), string(classes[b].Members[0])
		var p price
		if a == b {
			// Two members of one class.
			if len(classes[a].Members) < 2 {
				memo[key] = p
				return p
			}
			q.To = string(classes[a].Members[1])
		}
		if res := s.Reach(q); res.Reachable() {
			pp := PricePath(s, res, t)
			p = price{true, pp.Request.PerGB, pp.Response.PerGB}
		}
		memo[key] = p
		return p
	}
	out := make([][]Cell, len(m.Reach))
	for i, row := range m.Reach {
		out[i] = make([]Cell, len(row))
		for k, j := range row {
			c := &out[i][k]
			for _, a := range candidates(m.Nodes[i]) {
				for _, b := range candidates(m.Nodes[j]) {
					p := priced(a, b)
					if !p.ok {
						continue
					}
					if c.Pairs == 0 {
						c.RequestMin, c.RequestMax, c.ResponseMin, c.ResponseMax = p.request, p.request, p.response, p.response
					} else {
						c.RequestMin, c.RequestMax = min(c.RequestMin, p.request), max(c.RequestMax, p.request)
						c.ResponseMin, c.ResponseMax = min(c.ResponseMin, p.response), max(c.ResponseMax, p.response)
					}
					c.Pairs++
				}
			}
		}
	}
	return out
}
