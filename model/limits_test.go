package model_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/model"
)

// diagsOf returns the Diagnostics of err.
func diagsOf(t *testing.T, err error) model.Diagnostics {
	t.Helper()
	require.Error(t, err)
	var ds model.Diagnostics
	require.True(t, errors.As(err, &ds), "error is %T, want model.Diagnostics", err)
	return ds
}

// textAt returns the text of src from a line and column on.
func textAt(src string, line, col int) string {
	lines := strings.Split(src, "\n")
	if line < 1 || line > len(lines) {
		return ""
	}
	r := []rune(lines[line-1])
	if col < 1 || col > len(r) {
		return ""
	}
	return string(r[col-1:])
}

// billionLaughs is a 16 KB topology that aliases expand to 2 billion
// nodes: 1,300 VPCs of 1,300 instances of 1,300 secondary addresses.
func billionLaughs() string {
	list := func(alias string) string { return strings.Repeat(", "+alias, 1299) }
	return "version: 1\nvpcs:\n" +
		"  - &v\n    id: vpc-a\n    region: r\n    cidr_blocks: [10.0.0.0/16]\n    instances: [&i {id: i-1, subnet: s, private_ip: 10.0.0.4, secondary_ips: [&a 10.0.0.5" +
		list("*a") + "]}" + list("*i") + "]\n  - [*v" + list("*v") + "]\n"
}

func TestBillionLaughsIsOneErrorAtTheAlias(t *testing.T) {
	src := billionLaughs()
	require.Less(t, len(src), 16<<10)
	for _, load := range []func() error{
		func() error { _, err := model.Parse("t.yaml", []byte(src)); return err },
		func() error { _, _, err := model.LoadBytes("t.yaml", []byte(src)); return err },
	} {
		ds := diagsOf(t, load())
		require.Len(t, ds, 1, "one error, not one per expanded node: %v", ds)
		d := ds[0]
		assert.ErrorIs(t, d, model.ErrTooLarge)
		assert.Equal(t, "YAML aliases expand to more than 1048576 nodes at this alias; the file is not checked further", d.Message)
		assert.True(t, strings.HasPrefix(textAt(src, d.Pos.Line, d.Pos.Column), "*i"),
			"%s: the error points at %q, want the alias that crossed the budget", d.Pos, textAt(src, d.Pos.Line, d.Pos.Column))
	}
}

func TestAliasInsideItsAnchorIsOneError(t *testing.T) {
	src := []byte("version: 1\nvpcs: &a [*a]\n")
	assert.Equal(t, []string{`t.yaml:2:11: alias *a stands for a node that contains it; the file is not checked further`},
		parseErrors(t, src))
	_, err := model.Parse("t.yaml", src)
	assert.ErrorIs(t, err, model.ErrSyntax, "not a limit: raising one would not help")
	assert.NotErrorIs(t, err, model.ErrTooLarge)
}

// TestErrorsRepeatedThroughAliasesAreReportedOnce: a resource written once
// and used through aliases has each of its errors once, where it is
// written.
func TestErrorsRepeatedThroughAliasesAreReportedOnce(t *testing.T) {
	src := minimal(`    subnets: [{id: s, az: ap-southeast-1a, cidr_block: 10.0.0.0/24}]
    instances:
      - &i {id: i-1, subnet: s, private_ip: 10.0.0.4, colour: red}
      - *i
      - *i
`)
	_, _, err := model.LoadBytes("t.yaml", []byte(src))
	var got []string
	for _, d := range diagsOf(t, err) {
		got = append(got, d.Error())
	}
	assert.Equal(t, []string{
		`t.yaml:8:17: vpcs[0].instances[1].id: duplicate id "i-1": a YAML alias repeats the resource written here`,
		`t.yaml:8:55: vpcs[0].instances[0].colour: unknown field "colour" (known: id, aws_id, name, eni, subnet, private_ip, secondary_ips, ipv6_addresses, public_ip, elastic_ip, assumed_ips, security_groups, source_dest_check, account, state)`,
	}, got)
}

func TestNodeBudget(t *testing.T) {
	src := minimal("    subnets:\n" + strings.Repeat("      - {id: s, az: ap-southeast-1a, cidr_block: 10.0.0.0/24}\n", 20))
	// 14 nodes before the subnets, 7 per subnet.
	ds := diagsOf(t, func() error { _, err := model.LoadOptions{MaxNodes: 60}.Parse("t.yaml", []byte(src)); return err }())
	require.Len(t, ds, 1)
	assert.Equal(t, `t.yaml:13:17: the file holds more than 60 YAML nodes (aliases expanded); the file is not checked further`, ds[0].Error())
	assert.ErrorIs(t, ds[0], model.ErrTooLarge)

	_, err := model.LoadOptions{MaxNodes: -1}.Parse("t.yaml", []byte(src))
	assert.NoError(t, err, "a negative MaxNodes lifts the limit")
	_, err = model.LoadOptions{MaxNodes: 1000}.Parse("t.yaml", []byte(src))
	assert.NoError(t, err)
}

func TestFileSizeLimit(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.yaml")
	require.NoError(t, os.WriteFile(small, []byte(minimal("")), 0o600))
	// A sparse file just above the default limit: refused from its size,
	// without reading it.
	big := filepath.Join(dir, "big.yaml")
	f, err := os.Create(big)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(model.DefaultMaxFileSize+1))
	require.NoError(t, f.Close())

	_, _, err = model.LoadFiles(small, big)
	ds := diagsOf(t, err)
	require.Len(t, ds, 1)
	assert.Equal(t, big+": the file is 128.0 MiB, above the 128 MiB limit on a topology file; it is not read", ds[0].Error())
	assert.ErrorIs(t, ds[0], model.ErrTooLarge)

	opts := model.LoadOptions{MaxFileSize: 50}
	_, _, err = opts.LoadFiles(small)
	require.Error(t, err)
	assert.Equal(t, fmt.Sprintf("%s: the file is %d bytes, above the 50 bytes limit on a topology file; it is not read", small, len(minimal(""))), err.Error())
	_, _, err = opts.LoadBytes("t.yaml", []byte(minimal("")))
	require.Error(t, err)
	assert.Equal(t, fmt.Sprintf("t.yaml: the file is %d bytes, above the 50 bytes limit on a topology file; it is not read", len(minimal(""))), err.Error())

	// A pipe has no size: it is read up to the limit.
	r, w, err := os.Pipe()
	require.NoError(t, err)
	go func() {
		_, _ = w.Write([]byte(minimal("")))
		w.Close()
	}()
	_, _, err = opts.LoadFiles(fmt.Sprintf("/dev/fd/%d", r.Fd()))
	r.Close()
	if err != nil && !strings.Contains(err.Error(), "no such file") {
		assert.Contains(t, err.Error(), "the input is larger than the 50 bytes limit on a topology file; it is not read")
	}

	m, _, err := model.LoadOptions{MaxFileSize: -1}.LoadFiles(small)
	require.NoError(t, err, "a negative MaxFileSize lifts the limit")
	assert.Len(t, m.VPCs, 1)
}

// TestGeneratedNetworkFitsDefaultLimits: the 5,000-VPC network of
// `vpcreach generate --vpcs 5000` (47 MiB, 4.6 million YAML nodes) loads
// under the default limits. Its size grows linearly with the VPCs, so a
// 50-VPC network must fit a hundredth of them.
func TestGeneratedNetworkFitsDefaultLimits(t *testing.T) {
	data, err := model.Encode(gen.Generate(gen.Options{VPCs: 50}))
	require.NoError(t, err)
	opts := model.LoadOptions{MaxFileSize: model.DefaultMaxFileSize / 100, MaxNodes: model.DefaultMaxNodes / 100}
	_, _, err = opts.LoadBytes("gen.yaml", data)
	require.NoError(t, err)
}
