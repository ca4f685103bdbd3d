package solver

import "github.com/vpcreach/vpcreach/model"

// ClassPortsByAtom exposes classPortsByAtom, the reference ClassPorts and
// ClassPortsTouching (touched nil: every pair), to the tests of package
// solver_test.
func (s *Solver) ClassPortsByAtom(touched func(int) bool, opts AnalysisOptions, also ...model.Protocol) [][]PortCell {
	return s.classPortsByAtom(opts, touched, also)
}
