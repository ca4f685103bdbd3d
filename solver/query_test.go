package solver_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

func TestQueryValidate(t *testing.T) {
	tcp := func(from, to string) solver.Query {
		return solver.Query{From: from, To: to, Protocol: model.ProtocolTCP, Port: 443}
	}
	icmp := func(typ, code int) solver.Query {
		return solver.Query{From: "i-a", To: "i-b", Protocol: model.ProtocolICMP, ICMP: &model.ICMPMatch{Type: typ, Code: code}}
	}
	tests := []struct {
		name string
		q    solver.Query
		err  string // "" when valid
	}{
		{"an id and an address", tcp("i-a", "10.0.1.5"), ""},
		{"address at a VPC", tcp("10.0.1.5@vpc-a", "internet"), ""},
		{"a DNS name", tcp("i-a", "db.internal.example.com"), ""},
		{"a service name", tcp("i-a", "com.amazonaws.eu-west-1.s3"), ""},
		{"spaces around", tcp(" i-a ", " 10.0.1.5 "), ""},
		{"icmp with any code", icmp(3, -1), ""},

		{"an octet too big is no DNS name", tcp("i-a", "999.1.1.1"), `invalid query: "999.1.1.1" is not an IPv4 address (four numbers 0-255 separated by dots, such as 10.0.1.5)`},
		{"three octets", tcp("10.0.1", "i-b"), `invalid query: "10.0.1" is not an IPv4 address`},
		{"five octets", tcp("i-a", "1.2.3.4.5"), `invalid query: "1.2.3.4.5" is not an IPv4 address`},
		{"digits only", tcp("i-a", "443"), `invalid query: "443" is not an IPv4 address`},
		{"leading zeros", tcp("i-a", "010.0.0.1"), `invalid query: "010.0.0.1" is not an IPv4 address`},
		{"a bad address at a VPC", tcp("10.0.1.256@vpc-a", "i-b"), `invalid query: "10.0.1.256" is not an IPv4 address`},
		{"a malformed IPv6 literal", tcp("i-a", "2001:db8:::1"), `invalid query: "2001:db8:::1" is not an IP address`},
		{"an IPv4-mapped IPv6 address", tcp("::ffff:10.0.1.5", "i-b"), "invalid query: ::ffff:10.0.1.5 is an IPv4-mapped IPv6 address: write IPv4 addresses as IPv4"},
		{"a zone on IPv6", tcp("fe80::1%eth0", "i-b"), "invalid query: fe80::1%eth0 has a zone: VPC addresses have none"},
		{"a zone on IPv4", tcp("10.0.1.5%eth0", "i-b"), `invalid query: "10.0.1.5%eth0" is not an IPv4 address`},
		{"no VPC after @", tcp("10.0.1.5@", "i-b"), `invalid query: "10.0.1.5@" names no VPC after @ (ADDRESS@VPC-ID)`},
		{"a name at a VPC", tcp("i-a", "db.example.com@vpc-a"), `invalid query: "db.example.com@vpc-a": only an address takes @VPC-ID (ADDRESS@VPC-ID)`},
		{"empty", tcp("i-a", " "), "invalid query: empty endpoint"},
		{"no protocol", solver.Query{From: "i-a", To: "i-b"}, "invalid query: no protocol"},
		{"tcp without a port", solver.Query{From: "i-a", To: "i-b", Protocol: model.ProtocolTCP}, "invalid query: tcp needs a port"},
		{"a port with icmp", solver.Query{From: "i-a", To: "i-b", Protocol: model.ProtocolICMP, Port: 22}, "invalid query: port 22 applies to tcp and udp, not icmp"},
		{"a port with all", solver.Query{From: "i-a", To: "i-b", Protocol: model.ProtocolAll, Port: 22}, "invalid query: port 22 applies to tcp and udp, not all"},
		{"ICMP with udp", solver.Query{From: "i-a", To: "i-b", Protocol: model.ProtocolUDP, Port: 53, ICMP: &model.ICMPMatch{Type: 3}}, "invalid query: an ICMP type and code apply to icmp, not udp"},
		{"ICMP type too big", icmp(300, 0), "invalid query: ICMP type 300 is outside 0-255"},
		{"ICMP code too small", icmp(8, -2), "invalid query: ICMP code -2 is outside 0-255"},
		{"ephemeral from 0", solver.Query{From: "i-a", To: "i-b", Protocol: model.ProtocolTCP, Port: 22, Ephemeral: model.PortRange{First: 0, Last: 100}}, "invalid query: ephemeral range 0-100 is not within 1-65535"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.q.Validate()
			if tt.err == "" {
				require.NoError(t, err, "Validate(%s)", tt.q)
				return
			}
			require.Error(t, err, "Validate(%s)", tt.q)
			assert.ErrorIs(t, err, solver.ErrInvalidQuery)
			assert.Contains(t, err.Error(), tt.err)
		})
	}
}

// Reach answers an invalid query with VerdictInvalidQuery and the error of
// Validate, never with a verdict about a different question: 999.1.1.1 is
// not looked up as a DNS name (which made it "unreachable"), a port is
// not dropped, internet to internet is not "reachable".
func TestReachAnswersOnlyTheQuestionAsked(t *testing.T) {
	s := network(t)
	tests := []struct {
		name string
		q    solver.Query
		err  string
	}{
		{"999.1.1.1 as a destination", solver.Query{From: "i-a-app", To: "999.1.1.1", Protocol: model.ProtocolTCP, Port: 22}, `"999.1.1.1" is not an IPv4 address`},
		{"999.1.1.1 as a source", solver.Query{From: "999.1.1.1", To: "i-a-app", Protocol: model.ProtocolTCP, Port: 22}, `"999.1.1.1" is not an IPv4 address`},
		{"three octets", solver.Query{From: "i-a-app", To: "10.0.1", Protocol: model.ProtocolTCP, Port: 22}, `"10.0.1" is not an IPv4 address`},
		{"internet to internet", solver.Query{From: "internet", To: "internet", Protocol: model.ProtocolTCP, Port: 443},
			"invalid query: both ends are on the internet, outside every VPC: name an instance, network interface, address or external network for one of them"},
		{"a public host to the internet", solver.Query{From: "8.8.8.8", To: "internet", Protocol: model.ProtocolUDP, Port: 53}, "both ends are on the internet"},
		{"a port with icmp", solver.Query{From: "i-a-app", To: "i-a-db", Protocol: model.ProtocolICMP, Port: 22}, "port 22 applies to tcp and udp, not icmp"},
		{"ICMP type out of range", solver.Query{From: "i-a-app", To: "i-a-db", Protocol: model.ProtocolICMP, ICMP: &model.ICMPMatch{Type: 65544}}, "ICMP type 65544 is outside 0-255"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.Reach(tt.q)
			assert.Equal(t, solver.VerdictInvalidQuery, r.Verdict, "Reach(%s)", tt.q)
			require.Error(t, r.Err)
			assert.ErrorIs(t, r.Err, solver.ErrInvalidQuery)
			assert.Contains(t, r.Err.Error(), tt.err)
			assert.Empty(t, r.Forward, "no path for an invalid query")
		})
	}
	// The internet to a public instance, and an instance to the internet,
	// are questions.
	for _, q := range []solver.Query{
		{From: "internet", To: "i-a-web", Protocol: model.ProtocolTCP, Port: 443},
		{From: "i-a-app", To: "internet", Protocol: model.ProtocolTCP, Port: 443},
	} {
		assert.NotEqual(t, solver.VerdictInvalidQuery, s.Reach(q).Verdict, "Reach(%s): %v", q, s.Reach(q).Err)
	}
	// WhoCanReach checks the flow too.
	_, err := s.WhoCanReach(solver.Query{To: "i-a-db", Protocol: model.ProtocolICMP, Port: 5432}, solver.AnalysisOptions{})
	assert.ErrorIs(t, err, solver.ErrInvalidQuery)
	_, err = s.WhoCanReach(solver.Query{To: "999.1.1.1", Protocol: model.ProtocolTCP, Port: 5432}, solver.AnalysisOptions{})
	assert.ErrorIs(t, err, solver.ErrInvalidQuery)
}
