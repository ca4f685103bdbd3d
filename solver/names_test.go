package solver_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// namesTopology: one VPC whose resources carry names (Name tags, a load
// balancer's name), two instances that share one, and an instance named
// after another's id.
const namesTopology = `version: 1
vpcs:
  - id: vpc-a
    name: fish-vpc
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    vpn_gateway: vgw-a
    subnets:
      - {id: sn-a, name: fish-subnet, az: eu-west-1a, cidr_block: 10.0.1.0/24}
      - {id: sn-b, az: eu-west-1a, cidr_block: 10.0.2.0/24}
    route_tables: [{id: rtb-a, main: true, routes: [{destination: 192.168.0.0/16, target: vgw-a}]}]
    security_groups:
      - {id: sg-web, name: web, description: web, ingress: [{protocol: tcp, ports: 443, sources: [10.0.0.0/8, 192.168.0.0/16]}]}
      - {id: sg-db, name: db, description: db, ingress: [{protocol: tcp, ports: 5432, sources: [sg-web]}]}
      - {id: sg-lb, description: lb, ingress: [{protocol: tcp, ports: 443, sources: [10.0.0.0/16]}]}
    instances:
      - {id: i-web1, name: fish-web01, subnet: sn-a, private_ip: 10.0.1.10, security_groups: [sg-web]}
      - {id: i-web2, name: i-web3, subnet: sn-a, private_ip: 10.0.1.11, security_groups: [sg-web]}
      - {id: i-web3, name: fish-web03, subnet: sn-a, private_ip: 10.0.1.12, security_groups: [sg-web]}
      - {id: i-db, name: fish-db, subnet: sn-b, private_ip: 10.0.2.20, security_groups: [sg-db]}
      - {id: i-twin1, name: twin, subnet: sn-a, private_ip: 10.0.1.30}
    network_interfaces:
      - {id: eni-twin2, name: twin, subnet: sn-a, private_ip: 10.0.1.31}
      - {id: eni-tools, name: fish-tools, subnet: sn-a, private_ip: 10.0.1.32, security_groups: [sg-web]}
    load_balancers:
      - {id: nlb-web, name: fish-lb, type: network, scheme: internal, subnets: [sn-a], private_ips: [10.0.1.5], security_groups: [sg-lb],
         listeners: [{protocol: tcp, port: 443, target_group: tg-web}]}
    target_groups:
      - {id: tg-web, target_type: instance, protocol: tcp, port: 443, targets: [{id: i-web1}]}
external_networks:
  - {id: onprem, name: office, cidrs: [192.168.0.0/16], via: vgw-a}
`

// TestQueryByName: a query end may be the name of an instance, network
// interface, load balancer or external network; it answers as the id does.
func TestQueryByName(t *testing.T) {
	s := load(t, namesTopology)
	tests := []struct {
		name     string
		byName   solver.Query
		byID     solver.Query
		wantVerd solver.Verdict
	}{
		{"instance to instance", tcp("fish-web01", "fish-db", 5432), tcp("i-web1", "i-db", 5432), solver.VerdictReachable},
		{"network interface", tcp("fish-tools", "fish-db", 5432), tcp("eni-tools", "i-db", 5432), solver.VerdictReachable},
		{"load balancer by its name", tcp("fish-tools", "fish-lb", 443), tcp("eni-tools", "nlb-web", 443), solver.VerdictReachable},
		{"external network", tcp("office", "fish-web03", 443), tcp("onprem", "i-web3", 443), solver.VerdictReachable},
		{"surrounding space aside", tcp(" fish-web01 ", "fish-db", 5432), tcp("i-web1", "i-db", 5432), solver.VerdictReachable},
		{"a blocked flow", tcp("fish-db", "fish-web01", 22), tcp("i-db", "i-web1", 22), solver.VerdictUnreachable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, want := s.Reach(tt.byName), s.Reach(tt.byID)
			require.NoError(t, got.Err)
			require.Equal(t, tt.wantVerd, got.Verdict, "Reach(%s) = %s%s", tt.byName, got.Verdict, explain(got))
			assert.Equal(t, want.Forward, got.Forward, "the name walks the id's path")
			assert.Equal(t, want.Return, got.Return)
			assert.Equal(t, want.Blockers, got.Blockers)
			assert.Equal(t, tt.byName, got.Query, "the result keeps the query as written")
		})
	}
}

func TestQueryByNameIdWins(t *testing.T) {
	// i-web2 is named "i-web3", the id of another instance: the id wins.
	s := load(t, namesTopology)
	r := s.Reach(tcp("i-web3", "i-db", 5432))
	require.Equal(t, solver.VerdictReachable, r.Verdict, explain(r))
	assert.Equal(t, model.ID("i-web3"), r.Forward[0].Component)
	assert.Equal(t, "fish-web03", r.Forward[0].Name)
}

func TestQueryByNameErrors(t *testing.T) {
	s := load(t, namesTopology)
	tests := []struct {
		name string
		q    solver.Query
		want string
		is   error
	}{
		{"an ambiguous source lists the candidates", tcp("twin", "i-db", 5432),
			`invalid query: "twin" is the name of 2 resources: network interface eni-twin2, instance i-twin1; write the id of the one you mean`, model.ErrAmbiguousName},
		{"an ambiguous destination too", tcp("i-web1", "twin", 22),
			`invalid query: "twin" is the name of 2 resources: network interface eni-twin2, instance i-twin1; write the id of the one you mean`, model.ErrAmbiguousName},
		{"a load balancer's name is no source", tcp("fish-lb", "i-db", 5432),
			`invalid query: nlb-web is a load balancer or endpoint; as a source, name an instance, network interface, address, internet or external network ("fish-lb" is the name of nlb-web)`, solver.ErrInvalidQuery},
		{"a VPC's name names no endpoint", tcp("fish-vpc", "i-db", 5432),
			`invalid query: "fish-vpc" is not an id, address or name this model knows`, solver.ErrInvalidQuery},
		{"a misspelt name gets a suggestion", tcp("fish-web1", "i-db", 5432),
			`invalid query: "fish-web1" is not an id, address or name this model knows (did you mean "fish-web01"?)`, solver.ErrInvalidQuery},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.Reach(tt.q)
			require.Equal(t, solver.VerdictInvalidQuery, r.Verdict, explain(r))
			assert.EqualError(t, r.Err, tt.want)
			assert.ErrorIs(t, r.Err, solver.ErrInvalidQuery)
			assert.ErrorIs(t, r.Err, tt.is)
		})
	}
}

func TestWhoCanReachByName(t *testing.T) {
	s := load(t, namesTopology)
	byName, err := s.WhoCanReach(tcp("", "fish-db", 5432), solver.AnalysisOptions{})
	require.NoError(t, err)
	byID, err := s.WhoCanReach(tcp("", "i-db", 5432), solver.AnalysisOptions{})
	require.NoError(t, err)
	require.NotEmpty(t, byID.Classes)
	assert.Equal(t, byID.Classes, byName.Classes)

	_, err = s.WhoCanReach(tcp("", "twin", 22), solver.AnalysisOptions{})
	assert.ErrorIs(t, err, model.ErrAmbiguousName)
}

func TestExpectationsByName(t *testing.T) {
	y := namesTopology + `expectations:
  - {name: web reaches db, from: fish-web01, to: fish-db, protocol: tcp, port: 5432, expect: reachable}
  - {name: office reaches the load balancer, from: office, to: fish-lb, protocol: tcp, port: 443, expect: unreachable}
`
	s := load(t, y)
	for _, o := range s.Check() {
		assert.True(t, o.Held, o.Explain())
	}

	_, _, err := model.LoadBytes("t.yaml", []byte(namesTopology+`expectations:
  - {from: twin, to: fish-db, protocol: tcp, port: 5432, expect: reachable}
`))
	require.Error(t, err)
	assert.ErrorIs(t, err, model.ErrAmbiguousName)
	assert.EqualError(t, err, `t.yaml:33:12: expectations[0].from: "twin" is the name of 2 resources: network interface eni-twin2, instance i-twin1; write the id of the one you mean`)
}

// TestTextShowsNames: paths and blockers show "id (name)"; JSON keeps the
// id in component and adds name.
func TestTextShowsNames(t *testing.T) {
	s := load(t, namesTopology)
	r := s.Reach(tcp("fish-db", "fish-web01", 22))
	require.Equal(t, solver.VerdictUnreachable, r.Verdict)
	text := r.Text()
	assert.Contains(t, text, "unreachable: fish-db -> fish-web01 tcp/22\n")
	assert.Regexp(t, `\n   1\.  instance +i-db \(fish-db\) +send +i-db sends tcp/22`, text)
	assert.Regexp(t, `\n   2\.  security-group egress +sg-db \(db\) +allow`, text)
	assert.Regexp(t, `security-group ingress +sg-web \(web\) +deny`, text)
	assert.Contains(t, text, "  - ENI_SG_RULES_MISMATCH at i-web1 (fish-web01) (forward): ")
	assert.Regexp(t, `route-table +rtb-a +route`, text, "a component without a name shows its id alone")

	b, err := json.Marshal(r)
	require.NoError(t, err)
	var back struct {
		Forward []map[string]any `json:"forward_path"`
		Block   []map[string]any `json:"blockers"`
	}
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, "i-db", back.Forward[0]["component"])
	assert.Equal(t, "fish-db", back.Forward[0]["name"])
	assert.Equal(t, "i-web1", back.Block[0]["component"])
	assert.Equal(t, "fish-web01", back.Block[0]["name"])
	for _, h := range back.Forward {
		if h["component"] == "rtb-a" {
			assert.NotContains(t, h, "name", "no name key for a component without one")
		}
	}
}

// TestTextMarksHopsAfterADeny: the walk goes on past a deny to find every
// blocker; the text says so on each hop that follows, and on the return
// path of a blocked request, so that nobody reads them as delivered.
func TestTextMarksHopsAfterADeny(t *testing.T) {
	s := load(t, namesTopology)
	r := s.Reach(tcp("fish-db", "fish-web01", 22))
	require.Equal(t, solver.VerdictUnreachable, r.Verdict)
	lines := strings.Split(r.Text(), "\n")
	var forward []string
	returnTitle := ""
	for i, l := range lines {
		if l == "forward path:" {
			for _, h := range lines[i+1:] {
				if h == "" {
					break
				}
				forward = append(forward, h)
			}
		}
		if strings.HasPrefix(l, "return path") {
			returnTitle = l
		}
	}
	deny := -1
	for i, h := range forward {
		if strings.Contains(h, " deny ") && deny < 0 {
			deny = i
		}
		after := deny >= 0 && i > deny
		assert.Equal(t, after, strings.Contains(h, "(continuing as if allowed)"), "hop %d: %q", i+1, h)
	}
	require.True(t, deny >= 0 && deny < len(forward)-1, "a deny followed by hops: %q", forward)
	assert.Contains(t, forward[len(forward)-1], "deliver  delivered to i-web1 (10.0.1.10) (continuing as if allowed)")
	assert.Equal(t, "return path (continuing as if allowed):", returnTitle)

	ok := s.Reach(tcp("fish-web01", "fish-db", 5432))
	require.Equal(t, solver.VerdictReachable, ok.Verdict)
	assert.NotContains(t, ok.Text(), "as if allowed", "nothing is marked on a path without a deny")
	assert.Contains(t, ok.Text(), "\nreturn path:\n")
}

// awsIDTopology names its resources as Terraform addresses do, with the
// AWS ids a state knows in aws_id.
const awsIDTopology = `version: 1
vpcs:
  - id: aws_vpc.main
    aws_id: vpc-0a1
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
    subnets:
      - {id: aws_subnet.app, aws_id: subnet-0app, az: eu-west-1a, cidr_block: 10.0.1.0/24}
      - {id: aws_subnet.db, az: eu-west-1a, cidr_block: 10.0.2.0/24}
    route_tables: [{id: aws_route_table.main, aws_id: rtb-0main, main: true}]
    security_groups:
      - {id: aws_security_group.app, aws_id: sg-0app, name: app, description: app}
      - {id: aws_security_group.db, aws_id: sg-0db, name: db, description: db, ingress: [{protocol: tcp, ports: 5432, sources: [aws_security_group.app]}]}
    instances:
      - {id: aws_instance.app, aws_id: i-0app, eni: eni-0app, subnet: aws_subnet.app, private_ip: 10.0.1.10, security_groups: [aws_security_group.app]}
      - {id: aws_instance.db, aws_id: i-0db, name: db-1, subnet: aws_subnet.db, private_ip: 10.0.2.20, security_groups: [aws_security_group.db]}
      - {id: aws_instance.new, subnet: aws_subnet.db, private_ip: 10.0.2.21}
`

// TestAWSIDsShownBesideAddresses: a component named otherwise (by a
// Terraform address) shows its AWS id: "id (aws-id)" or "id (aws-id,
// name)" in text, aws_id in JSON; a query may name it by its AWS id, and
// answers as the id does.
func TestAWSIDsShownBesideAddresses(t *testing.T) {
	s := load(t, awsIDTopology)
	r := s.Reach(tcp("i-0app", "i-0db", 5432))
	require.Equal(t, solver.VerdictReachable, r.Verdict, explain(r))
	byID := s.Reach(tcp("aws_instance.app", "aws_instance.db", 5432))
	assert.Equal(t, byID.Forward, r.Forward, "the AWS id walks the id's path")
	assert.Equal(t, byID.Return, r.Return)

	text := r.Text()
	assert.Regexp(t, `\n   1\.  instance +aws_instance\.app \(i-0app\) +send +aws_instance\.app sends tcp/5432`, text)
	assert.Regexp(t, `security-group egress +aws_security_group\.app \(sg-0app, app\) +allow`, text)
	assert.Regexp(t, `route-table +aws_route_table\.main \(rtb-0main\) +route`, text)
	assert.Regexp(t, `security-group ingress +aws_security_group\.db \(sg-0db, db\) +allow`, text)
	assert.Regexp(t, `instance +aws_instance\.db \(i-0db, db-1\) +deliver`, text)

	b, err := json.Marshal(r)
	require.NoError(t, err)
	var back struct {
		Forward []map[string]any `json:"forward_path"`
		Block   []map[string]any `json:"blockers"`
	}
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, "aws_instance.app", back.Forward[0]["component"], "component keeps the id")
	assert.Equal(t, "i-0app", back.Forward[0]["aws_id"])
	assert.NotContains(t, back.Forward[0], "name")
	for _, h := range back.Forward {
		if h["component"] == "aws_security_group.db" {
			assert.Equal(t, "sg-0db", h["aws_id"])
			assert.Equal(t, "db", h["name"])
		}
	}

	// Blockers too; a component without an AWS id shows its id alone.
	blocked := s.Reach(tcp("aws_instance.new", "i-0db", 5432))
	require.Equal(t, solver.VerdictUnreachable, blocked.Verdict, explain(blocked))
	assert.Contains(t, blocked.Text(), "  - ENI_SG_RULES_MISMATCH at aws_instance.db (i-0db, db-1) (forward): ")
	assert.Regexp(t, `\n   1\.  instance +aws_instance\.new +send`, blocked.Text())
	b, err = json.Marshal(blocked)
	require.NoError(t, err)
	var backBlocked struct {
		Forward []map[string]any `json:"forward_path"`
		Block   []map[string]any `json:"blockers"`
	}
	require.NoError(t, json.Unmarshal(b, &backBlocked))
	assert.Equal(t, "i-0db", backBlocked.Block[0]["aws_id"])
	assert.NotContains(t, backBlocked.Forward[0], "aws_id", "no aws_id key for a component without one")
}
