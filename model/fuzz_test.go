package model_test

import (
	"encoding"
	"fmt"
	"testing"

	"github.com/vpcreach/vpcreach/model"
)

// The parsers of user text must never panic, and what they parse must
// print (String) as text that parses back to the same value. Seed corpora
// are in testdata/fuzz/<FuzzName>/; run one with
// `go test ./model -run '^$' -fuzz '^FuzzParseCIDR$' -fuzztime 30s`.

func FuzzParseProtocol(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		p, err := model.ParseProtocol(s)
		if err != nil {
			return
		}
		if p == 0 {
			t.Fatalf("ParseProtocol(%q) = unset without an error", s)
		}
		q, err := model.ParseProtocol(p.String())
		if err != nil || q != p {
			t.Fatalf("ParseProtocol(%q) = %v, which prints as %q and parses back as %v, %v", s, p, p.String(), q, err)
		}
		textRoundTrip[model.Protocol](t, s)
	})
}

func FuzzParsePortRange(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		r, err := model.ParsePortRange(s)
		if err != nil {
			return
		}
		if r.First > r.Last {
			t.Fatalf("ParsePortRange(%q) = %d-%d, backwards", s, r.First, r.Last)
		}
		q, err := model.ParsePortRange(r.String())
		if err != nil || q != r {
			t.Fatalf("ParsePortRange(%q) = %v, which prints as %q and parses back as %v, %v", s, r, r.String(), q, err)
		}
		textRoundTrip[model.PortRange](t, s)
	})
}

func FuzzParseCIDR(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		p, err := model.ParseCIDR(s)
		if err != nil {
			return
		}
		if !p.Addr().Is4() || p.Masked() != p {
			t.Fatalf("ParseCIDR(%q) = %v, not an IPv4 CIDR with its host bits zero", s, p)
		}
		q, err := model.ParseCIDR(p.String())
		if err != nil || q != p {
			t.Fatalf("ParseCIDR(%q) = %v, which prints as %q and parses back as %v, %v", s, p, p.String(), q, err)
		}
	})
}

func FuzzParseAddr(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		a, err := model.ParseAddr(s)
		if err != nil {
			return
		}
		if !a.Is4() {
			t.Fatalf("ParseAddr(%q) = %v, not an IPv4 address", s, a)
		}
		b, err := model.ParseAddr(a.String())
		if err != nil || b != a {
			t.Fatalf("ParseAddr(%q) = %v, which prints as %q and parses back as %v, %v", s, a, a.String(), b, err)
		}
	})
}

// FuzzDestinationAndPeer covers the two CIDR-or-id values: route
// destinations and security group rule peers.
func FuzzDestinationAndPeer(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		var d model.Destination
		if d.UnmarshalText([]byte(s)) == nil && (d.CIDR.IsValid() == (d.PrefixList != "")) {
			t.Fatalf("Destination %q decodes to %#v: want exactly one of CIDR and PrefixList", s, d)
		}
		var p model.Peer
		if p.UnmarshalText([]byte(s)) == nil && (p.CIDR.IsValid() == (p.Ref != "")) {
			t.Fatalf("Peer %q decodes to %#v: want exactly one of CIDR and Ref", s, p)
		}
		textRoundTrip[model.Destination](t, s)
		textRoundTrip[model.Peer](t, s)
	})
}

// FuzzEnums covers every enum type of the format.
func FuzzEnums(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		textRoundTrip[model.RouteState](t, s)
		textRoundTrip[model.ACLAction](t, s)
		textRoundTrip[model.PeeringStatus](t, s)
		textRoundTrip[model.AttachmentType](t, s)
		textRoundTrip[model.AttachmentState](t, s)
		textRoundTrip[model.NATConnectivity](t, s)
		textRoundTrip[model.EndpointType](t, s)
		textRoundTrip[model.EndpointState](t, s)
		textRoundTrip[model.LoadBalancerType](t, s)
		textRoundTrip[model.Scheme](t, s)
		textRoundTrip[model.ListenerProtocol](t, s)
		textRoundTrip[model.TargetType](t, s)
		textRoundTrip[model.TargetHealth](t, s)
		textRoundTrip[model.RecordType](t, s)
		textRoundTrip[model.Expect](t, s)
		textRoundTrip[model.InstanceState](t, s)
		textRoundTrip[model.IPAddressType](t, s)
		textRoundTrip[model.DNSRecordIPType](t, s)
	})
}

// textRoundTrip checks that a value T decoded from s (UnmarshalText)
// prints (String) as text that decodes to the same value.
func textRoundTrip[T interface {
	comparable
	fmt.Stringer
}, P interface {
	*T
	encoding.TextUnmarshaler
}](t *testing.T, s string) {
	t.Helper()
	var v T
	if P(&v).UnmarshalText([]byte(s)) != nil {
		return
	}
	var w T
	if err := P(&w).UnmarshalText([]byte(v.String())); err != nil || w != v {
		t.Fatalf("%T %q decodes to %v, which prints as %q and decodes back as %v, %v", v, s, v, v.String(), w, err)
	}
}
