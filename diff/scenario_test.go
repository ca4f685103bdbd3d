package diff

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/tfimport"
)

// edited loads testdata/web-old.yaml and a copy with each old string
// replaced by its new one (in order), written as new.yaml in a temporary
// directory, so that positions in the report point at the edited file.
func edited(t *testing.T, pairs ...string) (old, next *model.Model, newFile string) {
	t.Helper()
	data, err := os.ReadFile("testdata/web-old.yaml")
	require.NoError(t, err)
	text := string(data)
	for i := 0; i < len(pairs); i += 2 {
		require.Contains(t, text, pairs[i])
		text = strings.Replace(text, pairs[i], pairs[i+1], 1)
	}
	newFile = filepath.Join(t.TempDir(), "new.yaml")
	require.NoError(t, os.WriteFile(newFile, []byte(text), 0o600))
	old, _, err = model.LoadFiles("testdata/web-old.yaml")
	require.NoError(t, err)
	next, _, err = model.LoadFiles(newFile)
	require.NoError(t, err)
	return old, next, newFile
}

func compare(t *testing.T, old, next *model.Model) *Report {
	t.Helper()
	r, err := Compare(old, next, Options{})
	require.NoError(t, err)
	return r
}

// lineOf returns the 1-based line of the first occurrence of s in file.
func lineOf(t *testing.T, file, s string) int {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	i := strings.Index(string(data), s)
	require.GreaterOrEqual(t, i, 0)
	return strings.Count(string(data[:i]), "\n") + 1
}

func TestSameNetworkChangesNothing(t *testing.T) {
	old, next, _ := edited(t)
	r := compare(t, old, next)
	assert.True(t, r.IsEmpty())
	assert.Empty(t, r.Resources)
	assert.Equal(t, "no reachability change (0 resources changed)", r.Summary.String())
}

// Opening ssh to the world on the web server: exposure gained, the
// expectation that forbids it broken, and a gained flow from the database
// (in the VPC, through its NAT? no: directly), all caused by the rule at its
// line in the new file.
func TestOpeningSSHExposesAndBreaksAnExpectation(t *testing.T) {
	old, next, file := edited(t,
		"          - {protocol: tcp, ports: 443, sources: [0.0.0.0/0]}",
		"          - {protocol: tcp, ports: 443, sources: [0.0.0.0/0]}\n          - {protocol: tcp, ports: 22, sources: [0.0.0.0/0]}")
	r := compare(t, old, next)
	ruleLine := lineOf(t, file, "ports: 22")

	require.Len(t, r.ExposureGained, 1)
	e := r.ExposureGained[0]
	assert.Equal(t, model.ID("i-web"), e.Destination)
	assert.Equal(t, "tcp", e.Protocol)
	assert.Equal(t, "22", e.Ports)
	assert.Equal(t, "anywhere", e.From)
	require.NotEmpty(t, e.Cause)
	assert.Equal(t, model.ID("sg-web"), e.Cause[0].Resource)
	assert.Equal(t, Modified, e.Cause[0].Change)
	assert.Equal(t, ruleLine, e.Cause[0].Pos.Line, "the cause points at the new rule")
	assert.Empty(t, r.ExposureLost)

	require.Len(t, r.ExpectationsBroken, 1)
	assert.Equal(t, "no ssh from the internet", r.ExpectationsBroken[0].Name)
	assert.Equal(t, "unreachable", r.ExpectationsBroken[0].Old)
	assert.Equal(t, "reachable", r.ExpectationsBroken[0].New)
	assert.Equal(t, ruleLine, r.ExpectationsBroken[0].Cause[0].Pos.Line)
	assert.Empty(t, r.ExpectationsFixed)

	// The database may now open ssh to the web server too.
	var gained []string
	for _, f := range r.Gained {
		gained = append(gained, f.From.Name()+" -> "+f.To.Name()+" "+f.Protocol+" "+f.Ports)
	}
	assert.Equal(t, []string{"i-db -> i-web tcp 22"}, gained)
	assert.Empty(t, r.Lost)
	assert.Equal(t, []Resource{{ID: "sg-web", Kind: "security group", Change: Modified, VPC: "vpc-web",
		Pos: r.Resources[0].Pos, Position: r.Resources[0].Position}}, r.Resources)
}

// The reverse change fixes the expectation and loses the exposure.
func TestClosingSSHFixes(t *testing.T) {
	open, closed, _ := edited(t,
		"          - {protocol: tcp, ports: 443, sources: [0.0.0.0/0]}",
		"          - {protocol: tcp, ports: 443, sources: [0.0.0.0/0]}\n          - {protocol: tcp, ports: 22, sources: [0.0.0.0/0]}")
	r := compare(t, closed, open)
	require.Len(t, r.ExposureLost, 1)
	assert.Equal(t, "22", r.ExposureLost[0].Ports)
	require.Len(t, r.ExpectationsFixed, 1)
	assert.Equal(t, "no ssh from the internet", r.ExpectationsFixed[0].Name)
	require.Len(t, r.Lost, 1)
	assert.Equal(t, "old", r.ExposureLost[0].Cause[0].Side, "the rule that let it in is on the old side")
}

// Narrowing an exposure's sources is exposure lost for the addresses no
// longer let in; widening it back is exposure gained.
func TestNarrowingExposureSources(t *testing.T) {
	wide, narrow, _ := edited(t,
		"          - {protocol: tcp, ports: 443, sources: [0.0.0.0/0]}",
		"          - {protocol: tcp, ports: 443, sources: [198.51.100.0/24]}")
	r := compare(t, wide, narrow)
	require.Len(t, r.ExposureLost, 1)
	assert.Equal(t, "443", r.ExposureLost[0].Ports)
	assert.Equal(t, "anywhere", r.ExposureLost[0].From)
	assert.Empty(t, r.ExposureGained)
	r = compare(t, narrow, wide)
	require.Len(t, r.ExposureGained, 1)
	assert.Empty(t, r.ExposureLost)
}

// Sending the private subnet's internet traffic through the internet
// gateway instead of the NAT gateway: the database (no public address)
// loses the internet; no flow between instances changes.
func TestRemovingTheNATRouteLosesTheInternet(t *testing.T) {
	old, next, _ := edited(t, "          - {destination: 0.0.0.0/0, target: nat-web}\n", "")
	r := compare(t, old, next)
	require.NotEmpty(t, r.Lost)
	for _, f := range r.Lost {
		assert.Equal(t, "i-db", f.From.Name())
		assert.Equal(t, "internet", f.To.Kind)
		require.NotEmpty(t, f.Cause)
		assert.Equal(t, model.ID("rtb-private"), f.Cause[0].Resource)
	}
	assert.Empty(t, r.Gained)
	assert.Empty(t, r.ExpectationsBroken)
}

// Giving the database a public address and the internet gateway route:
// it still reaches the internet, now through the internet gateway rather
// than the NAT gateway, a changed path.
func TestRerouteIsAChangedPath(t *testing.T) {
	old, next, _ := edited(t,
		"          - {destination: 0.0.0.0/0, target: nat-web}", "          - {destination: 0.0.0.0/0, target: igw-web}",
		"private_ip: 10.0.1.10,", "private_ip: 10.0.1.10, public_ip: 203.0.113.11,")
	r := compare(t, old, next)
	var changed *Flow
	for i, f := range r.Changed {
		if f.From.Name() == "i-db" && f.To.Kind == "internet" {
			changed = &r.Changed[i]
		}
	}
	require.NotNil(t, changed, "changed: %+v", r.Changed)
	assert.Contains(t, changed.Detail, "no longer via nat-gateway")
	assert.Contains(t, strings.Join(changed.After, " "), "internet-gateway igw-web")
	assert.Empty(t, r.Lost)
}

// A renamed group is removed and added; the addition names the removed
// group it repeats.
func TestRenamedGroupIsRemovedAndAdded(t *testing.T) {
	old, next, _ := edited(t,
		"      - id: sg-db\n", "      - id: sg-database\n",
		"security_groups: [sg-db]", "security_groups: [sg-database]")
	r := compare(t, old, next)
	var added, removed *Resource
	for i, x := range r.Resources {
		switch x.ID {
		case "sg-database":
			added = &r.Resources[i]
		case "sg-db":
			removed = &r.Resources[i]
		}
	}
	require.NotNil(t, added)
	require.NotNil(t, removed)
	assert.Equal(t, Added, added.Change)
	assert.Equal(t, model.ID("sg-db"), added.RenamedFrom)
	assert.Equal(t, Removed, removed.Change)
	assert.True(t, r.IsEmpty(), "a rename changes no flow: %+v", r.Summary)
}

// A new VPC with the same CIDR: an overlap appears.
func TestNewOverlappingVPC(t *testing.T) {
	old, next, _ := edited(t, "expectations:\n", `  - id: vpc-copy
    region: eu-west-1
    cidr_blocks: [10.0.0.0/16]
expectations:
`)
	r := compare(t, old, next)
	require.Len(t, r.OverlapsAdded, 1)
	assert.Equal(t, model.ID("vpc-copy"), r.OverlapsAdded[0].A)
	assert.Equal(t, "unconnected", r.OverlapsAdded[0].Class)
	assert.Empty(t, r.OverlapsRemoved)
}

// Each seed topology against itself changes nothing.
func TestSeedsAgainstThemselves(t *testing.T) {
	files, _ := filepath.Glob("../testdata/seed*.yaml")
	require.NotEmpty(t, files)
	for _, f := range files {
		a, _, err := model.LoadFiles(f)
		require.NoError(t, err)
		b, _, err := model.LoadFiles(f)
		require.NoError(t, err)
		r := compare(t, a, b)
		assert.True(t, r.IsEmpty(), "%s: %+v", f, r.Summary)
		assert.Empty(t, r.Resources, f)
	}
}

// Centralised egress (solver/testdata/network.yaml): vpc-e's instances
// reach the internet through the transit gateway and vpc-g's NAT gateway.
// Removing vpc-g's NAT route, a change in vpc-g alone, loses the internet
// of every VPC the gateway sends there: the diff must look beyond vpc-g.
func TestCentralisedEgressRouteRemoved(t *testing.T) {
	data, err := os.ReadFile("../solver/testdata/network.yaml")
	require.NoError(t, err)
	text := string(data)
	edit := "          - {destination: 0.0.0.0/0, target: nat-g}\n"
	require.Contains(t, text, edit)
	old, err := model.Parse("network.yaml", data)
	require.NoError(t, err)
	next, err := model.Parse("network.yaml", []byte(strings.Replace(text, edit, "", 1)))
	require.NoError(t, err)
	r := compare(t, old, next)
	lost := map[string]bool{}
	for _, f := range r.Lost {
		if f.To.Kind == "internet" {
			for _, m := range f.From.Members {
				lost[string(m)] = true
			}
			require.NotEmpty(t, f.Cause)
			assert.Equal(t, model.ID("rtb-g-tgw"), f.Cause[0].Resource, "%s: %v", f.From.Name(), f.Cause)
		}
	}
	assert.True(t, lost["i-e"], "i-e loses the internet: %v", lost)
	assert.True(t, lost["i-f"], "i-f loses the internet: %v", lost)
}

// A Terraform state names resources by address (with their AWS ids); the
// same network written with AWS ids (as an AWS snapshot's import names it)
// is the same network: matched through aws_id, nothing differs. A rule
// added on the Terraform side is then the only change.
func TestAWSIdsMatchTerraformAddresses(t *testing.T) {
	im, diags := tfimport.Read("../tfimport/testdata/basic-state.json")
	require.Empty(t, diags.Errors())
	tf := im.Planned
	// The same network named by AWS ids: every address replaced by its
	// resource's aws_id, longest address first.
	data, err := model.Encode(tf)
	require.NoError(t, err)
	text := string(data)
	x, _ := model.NewIndex(tf)
	type pair struct{ addr, id string }
	var pairs []pair
	for _, id := range []model.ID{"aws_vpc.main", "aws_subnet.app", "aws_security_group.db", "aws_instance.app", "aws_instance.db"} {
		aws := x.AWSID(id)
		require.NotEmpty(t, aws, "%s has no aws_id", id)
		pairs = append(pairs, pair{string(id), string(aws)})
	}
	slices.SortFunc(pairs, func(a, b pair) int { return len(b.addr) - len(a.addr) })
	for _, p := range pairs {
		text = strings.ReplaceAll(text, p.addr, p.id)
	}
	byID, err := model.Parse("snapshot.yaml", []byte(text))
	require.NoError(t, err)
	require.NotNil(t, x)

	r := compare(t, byID, tf)
	assert.True(t, r.IsEmpty(), "%+v", r.Summary)
	assert.Empty(t, r.Resources, "resources matched through aws_id")

	// Close the database's port on the Terraform side.
	closed, err := model.Parse("snapshot.yaml", []byte(text))
	require.NoError(t, err)
	for vi := range closed.VPCs {
		for gi := range closed.VPCs[vi].SecurityGroups {
			if g := &closed.VPCs[vi].SecurityGroups[gi]; g.ID == "sg-0db" {
				g.Ingress = nil
			}
		}
	}
	r = compare(t, closed, tf)
	require.NotEmpty(t, r.Gained, "opening it back gains the flow")
	assert.Equal(t, []model.ID{"aws_instance.db"}, r.Gained[0].To.Members, "named by address, the new side's names")
	require.Len(t, r.Resources, 1)
	assert.Equal(t, model.ID("aws_security_group.db"), r.Resources[0].ID)
}
