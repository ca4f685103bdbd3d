package main

import (
	"flag"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const net000 = "../../testdata/seed000-peering-nlb.yaml"

// firstLine is the first line of standard error.
func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// Out-of-range numbers are refused with the flag and the range, never
// wrapped (71915 is not 6379), clamped or ignored; flags that do not apply
// to the protocol, and flags given twice, are refused too.
func TestFlagsRefuseWhatTheyCannotMean(t *testing.T) {
	reach := []string{"reach", net000, "--from", "i-a-app-1", "--to", "i-b-redis-1"}
	with := func(base []string, more ...string) []string { return append(append([]string(nil), base...), more...) }
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		// Numbers.
		{"reach port wraps no more", with(reach, "--port", "71915"), `invalid value "71915" for flag --port: out of range: a port is 1-65535`},
		{"reach port zero", with(reach, "--port", "0"), `invalid value "0" for flag --port: out of range: a port is 1-65535`},
		{"reach negative port", with(reach, "--port", "-1"), `invalid value "-1" for flag --port: out of range: a port is 1-65535`},
		{"reach port not a number", with(reach, "--port", "ssh"), `invalid value "ssh" for flag --port: not a whole number: a port is 1-65535`},
		{"who-can-reach port wraps no more", []string{"who-can-reach", net000, "--to", "i-b-redis-1", "--port", "71915"}, `invalid value "71915" for flag --port: out of range: a port is 1-65535`},
		{"matrix port wraps no more", []string{"matrix", net000, "--port", "71915"}, `invalid value "71915" for flag --port: out of range: a port is 1-65535`},
		{"matrix huge port", []string{"matrix", net000, "--port", "18446744073709551616"}, `invalid value "18446744073709551616" for flag --port: out of range: a port is 1-65535`},
		{"icmp type too big", with(reach, "--protocol", "icmp", "--icmp-type", "300"), `invalid value "300" for flag --icmp-type: out of range: an ICMP type is 0-255`},
		{"icmp type any", with(reach, "--protocol", "icmp", "--icmp-type", "-1"), `invalid value "-1" for flag --icmp-type: out of range: an ICMP type is 0-255`},
		{"icmp code too big", with(reach, "--protocol", "icmp", "--icmp-code", "256"), `invalid value "256" for flag --icmp-code: out of range: an ICMP code is 0-255`},
		{"ephemeral from port 0", with(reach, "--port", "22", "--ephemeral", "0-65535"), `invalid value "0-65535" for flag --ephemeral: out of range: ephemeral ports are 1-65535`},
		{"exposure port 0", []string{"exposure", net000, "--ports", "0-22"}, `vpcreach exposure: --ports: "0-22" is out of range: ports are 1-65535`},
		{"exposure port too big", []string{"exposure", net000, "--ports", "70000"}, `vpcreach exposure: --ports: "70000" is not a port or port range (443, 1024-65535 or all)`},
		{"generate no VPCs", []string{"generate", "--vpcs", "0"}, `invalid value "0" for flag --vpcs: out of range: the number of VPCs is 1-1000000`},
		{"generate VPCs overflow", []string{"generate", "--vpcs", "9223372036854775808"}, `invalid value "9223372036854775808" for flag --vpcs: out of range: the number of VPCs is 1-1000000`},
		{"generate too many VPCs", []string{"generate", "--vpcs", "1000001"}, `invalid value "1000001" for flag --vpcs: out of range: the number of VPCs is 1-1000000`},
		{"generate fewer instances than tiers", []string{"generate", "--vpcs", "2", "--instances-per-vpc", "1"}, `invalid value "1" for flag --instances-per-vpc: out of range: the number of instances per VPC is 3-1000000`},
		{"generate negative overlap", []string{"generate", "--vpcs", "2", "--overlap-every", "-1"}, `invalid value "-1" for flag --overlap-every: out of range: --overlap-every is 0-1000000`},
		{"generate memory not a size", []string{"generate", "--vpcs", "2", "--max-memory", "lots"}, `invalid value "lots" for flag --max-memory: not a size: a size is a whole number with an optional unit B, KiB, MiB, GiB or TiB (such as 8GiB), from 1MiB to 1024TiB`},
		{"generate memory too small", []string{"generate", "--vpcs", "2", "--max-memory", "1KiB"}, `invalid value "1KiB" for flag --max-memory: out of range: a size is 1MiB-1024TiB`},

		// Flags that do not apply to the protocol.
		{"port with icmp", with(reach, "--protocol", "icmp", "--port", "22"), "vpcreach reach: --port applies to tcp and udp, not icmp"},
		{"port with all", with(reach, "--protocol", "all", "--port", "22"), "vpcreach reach: --port applies to tcp and udp, not all"},
		{"port with a protocol number", with(reach, "--protocol", "47", "--port", "22"), "vpcreach reach: --port applies to tcp and udp, not 47"},
		{"ephemeral with icmp", with(reach, "--protocol", "icmp", "--ephemeral", "1024-2048"), "vpcreach reach: --ephemeral applies to tcp and udp, not icmp"},
		{"icmp type with udp", with(reach, "--protocol", "udp", "--port", "53", "--icmp-type", "3"), "vpcreach reach: --icmp-type applies to icmp, not udp"},
		{"icmp code with tcp", with(reach, "--port", "22", "--icmp-code", "0"), "vpcreach reach: --icmp-code applies to icmp, not tcp"},
		{"who-can-reach port with icmp", []string{"who-can-reach", net000, "--to", "i-b-redis-1", "--protocol", "icmp", "--port", "22"}, "vpcreach who-can-reach: --port applies to tcp and udp, not icmp"},
		{"matrix port with icmp", []string{"matrix", net000, "--protocol", "icmp", "--port", "22"}, "vpcreach matrix: --port applies to tcp and udp, not icmp"},
		{"exposure icmp", []string{"exposure", net000, "--protocol", "icmp"}, "vpcreach exposure: --protocol: exposure checks tcp and udp, by port; icmp has no ports"},

		// Flags given twice.
		{"port twice", with(reach, "--port", "22", "--port", "23"), "vpcreach reach: --port is given twice; give it once"},
		{"port twice, one with =", with(reach, "--port=22", "-port", "23"), "vpcreach reach: --port is given twice; give it once"},
		{"to twice", with(reach, "--port", "22", "--to", "i-a-app-2"), "vpcreach reach: --to is given twice; give it once"},
		{"output twice after the files", []string{"validate", net000, "--output", "json", "--output", "text"}, "vpcreach validate: --output is given twice; give it once"},
		{"a boolean twice", []string{"who-can-reach", net000, "--to", "i-b-redis-1", "--port", "6379", "--paths", "--paths=false"}, "vpcreach who-can-reach: --paths is given twice; give it once"},
		{"vpcs twice", []string{"generate", "--vpcs", "2", "--vpcs", "3"}, "vpcreach generate: --vpcs is given twice; give it once"},
		{"force twice", []string{"import", "aws", "x", "--force", "--force"}, "vpcreach import: --force is given twice; give it once"},
		{"force without a file", []string{"import", "aws", "../../awsimport/testdata/npguard-bundle.json", "--force"}, "vpcreach import aws: --force applies to --file (standard output replaces nothing)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(tt.args...)
			assert.Equal(t, exitInvalid, code, "vpcreach %s: exit code", strings.Join(tt.args, " "))
			assert.Empty(t, stdout, "no answer to a different question")
			assert.Equal(t, tt.msg, firstLine(stderr))
		})
	}
}

// Repeatable flags add up; a value that looks like a flag is a value; "--"
// ends the flags.
func TestRepeatsAreCountedAsTheFlagPackageParses(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.String("from", "", "")
	fs.Bool("paths", false, "")
	addFromAWS(fs)
	var l listFlag
	fs.Var(&l, "disable", "")
	for _, args := range [][]string{
		{"--from", "--from"},                   // the second is the value
		{"--paths", "a.yaml", "--from", "x"},   // a boolean takes no value
		{"--from-aws", "a", "--from-aws", "b"}, // repeatable
		{"--disable", "a", "--disable=b"},      // repeatable
		{"--from", "x", "--", "--from", "y"},   // after --, files
		{"--nosuch", "--nosuch"},               // the flag package refuses it
	} {
		assert.NoError(t, checkRepeats(fs, args), "%q", args)
	}
	require.EqualError(t, checkRepeats(fs, []string{"-paths", "f", "--paths"}), "--paths is given twice; give it once")
}

// The port that is asked about is the port that is answered, in text and
// JSON.
func TestThePortAskedIsThePortAnswered(t *testing.T) {
	code, stdout, stderr := runCLI("who-can-reach", net000, "--to", "i-b-redis-1", "--port", "6379")
	require.Equal(t, exitOK, code, stderr)
	assert.True(t, strings.HasPrefix(stdout, "who can reach i-b-redis-1 on tcp/6379:\n"), stdout)
	code, stdout, stderr = runCLI("matrix", net000, "--port", "6379", "--output", "json")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, `"port": 6379`)
}

func TestSizeFlag(t *testing.T) {
	for in, want := range map[string]uint64{"8GiB": 8 << 30, "8G": 8 << 30, "8gb": 8 << 30, "512 MiB": 512 << 20, "1048576": 1 << 20, "2T": 2 << 40} {
		var f sizeFlag
		require.NoError(t, f.Set(in), in)
		assert.Equal(t, want, f.bytes, in)
	}
	for _, in := range []string{"", "G", "-1G", "1.5G", "8XB", "1023KiB", "1025TiB", "99999999999999999999"} {
		var f sizeFlag
		assert.Error(t, f.Set(in), "%q", in)
	}
	assert.Equal(t, "1.5 GiB", byteSize(3<<29))
	assert.Equal(t, "512 B", byteSize(512))
}

// A query that is not a question is exit 2 with the reason, not a verdict.
func TestReachRefusesQueriesThatAreNotQuestions(t *testing.T) {
	tests := []struct {
		args []string
		msg  string
	}{
		{[]string{"reach", net000, "--from", "i-a-app-1", "--to", "999.1.1.1", "--port", "22"},
			`vpcreach reach: invalid query: "999.1.1.1" is not an IPv4 address (four numbers 0-255 separated by dots, such as 10.0.1.5)`},
		{[]string{"reach", net000, "--from", "10.0.40", "--to", "i-b-redis-1", "--port", "22"},
			`vpcreach reach: invalid query: "10.0.40" is not an IPv4 address (four numbers 0-255 separated by dots, such as 10.0.1.5)`},
		{[]string{"reach", net000, "--from", "i-a-app-1", "--to", "::ffff:10.0.0.1", "--port", "22"},
			`vpcreach reach: invalid query: ::ffff:10.0.0.1 is an IPv4-mapped IPv6 address: write IPv4 addresses as IPv4`},
		{[]string{"reach", net000, "--from", "internet", "--to", "internet", "--port", "443"},
			"vpcreach reach: invalid query: both ends are on the internet, outside every VPC: name an instance, network interface, address or external network for one of them"},
		{[]string{"who-can-reach", net000, "--to", "999.1.1.1", "--port", "22"},
			`vpcreach who-can-reach: invalid query: "999.1.1.1" is not an IPv4 address (four numbers 0-255 separated by dots, such as 10.0.1.5)`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args[2:], " "), func(t *testing.T) {
			code, stdout, stderr := runCLI(tt.args...)
			assert.Equal(t, exitInvalid, code)
			assert.Empty(t, stdout)
			assert.Equal(t, tt.msg+"\n", stderr)
		})
	}
}
