package oracle_test

// knownClass is a class of disagreements between the engine and the
// oracle where the AWS rules say the oracle is right and the engine is
// being fixed. A disagreement belongs to the class exactly when the
// oracle, told to leave the rule out (oracle.Options.Skip, which applies
// the engine's older reading), gives the engine's answer.
type knownClass struct {
	// rule is the rule of aws-semantics.md (or the reading of it) the
	// engine does not implement yet.
	rule string
	// repro is the file in testdata/ with a minimal model whose
	// expectation is the oracle's (AWS's) answer.
	repro string
	// what says what the engine does instead.
	what string
}

var knownClasses = []knownClass{
	{rule: "S-15", repro: "", what: ""},
	{rule: "S-15/own-address", repro: "", what: ""},
	{rule: "S-16", repro: "", what: ""},
	{rule: "S-18", repro: "", what: ""},
	{rule: "S-22", repro: "", what: ""},
	{rule: "S-52", repro: "", what: ""},
	{rule: "S-60/primary-address", repro: "", what: ""},
}
