package lint_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/lint"
	"github.com/vpcreach/vpcreach/model"
)

// wants reads the "# want: text" lines at the top of a test topology.
func wants(t *testing.T, path string) []string {
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		if w, ok := strings.CutPrefix(line, "# want: "); ok {
			out = append(out, strings.TrimSpace(w))
		}
	}
	return out
}

func runRule(t *testing.T, id, path string) []lint.Finding {
	t.Helper()
	m, _, err := model.LoadFiles(path)
	require.NoError(t, err)
	ignores, err := lint.ReadIgnores(path)
	require.NoError(t, err)
	fs, err := lint.Run(m, lint.Options{Only: []string{id}, Ignores: ignores})
	require.NoError(t, err)
	return fs
}

// TestEveryRuleFiresAndStaysQuiet runs each rule on a topology where it must
// fire (testdata/ID/fires.yaml, one "# want:" line per finding) and one
// where it must not (testdata/ID/clean.yaml).
func TestEveryRuleFiresAndStaysQuiet(t *testing.T) {
	for _, r := range lint.Rules() {
		t.Run(r.ID, func(t *testing.T) {
			fires := filepath.Join("testdata", r.ID, "fires.yaml")
			clean := filepath.Join("testdata", r.ID, "clean.yaml")
			want := wants(t, fires)
			require.NotEmpty(t, want, "%s needs # want: lines", fires)
			got := runRule(t, r.ID, fires)
			var msgs []string
			for _, f := range got {
				msgs = append(msgs, f.Message)
				assert.Equal(t, r.ID, f.Rule)
				assert.Equal(t, fires, f.Pos.File, "finding %q points at its file", f.Message)
				assert.Positive(t, f.Pos.Line, "finding %q points at a line", f.Message)
			}
			require.Len(t, got, len(want), "findings: %q", msgs)
			for _, w := range want {
				found := false
				for _, m := range msgs {
					if strings.Contains(m, w) {
						found = true
					}
				}
				assert.True(t, found, "no finding contains %q; got %q", w, msgs)
			}
			assert.Empty(t, runRule(t, r.ID, clean), "%s must not fire on %s", r.ID, clean)
		})
	}
}

func TestRulesAreDocumented(t *testing.T) {
	for _, r := range lint.Rules() {
		assert.Regexp(t, `^[a-z0-9]+(-[a-z0-9]+)+$`, r.ID)
		assert.NotEmpty(t, r.Title, r.ID)
		assert.Greater(t, len(r.Description), 40, r.ID)
		assert.NotEmpty(t, r.Fix, r.ID)
	}
}

func TestDisableSwitches(t *testing.T) {
	m, _, err := model.LoadFiles("testdata/sg-missing-description/fires.yaml")
	require.NoError(t, err)
	fs, err := lint.Run(m, lint.Options{Disable: []string{"sg-missing-description"}})
	require.NoError(t, err)
	for _, f := range fs {
		assert.NotEqual(t, "sg-missing-description", f.Rule)
	}
	_, err = lint.Run(m, lint.Options{Disable: []string{"sg-missing-descripton"}})
	require.ErrorContains(t, err, `did you mean "sg-missing-description"?`)

	// Per file.
	data, err := os.ReadFile("testdata/sg-missing-description/fires.yaml")
	require.NoError(t, err)
	m2, _, err := model.LoadBytes("f.yaml", append(data, []byte("lint: {disable: [sg-missing-description]}\n")...))
	require.NoError(t, err)
	fs, err = lint.Run(m2, lint.Options{})
	require.NoError(t, err)
	for _, f := range fs {
		assert.NotEqual(t, "sg-missing-description", f.Rule)
	}
}

func TestMissingReturnRouteLeavesStructuralCausesToTheirRules(t *testing.T) {
	// One finding per cause: a one-sided peering and a transit gateway
	// table without the route back are reported by their own rules; the
	// engine rule adds only what they cannot see, unless they are off.
	m, _, err := model.LoadFiles("testdata/missing-return-route/fires.yaml")
	require.NoError(t, err)
	rulesOf := func(opts lint.Options) []string {
		fs, err := lint.Run(m, opts)
		require.NoError(t, err)
		var got []string
		for _, f := range fs {
			got = append(got, f.Rule+" "+string(f.Component))
		}
		return got
	}
	assert.Equal(t, []string{"missing-return-route rtb-f", "peering-route-one-sided pcx-ab", "tgw-missing-return-route tgw-rtb-d"}, rulesOf(lint.Options{}))
	assert.Equal(t, []string{"missing-return-route rtb-b", "missing-return-route rtb-f", "tgw-missing-return-route tgw-rtb-d"},
		rulesOf(lint.Options{Disable: []string{"peering-route-one-sided"}}))
}
