package model

// Suggest returns the candidate nearest to s by edit distance, if it is
// close enough to be a likely typo (at most a third of s's length, and at
// least 1, edits away), else "". Ties go to the earlier candidate.
func Suggest(s string, candidates []string) string {
	best, bestDist := "", len(s)/3+1
	if bestDist < 2 {
		bestDist = 2
	}
	for _, c := range candidates {
		if c == s {
			continue
		}
		if dist := editDistance(s, c, bestDist); dist < bestDist {
			best, bestDist = c, dist
		}
	}
	return best
}

// editDistance is the Levenshtein distance of a and b, or limit when it is
// at least limit.
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d >= limit || -d >= limit {
		return limit
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= limit {
			return limit
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], limit)
}
