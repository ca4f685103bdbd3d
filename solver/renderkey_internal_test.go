package solver

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRenderKeysTellFamiliesApart checks Exposure's keys of rendered
// sources: the same hits in either family, and hit lists of one family
// that the other's tag could prefix, all give distinct keys, so a target
// is never rendered with the other family's sources.
func TestRenderKeysTellFamiliesApart(t *testing.T) {
	cases := []struct {
		v6  bool
		hit []int
	}{
		{false, []int{6, 7}}, {true, []int{7}},
		{false, []int{4, 9}}, {true, []int{4, 9}}, {false, []int{9}},
		{true, []int{6, 7}}, {false, []int{7}}, {false, nil}, {true, nil},
		{false, []int{200, 3}}, {true, []int{200, 3}},
	}
	seen := map[string]int{}
	for i, c := range cases {
		k := string(renderKey(nil, c.v6, c.hit))
		if j, ok := seen[k]; ok {
			t.Fatalf("cases %d %v and %d %v share key %q", j, cases[j], i, c, k)
		}
		seen[k] = i
	}
	require.Len(t, seen, len(cases))
}
