package reachtest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/reachtest"
	"github.com/vpcreach/vpcreach/solver"
)

// assertion is one call of an assertion on testdata/shop.yaml.
type assertion struct {
	name string
	call func(reachtest.TestingT, *solver.Solver) bool
	// want is the first line of the failure message, "" when the
	// assertion holds; contains are further lines it must hold.
	want     string
	contains []string
}

func TestAssertions(t *testing.T) {
	appDB22 := reachtest.TCP("i-app", "i-db", 22)
	appDB := reachtest.TCP("i-app", "i-db", 5432)
	appCache := reachtest.TCP("i-app", "i-cache", 6379)
	appOut := reachtest.TCP("i-app", "internet", 443)
	const appDB22Head = "Reach(i-app -> i-db tcp/22) = unreachable [SUBNET_ACL_RESTRICTION: acl-db, ENI_SG_RULES_MISMATCH: i-db], want "
	cases := []assertion{
		{name: "Reachable/holds", call: func(t reachtest.TestingT, s *solver.Solver) bool { return reachtest.Reachable(t, s, appDB) }},
		{name: "Reachable/holds with warnings", call: func(t reachtest.TestingT, s *solver.Solver) bool { return reachtest.Reachable(t, s, appCache) }},
		{name: "Reachable/icmp echo, its own type and code", call: func(t reachtest.TestingT, s *solver.Solver) bool {
			return reachtest.Reachable(t, s, reachtest.ICMP("i-web", "i-app", 8, 0))
		}},
		{name: "Reachable/fails with blockers and paths", call: func(t reachtest.TestingT, s *solver.Solver) bool { return reachtest.Reachable(t, s, appDB22) },
			want: appDB22Head + "reachable",
			contains: []string{
				"\n    forward: i-app -> sg-app -> rtb-app -> vpc-shop/default-acl -> acl-db (denied) -> sg-db (denied) -> i-db\n",
				"\n    return:  i-db -> rtb-main -> acl-db -> vpc-shop/default-acl -> i-app\n",
				"\n    forward path:\n       1.  instance ",
				"\n    blockers:\n      - SUBNET_ACL_RESTRICTION at acl-db (forward): network ACL acl-db of subnet sn-db denies the request",
				"\n      - ENI_SG_RULES_MISMATCH at i-db (forward): security groups [sg-db] of i-db allow no ingress tcp/22",
				"\n        at testdata/shop.yaml:44:9",
			}},
		{name: "Reachable/icmp type not allowed", call: func(t reachtest.TestingT, s *solver.Solver) bool {
			return reachtest.Reachable(t, s, reachtest.ICMP("i-web", "i-app", 13, 0))
		}, want: "Reach(i-web -> i-app icmp type 13 code 0) = unreachable [ENI_SG_RULES_MISMATCH: i-app], want reachable"},
		{name: "Reachable/udp", call: func(t reachtest.TestingT, s *solver.Solver) bool {
			return reachtest.Reachable(t, s, reachtest.UDP("i-app", "i-db", 53))
		},
			want: "Reach(i-app -> i-db udp/53) = unreachable [SUBNET_ACL_RESTRICTION: acl-db, ENI_SG_RULES_MISMATCH: i-db], want reachable"},
		{name: "Reachable/invalid query", call: func(t reachtest.TestingT, s *solver.Solver) bool {
			return reachtest.Reachable(t, s, reachtest.TCP("i-app", "i-dbb", 5432))
		}, want: "Reach(i-app -> i-dbb tcp/5432): invalid query: "},
		{name: "Reachable/no solver", call: func(t reachtest.TestingT, _ *solver.Solver) bool { return reachtest.Reachable(t, nil, appDB) },
			want: "reachtest: no solver (did Load fail?)"},

		{name: "ReachableWithoutWarnings/holds", call: func(t reachtest.TestingT, s *solver.Solver) bool {
			return reachtest.ReachableWithoutWarnings(t, s, appDB)
		}},
		{name: "ReachableWithoutWarnings/fails on warnings", call: func(t reachtest.TestingT, s *solver.Solver) bool {
			return reachtest.ReachableWithoutWarnings(t, s, appCache)
		}, want: "Reach(i-app -> i-cache tcp/6379) = reachable-with-warnings [ACL_PARTIAL_RETURN: acl-cache], want reachable without warnings",
			contains: []string{"\n    warnings:\n      - ACL_PARTIAL_RETURN at acl-cache (return): "}},
		{name: "ReachableWithoutWarnings/fails when unreachable", call: func(t reachtest.TestingT, s *solver.Solver) bool {
			return reachtest.ReachableWithoutWarnings(t, s, appDB22)
		}, want: appDB22Head + "reachable without warnings"},

		{name: "Unreachable/holds", call: func(t reachtest.TestingT, s *solver.Solver) bool { return reachtest.Unreachable(t, s, appDB22) }},
		{name: "Unreachable/fails with the path that lets it through", call: func(t reachtest.TestingT, s *solver.Solver) bool { return reachtest.Unreachable(t, s, appDB) },
			want: "Reach(i-app -> i-db tcp/5432) = reachable, want unreachable",
			contains: []string{
				"\n    forward: i-app -> sg-app -> rtb-app -> vpc-shop/default-acl -> acl-db -> sg-db -> i-db\n",
				"network-acl ingress     acl-db                allow    rule 100 allow tcp 5432 from 10.0.1.0/24  (testdata/shop.yaml:22:13)",
			}},
		{name: "Unreachable/an invalid query is not a no", call: func(t reachtest.TestingT, s *solver.Solver) bool {
			return reachtest.Unreachable(t, s, reachtest.TCP("i-app", "i-db", 0))
		}, want: "Reach(i-app -> i-db tcp/0): invalid query: invalid query: tcp needs a port"},

		{name: "BlockedByCode/holds for the ACL", call: func(t reachtest.TestingT, s *solver.Solver) bool {
			return reachtest.BlockedByCode(t, s, appDB22, solver.SubnetACLRestriction)
		}},
		{name: "BlockedByCode/holds for the group", call: func(t reachtest.TestingT, s *solver.Solver) bool {
			return reachtest.BlockedByCode(t, s, appDB22, solver.ENISGRulesMismatch)
		}},
		{name: "BlockedByCode/fails on another code", call: func(t reachtest.TestingT, s *solver.Solver) bool {
			return reachtest.BlockedByCode(t, s, appDB22, solver.NoRouteToDestination)
		}, want: appDB22Head + "unreachable, blocked by NO_ROUTE_TO_DESTINATION"},
		{name: "BlockedByCode/fails when reachable", call: func(t reachtest.TestingT, s *solver.Solver) bool {
			return reachtest.BlockedByCode(t, s, appDB, solver.SubnetACLRestriction)
		}, want: "Reach(i-app -> i-db tcp/5432) = reachable, want unreachable, blocked by SUBNET_ACL_RESTRICTION"},
		{name: "BlockedByCode/a warning is not a blocker", call: func(t reachtest.TestingT, s *solver.Solver) bool {
			return reachtest.BlockedByCode(t, s, appCache, solver.ACLPartialReturn)
		}, want: "Reach(i-app -> i-cache tcp/6379) = reachable-with-warnings [ACL_PARTIAL_RETURN: acl-cache], want unreachable, blocked by ACL_PARTIAL_RETURN"},
		{name: "BlockedByCode/needs a code", call: func(t reachtest.TestingT, s *solver.Solver) bool {
			return reachtest.BlockedByCode(t, s, appDB22, solver.CodeUnknown)
		}, want: "reachtest: BlockedByCode needs a code, such as solver.NoRouteToDestination"},

		{name: "BlockedByComponent/holds for the ACL", call: func(t reachtest.TestingT, s *solver.Solver) bool {
			return reachtest.BlockedByComponent(t, s, appDB22, "acl-db")
		}},
		{name: "BlockedByComponent/holds for the interface", call: func(t reachtest.TestingT, s *solver.Solver) bool {
			return reachtest.BlockedByComponent(t, s, appDB22, "i-db")
		}},
		{name: "BlockedByComponent/holds for the denying group", call: func(t reachtest.TestingT, s *solver.Solver) bool {
			return reachtest.BlockedByComponent(t, s, appDB22, "sg-db")
		}},
		{name: "BlockedByComponent/holds for a route table that drops", call: func(t reachtest.TestingT, s *solver.Solver) bool {
			return reachtest.BlockedByComponent(t, s, reachtest.TCP("i-db", "internet", 443), "rtb-main")
		}},
		{name: "BlockedByComponent/fails on a component that lets it pass", call: func(t reachtest.TestingT, s *solver.Solver) bool {
			return reachtest.BlockedByComponent(t, s, appDB22, "sg-app")
		}, want: appDB22Head + "unreachable, blocked at sg-app"},
		{name: "BlockedByComponent/fails when reachable", call: func(t reachtest.TestingT, s *solver.Solver) bool {
			return reachtest.BlockedByComponent(t, s, appDB, "acl-db")
		}, want: "Reach(i-app -> i-db tcp/5432) = reachable, want unreachable, blocked at acl-db"},

		{name: "PassesThrough/holds on the forward path", call: func(t reachtest.TestingT, s *solver.Solver) bool {
			return reachtest.PassesThrough(t, s, appOut, "nat-shop")
		}},
		{name: "PassesThrough/holds on the return path", call: func(t reachtest.TestingT, s *solver.Solver) bool {
			return reachtest.PassesThrough(t, s, appDB, "rtb-main")
		}},
		{name: "PassesThrough/fails on another path", call: func(t reachtest.TestingT, s *solver.Solver) bool {
			return reachtest.PassesThrough(t, s, reachtest.TCP("i-web", "internet", 443), "nat-shop")
		}, want: "Reach(i-web -> internet tcp/443) = reachable, want a path through nat-shop",
			contains: []string{"\n    forward: i-web -> sg-web -> rtb-public -> vpc-shop/default-acl -> igw-shop -> internet\n"}},
		{name: "PassesThrough/fails where the packet is denied", call: func(t reachtest.TestingT, s *solver.Solver) bool {
			return reachtest.PassesThrough(t, s, appDB22, "sg-db")
		}, want: appDB22Head + "a path through sg-db"},

		{name: "AssertReachable (deprecated)/icmp type in the port", call: func(t reachtest.TestingT, s *solver.Solver) bool {
			return reachtest.AssertReachable(t, s, "i-web", "i-app", "icmp", 8)
		}},
		{name: "AssertReachable (deprecated)/fails", call: func(t reachtest.TestingT, s *solver.Solver) bool {
			return reachtest.AssertReachable(t, s, "i-app", "i-db", "tcp", 22)
		}, want: appDB22Head + "reachable"},
		{name: "AssertReachable (deprecated)/unknown protocol", call: func(t reachtest.TestingT, s *solver.Solver) bool {
			return reachtest.AssertReachable(t, s, "i-app", "i-db", "tpc", 22)
		}, want: `reachtest: `},
		{name: "AssertUnreachable (deprecated)/holds", call: func(t reachtest.TestingT, s *solver.Solver) bool {
			return reachtest.AssertUnreachable(t, s, "i-app", "i-db", "tcp", 22)
		}},
		{name: "AssertUnreachable (deprecated)/fails", call: func(t reachtest.TestingT, s *solver.Solver) bool {
			return reachtest.AssertUnreachable(t, s, "i-app", "i-db", "tcp", 5432)
		}, want: "Reach(i-app -> i-db tcp/5432) = reachable, want unreachable"},
		{name: "ExpectationsHold/holds", call: func(t reachtest.TestingT, s *solver.Solver) bool { return reachtest.ExpectationsHold(t, s) }},
		{name: "AssertExpectations (deprecated)/holds", call: func(t reachtest.TestingT, s *solver.Solver) bool { return reachtest.AssertExpectations(t, s) }},
	}
	s := shop(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ft := newFakeT()
			held := c.call(ft, s)
			assert.False(t, ft.stopped, "a non-fatal assertion stopped the test")
			if c.want == "" {
				assert.True(t, held)
				assert.Empty(t, ft.errors)
				return
			}
			assert.False(t, held)
			require.Len(t, ft.errors, 1)
			if len(c.want) > 0 && c.want[len(c.want)-1] == ' ' {
				assert.Contains(t, firstLine(ft.errors[0]), c.want)
			} else {
				assert.Equal(t, c.want, firstLine(ft.errors[0]))
			}
			for _, want := range c.contains {
				assert.Contains(t, ft.errors[0], want)
			}
		})
	}
}

// The message's first line is the one the house style asks for, and the
// paths and blockers follow indented, so go test's own indentation keeps
// them under the failing line.
func TestFailureMessageLayout(t *testing.T) {
	s := shop(t)
	ft := newFakeT()
	reachtest.Reachable(ft, s, reachtest.TCP("i-web", "i-app", 22))
	require.Len(t, ft.errors, 1)
	want := `Reach(i-web -> i-app tcp/22) = unreachable [ENI_SG_RULES_MISMATCH: i-app], want reachable
    forward: i-web -> sg-web -> rtb-public -> vpc-shop/default-acl -> sg-app (denied) -> i-app
    return:  i-app -> rtb-app -> vpc-shop/default-acl -> i-web

    forward path:
       1.  instance                i-web                 send     i-web sends tcp/22 from 10.0.0.10 to 10.0.1.10  (testdata/shop.yaml:42:9)
       2.  security-group egress   sg-web                allow    default rule: allow all traffic to 0.0.0.0/0
       3.  route-table             rtb-public            route    10.0.0.0/16 -> local (local)
       4.  network-acl egress      vpc-shop/default-acl  allow    rule 100 allow all traffic (implicit default ACL)
       5.  network-acl ingress     vpc-shop/default-acl  allow    rule 100 allow all traffic (implicit default ACL)
       6.  security-group ingress  sg-app                deny     no rule of [sg-app] allows tcp/22 from 10.0.0.10 to 10.0.1.10
       7.  instance                i-app                 deliver  delivered to i-app (10.0.1.10) (continuing as if allowed)

    return path (continuing as if allowed):
       1.  instance             i-app                 send     i-app sends tcp/1024-65535 from 10.0.1.10 to 10.0.0.10  (testdata/shop.yaml:43:9)
       2.  route-table          rtb-app               route    10.0.0.0/16 -> local (local)
       3.  network-acl egress   vpc-shop/default-acl  allow    rule 100 allow all traffic (implicit default ACL)
       4.  network-acl ingress  vpc-shop/default-acl  allow    rule 100 allow all traffic (implicit default ACL)
       5.  instance             i-web                 deliver  delivered to i-web (10.0.0.10)

    blockers:
      - ENI_SG_RULES_MISMATCH at i-app (forward): security groups [sg-app] of i-app allow no ingress tcp/22 from 10.0.0.10 to 10.0.1.10
        at testdata/shop.yaml:43:9`
	assert.Equal(t, want, ft.errors[0])
}

func TestExpectationsHoldReportsEachFailure(t *testing.T) {
	yaml, err := readFile("testdata/shop.yaml")
	require.NoError(t, err)
	yaml += "  - {name: app reaches the cache over ssh, from: i-app, to: i-cache, protocol: tcp, port: 22, expect: reachable}\n"
	yaml += "  - {from: i-app, to: i-db, protocol: tcp, port: 5432, expect: unreachable}\n"
	s := reachtest.LoadString(t, yaml)
	for name, call := range map[string]func(reachtest.TestingT, *solver.Solver) bool{
		"ExpectationsHold":   reachtest.ExpectationsHold,
		"AssertExpectations": reachtest.AssertExpectations,
	} {
		t.Run(name, func(t *testing.T) {
			ft := newFakeT()
			assert.False(t, call(ft, s))
			require.Len(t, ft.errors, 2)
			assert.Equal(t, `expectation "app reaches the cache over ssh" at inline.yaml:49:5: Reach(i-app -> i-cache tcp/22) = unreachable [SUBNET_ACL_RESTRICTION: acl-cache, ENI_SG_RULES_MISMATCH: i-cache], want reachable`, firstLine(ft.errors[0]))
			assert.Contains(t, ft.errors[0], "\n    blockers:\n")
			assert.Equal(t, `expectation "i-app -> i-db tcp/5432" at inline.yaml:50:5: Reach(i-app -> i-db tcp/5432) = reachable, want unreachable`, firstLine(ft.errors[1]))
			assert.False(t, ft.stopped)
		})
	}
}

func TestLoad(t *testing.T) {
	t.Run("file", func(t *testing.T) {
		ft := newFakeT()
		s := reachtest.Load(ft, "testdata/shop.yaml")
		require.NotNil(t, s)
		assert.Empty(t, ft.errors)
		assert.Equal(t, model.ID("vpc-shop"), s.Model().VPCs[0].ID)
	})
	t.Run("missing file stops the test", func(t *testing.T) {
		ft := newFakeT()
		var s *solver.Solver
		assert.False(t, stops(func() { s = reachtest.Load(ft, "testdata/nope.yaml") }))
		assert.True(t, ft.stopped)
		assert.Nil(t, s)
		require.Len(t, ft.errors, 1)
		assert.Contains(t, ft.errors[0], "reachtest: ")
		assert.Contains(t, ft.errors[0], "testdata/nope.yaml")
	})
	t.Run("every error of an inline topology, one a line", func(t *testing.T) {
		ft := newFakeT()
		stops(func() {
			reachtest.LoadString(ft, "version: 1\nvpcs:\n  - {id: vpc-x, region: eu-west-1, cidr_blocks: [10.0.0.0/33]}\n  - {id: vpc-y, region: eu-west-1, cidr_blocks: [10.0.0.0/16], subnetz: []}\n")
		})
		assert.True(t, ft.stopped)
		require.Len(t, ft.errors, 1)
		assert.Regexp(t, `^reachtest: 2 errors:\n    inline\.yaml:3:\d+: .*10\.0\.0\.0/33.*\n    inline\.yaml:4:\d+: .*subnetz`, ft.errors[0])
	})
	t.Run("assert.TestingT without FailNow: nil, and the assertions say so", func(t *testing.T) {
		var e errorsOnly
		s := reachtest.LoadString(&e, "version: 1\nvpcs: [{id: x}]\n")
		assert.Nil(t, s)
		require.NotEmpty(t, e.errors)
		assert.False(t, reachtest.Reachable(&e, s, reachtest.TCP("a", "b", 1)))
		assert.Equal(t, "reachtest: no solver (did Load fail?)", e.errors[len(e.errors)-1])
		assert.False(t, reachtest.ExpectationsHold(&e, s))
	})
}

func TestTypedFlows(t *testing.T) {
	assert.Equal(t, solver.Query{From: "a", To: "b", Protocol: model.ProtocolTCP, Port: 443}, reachtest.TCP("a", "b", 443))
	assert.Equal(t, solver.Query{From: "a", To: "b", Protocol: model.ProtocolUDP, Port: 53}, reachtest.UDP("a", "b", 53))
	assert.Equal(t, solver.Query{From: "a", To: "b", Protocol: model.ProtocolICMP, ICMP: &model.ICMPMatch{Type: 3, Code: 4}}, reachtest.ICMP("a", "b", 3, 4))
	assert.Equal(t, "a -> b icmp type 3 code 4", reachtest.ICMP("a", "b", 3, 4).String())
}
