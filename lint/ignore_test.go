package lint_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/lint"
	"github.com/vpcreach/vpcreach/model"
)

// lintWithIgnores loads topology files given inline and lints them with
// their vpcreach:ignore comments; it returns "rule component line" per
// finding.
func lintWithIgnores(t *testing.T, opts lint.Options, files ...string) []string {
	t.Helper()
	var ms []*model.Model
	for i, src := range files {
		name := []string{"a.yaml", "b.yaml"}[i]
		m, err := model.Parse(name, []byte(src))
		require.NoError(t, err)
		ms = append(ms, m)
		igs, err := lint.ParseIgnores(name, []byte(src))
		require.NoError(t, err)
		opts.Ignores = append(opts.Ignores, igs...)
	}
	m := model.Merge(ms...)
	require.NoError(t, model.Validate(m).Err())
	fs, err := lint.Run(m, opts)
	require.NoError(t, err)
	var got []string
	for _, f := range fs {
		got = append(got, strings.Join(strings.Fields(f.Rule+" "+string(f.Component)+" "+f.Pos.String()), " "))
	}
	return got
}

const ignoredGroups = `version: 1
vpcs:
  - id: vpc-a
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    security_groups:
      # vpcreach:ignore sg-missing-description legacy group, owned by team X
      # (a second comment line may follow)
      - id: sg-above
        ingress:
          - {protocol: tcp, ports: 443, sources: [10.0.0.0/8]}
      - {id: sg-end-of-line} # vpcreach:ignore sg-missing-description
      - {id: sg-kept}
      # vpcreach:ignore sg-missing-description,acl-rule-shadowed two rules at once
      - {id: sg-two-rules}
`

// TestIgnoreCommentDropsFindingsInItsResource: a comment on the line above
// a resource, or at the end of its line, drops the named rule's findings
// located in that resource, and no other.
func TestIgnoreCommentDropsFindingsInItsResource(t *testing.T) {
	got := lintWithIgnores(t, lint.Options{Only: []string{"sg-missing-description", "unused-ignore"}}, ignoredGroups)
	assert.Equal(t, []string{"sg-missing-description sg-kept a.yaml:13:9"}, got)

	// Without the comments, all four are found: the comments did it.
	m, err := model.Parse("a.yaml", []byte(ignoredGroups))
	require.NoError(t, err)
	fs, err := lint.Run(m, lint.Options{Only: []string{"sg-missing-description"}})
	require.NoError(t, err)
	assert.Len(t, fs, 4)
}

// TestUnusedIgnoresAreReported: a comment whose rule ran and found nothing
// in its resource is reported, so that stale ignores surface; one whose
// rule did not run is not judged.
func TestUnusedIgnoresAreReported(t *testing.T) {
	stale := strings.Replace(ignoredGroups, "- id: sg-above", "- id: sg-above\n        description: now described", 1)
	got := lintWithIgnores(t, lint.Options{Only: []string{"sg-missing-description", "unused-ignore"}}, stale)
	assert.Equal(t, []string{"unused-ignore a.yaml:7:7", "sg-missing-description sg-kept a.yaml:14:9"}, got)

	m, err := model.Parse("a.yaml", []byte(stale))
	require.NoError(t, err)
	igs, err := lint.ParseIgnores("a.yaml", []byte(stale))
	require.NoError(t, err)
	fs, err := lint.Run(m, lint.Options{Only: []string{"sg-missing-description", "unused-ignore"}, Ignores: igs})
	require.NoError(t, err)
	require.Len(t, fs, 2)
	assert.Equal(t, "vpcreach:ignore sg-missing-description drops no finding: rule sg-missing-description finds nothing in the resource on line 9; remove the comment", fs[0].Message)
	assert.Equal(t, model.SeverityWarning, fs[0].Severity)

	// acl-rule-shadowed did not run (--only): its half of the comment on
	// sg-two-rules is not judged. When it runs, it is.
	got = lintWithIgnores(t, lint.Options{Only: []string{"sg-missing-description", "acl-rule-shadowed", "unused-ignore"}}, ignoredGroups)
	assert.Equal(t, []string{"sg-missing-description sg-kept a.yaml:13:9", "unused-ignore a.yaml:14:7"}, got)

	// A rule switched off is not judged; unused-ignore can be switched off.
	assert.Equal(t, []string{"sg-missing-description sg-kept a.yaml:14:9"},
		lintWithIgnores(t, lint.Options{Only: []string{"sg-missing-description"}}, stale))
	assert.Empty(t, lintWithIgnores(t, lint.Options{Only: []string{"unused-ignore"}}, stale))
	assert.Empty(t, lintWithIgnores(t, lint.Options{Only: []string{"sg-missing-description", "unused-ignore"}},
		stale+"lint: {disable: [sg-missing-description]}\n"))
}

// TestIgnoreCommentStaysInItsFile: in a network of several files, a
// comment covers a resource of its own file only.
func TestIgnoreCommentStaysInItsFile(t *testing.T) {
	b := `version: 1
vpcs:
  - id: vpc-b
    region: eu-west-1
    cidr_blocks: [10.1.0.0/16]
    security_groups:
      - {id: sg-b-kept}
`
	got := lintWithIgnores(t, lint.Options{Only: []string{"sg-missing-description", "unused-ignore"}}, ignoredGroups, b)
	assert.Equal(t, []string{"sg-missing-description sg-kept a.yaml:13:9", "sg-missing-description sg-b-kept b.yaml:7:9"}, got)
}

// TestIgnoreCommentResource pins what "the resource" of a comment is: the
// node that begins first on the line the comment applies to, a list item
// (with everything under it) or a key with its value.
func TestIgnoreCommentResource(t *testing.T) {
	src := `version: 1   # vpcreach:ignore r-top
vpcs:
  - id: vpc-a
    # vpcreach:ignore r-list-item
    security_groups:
      - id: sg-a
        description: "not # vpcreach:ignore r-in-string"
        # vpcreach:ignore r-key
        ingress: [{protocol: tcp, ports: 22}, {protocol: tcp, ports: 23}]
        egress:
          # vpcreach:ignore r-flow-item
          - {protocol: tcp, ports: 443}
          - {protocol: tcp, ports: 80} # vpcreach:ignore r-end-of-line
        notes: |
          # vpcreach:ignore r-in-block-scalar
    cidr_blocks:
      - 10.0.0.0/16 # vpcreach:ignore r-scalar-item
    # vpcreach:ignore r-before-blank

    subnets: []
`
	igs, err := lint.ParseIgnores("f.yaml", []byte(src))
	require.NoError(t, err)
	type span struct {
		rule              string
		line, start, end  int
		covers, notCovers []model.Position
	}
	at := func(line, col int) model.Position { return model.Position{File: "f.yaml", Line: line, Column: col} }
	want := []span{
		// The top mapping is no resource: version's line only.
		{"r-top", 1, 1, 1, []model.Position{at(1, 10)}, []model.Position{at(3, 5)}},
		// The key security_groups and its whole value.
		{"r-list-item", 4, 5, 14, []model.Position{at(6, 9), at(9, 37), at(12, 13)}, []model.Position{at(3, 5), at(17, 9)}},
		// The key ingress with both rules written on its line.
		{"r-key", 8, 9, 9, []model.Position{at(9, 18), at(9, 48)}, []model.Position{at(6, 9), at(10, 9)}},
		// One rule of a list: that rule only.
		{"r-flow-item", 11, 12, 12, []model.Position{at(12, 13), at(12, 36)}, []model.Position{at(13, 13)}},
		{"r-end-of-line", 13, 13, 13, []model.Position{at(13, 13)}, []model.Position{at(12, 13)}},
		{"r-scalar-item", 17, 17, 17, []model.Position{at(17, 9)}, []model.Position{at(16, 5)}},
		// A blank line between: no resource.
		{"r-before-blank", 18, 0, 0, nil, []model.Position{at(20, 5)}},
	}
	require.Len(t, igs, len(want), "ignores: %+v", igs)
	for i, w := range want {
		ig := igs[i]
		assert.Equal(t, []string{w.rule}, ig.Rules)
		assert.Equal(t, w.line, ig.Pos.Line, w.rule)
		assert.Equal(t, [2]int{w.start, w.end}, [2]int{ig.Start, ig.End}, "%s: lines covered", w.rule)
		for _, p := range w.covers {
			assert.True(t, ig.Covers(p), "%s covers %s", w.rule, p)
		}
		for _, p := range w.notCovers {
			assert.False(t, ig.Covers(p), "%s does not cover %s", w.rule, p)
		}
		assert.False(t, ig.Covers(model.Position{File: "g.yaml", Line: w.start, Column: 1}), "another file")
	}
	assert.Equal(t, 40, igs[4].Pos.Column, "column of # at the end of a line")
}

func TestIgnoreCommentReason(t *testing.T) {
	igs, err := lint.ParseIgnores("f.yaml", []byte("version: 1\n#vpcreach:ignore a,b  legacy: see NET-42\nvpcs: []\n"))
	require.NoError(t, err)
	require.Len(t, igs, 1)
	assert.Equal(t, []string{"a", "b"}, igs[0].Rules)
	assert.Equal(t, "legacy: see NET-42", igs[0].Reason)
	assert.Equal(t, model.Position{File: "f.yaml", Line: 2, Column: 1}, igs[0].Pos)

	_, err = lint.ParseIgnores("f.yaml", []byte("a: [b # vpcreach:ignore x\n"))
	assert.Error(t, err)
	igs, err = lint.ParseIgnores("f.yaml", []byte("a: [b\n"))
	assert.NoError(t, err, "a file without ignore comments is not parsed")
	assert.Empty(t, igs)
}
