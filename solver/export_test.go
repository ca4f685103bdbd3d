package solver

// ClassPortsByAtom exposes classPortsByAtom, the reference ClassPorts, to
// the tests of package solver_test.
func (s *Solver) ClassPortsByAtom(opts AnalysisOptions) [][]PortCell {
	return s.classPortsByAtom(opts)
}
