package awsimport_test

import (
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/awsimport"
	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// batfishDir holds the real AWS CLI snapshots of the Batfish project (see
// its NOTICE.md); the repository's parent directory holds shared/.
const batfishDir = "../../shared/external/batfish-aws"

func batfishSnapshots(t testing.TB) []string {
	t.Helper()
	entries, err := os.ReadDir(batfishDir)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI has shared/ beside the repository, but: %v", err)
		}
		t.Skipf("no Batfish snapshots beside the repository (%v)", err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	require.NotEmpty(t, out)
	return out
}

func importSnapshot(t testing.TB, name string) (*model.Model, model.Diagnostics) {
	t.Helper()
	m, diags, err := awsimport.ImportDir(filepath.Join(batfishDir, name))
	require.NoError(t, err, "import %s", name)
	return m, diags
}

// Every snapshot imports without error; its YAML validates, loads back
// and encodes to the same bytes.
func TestBatfishSnapshotsImportAndRoundTrip(t *testing.T) {
	for _, name := range batfishSnapshots(t) {
		t.Run(name, func(t *testing.T) {
			m, diags := importSnapshot(t, name)
			for _, d := range diags {
				t.Logf("%s: %s", d.Severity, d.Error())
			}
			assert.NotEmpty(t, m.VPCs)
			y1, err := model.Encode(m)
			require.NoError(t, err)
			m2, err := model.Parse(name+".yaml", y1)
			require.NoError(t, err)
			require.NoError(t, model.Validate(m2).Err())
			y2, err := model.Encode(m2)
			require.NoError(t, err)
			assert.Equal(t, string(y1), string(y2), "round trip")
			// Deterministic: a second import gives the same bytes.
			m3, _ := importSnapshot(t, name)
			y3, err := model.Encode(m3)
			require.NoError(t, err)
			assert.Equal(t, string(y1), string(y3), "deterministic")
		})
	}
}

type reachCase struct {
	snapshot, name string
	q              solver.Query
	reachable      bool
	codes          []string // leg:CODE of the blockers, in any order
}

func tcp(from, to string, port uint16) solver.Query {
	return solver.Query{From: from, To: to, Protocol: model.ProtocolTCP, Port: port}
}

func udp(from, to string, port uint16) solver.Query {
	return solver.Query{From: from, To: to, Protocol: model.ProtocolUDP, Port: port}
}

// linux sets the ephemeral range of Linux clients (S-33).
func linux(q solver.Query) solver.Query {
	q.Ephemeral = model.PortRange{First: 32768, Last: 60999}
	return q
}

func ping(from, to string) solver.Query {
	return solver.Query{From: from, To: to, Protocol: model.ProtocolICMP}
}

// The expected answers below are derived from the JSON of each snapshot
// and AWS's rules (docs/aws-semantics.md), not from vpcreach's output.
var batfishReach = []reachCase{
	// test-vpc-peering: VPC A (10.10/16) peers with B and C, which overlap
	// each other (192.168/16) and are not peered: A routes 192.168.1/24 to
	// B and 192.168.2/24 to C. Every instance's group admits tcp 22 only.
	{"test-vpc-peering", "A reaches B's instance over the peering on ssh", tcp("i-06ba034d88c84ef07", "i-0b14080af811fda3d", 22), true, nil},
	{"test-vpc-peering", "B's group admits ssh only", tcp("i-06ba034d88c84ef07", "i-0b14080af811fda3d", 80), false, []string{"forward:ENI_SG_RULES_MISMATCH"}},
	{"test-vpc-peering", "C reaches A over the other peering", tcp("i-04a292ff83b3aa833", "i-06ba034d88c84ef07", 22), true, nil},
	{"test-vpc-peering", "ping is not admitted", ping("i-06ba034d88c84ef07", "i-04a292ff83b3aa833"), false, []string{"forward:ENI_SG_RULES_MISMATCH"}},
	// B and C are not peered, and C's address lies inside B's own block:
	// B delivers locally, where nothing holds it.
	{"test-vpc-peering", "B cannot reach C (not peered; C's address is local to B)", tcp("i-0b14080af811fda3d", "i-04a292ff83b3aa833", 22), false, []string{"forward:DESTINATION_NOT_FOUND"}},
	{"test-vpc-peering", "B's default route is a blackhole (its gateway is gone)", tcp("i-0b14080af811fda3d", "internet", 443), false, []string{"forward:BAD_STATE_ROUTE"}},

	// test-vpc-peering-multi-account: two accounts, an active peering
	// listed in both, a deleted one, a terminated instance.
	{"test-vpc-peering-multi-account", "cross-account peering on ssh", tcp("i-07ae69cc808e8804e", "i-066ce0b1efbb5602c", 22), true, nil},
	{"test-vpc-peering-multi-account", "traceroute's udp range is admitted", udp("i-07ae69cc808e8804e", "i-066ce0b1efbb5602c", 33434), true, nil},
	{"test-vpc-peering-multi-account", "echo request (type 8) is admitted", ping("i-066ce0b1efbb5602c", "i-07ae69cc808e8804e"), true, nil},
	{"test-vpc-peering-multi-account", "http is not admitted", tcp("i-066ce0b1efbb5602c", "i-07ae69cc808e8804e", 80), false, []string{"forward:ENI_SG_RULES_MISMATCH"}},

	// test-subnet: two instances in one subnet, groups admitting ssh.
	{"test-subnet", "same subnet, ssh", tcp("i-07519d6ba3f9497e4", "i-08ef86e76fceabd8d", 22), true, nil},
	{"test-subnet", "same subnet, http refused by the group", tcp("i-07519d6ba3f9497e4", "i-08ef86e76fceabd8d", 80), false, []string{"forward:ENI_SG_RULES_MISMATCH"}},
	{"test-subnet", "no public address, no internet gateway", tcp("internet", "i-08ef86e76fceabd8d", 22), false, []string{"forward:NO_PUBLIC_ADDRESS|forward:IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"}},

	// test-public-subnet: an instance with a public address in a subnet
	// routed to the internet gateway.
	{"test-public-subnet", "the internet reaches the public instance on ssh", tcp("internet", "18.216.80.133", 22), true, nil},
	{"test-public-subnet", "its group admits ssh only", tcp("internet", "18.216.80.133", 80), false, []string{"forward:ENI_SG_RULES_MISMATCH"}},
	{"test-public-subnet", "and it reaches the internet", tcp("i-06669a407b2ef3ae5", "internet", 443), true, nil},

	// test-nat-gateway: a private subnet routed to a NAT gateway in a
	// public subnet; a subnet on the main table (local only).
	{"test-nat-gateway", "the private instance reaches the internet through the NAT gateway", tcp("i-0a128d26e59be60f3", "internet", 443), true, nil},
	{"test-nat-gateway", "the subnet on the main table has no default route", tcp("i-0a73a1a6021c03ddb", "internet", 443), false, []string{"forward:NO_ROUTE_TO_DESTINATION"}},
	{"test-nat-gateway", "nothing reaches in through the NAT gateway", tcp("internet", "3.135.127.225", 443), false, []string{"forward:NGW_INBOUND_NOT_ALLOWED"}},
	{"test-nat-gateway", "the public instance takes ssh from the internet", tcp("internet", "18.216.129.140", 22), true, nil},
	{"test-nat-gateway", "ping from the private instance to the public one", ping("i-0a128d26e59be60f3", "i-0b31b509174d7f5de"), true, nil},

	// test-transit-gateway: VPCs A and B on one transit gateway; A's
	// attachment has a subnet in us-east-2c only, so A's us-east-2a subnet
	// cannot use it (S-51). B's instance has an Elastic IP.
	{"test-transit-gateway", "A (2c) reaches B through the transit gateway", tcp("i-06ba034d88c84ef07", "i-0b14080af811fda3d", 22), true, nil},
	{"test-transit-gateway", "A's 2a subnet has no attachment subnet", tcp("i-075e846ed41670385", "i-0b14080af811fda3d", 22), false, []string{"forward:TGW_ROUTE_AZ_RESTRICTION"}},
	{"test-transit-gateway", "B reaches A's 2a instance, but the response cannot enter the gateway", tcp("i-0b14080af811fda3d", "i-075e846ed41670385", 22), false, []string{"return:TGW_ROUTE_AZ_RESTRICTION"}},
	{"test-transit-gateway", "the internet reaches B's Elastic IP", tcp("internet", "3.136.41.161", 22), true, nil},
	{"test-transit-gateway", "A has no route to the internet", tcp("i-06ba034d88c84ef07", "internet", 443), false, []string{"forward:NO_ROUTE_TO_DESTINATION"}},

	// test-transit-gateway-multi-table: A is associated with the default
	// table (B propagates into it), B with its own (A propagates into it).
	{"test-transit-gateway-multi-table", "A reaches B across two gateway route tables", tcp("i-06ba034d88c84ef07", "i-0b14080af811fda3d", 22), true, nil},
	{"test-transit-gateway-multi-table", "B pings A (A's group admits echo requests)", ping("i-0b14080af811fda3d", "i-06ba034d88c84ef07"), true, nil},
	{"test-transit-gateway-multi-table", "A cannot ping B (B's group admits ssh only)", ping("i-06ba034d88c84ef07", "i-0b14080af811fda3d"), false, []string{"forward:ENI_SG_RULES_MISMATCH"}},

	// test-transit-gateway-peering: us-east-1 gateway (VPCs bat 10.10/16
	// on the default table, bat2 10.20/16 on its own table with a static
	// route to 192.168/16 over the peering) peered with a us-west-1
	// gateway (fish 192.168/16, static route to 10.20/16). Traffic from
	// the peering lands on the us-east-1 default table, which knows only
	// bat: the response to bat2 is dropped there.
	{"test-transit-gateway-peering", "bat2 to fish: the request arrives, the response finds no route", tcp("i-05e25e43074216229", "i-0afb0a59f6bf36397", 22), false, []string{"return:TGW_RTB_CANNOT_ROUTE"}},
	{"test-transit-gateway-peering", "bat has no route to fish in its gateway table", tcp("i-08f3abb6471637c66", "i-0afb0a59f6bf36397", 22), false, []string{"forward:TGW_RTB_CANNOT_ROUTE"}},
	{"test-transit-gateway-peering", "fish to bat2 is dropped on the us-east-1 default table", tcp("i-0afb0a59f6bf36397", "i-05e25e43074216229", 22), false, []string{"forward:TGW_RTB_CANNOT_ROUTE"}},
	{"test-transit-gateway-peering", "the internet reaches fish's public address", tcp("internet", "52.53.220.155", 22), true, nil},

	// test-load-balancer: an internal network load balancer (no groups,
	// cross-zone on) with a tcp/80 listener to instance targets on port 22
	// that preserve the client's address; the targets admit ssh from
	// anywhere.
	{"test-load-balancer", "the public instance reaches the internal load balancer", tcp("i-0c8ce8bbdd98cc4e8", "test-lb", 80), true, nil},
	{"test-load-balancer", "no listener on 81", tcp("i-0c8ce8bbdd98cc4e8", "test-lb", 81), false, []string{"forward:ELBV2_LISTENERS_MISMATCH"}},
	{"test-load-balancer", "an internal load balancer has no public address", tcp("internet", "test-lb", 80), false, []string{"forward:NO_PUBLIC_ADDRESS|forward:IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"}},

	// test-vpc-endpoint-gateway: an S3 gateway endpoint on both route
	// tables; only the public subnet routes to the internet gateway.
	{"test-vpc-endpoint-gateway", "the private instance reaches S3 through the gateway endpoint", tcp("i-01c6c0647fdccc89e", "s3", 443), true, nil},
	{"test-vpc-endpoint-gateway", "but not DynamoDB (no endpoint, no internet route)", tcp("i-01c6c0647fdccc89e", "dynamodb", 443), false, []string{"forward:NO_ROUTE_TO_DESTINATION"}},
	{"test-vpc-endpoint-gateway", "the public instance reaches the internet", tcp("i-0464d440ca0ee9e34", "internet", 443), true, nil},

	// test-vpc-endpoint-interface: a CloudTrail interface endpoint with
	// private DNS and a group admitting 443.
	{"test-vpc-endpoint-interface", "CloudTrail's name resolves to the endpoint, which admits 443", tcp("i-0a0fbd0cfa774970f", "cloudtrail.us-east-1.amazonaws.com", 443), true, nil},
	{"test-vpc-endpoint-interface", "from the other subnet, through the custom ACL", tcp("i-0eb6eb395a0d09117", "vpce-083c683a6be29b889", 443), true, nil},
	{"test-vpc-endpoint-interface", "the endpoint's group refuses http", tcp("i-0eb6eb395a0d09117", "cloudtrail.us-east-1.amazonaws.com", 80), false, []string{"forward:ENI_SG_RULES_MISMATCH"}},

	// pybatfish-hybrid-cloud: per region, two VPCs on a transit gateway
	// with a VPN whose (BGP) networks are not in the snapshot.
	{"pybatfish-hybrid-cloud", "us-east-2 spokes through the transit gateway (mysql)", tcp("i-04cd3db5124a05ee6", "i-01602d9efaed4409a", 3306), true, nil},
	{"pybatfish-hybrid-cloud", "port 80 is not admitted", tcp("i-04cd3db5124a05ee6", "i-01602d9efaed4409a", 80), false, []string{"forward:ENI_SG_RULES_MISMATCH"}},
	{"pybatfish-hybrid-cloud", "us-west-2 spokes through their transit gateway", tcp("i-0a5d64b8b58c6dd09", "i-02cae6eaa9edeed70", 22), true, nil},
	{"pybatfish-hybrid-cloud", "regions are not connected: the private address goes to the internet gateway", tcp("i-01602d9efaed4409a", "i-02cae6eaa9edeed70", 22), false, []string{"forward:IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"}},
	{"pybatfish-hybrid-cloud", "on-premises prefixes are unknown (BGP): the VPN attachment may carry them, so the answer is unknown, not no", tcp("i-04cd3db5124a05ee6", "203.0.113.10", 22), false, []string{"forward:OUTSIDE_SNAPSHOT"}},
	{"pybatfish-hybrid-cloud", "the internet reaches the us-west-2 public instance", tcp("internet", "54.191.42.182", 22), true, nil},
}

func blockerCodes(r solver.Result) []string {
	var out []string
	for _, b := range r.Blockers {
		out = append(out, b.Leg.String()+":"+b.Code.String())
	}
	return out
}

// assertCodes checks that each wanted code (or one of its alternatives,
// separated by |) is among the blockers.
func assertCodes(t *testing.T, r solver.Result, want []string) {
	t.Helper()
	got := blockerCodes(r)
	for _, w := range want {
		assert.True(t, slices.ContainsFunc(strings.Split(w, "|"), func(alt string) bool { return slices.Contains(got, alt) }),
			"want %s among %v\n%s", w, got, r.Text())
	}
}

func TestBatfishReach(t *testing.T) {
	batfishSnapshots(t)
	solvers := map[string]*solver.Solver{}
	for _, c := range batfishReach {
		t.Run(c.snapshot+"/"+c.name, func(t *testing.T) {
			s := solvers[c.snapshot]
			if s == nil {
				m, _ := importSnapshot(t, c.snapshot)
				var err error
				s, err = solver.New(m)
				require.NoError(t, err)
				solvers[c.snapshot] = s
			}
			r := s.Reach(c.q)
			require.NotEqual(t, solver.VerdictInvalidQuery, r.Verdict, "%v", r.Err)
			assert.Equal(t, c.reachable, r.Reachable(), "%s", r.Text())
			assertCodes(t, r, c.codes)
		})
	}
}

// hasDiag reports whether a diagnostic of the given sentinel holds every
// fragment.
func hasDiag(ds model.Diagnostics, sentinel error, fragments ...string) bool {
	return slices.ContainsFunc(ds, func(d model.Diagnostic) bool {
		if !errors.Is(d, sentinel) {
			return false
		}
		for _, f := range fragments {
			if !strings.Contains(d.Error(), f) {
				return false
			}
		}
		return true
	})
}

// What the snapshots hold but cannot tell is reported.
func TestBatfishWarnings(t *testing.T) {
	batfishSnapshots(t)
	_, d := importSnapshot(t, "test-transit-gateway")
	assert.True(t, hasDiag(d, awsimport.ErrInferred, "igw-0a4895a3c58cac8cb", "taken as attached", "RouteTables.json:27:5"))
	assert.True(t, hasDiag(d, awsimport.ErrInactive, "terminated"))
	_, d = importSnapshot(t, "pybatfish-hybrid-cloud")
	assert.True(t, hasDiag(d, awsimport.ErrOutsideSnapshot, "vpn attachment tgw-attach-0881ce2eb93cd63a8", "unknown"))
	assert.True(t, hasDiag(d, awsimport.ErrSkipped, "RdsInstances.json", `"DBInstances"`))
	_, d = importSnapshot(t, "test-vpc-peering-multi-account")
	assert.True(t, hasDiag(d, awsimport.ErrOutsideSnapshot, "no NetworkAcls"))
	_, d = importSnapshot(t, "test-vpc-peering")
	assert.True(t, hasDiag(d, awsimport.ErrInferred, "region us-east-2"), "flat snapshot: region from the data, not the us-west-2 default")
}

// The TGW peering attachment, one AWS id seen from both gateways, becomes
// two attachments that name each other.
func TestBatfishTGWPeering(t *testing.T) {
	batfishSnapshots(t)
	m, _ := importSnapshot(t, "test-transit-gateway-peering")
	require.Len(t, m.TransitGateways, 2)
	var peers []string
	for _, tg := range m.TransitGateways {
		for _, a := range tg.Attachments {
			if a.Type == model.AttachmentPeering {
				peers = append(peers, string(tg.ID)+" "+string(a.ID)+" -> "+string(a.Peer))
			}
		}
	}
	assert.Equal(t, []string{
		"tgw-03201f1960ddb0c25 tgw-attach-012e5d602f859dd80 -> tgw-attach-012e5d602f859dd80@tgw-0e20010ebf43d07a2",
		"tgw-0e20010ebf43d07a2 tgw-attach-012e5d602f859dd80@tgw-0e20010ebf43d07a2 -> tgw-attach-012e5d602f859dd80",
	}, peers)
	assert.Len(t, m.Accounts, 2)
}

// Positions point at the JSON: the file, and the line of the resource.
func TestPositions(t *testing.T) {
	batfishSnapshots(t)
	m, _ := importSnapshot(t, "test-vpc-peering")
	var in *model.Instance
	for vi := range m.VPCs {
		for i := range m.VPCs[vi].Instances {
			if m.VPCs[vi].Instances[i].ID == "i-06ba034d88c84ef07" {
				in = &m.VPCs[vi].Instances[i]
			}
		}
	}
	require.NotNil(t, in)
	assert.Equal(t, filepath.Join(batfishDir, "test-vpc-peering", "aws_configs", "Reservations.json"), in.Source.File)
	assert.Equal(t, 6, in.Source.Line) // the instance object, inside its reservation
	assert.Equal(t, "Reservations[0].Instances[0]", in.Source.Path)
}

func TestNPGuardBundle(t *testing.T) {
	m, diags, err := awsimport.ImportBundle("testdata/npguard-bundle.json")
	require.NoError(t, err)
	for _, d := range diags {
		t.Logf("%s: %s", d.Severity, d.Error())
	}
	require.Len(t, m.VPCs, 1)
	v := m.VPCs[0]
	assert.Equal(t, "us-east-1", v.Region)
	assert.Equal(t, model.ID("111111111111"), v.Account)
	assert.Equal(t, model.ID("igw-0a1b2c3d4e5f60000"), v.InternetGateway)
	assert.Len(t, v.Subnets, 2)
	assert.Len(t, v.Instances, 3)
	assert.Len(t, v.NetworkACLs, 2)
	assert.True(t, hasDiag(diags, awsimport.ErrOutsideSnapshot, "no RouteTables"))
	assert.True(t, hasDiag(diags, awsimport.ErrOutsideSnapshot, "sg-0999999999999ops0", "999999999999"))
	assert.True(t, hasDiag(diags, awsimport.ErrInactive, "i-0a1b2c3d4e5f60003", "stopped"))

	s, err := solver.New(m)
	require.NoError(t, err)
	for _, c := range []reachCase{
		{name: "web reaches app on 8080: group reference, ACL rule 100", q: tcp("i-0a1b2c3d4e5f60001", "i-0a1b2c3d4e5f60002", 8080), reachable: true},
		{name: "9090 is denied by ACL rule 200 and the group", q: tcp("i-0a1b2c3d4e5f60001", "i-0a1b2c3d4e5f60002", 9090), reachable: false,
			codes: []string{"forward:SUBNET_ACL_RESTRICTION", "forward:ENI_SG_RULES_MISMATCH"}},
		{name: "ping reaches app: ACL rule 120 (type 8), group icmp type 8", q: ping("i-0a1b2c3d4e5f60001", "i-0a1b2c3d4e5f60002"), reachable: true},
		{name: "app to web on 443 from Linux ephemeral ports: the app subnet's ACL refuses the response", q: linux(tcp("i-0a1b2c3d4e5f60002", "i-0a1b2c3d4e5f60001", 443)), reachable: false,
			codes: []string{"return:SUBNET_ACL_RESTRICTION"}},
		{name: "the stopped instance sends nothing", q: tcp("i-0a1b2c3d4e5f60003", "i-0a1b2c3d4e5f60001", 443), reachable: false,
			codes: []string{"forward:INSTANCE_NOT_RUNNING"}},
		{name: "no route tables in a bundle: the response cannot leave for the internet", q: tcp("internet", "54.80.10.10", 443), reachable: false},
	} {
		r := s.Reach(c.q)
		require.NotEqual(t, solver.VerdictInvalidQuery, r.Verdict, "%s: %v", c.name, r.Err)
		assert.Equal(t, c.reachable, r.Reachable(), "%s\n%s", c.name, r.Text())
		assertCodes(t, r, c.codes)
	}

	// Not a bundle.
	_, _, err = awsimport.ImportBundle(filepath.Join(batfishDir, "test-subnet", "aws_configs", "Vpcs.json"))
	if _, statErr := os.Stat(batfishDir); statErr == nil {
		assert.ErrorContains(t, err, "not an np-guard")
	}
}

// writeSnapshot writes files (path -> content) under a temporary
// directory.
func writeSnapshot(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, c := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
		require.NoError(t, os.WriteFile(full, []byte(c), 0o644))
	}
	return dir
}

func TestBrokenAndUnknownFiles(t *testing.T) {
	dir := writeSnapshot(t, map[string]string{
		"eu-west-1/Vpcs.json":    `{"Vpcs": [{"VpcId": "vpc-1", "OwnerId": "111111111111", "CidrBlock": "10.0.0.0/16"}]}`,
		"eu-west-1/Other.json":   `{"Buckets": []}`,
		"eu-west-1/List.json":    `[1, 2]`,
		"eu-west-1/README.md":    `not json, not read`,
		"eu-west-1/Subnets.json": "{\"Subnets\": [\n  {\"SubnetId\": \"subnet-1\", \"VpcId\": \"vpc-1\", \"CidrBlock\": 42}\n]}",
	})
	_, diags := awsimport.ReadDir(dir)
	assert.True(t, hasDiag(diags, awsimport.ErrSkipped, "Other.json", `"Buckets"`))
	assert.True(t, hasDiag(diags, awsimport.ErrSkipped, "List.json", "not a JSON object"))
	assert.True(t, hasDiag(diags, model.ErrType, "Subnets.json:2:", "CidrBlock"), "%v", diags)
	_, _, err := awsimport.ImportDir(dir)
	require.Error(t, err)

	_, _, err = awsimport.ImportDir(t.TempDir())
	assert.ErrorContains(t, err, "no .json files")
}

// Layouts: accounts/ACCOUNT/REGION, REGION, and flat (region from the
// data, else us-west-2); accounts and regions merge into one model.
func TestLayouts(t *testing.T) {
	vpc := func(id, owner, cidr string) string {
		return `{"Vpcs": [{"VpcId": "` + id + `", "OwnerId": "` + owner + `", "CidrBlock": "` + cidr + `"}]}`
	}
	dir := writeSnapshot(t, map[string]string{
		"accounts/111111111111/eu-west-1/Vpcs.json": vpc("vpc-a", "111111111111", "10.1.0.0/16"),
		"accounts/222222222222/us-east-1/Vpcs.json": vpc("vpc-b", "", "10.2.0.0/16"),
		"ap-south-1/Vpcs.json":                      vpc("vpc-c", "333333333333", "10.3.0.0/16"),
		"Vpcs.json":                                 vpc("vpc-d", "444444444444", "10.4.0.0/16"),
	})
	m, diags, err := awsimport.ImportDir(dir)
	require.NoError(t, err)
	regions := map[model.ID]string{}
	accounts := map[model.ID]model.ID{}
	for _, v := range m.VPCs {
		regions[v.ID], accounts[v.ID] = v.Region, v.Account
	}
	assert.Equal(t, map[model.ID]string{"vpc-a": "eu-west-1", "vpc-b": "us-east-1", "vpc-c": "ap-south-1", "vpc-d": awsimport.DefaultRegion}, regions)
	assert.Equal(t, model.ID("222222222222"), accounts["vpc-b"], "the account directory names the owner when the data does not")
	assert.True(t, hasDiag(diags, awsimport.ErrInferred, "assuming us-west-2"))
	assert.Len(t, m.Accounts, 4)
}

// The mappings with the most AWS detail, on one small snapshot.
func TestMappings(t *testing.T) {
	dir := writeSnapshot(t, map[string]string{
		"us-east-1/Vpcs.json": `{"Vpcs": [
			{"VpcId": "vpc-a", "OwnerId": "111111111111", "CidrBlock": "10.0.0.0/16", "CidrBlockAssociationSet": [
				{"CidrBlock": "10.0.0.0/16", "CidrBlockState": {"State": "associated"}},
				{"CidrBlock": "10.9.0.0/16", "CidrBlockState": {"State": "disassociated"}}]}]}`,
		"us-east-1/Subnets.json": `{"Subnets": [
			{"SubnetId": "subnet-1", "VpcId": "vpc-a", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1a"},
			{"SubnetId": "subnet-2", "VpcId": "vpc-a", "CidrBlock": "10.0.2.0/24", "AvailabilityZone": "us-east-1b"}]}`,
		"us-east-1/RouteTables.json": `{"RouteTables": [
			{"RouteTableId": "rtb-main", "VpcId": "vpc-a", "Associations": [{"Main": true}], "Routes": [
				{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"},
				{"DestinationCidrBlock": "10.50.0.0/16", "VpcPeeringConnectionId": "pcx-gone", "Origin": "CreateRoute", "State": "active"},
				{"DestinationCidrBlock": "10.60.0.0/16", "VpcPeeringConnectionId": "pcx-old", "Origin": "CreateRoute", "State": "blackhole"},
				{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1", "Origin": "CreateRoute", "State": "active"},
				{"DestinationIpv6CidrBlock": "::/0", "GatewayId": "igw-1", "Origin": "CreateRoute", "State": "active"},
				{"DestinationCidrBlock": "192.168.0.0/16", "InstanceId": "i-fw", "NetworkInterfaceId": "eni-fw", "Origin": "CreateRoute", "State": "active"}]},
			{"RouteTableId": "rtb-edge", "VpcId": "vpc-a", "Associations": [{"GatewayId": "igw-1"}], "Routes": []}]}`,
		"us-east-1/InternetGateways.json": `{"InternetGateways": [{"InternetGatewayId": "igw-1", "Attachments": [{"VpcId": "vpc-a", "State": "available"}]}]}`,
		"us-east-1/NetworkAcls.json": `{"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-a", "IsDefault": false,
			"Associations": [{"SubnetId": "subnet-2"}], "Entries": [
				{"RuleNumber": 100, "Protocol": "6", "RuleAction": "allow", "Egress": false, "CidrBlock": "10.0.0.0/16", "PortRange": {"From": 22, "To": 22}},
				{"RuleNumber": 110, "Protocol": "1", "RuleAction": "deny", "Egress": false, "CidrBlock": "0.0.0.0/0", "IcmpTypeCode": {"Type": 3, "Code": 4}},
				{"RuleNumber": 120, "Protocol": "17", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 0, "To": 65535}},
				{"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": false, "CidrBlock": "0.0.0.0/0"}]}]}`,
		"us-east-1/SecurityGroups.json": `{"SecurityGroups": [
			{"GroupId": "sg-a", "GroupName": "a", "VpcId": "vpc-a", "IpPermissions": [
				{"IpProtocol": "-1", "UserIdGroupPairs": [
					{"GroupId": "sg-a", "UserId": "111111111111"},
					{"GroupId": "sg-far", "UserId": "999999999999", "VpcId": "vpc-far", "VpcPeeringConnectionId": "pcx-gone", "PeeringStatus": "active"},
					{"GroupId": "sg-stale", "UserId": "999999999999", "VpcPeeringConnectionId": "pcx-old", "PeeringStatus": "deleted"}]},
				{"IpProtocol": "icmp", "FromPort": -1, "ToPort": -1, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
				{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "PrefixListIds": [{"PrefixListId": "pl-missing"}], "IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": "tls"}, {"CidrIp": "172.16.0.0/12", "Description": "partner"}]}],
			 "IpPermissionsEgress": []}]}`,
		"us-east-1/Reservations.json": `{"Reservations": [{"OwnerId": "111111111111", "Instances": [
			{"InstanceId": "i-fw", "VpcId": "vpc-a", "SubnetId": "subnet-1", "State": {"Name": "running"}, "NetworkInterfaces": [
				{"NetworkInterfaceId": "eni-fw", "SubnetId": "subnet-1", "PrivateIpAddress": "10.0.1.10", "SourceDestCheck": false,
				 "Attachment": {"DeviceIndex": 0}, "Groups": [{"GroupId": "sg-a"}],
				 "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.1.10", "Primary": true}, {"PrivateIpAddress": "10.0.1.11", "Primary": false}]},
				{"NetworkInterfaceId": "eni-fw2", "SubnetId": "subnet-2", "PrivateIpAddress": "10.0.2.10", "Attachment": {"DeviceIndex": 1}, "Groups": [{"GroupId": "sg-unknown", "GroupName": "legacy"}]}]},
			{"InstanceId": "i-off", "VpcId": "vpc-a", "SubnetId": "subnet-2", "PrivateIpAddress": "10.0.2.20", "State": {"Name": "stopped"},
			 "SecurityGroups": [{"GroupId": "sg-a"}]}]}]}`,
		"us-east-1/Addresses.json": `{"Addresses": [{"PublicIp": "198.51.100.7", "AllocationId": "eipalloc-1", "NetworkInterfaceId": "eni-fw", "PrivateIpAddress": "10.0.1.10"}]}`,
		"us-east-1/VpcPeeringConnections.json": `{"VpcPeeringConnections": [{"VpcPeeringConnectionId": "pcx-gone", "Status": {"Code": "active"},
			"RequesterVpcInfo": {"VpcId": "vpc-a", "OwnerId": "111111111111", "Region": "us-east-1"},
			"AccepterVpcInfo": {"VpcId": "vpc-far", "OwnerId": "999999999999", "Region": "us-east-1", "CidrBlock": "10.50.0.0/16"}}]}`,
	})
	m, diags, err := awsimport.ImportDir(dir)
	require.NoError(t, err)
	for _, d := range diags {
		t.Logf("%s: %s", d.Severity, d.Error())
	}
	require.Len(t, m.VPCs, 1)
	v := m.VPCs[0]
	assert.Equal(t, []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}, v.CIDRBlocks, "disassociated blocks are left out")

	// Routes: local skipped, peering outside the snapshot kept as a
	// blackhole, an AWS blackhole kept, IPv6 kept (V-04), instance route
	// to its interface.
	var main *model.RouteTable
	for i := range v.RouteTables {
		if v.RouteTables[i].Main {
			main = &v.RouteTables[i]
		}
	}
	require.NotNil(t, main)
	var routes []string
	for _, r := range main.Routes {
		routes = append(routes, r.Destination.String()+" "+string(r.Target)+" "+r.State.String())
	}
	assert.Equal(t, []string{"10.50.0.0/16 pcx-gone outside-snapshot", "10.60.0.0/16 pcx-old blackhole", "0.0.0.0/0 igw-1 active", "::/0 igw-1 active", "192.168.0.0/16 eni-fw active"}, routes)
	assert.Empty(t, m.PeeringConnections, "the peer VPC is not in the snapshot")
	assert.True(t, hasDiag(diags, awsimport.ErrOutsideSnapshot, "pcx-gone", "vpc-far of account 999999999999"))
	// V-24: an edge association makes a gateway route table of the
	// VPC's internet gateway.
	for _, rt := range v.RouteTables {
		if rt.ID == "rtb-edge" {
			assert.Equal(t, []model.ID{"igw-1"}, rt.EdgeAssociations)
		}
	}
	assert.False(t, hasDiag(diags, awsimport.ErrNotModelled, "edge association", "rtb-edge"))

	// ACL: numbers as strings, rule 32767 left to the model, ICMP type and
	// code, association.
	require.Len(t, v.NetworkACLs, 1)
	acl := v.NetworkACLs[0]
	require.Len(t, acl.Ingress, 3)
	assert.Equal(t, model.ProtocolTCP, acl.Ingress[0].Protocol)
	assert.Equal(t, model.SinglePort(22), *acl.Ingress[0].Ports)
	assert.Equal(t, model.ICMPMatch{Type: 3, Code: 4}, *acl.Ingress[1].ICMP)
	assert.Equal(t, model.AllPorts(), *acl.Ingress[2].Ports, "udp 0-65535: every port")
	assert.Empty(t, acl.Egress)
	for _, sn := range v.Subnets {
		if sn.ID == "subnet-2" {
			assert.Equal(t, model.ID("acl-1"), sn.NetworkACL)
		}
	}

	// Security groups: -1 without ports, ICMP -1/-1 is all ICMP, peers by
	// description, groups outside the snapshot left out with a warning,
	// stale references, prefix lists outside the snapshot, empty egress.
	var sg *model.SecurityGroup
	for i := range v.SecurityGroups {
		if v.SecurityGroups[i].ID == "sg-a" {
			sg = &v.SecurityGroups[i]
		}
	}
	require.NotNil(t, sg)
	require.Len(t, sg.Ingress, 4)
	assert.Equal(t, model.ProtocolAll, sg.Ingress[0].Protocol)
	assert.Nil(t, sg.Ingress[0].Ports)
	assert.Equal(t, []model.Peer{{Ref: "sg-a"}, {Ref: "sg-far"}}, sg.Ingress[0].Sources, "a group outside the snapshot is kept, marked")
	assert.Nil(t, sg.Ingress[1].ICMP)
	assert.Equal(t, "tls", sg.Ingress[2].Description)
	assert.Equal(t, "partner", sg.Ingress[3].Description)
	assert.NotNil(t, sg.Egress)
	assert.Empty(t, sg.Egress, "no egress rule listed: no outbound traffic")
	assert.True(t, hasDiag(diags, awsimport.ErrOutsideSnapshot, "sg-far of account 999999999999 in vpc-far (over peering pcx-gone, active)"))
	assert.True(t, hasDiag(diags, awsimport.ErrInactive, "sg-stale", "stale"))
	assert.True(t, hasDiag(diags, awsimport.ErrOutsideSnapshot, "pl-missing"))

	// Instances: primary interface, secondary address, Elastic IP from
	// describe-addresses, source/destination check, a second interface
	// whose group is a placeholder, the stopped instance.
	byID := map[model.ID]model.Instance{}
	for _, in := range v.Instances {
		byID[in.ID] = in
	}
	fw := byID["i-fw"]
	assert.Equal(t, model.ID("eni-fw"), fw.ENI)
	assert.Equal(t, "198.51.100.7", fw.ElasticIP.String())
	assert.False(t, fw.SourceDestCheckEnabled())
	assert.Equal(t, []netip.Addr{netip.MustParseAddr("10.0.1.11")}, fw.SecondaryIPs)
	assert.Equal(t, model.InstanceStopped, byID["i-off"].State)
	assert.True(t, hasDiag(diags, awsimport.ErrInactive, "i-off is stopped", "only running instances carry traffic"))
	require.Len(t, v.NetworkInterfaces, 1)
	assert.Equal(t, model.ID("i-fw"), v.NetworkInterfaces[0].Instance)
	assert.Equal(t, []model.ID{"sg-unknown"}, v.NetworkInterfaces[0].SecurityGroups)
	assert.True(t, hasDiag(diags, awsimport.ErrOutsideSnapshot, "sg-unknown", "outside-snapshot group"))
	var placeholder *model.SecurityGroup
	for i := range v.SecurityGroups {
		if v.SecurityGroups[i].ID == "sg-unknown" {
			placeholder = &v.SecurityGroups[i]
		}
	}
	require.NotNil(t, placeholder)
	assert.True(t, placeholder.OutsideSnapshot)
	assert.Empty(t, placeholder.Ingress)
	assert.NotNil(t, placeholder.Egress)
	assert.Empty(t, placeholder.Egress)
}

func TestIsSnapshot(t *testing.T) {
	dir := writeSnapshot(t, map[string]string{
		"topology.json": `{"version": 1, "vpcs": [{"id": "vpc-a", "region": "eu-west-1", "cidr_blocks": ["10.0.0.0/16"]}]}`,
		"Vpcs.json":     `{"Vpcs": []}`,
		"net.yaml":      "version: 1\n",
	})
	assert.True(t, awsimport.IsSnapshot(dir))
	assert.True(t, awsimport.IsSnapshot(filepath.Join(dir, "Vpcs.json")))
	assert.True(t, awsimport.IsSnapshot("testdata/npguard-bundle.json"))
	assert.False(t, awsimport.IsSnapshot(filepath.Join(dir, "topology.json")), "a topology written in JSON")
	assert.False(t, awsimport.IsSnapshot(filepath.Join(dir, "net.yaml")))
	assert.False(t, awsimport.IsSnapshot(filepath.Join(dir, "missing.json")))
}

// A file cut anywhere is an error at a position, never a panic.
func TestTruncatedFiles(t *testing.T) {
	data, err := os.ReadFile("testdata/npguard-bundle.json")
	require.NoError(t, err)
	dir := t.TempDir()
	for n := 1; n < len(data)-1; n += 61 {
		name := filepath.Join(dir, "cut.json")
		require.NoError(t, os.WriteFile(name, data[:n], 0o644))
		_, diags := awsimport.ReadFile(name)
		require.Error(t, diags.Err(), "cut at %d", n)
	}
}

func TestOutsideSnapshotAnswersAreUnknown(t *testing.T) {
	// A rule admitting another account's group, which the snapshot does
	// not hold: the engine says "unknown", with its own code.
	dir := writeSnapshot(t, map[string]string{
		"vpcs.json":    `{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "OwnerId": "111111111111"}]}`,
		"subnets.json": `{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-west-2a"}]}`,
		"sgs.json": `{"SecurityGroups": [
			{"GroupId": "sg-app", "VpcId": "vpc-1", "GroupName": "app", "Description": "app", "IpPermissions": [], "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]},
			{"GroupId": "sg-db", "VpcId": "vpc-1", "GroupName": "db", "Description": "db", "IpPermissions": [
				{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": "sg-far", "UserId": "999999999999"}]}],
			 "IpPermissionsEgress": []}]}`,
		"instances.json": `{"Reservations": [{"Instances": [
			{"InstanceId": "i-app", "SubnetId": "subnet-1", "VpcId": "vpc-1", "PrivateIpAddress": "10.0.1.10", "State": {"Name": "running"}, "SecurityGroups": [{"GroupId": "sg-app"}]},
			{"InstanceId": "i-db", "SubnetId": "subnet-1", "VpcId": "vpc-1", "PrivateIpAddress": "10.0.1.11", "State": {"Name": "running"}, "SecurityGroups": [{"GroupId": "sg-db"}]}]}]}`,
	})
	m, _, err := awsimport.ImportDir(dir)
	require.NoError(t, err)
	s, err := solver.New(m)
	require.NoError(t, err)
	r := s.Reach(solver.Query{From: "i-app", To: "i-db", Protocol: model.ProtocolTCP, Port: 5432})
	require.Len(t, r.Blockers, 1, r.Text())
	assert.Equal(t, solver.OutsideSnapshot, r.Blockers[0].Code, r.Text())
}

func TestTrailingCommasAreSyntaxErrors(t *testing.T) {
	// JSON has no trailing commas; the AWS CLI never writes them, so a
	// file with one was edited by hand and is reported, at every depth.
	vpc := `{"VpcId":"vpc-1","CidrBlock":"10.0.0.0/16","OwnerId":"111111111111","Tags":[{"Key":"a","Value":"b"}]}`
	dir := t.TempDir()
	for _, text := range []string{
		`{"Vpcs":[` + vpc + `,]}`,
		`{"Vpcs":[` + vpc + `],}`,
		`{"Vpcs":[` + strings.Replace(vpc, `"b"}]`, `"b"},]`, 1) + `]}`,
		`{"Vpcs":[` + strings.Replace(vpc, `"b"}]`, `"b",}]`, 1) + `]}`,
	} {
		name := filepath.Join(dir, "vpcs.json")
		require.NoError(t, os.WriteFile(name, []byte(text), 0o644))
		_, diags := awsimport.ReadFile(name)
		require.Error(t, diags.Err(), text)
		assert.Contains(t, diags.Err().Error(), "vpcs.json:1:", text)
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "vpcs.json"), []byte(`{"Vpcs":[`+vpc+`]}`), 0o644))
	_, diags := awsimport.ReadFile(filepath.Join(dir, "vpcs.json"))
	require.NoError(t, diags.Err())
}
