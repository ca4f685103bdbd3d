package awsimport

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
)

// scope is where a file sits in the snapshot layout: the account and region
// its directory names, or that its data shows.
type scope struct {
	dir     string
	file    string // the first file read from the directory, for positions
	account string // from accounts/<id>/
	region  string // from <region>/, else inferred from the data, else DefaultRegion
	// fromLayout: the region was named by a directory.
	fromLayout bool
	// global: a directory named global (Route 53 and other global services).
	global bool
	// evidence counts the regions the data of the directory shows
	// (availability zones, ARNs).
	evidence map[string]int
}

var (
	regionPattern  = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
	accountPattern = regexp.MustCompile(`^[0-9]{12}$`)
)

// scopeOf reads a slash-separated directory path: .../accounts/ID/...,
// .../REGION/..., .../global/...
func scopeOf(dir string) *scope {
	s := &scope{dir: dir, evidence: map[string]int{}}
	parts := strings.Split(dir, "/")
	for i, p := range parts {
		switch {
		case p == "accounts" && i+1 < len(parts) && accountPattern.MatchString(parts[i+1]):
			s.account = parts[i+1]
		case regionPattern.MatchString(p):
			s.region, s.fromLayout = p, true
		case p == "global":
			s.global = true
		}
	}
	return s
}

// scopeFor returns the one scope of a directory, so that the region its
// files show is shared by all of them.
func (r *reader) scopeFor(dir string) *scope {
	if s, ok := r.scopes[dir]; ok {
		return s
	}
	s := scopeOf(dir)
	r.scopes[dir] = s
	r.scopeOrder = append(r.scopeOrder, dir)
	return s
}

// seeRegion records evidence of the region of a scope's data.
func (s *scope) seeRegion(region string) {
	if s.fromLayout && len(s.evidence) > 0 {
		return // one piece of evidence is enough to check the layout
	}
	if region != "" && regionPattern.MatchString(region) {
		s.evidence[region]++
	}
}

// seeAZ records an availability zone name (us-east-2b) as evidence.
func (s *scope) seeAZ(az string) {
	if s.fromLayout && len(s.evidence) > 0 {
		return // one piece of evidence is enough to check the layout
	}
	if r := regionOfAZ(az); r != "" {
		s.seeRegion(r)
	}
}

// seeARN records the region of an ARN (arn:aws:ec2:REGION:...).
func (s *scope) seeARN(arn string) {
	if s.fromLayout && len(s.evidence) > 0 {
		return // one piece of evidence is enough to check the layout
	}
	if r := regionOfARN(arn); r != "" {
		s.seeRegion(r)
	}
}

// regionOfAZ cuts the zone letter off a standard zone name.
func regionOfAZ(az string) string {
	if len(az) < 2 {
		return ""
	}
	r := az[:len(az)-1]
	if regionPattern.MatchString(r) {
		return r
	}
	return ""
}

func regionOfARN(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return ""
	}
	return parts[3]
}

func accountOfARN(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return ""
	}
	return parts[4]
}

// settle decides the region of every scope whose layout names none: the
// region its data shows most, else DefaultRegion. It reports what it
// decided.
func (r *reader) settle() {
	for _, dir := range r.scopeOrder {
		s := r.scopes[dir]
		if s.fromLayout || s.global {
			if s.fromLayout {
				for _, reg := range sortedKeys(s.evidence) {
					if reg != s.region {
						r.warnf(r.dirPos(dir), ErrInferred, "files under region directory %s hold data of region %s", s.region, reg)
						break
					}
				}
			}
			continue
		}
		regions := make([]string, 0, len(s.evidence))
		for reg := range s.evidence {
			regions = append(regions, reg)
		}
		slices.SortFunc(regions, func(a, b string) int {
			return cmp.Or(-cmp.Compare(s.evidence[a], s.evidence[b]), cmp.Compare(a, b))
		})
		switch {
		case len(regions) == 0:
			s.region = DefaultRegion
			r.notef(r.dirPos(dir), ErrInferred, "no region directory and no region in the data: assuming %s", DefaultRegion)
		default:
			s.region = regions[0]
			if len(regions) > 1 {
				r.warnf(r.dirPos(dir), ErrInferred, "files without a region directory hold data of several regions (%s); using %s, the most frequent: put each region in its own directory",
					strings.Join(regions, ", "), regions[0])
			} else {
				r.notef(r.dirPos(dir), ErrInferred, "region %s, from the availability zones and ARNs in the data", regions[0])
			}
		}
	}
}
