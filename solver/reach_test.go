package solver_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

var (
	networkOnce   sync.Once
	networkSolver *solver.Solver
)

// network returns a solver for testdata/network.yaml, built once.
func network(t testing.TB) *solver.Solver {
	networkOnce.Do(func() {
		m, _, err := model.LoadFiles("testdata/network.yaml")
		if err != nil {
			panic(err)
		}
		networkSolver, err = solver.New(m)
		if err != nil {
			panic(err)
		}
	})
	return networkSolver
}

func codes(r solver.Result) []string {
	var out []string
	for _, b := range r.Blockers {
		out = append(out, b.Leg.String()+":"+b.Code.String())
	}
	for _, w := range r.Warnings {
		out = append(out, "warning:"+w.Code.String())
	}
	return out
}

func describe(q solver.Query) string {
	switch {
	case q.Protocol.HasPorts():
		return fmt.Sprintf("Reach(%s -> %s %s/%d)", q.From, q.To, q.Protocol, q.Port)
	}
	return fmt.Sprintf("Reach(%s -> %s %s)", q.From, q.To, q.Protocol)
}

func explain(r solver.Result) string {
	var b strings.Builder
	for i, h := range r.Forward {
		fmt.Fprintf(&b, "\n  F%d %s %s %s %s %s", i+1, h.Kind, h.Component, h.Decision, h.Direction, h.Rule)
	}
	for i, h := range r.Return {
		fmt.Fprintf(&b, "\n  R%d %s %s %s %s %s", i+1, h.Kind, h.Component, h.Decision, h.Direction, h.Rule)
	}
	for _, x := range r.Blockers {
		fmt.Fprintf(&b, "\n  X %s %s", x.Code, x.Message)
	}
	return b.String()
}

type reachCase struct {
	rule, name string
	q          solver.Query
	want       solver.Verdict
	// codes lists the expected blockers ("forward:CODE", "return:CODE")
	// and warnings ("warning:CODE"), in order.
	codes []string
}

func tcp(from, to string, port uint16) solver.Query {
	return solver.Query{From: from, To: to, Protocol: model.ProtocolTCP, Port: port}
}

func runReachCases(t *testing.T, s *solver.Solver, cases []reachCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.rule+" "+c.name, func(t *testing.T) {
			r := s.Reach(c.q)
			require.NoError(t, r.Err)
			if r.Verdict != c.want || !slices.Equal(codes(r), c.codes) {
				t.Errorf("%s = %s %v, want %s %v%s", describe(c.q), r.Verdict, codes(r), c.want, c.codes, explain(r))
			}
		})
	}
}

const (
	reachable   = solver.VerdictReachable
	warned      = solver.VerdictReachableWithWarnings
	unreachable = solver.VerdictUnreachable
)

func TestReachWithinAVPC(t *testing.T) {
	s := network(t)
	runReachCases(t, s, []reachCase{
		{"S-32", "same subnet crosses no ACL", tcp("i-a-app", "i-a-app3", 443), reachable, nil},
		{"S-22", "group reference admits the app's own group", tcp("i-a-web", "i-a-app", 8080), reachable, nil},
		{"S-23", "no security group rule", tcp("i-a-web", "i-a-app", 9999), unreachable, []string{"forward:ENI_SG_RULES_MISMATCH"}},
		{"S-31", "ACL deny rule before the allow", tcp("i-a-app2", "i-a-db", 5432), unreachable, []string{"forward:SUBNET_ACL_RESTRICTION", "warning:ACL_PARTIAL_RETURN"}},
		{"S-33", "return open on part of the ephemeral range", tcp("i-a-app", "i-a-db", 5432), warned, []string{"warning:ACL_PARTIAL_RETURN"}},
		{"S-33", "Linux ephemeral range fits the return rule", solver.Query{From: "i-a-app", To: "i-a-db", Protocol: model.ProtocolTCP, Port: 5432, Ephemeral: model.PortRange{First: 32768, Last: 60999}}, reachable, nil},
		{"S-33", "return closed for a range the ACL does not open", solver.Query{From: "i-a-app", To: "i-a-db", Protocol: model.ProtocolTCP, Port: 5432, Ephemeral: model.PortRange{First: 1024, Last: 5000}}, unreachable, []string{"return:SUBNET_ACL_RESTRICTION"}},
		{"S-20", "default egress of a new group allows all", tcp("i-a-app", "i-a-web", 443), reachable, nil},
		{"S-21", "egress rule with a narrow destination", tcp("i-a-db", "i-a-app", 443), unreachable, []string{"forward:ENI_SG_RULES_MISMATCH"}},
		{"S-31", "every filter reported, not only the first", solver.Query{From: "i-a-app2", To: "i-a-db", Protocol: model.ProtocolTCP, Port: 5432, Ephemeral: model.PortRange{First: 1024, Last: 2000}},
			unreachable, []string{"forward:SUBNET_ACL_RESTRICTION", "return:SUBNET_ACL_RESTRICTION"}},
		{"S-23", "ACL and security group both block", tcp("i-a-inspected", "i-a-isolated", 22), reachable, nil},
		{"S-11", "no route needed inside the VPC on the isolated subnet", tcp("i-a-isolated", "i-a-app", 443), reachable, nil},
		{"S-14", "isolated subnet has no route out", tcp("i-a-isolated", "i-b", 443), unreachable, []string{"forward:NO_ROUTE_TO_DESTINATION"}},
		{"S-13", "blackhole route", tcp("i-a-app", "10.99.1.1", 443), unreachable, []string{"forward:BAD_STATE_ROUTE"}},
		{"", "stopped instance", tcp("i-a-app", "i-a-stopped", 443), unreachable, []string{"forward:INSTANCE_NOT_RUNNING"}},
		{"", "an address nobody holds", tcp("i-a-app", "10.0.1.99", 443), unreachable, []string{"forward:DESTINATION_NOT_FOUND"}},
		{"S-34", "the VPC resolver, not filtered by ACLs", solver.Query{From: "i-a-app", To: "10.0.0.2", Protocol: model.ProtocolUDP, Port: 53}, reachable, nil},
		{"S-34", "security groups do not filter the resolver either (EC2 user guide)", solver.Query{From: "i-a-db", To: "10.0.0.2", Protocol: model.ProtocolUDP, Port: 53}, reachable, nil},
		{"S-34", "instance metadata needs no route and passes every filter", tcp("i-a-db", "169.254.169.254", 80), reachable, nil},
		{"S-34", "Time Sync from an isolated subnet", solver.Query{From: "i-a-isolated", To: "169.254.169.123", Protocol: model.ProtocolUDP, Port: 123}, reachable, nil},
		{"S-34", "link-local resolver", solver.Query{From: "i-a-db", To: "169.254.169.253", Protocol: model.ProtocolUDP, Port: 53}, reachable, nil},
		{"S-34", "another VPC's resolver does not answer across peering", solver.Query{From: "i-b", To: "10.0.0.2", Protocol: model.ProtocolUDP, Port: 53}, unreachable, []string{"forward:DESTINATION_NOT_FOUND"}},
		{"S-20", "protocol all needs all-protocol rules", solver.Query{From: "i-a-app", To: "i-a-fw", Protocol: model.ProtocolAll}, reachable, nil},
		{"S-21", "protocol all is not allowed by a tcp rule", solver.Query{From: "i-a-app", To: "i-b", Protocol: model.ProtocolAll}, unreachable, []string{"forward:ENI_SG_RULES_MISMATCH"}},
		{"S-21", "icmp echo and its reply", solver.Query{From: "i-a-web", To: "i-a-app", Protocol: model.ProtocolICMP}, reachable, nil},
	})
}

func TestReachMiddleboxes(t *testing.T) {
	s := network(t)
	runReachCases(t, s, []reachCase{
		{"S-15", "through an appliance with the check off", tcp("i-a-app", "i-a-inspected", 443), reachable, nil},
		{"S-15", "through an appliance with the check on, and every other blocker", tcp("i-a-inspected", "i-a-db", 5432), unreachable,
			[]string{"forward:ENI_SOURCE_DEST_CHECK_RESTRICTION", "forward:ENI_SG_RULES_MISMATCH", "warning:ACL_PARTIAL_RETURN", "warning:APPLIANCE_ASYMMETRIC_ROUTING"}},
		{"S-15", "routing loop between two appliances", tcp("i-a-loop1", "10.50.0.1", 443), unreachable, []string{"forward:ROUTING_LOOP"}},
	})
}

func TestReachPeering(t *testing.T) {
	s := network(t)
	runReachCases(t, s, []reachCase{
		{"S-43", "active peering with routes both ways", tcp("i-a-app", "i-b", 443), reachable, nil},
		{"S-22", "group reference across a same-region peering", tcp("i-a-app", "i-b", 8443), reachable, nil},
		{"S-42", "no transit through the peer", tcp("i-a-app", "i-c", 443), unreachable, []string{"forward:PCX_REQUIRES_ADDRESS_IN_VPC_CIDR"}},
		{"S-40", "pending peering", tcp("i-a-app", "i-d", 443), unreachable, []string{"forward:BAD_STATE", "return:BAD_STATE"}},
		{"S-43", "no route back from the peer", tcp("i-c", "i-a-app", 443), unreachable, []string{"forward:PCX_REQUIRES_ADDRESS_IN_VPC_CIDR"}},
		{"S-42", "no internet through the peer's NAT gateway", tcp("i-b", "internet", 443), unreachable, []string{"forward:PCX_REQUIRES_ADDRESS_IN_VPC_CIDR"}},
		{"S-43", "udp across the peering", solver.Query{From: "i-a-app", To: "i-b", Protocol: model.ProtocolUDP, Port: 514}, unreachable, []string{"forward:ENI_SG_RULES_MISMATCH"}},
	})
}

func TestReachInternet(t *testing.T) {
	s := network(t)
	runReachCases(t, s, []reachCase{
		{"S-60", "public instance from the internet", tcp("internet", "i-a-web", 443), reachable, nil},
		{"S-60", "public instance by its public address", tcp("internet", "198.51.100.20", 443), reachable, nil},
		{"S-60", "ssh from an address the group does not name", tcp("internet", "i-a-web", 22), unreachable, []string{"forward:ENI_SG_RULES_MISMATCH"}},
		{"S-60", "ssh from the office range", tcp("203.0.113.5", "i-a-web", 22), reachable, nil},
		{"S-60", "private instance has no public address", tcp("internet", "i-a-app", 8080), unreachable, []string{"forward:NO_PUBLIC_ADDRESS"}},
		{"S-60", "public instance out to the internet", tcp("i-a-web", "internet", 443), reachable, nil},
		{"S-61", "private instance out through the NAT gateway", tcp("i-a-app", "internet", 443), reachable, nil},
		{"S-61", "NAT gateway accepts no inbound connection", tcp("internet", "203.0.113.10", 443), unreachable, []string{"forward:NGW_INBOUND_NOT_ALLOWED"}},
		{"S-60", "appliance subnet with a public route but no public address", tcp("i-a-fw", "internet", 443), unreachable, []string{"forward:IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"}},
		{"S-70", "S3 through the gateway endpoint", tcp("i-a-app", "52.218.1.1", 443), reachable, nil},
		{"S-33", "S3's response is denied by an ACL that opens ephemeral ports to the VPC only", tcp("i-a-db", "52.218.1.1", 443), unreachable, []string{"return:SUBNET_ACL_RESTRICTION"}},
		{"S-70", "gateway endpoint carries no udp", solver.Query{From: "i-a-app", To: "52.218.1.1", Protocol: model.ProtocolUDP, Port: 443}, unreachable, []string{"forward:VPCE_GATEWAY_PROTOCOL_RESTRICTION", "return:SUBNET_ACL_RESTRICTION"}},
		{"S-60", "RFC 1918 destination routed to the internet gateway", tcp("i-a-web", "172.31.0.5", 443), unreachable, []string{"forward:IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"}},
	})
}

func TestReachTransitGateway(t *testing.T) {
	s := network(t)
	runReachCases(t, s, []reachCase{
		{"S-52", "spoke to spoke by propagated routes", tcp("i-e", "i-f", 443), reachable, nil},
		{"S-51", "zone without an attachment subnet", tcp("i-f-1b", "i-e", 443), unreachable, []string{"forward:TGW_ROUTE_AZ_RESTRICTION"}},
		{"S-51", "response leaves through the zone of the responder", tcp("i-e-1b", "i-f", 443), reachable, nil},
		{"S-35", "attachment subnet ACL filters traffic to the gateway", tcp("i-e", "i-f", 443), reachable, nil},
		{"S-52", "blackhole route", tcp("i-e", "10.9.1.1", 443), unreachable, []string{"forward:TGW_RTB_BAD_STATE_ROUTE"}},
		{"S-50", "attachment without association", tcp("i-h", "i-e", 443), unreachable, []string{"forward:TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION"}},
		{"S-53", "centralised egress through a NAT in the hub VPC", tcp("i-e", "internet", 443), reachable, nil},
		{"S-54", "inter-region peering attachment with static routes", tcp("i-e", "i-w", 443), reachable, nil},
		{"S-22", "group reference across a transit gateway without referencing", tcp("i-f", "i-e", 9000), reachable, nil},
		{"", "VPN attachment to a branch", tcp("i-e", "branch", 443), reachable, nil},
	})
}

func TestReachVPN(t *testing.T) {
	s := network(t)
	runReachCases(t, s, []reachCase{
		{"S-13", "virtual private gateway to on-premises", tcp("i-a-app", "onprem", 443), reachable, nil},
		{"S-31", "on-premises blocked by the app subnet's ACL", tcp("onprem", "i-a-app", 443), unreachable, []string{"forward:SUBNET_ACL_RESTRICTION"}},
		{"S-43", "public subnet has no route back to on-premises", tcp("onprem", "i-a-web", 443), unreachable, []string{"return:IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"}},
	})
}

func TestInvalidQueries(t *testing.T) {
	s := network(t)
	for _, q := range []solver.Query{
		tcp("i-a-ap", "i-b", 443),
		tcp("10.99.1.1", "i-a-app", 443),
		{From: "i-a-app", To: "i-b", Protocol: model.ProtocolTCP},
		tcp("i-a-app", "vpc-a", 443),
	} {
		r := s.Reach(q)
		assert.Equal(t, solver.VerdictInvalidQuery, r.Verdict, describe(q))
		assert.ErrorIs(t, r.Err, solver.ErrInvalidQuery)
	}
	assert.Contains(t, s.Reach(tcp("i-a-ap", "i-b", 443)).Err.Error(), `did you mean "i-a-app"?`)
}

func TestTransitGatewayPathCrossesAttachmentSubnetACLs(t *testing.T) {
	// S-35: traffic between an instance and the gateway crosses the ACL of
	// the attachment subnet.
	r := network(t).Reach(tcp("i-e", "i-f", 443))
	require.Equal(t, solver.VerdictReachable, r.Verdict, explain(r))
	var acls []string
	for _, h := range r.Forward {
		if h.Kind == solver.HopNetworkACL {
			acls = append(acls, string(h.Component)+" "+h.Direction)
		}
	}
	assert.Equal(t, []string{"vpc-e/default-acl egress", "acl-e-tgw ingress", "vpc-f/default-acl egress", "vpc-f/default-acl ingress"}, acls)
}

func TestReachIsSafeForConcurrentUse(t *testing.T) {
	s := network(t)
	queries := []solver.Query{tcp("i-a-app", "i-b", 443), tcp("i-e", "internet", 443), tcp("internet", "i-a-web", 443), tcp("i-a-app2", "i-a-db", 5432)}
	want := make([]string, len(queries))
	for i, q := range queries {
		want[i] = s.Reach(q).Text()
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				q := queries[(g+i)%len(queries)]
				if got := s.Reach(q).Text(); got != want[(g+i)%len(queries)] {
					t.Errorf("concurrent Reach(%s) differs", q)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// BenchmarkReach measures single queries on the test topologies; the
// README reports them.
func BenchmarkReach(b *testing.B) {
	cases := []struct {
		name string
		s    func(testing.TB) *solver.Solver
		q    solver.Query
	}{
		{"same-vpc", network, tcp("i-a-app", "i-a-app2", 443)},
		{"peering", network, tcp("i-a-app", "i-b", 443)},
		{"acl-partial-return", network, tcp("i-a-app", "i-a-db", 5432)},
		{"tgw-centralised-egress", network, tcp("i-e", "internet", 443)},
		{"tgw-inter-region", network, tcp("i-e", "i-w", 443)},
		{"internet-inbound", network, tcp("internet", "i-a-web", 443)},
		{"nlb-over-peering", servicesNet, tcp("i-c", "10.30.1.5", 443)},
		{"privatelink", servicesNet, tcp("i-c", "vpce-c-api", 443)},
		{"dns-cname-alias-nlb", servicesNet, tcp("i-c", "www.corp.example", 443)},
	}
	for _, c := range cases {
		s := c.s(b)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s.Reach(c.q)
			}
		})
	}
}
