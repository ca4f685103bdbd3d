package model_test

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
)

// topologyDir holds the example topologies: testdata/*.yaml must load
// cleanly, testdata/invalid/*.yaml must fail with the errors their
// "# want:" lines name.
const topologyDir = "../testdata"

// TestTopologiesLoad loads every valid topology in testdata/ and requires
// that it has no error. Warnings are logged, not failed.
func TestTopologiesLoad(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(topologyDir, "*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no topologies in %s", topologyDir)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			m, warnings, err := model.LoadFiles(f)
			require.NoError(t, err, "a valid topology must load without errors")
			require.NotNil(t, m)
			for _, w := range warnings {
				t.Log(w.Error())
			}
		})
	}
	// Ids are unique across the files, so any of them load together.
	t.Run("all files merged", func(t *testing.T) {
		_, _, err := model.LoadFiles(files...)
		require.NoError(t, err, "the topologies must load together: keep ids unique across testdata files")
	})
}

// TestInvalidTopologies loads every file in testdata/invalid/ and requires
// exactly one error per "# want: SUBSTRING" line of the file, each want
// matched by a distinct error, every error positioned in the file.
func TestInvalidTopologies(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(topologyDir, "invalid", "*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no invalid topologies in %s/invalid", topologyDir)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			wants := wantLines(data)
			require.NotEmpty(t, wants, "%s has no \"# want:\" line", f)

			m, _, err := model.LoadFiles(f)
			require.Error(t, err, "an invalid topology must not load")
			require.Nil(t, m)
			var diags model.Diagnostics
			require.True(t, errors.As(err, &diags), "LoadFiles error is %T, want model.Diagnostics", err)

			var got []string
			for _, d := range diags {
				require.Equal(t, model.SeverityError, d.Severity, "the error list holds only errors: %s", d.Error())
				require.Greater(t, d.Pos.Line, 0, "error without a line: %s", d.Error())
				require.Equal(t, f, d.Pos.File, "error names the wrong file: %s", d.Error())
				got = append(got, d.Error())
			}
			require.Len(t, got, len(wants), "want %d errors:\n  %s\ngot %d:\n  %s",
				len(wants), strings.Join(wants, "\n  "), len(got), strings.Join(got, "\n  "))
			require.True(t, matchDistinct(wants, got), "errors do not match the wants one to one:\nwant:\n  %s\ngot:\n  %s",
				strings.Join(wants, "\n  "), strings.Join(got, "\n  "))
		})
	}
}

// wantLines returns the substrings of the "# want: ..." comment lines.
func wantLines(data []byte) []string {
	var wants []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if w, ok := strings.CutPrefix(line, "# want:"); ok {
			wants = append(wants, strings.TrimSpace(w))
		}
	}
	return wants
}

// matchDistinct reports whether each want is a substring of a different
// error, by finding a perfect bipartite matching (the lists are short).
func matchDistinct(wants, got []string) bool {
	owner := make([]int, len(got)) // owner[j] = index of the want matched to got[j], or -1
	for j := range owner {
		owner[j] = -1
	}
	var try func(i int, seen []bool) bool
	try = func(i int, seen []bool) bool {
		for j, g := range got {
			if seen[j] || !strings.Contains(g, wants[i]) {
				continue
			}
			seen[j] = true
			if owner[j] < 0 || try(owner[j], seen) {
				owner[j] = i
				return true
			}
		}
		return false
	}
	for i := range wants {
		if !try(i, make([]bool, len(got))) {
			return false
		}
	}
	return true
}
