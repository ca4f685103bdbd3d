package lint_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/lint"
	"github.com/vpcreach/vpcreach/model"
)

// TestRulesAreCopies changes the rules Rules and Lookup return, and checks
// that neither the registry nor a run changes with them.
func TestRulesAreCopies(t *testing.T) {
	const id = "acl-blocks-response"
	orig := lint.Lookup(id)
	require.NotNil(t, orig)
	want := *orig
	wantSemantics := append([]string(nil), orig.Semantics...)
	require.NotEmpty(t, wantSemantics)

	for _, r := range lint.Rules() {
		if r.ID == id {
			r.Severity, r.Title = model.SeverityNote, "changed"
			r.Semantics[0] = "changed"
		}
	}
	got := lint.Lookup(id)
	got.Semantics[0], got.Fix = "changed", "changed"

	again := lint.Lookup(id)
	assert.Equal(t, want.Severity, again.Severity)
	assert.Equal(t, want.Title, again.Title)
	assert.Equal(t, want.Fix, again.Fix)
	assert.Equal(t, wantSemantics, again.Semantics)

	fs := runRule(t, id, "testdata/"+id+"/fires.yaml")
	require.NotEmpty(t, fs)
	for _, f := range fs {
		assert.Equal(t, want.Severity, f.Severity, "%s", f)
	}
}
