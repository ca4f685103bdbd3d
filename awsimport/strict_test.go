package awsimport_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/awsimport"
	"github.com/vpcreach/vpcreach/model"
)

// mark stands, in the texts of the tests, where a diagnostic belongs; it
// is removed before the text is written.
const mark = "⟨"

// marked removes the mark from text and returns the text and the line and
// column of the mark (bytes, from 1).
func marked(t *testing.T, text string) (string, int, int) {
	t.Helper()
	i := strings.Index(text, mark)
	require.GreaterOrEqual(t, i, 0, "no %s in %q", mark, text)
	text = strings.Replace(text, mark, "", 1)
	line := 1 + strings.Count(text[:i], "\n")
	return text, line, i - strings.LastIndex(text[:i], "\n")
}

// readOne writes text as a snapshot file and reads it.
func readOne(t *testing.T, text string) (string, *model.Model, model.Diagnostics) {
	t.Helper()
	name := filepath.Join(t.TempDir(), "snap.json")
	require.NoError(t, os.WriteFile(name, []byte(text), 0o644))
	m, diags := awsimport.ReadFile(name)
	return name, m, diags
}

// oneError checks that diags hold exactly one error, at line:col of file
// name, wrapping sentinel and saying each fragment.
func oneError(t *testing.T, diags model.Diagnostics, name string, line, col int, sentinel error, fragments ...string) {
	t.Helper()
	errs := diags.Errors()
	require.Len(t, errs, 1, "one root cause, one error: %v", diags)
	d := errs[0]
	assert.Equal(t, model.Position{File: name, Line: line, Column: col}, d.Pos, "%s", d.Error())
	assert.True(t, errors.Is(d, sentinel), "%s does not wrap %v", d.Error(), sentinel)
	for _, f := range fragments {
		assert.Contains(t, d.Error(), f)
	}
}

// vpc is a valid Vpcs element; X in it stands for the value of a key
// vpcreach does not read.
const vpc = `{"VpcId": "vpc-1", "OwnerId": "111111111111", "CidrBlock": "10.0.0.0/16", "Unread": X}`

func inVpc(x string) string { return `{"Vpcs": [` + strings.Replace(vpc, "X", x, 1) + `]}` }

// Malformed JSON anywhere in a file, in the values vpcreach skips too, is
// one error at the offending byte; nothing of the file is imported.
func TestMalformedJSONIsAnErrorAtItsPosition(t *testing.T) {
	// The file's object, Vpcs' array and the VPC's object are three levels.
	deep := strings.Repeat("[", 9997) + mark + "[" + strings.Repeat("]", 9998)
	for _, c := range []struct {
		name, text, want string
	}{
		{"an array closed by a brace", inVpc(`[1,2` + mark + `}`), `expected ',' or ']' after an array element, found '}'`},
		{"an object closed by a bracket", inVpc(`{"a": 1` + mark + `]`), `expected ',' or '}' after an object member, found ']'`},
		{"a bare word", inVpc(mark + `foo`), `expected a value, found "foo"`},
		{"a misspelt literal", inVpc(mark + `tru`), `expected a value, found "tru"`},
		{"a literal run on", inVpc(mark + `nullx`), `expected a value, found "nullx"`},
		{"NaN", inVpc(mark + `NaN`), `expected a value, found "NaN"`},
		{"a single-quoted string", inVpc(mark + `'a'`), `expected a value, found '\''`},
		{"garbage after the top-level value", `{"Vpcs": []} ` + mark + `x`, `expected the end of the file after the top-level value, found 'x'`},
		{"a second top-level value", `{"Vpcs": []}` + "\n" + mark + `{}`, `found '{'`},
		{"a string cut by the end of the file", `{"Vpcs": [], "Unread": ` + mark + `"abc`, `unterminated string`},
		{"a string cut by a line break", "{\"Vpcs\": [],\n \"Unread\": " + mark + "\"abc\n}", `unterminated string (a line break before its closing quote)`},
		{"a tab in a string", inVpc(`"a` + mark + "\tb\""), `the control character U+0009 in a string`},
		{"a bad escape", inVpc(`"a` + mark + `\x"`), `invalid escape \x in a string`},
		{"a short unicode escape", inVpc(`"` + mark + `\u12G4"`), `\u takes four hexadecimal digits`},
		{"a leading zero", inVpc(mark + `012`), `the number 012 has a leading zero`},
		{"a lone minus", inVpc(`-` + mark + `]`), `expected a digit after '-', found ']'`},
		{"no digit after the point", inVpc(`1.` + mark + `}`), `expected a digit after the decimal point, found '}'`},
		{"no digit in the exponent", inVpc(`1e+` + mark + `}`), `expected a digit in the exponent, found '}'`},
		{"a trailing comma in an array", inVpc(`[1,` + mark + `]`), `a comma before ']': JSON has no trailing commas`},
		{"a trailing comma in a read object", `{"Vpcs": [{"VpcId": "vpc-1",` + mark + `}]}`, `a comma before '}': JSON has no trailing commas`},
		{"a missing colon", `{"Vpcs": [], "Unread" ` + mark + `1}`, `expected ':' after the key "Unread", found '1'`},
		{"a missing comma", inVpc(`{"a": 1 ` + mark + `"b": 2}`), `expected ',' or '}' after an object member, found '"'`},
		{"a key that is not a string", inVpc(`{` + mark + `a: 1}`), `expected a key (a string in double quotes), found 'a'`},
		{"nesting deeper than encoding/json allows", inVpc(deep), `arrays and objects nested deeper than 10000`},
		{"a cut file", `{"Vpcs": [` + mark, `expected a value, found the end of the file`},
		{"not an object, and broken", `[1,2` + mark + `}`, `expected ',' or ']' after an array element, found '}'`},
		{"a string where a list belongs", `{"Vpcs": ` + mark + `"vpc-1"}`, `Vpcs: JSON: a string where an array belongs`},
		{"a number where a string belongs", `{"Vpcs": [{"VpcId": ` + mark + `5}]}`, `Vpcs[0].VpcId: JSON: a number where a string belongs`},
		{"a fraction where an integer belongs", `{"SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": ` + mark + `22.0, "ToPort": 22}]}]}`,
			`SecurityGroups[0].IpPermissions[0].FromPort: JSON: the number 22.0 where an integer belongs`},
		{"an integer out of range", `{"SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": ` + mark + `99999999999999999999}]}]}`,
			`the number 99999999999999999999 is out of range`},
		{"a syntax error inside a value of the wrong type", `{"Vpcs": [{"VpcId": {"a": ` + mark + `x}}]}`, `expected a value, found 'x'`},
	} {
		t.Run(c.name, func(t *testing.T) {
			text, line, col := marked(t, c.text)
			name, m, diags := readOne(t, text)
			assert.Nil(t, m)
			sentinel := model.ErrSyntax
			if strings.Contains(c.want, "belongs") || strings.Contains(c.want, "out of range") {
				sentinel = model.ErrType
			}
			oneError(t, diags, name, line, col, sentinel, c.want)
		})
	}
}

// Invalid UTF-8 in a string, read or skipped, is an error at its byte,
// not an error of the export (YAML holds only UTF-8).
func TestInvalidUTF8IsAnErrorAtItsPosition(t *testing.T) {
	for _, c := range []struct{ name, text string }{
		{"in a description vpcreach reads", `{"SecurityGroups": [{"GroupId": "sg-1", "VpcId": "vpc-1", "Description": "caf` + mark + "\xe9" + `"}]}`},
		{"in a value vpcreach skips", inVpc(`"a` + mark + "\xff" + `"`)},
		{"in a key", inVpc(`{"k` + mark + "\xc3\x28" + `": 1}`)},
		{"a surrogate encoded in UTF-8", inVpc(`"` + mark + "\xed\xa0\x80" + `"`)},
	} {
		t.Run(c.name, func(t *testing.T) {
			text, line, col := marked(t, c.text)
			name, _, diags := readOne(t, text)
			oneError(t, diags, name, line, col, model.ErrSyntax, "invalid UTF-8 in a string")
		})
	}
	// Valid UTF-8, written or escaped, is read.
	_, m, diags := readOne(t, `{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "Tags": [{"Key": "Name", "Value": "café \u00e9 \ud83d\ude00"}]}]}`)
	require.NoError(t, diags.Err())
	assert.Equal(t, "café é 😀", m.VPCs[0].Name)
}

// A key given twice in an object vpcreach reads is an error: which value
// AWS meant is unknown (encoding/json would keep the last). In objects
// vpcreach skips, as encoding/json does, keys are not compared.
func TestDuplicateKeysInObjectsVpcreachReads(t *testing.T) {
	for _, c := range []struct{ name, text, want string }{
		{"a field", `{"Vpcs": [{"VpcId": "vpc-1", ` + mark + `"VpcId": "vpc-2"}]}`, `key "VpcId" given twice (first at 1:12)`},
		{"a field in another case", `{"Vpcs": [{"VpcId": "vpc-1", ` + mark + `"vpcid": "vpc-2"}]}`, `key "vpcid" given twice`},
		{"a field escaped", `{"Vpcs": [{"VpcId": "vpc-1", ` + mark + `"Vpc\u0049d": "vpc-2"}]}`, `key "VpcId" given twice`},
		{"a key vpcreach does not read", inVpc(`1, ` + mark + `"Unread": 2`), `key "Unread" given twice`},
		{"a top-level key", `{"Vpcs": [], ` + mark + `"Vpcs": []}`, `key "Vpcs" given twice (first at 1:2)`},
		{"a key of a nested object", `{"SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, ` + mark + `"FromPort": 0, "ToPort": 22}]}]}`,
			`SecurityGroups[0].IpPermissions[0]: JSON: key "FromPort" given twice`},
	} {
		t.Run(c.name, func(t *testing.T) {
			text, line, col := marked(t, c.text)
			name, _, diags := readOne(t, text)
			oneError(t, diags, name, line, col, model.ErrDuplicateID, c.want)
		})
	}
	_, m, diags := readOne(t, inVpc(`{"a": 1, "a": 2, "b": [{"c": 1, "c": 2}]}`))
	require.NoError(t, diags.Err(), "keys given twice in a value vpcreach skips")
	assert.Len(t, m.VPCs, 1)
}

// A snapshot or file from which nothing is imported is an error that
// says so, as an empty directory is.
func TestNothingImportedIsAnError(t *testing.T) {
	for _, c := range []struct{ name, text, want string }{
		{"only unrelated JSON", `{"DBInstances": [{"DBInstanceIdentifier": "db-1"}]}`, "the file holds no resource list vpcreach reads"},
		{"a null list", `{"Vpcs": null}`, "the resource lists hold no VPC"},
		{"an empty list", `{"Vpcs": [], "Subnets": []}`, "the resource lists hold no VPC"},
		{"a list of numbers", `[1, 2, 3]`, "the file holds no resource list vpcreach reads"},
		{"a VPC without an IPv4 block", `{"Vpcs": [{"VpcId": "vpc-1"}]}`, "no VPC of the snapshot could be imported"},
	} {
		t.Run(c.name, func(t *testing.T) {
			name, m, diags := readOne(t, c.text)
			assert.Nil(t, m)
			errs := diags.Errors()
			require.Len(t, errs, 1, "%v", diags)
			assert.True(t, errors.Is(errs[0], awsimport.ErrNothingImported), "%v", errs[0])
			assert.Equal(t, name, errs[0].Pos.File)
			assert.Contains(t, errs[0].Error(), "nothing imported: "+c.want)
			_, _, err := awsimport.ImportFile(name)
			assert.ErrorIs(t, err, awsimport.ErrNothingImported)
		})
	}
	dir := writeSnapshot(t, map[string]string{"rds.json": `{"DBInstances": []}`, "numbers.json": `[1, 2]`})
	_, _, err := awsimport.ImportDir(dir)
	require.ErrorIs(t, err, awsimport.ErrNothingImported)
	assert.ErrorContains(t, err, dir+": nothing imported: no file of the snapshot holds a resource list vpcreach reads")

	// A broken file is the one error: "nothing imported" would follow
	// from it.
	name, _, diags := readOne(t, `{"Vpcs": [`)
	require.Len(t, diags.Errors(), 1)
	assert.True(t, errors.Is(diags.Errors()[0], model.ErrSyntax), "%v", diags)
	assert.Equal(t, name, diags.Errors()[0].Pos.File)
}

// A file with an error is not half read: nothing of it reaches the model,
// and the other files do not build on what it held.
func TestABrokenFileStopsTheBuild(t *testing.T) {
	dir := writeSnapshot(t, map[string]string{
		"vpcs.json":    `{"Vpcs": [{"VpcId": "vpc-1", "OwnerId": "111111111111", "CidrBlock": "10.0.0.0/16"}]}`,
		"subnets.json": `{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-west-2a"}, {"SubnetId": "subnet-2",]}`,
		"instances.json": `{"Reservations": [{"Instances": [{"InstanceId": "i-1", "SubnetId": "subnet-1", "VpcId": "vpc-1",
			"PrivateIpAddress": "10.0.1.10", "State": {"Name": "running"}}]}]}`,
	})
	m, diags := awsimport.ReadDir(dir)
	assert.Nil(t, m)
	require.Len(t, diags.Errors(), 1, "%v", diags)
	assert.Contains(t, diags.Errors()[0].Error(), "subnets.json:1:")
	assert.Empty(t, diags.Warnings(), "no follow-on warnings about subnet-1, which the broken file holds")
}

// A file in UTF-16 (Windows PowerShell's redirection) is named as such.
func TestUTF16File(t *testing.T) {
	name, _, diags := readOne(t, "\xff\xfe{\x00}\x00")
	oneError(t, diags, name, 1, 1, model.ErrSyntax, "UTF-16")
}
