package solver

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vpcreach/vpcreach/model"
)

// FuzzQueryEndpoints checks the reading of query ends (--from and --to:
// ids, addresses, ADDRESS@VPC, internet, names) on arbitrary text:
// parseEndpoint never panics, refuses with ErrInvalidQuery, and what it
// accepts reads back the same from its String; Validate refuses exactly
// what parseEndpoint refuses; Reach on testdata/network.yaml never
// panics, always gives a verdict, and answers an invalid query with the
// error Validate gives. The seed corpus is in
// testdata/fuzz/FuzzQueryEndpoints.
func FuzzQueryEndpoints(f *testing.F) {
	m, _, err := model.LoadFiles("testdata/network.yaml")
	if err != nil {
		f.Fatal(err)
	}
	s, err := New(m)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, from, to string) {
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				panic(fmt.Sprintf("WATCHDOG: Reach(%q -> %q) runs for more than 5s", from, to))
			}
		}()
		for _, spec := range []string{from, to} {
			checkEndpoint(t, spec)
		}
		q := Query{From: from, To: to, Protocol: model.ProtocolTCP, Port: 443}
		_, errFrom := parseEndpoint(from)
		_, errTo := parseEndpoint(to)
		verr := q.Validate()
		if (verr != nil) != (errFrom != nil || errTo != nil) {
			t.Fatalf("Validate(%q -> %q) = %v, but the ends parse with %v and %v", from, to, verr, errFrom, errTo)
		}
		r := s.Reach(q)
		switch {
		case r.Verdict == VerdictUnknown:
			t.Fatalf("Reach(%q -> %q): no verdict", from, to)
		case r.Verdict == VerdictInvalidQuery && !errors.Is(r.Err, ErrInvalidQuery):
			t.Fatalf("Reach(%q -> %q) is invalid with %v, which does not wrap ErrInvalidQuery", from, to, r.Err)
		case verr != nil && (r.Verdict != VerdictInvalidQuery || r.Err.Error() != verr.Error()):
			t.Fatalf("Reach(%q -> %q) = %s (%v), want invalid-query: %v", from, to, r.Verdict, r.Err, verr)
		}
		_ = r.Text()
	})
}

// checkEndpoint checks parseEndpoint on one text.
func checkEndpoint(t *testing.T, spec string) {
	t.Helper()
	ep, err := parseEndpoint(spec)
	if err != nil {
		if !errors.Is(err, ErrInvalidQuery) {
			t.Fatalf("parseEndpoint(%q): %v does not wrap ErrInvalidQuery", spec, err)
		}
		return
	}
	switch ep.kind {
	case endpointInternet:
		if ep.text != string(Internet) {
			t.Fatalf("parseEndpoint(%q) = internet, from %q", spec, ep.text)
		}
	case endpointAddress:
		if ep.addr.Is4In6() || ep.addr.Zone() != "" {
			t.Fatalf("parseEndpoint(%q) = the address %s, IPv4-mapped or zoned", spec, ep.addr)
		}
	case endpointName:
		if strings.Contains(ep.text, "@") || looksLikeAddress(ep.text) || ep.text == "" {
			t.Fatalf("parseEndpoint(%q) = the name %q, which is not one", spec, ep.text)
		}
	default:
		t.Fatalf("parseEndpoint(%q): kind %d", spec, ep.kind)
	}
	back, err := parseEndpoint(ep.String())
	if err != nil || back != ep && !(ep.kind == endpointAddress && back.addr == ep.addr && back.vpc == ep.vpc) {
		t.Fatalf("parseEndpoint(%q) = %+v, whose String %q reads back as %+v, %v", spec, ep, ep.String(), back, err)
	}
}
