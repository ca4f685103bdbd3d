package report_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/report"
	"github.com/vpcreach/vpcreach/solver"
)

var (
	testRules = []report.Rule{
		{ID: "sg-missing-description", Title: "security group without a description", Description: "A group without a description leaves people guessing.", Help: "Add a description.", Level: model.SeverityWarning},
		{ID: "sensitive-port-exposed", Title: "sensitive port reachable from the internet", Description: "A database port open to the internet.", Help: "Close it.", Level: model.SeverityError},
	}
	testItems = []report.Item{
		{Rule: "sg-missing-description", Level: model.SeverityWarning, Message: "security group sg-a has no description",
			Pos: model.Position{File: "net/a.yaml", Line: 12, Column: 9}, Component: "sg-a"},
		{Rule: "sensitive-port-exposed", Level: model.SeverityError, Message: "tcp/22 on i-web is reachable from the internet",
			Pos: model.Position{File: "net/a.yaml", Line: 40, Column: 7}, Component: "i-web", Detail: "path: internet -> igw -> i-web"},
		{Rule: "sg-missing-description", Level: model.SeverityWarning, Message: "passing", Passed: true},
	}
)

// TestSARIFValidatesAgainstTheSchema checks the output against the SARIF
// 2.1.0 JSON Schema (testdata, see NOTICE.md).
func TestSARIFValidatesAgainstTheSchema(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, report.SARIF(&buf, report.Tool{Name: "vpcreach", Version: "test", InformationURI: "https://github.com/vpcreach/vpcreach"}, testRules, testItems))

	log := validSARIF(t, buf.Bytes())
	run := log["runs"].([]any)[0].(map[string]any)
	results := run["results"].([]any)
	require.Len(t, results, 2, "passed items are left out")
	first := results[0].(map[string]any)
	assert.Equal(t, "sg-missing-description", first["ruleId"])
	assert.Equal(t, "warning", first["level"])
	loc := first["locations"].([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)
	assert.Equal(t, "net/a.yaml", loc["artifactLocation"].(map[string]any)["uri"])
	assert.Equal(t, float64(12), loc["region"].(map[string]any)["startLine"])
	assert.NotEmpty(t, first["partialFingerprints"])
	rules := run["tool"].(map[string]any)["driver"].(map[string]any)["rules"].([]any)
	assert.Equal(t, "SgMissingDescription", rules[0].(map[string]any)["name"])
}

// schemaPath is the schema's absolute path, for tests that change
// directory.
var schemaPath, _ = filepath.Abs("testdata/sarif-2.1.0-rtm.5.json")

// sarifSchema compiles the SARIF 2.1.0 JSON Schema (testdata, see
// NOTICE.md).
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(schemaPath)
	require.NoError(t, err)
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("sarif.json", doc))
	schema, err := c.Compile("sarif.json")
	require.NoError(t, err)
	return schema
}

// validSARIF checks a log against the SARIF 2.1.0 schema and returns it
// decoded.
func validSARIF(t *testing.T, data []byte) map[string]any {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	require.NoError(t, err)
	require.NoError(t, sarifSchema(t).Validate(inst), string(data))
	var log map[string]any
	require.NoError(t, json.Unmarshal(data, &log))
	return log
}

func TestSARIFSchemaCatchesBrokenLogs(t *testing.T) {
	schema := sarifSchema(t)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(`{"version": "2.1.0", "runs": [{"results": []}]}`)))
	require.NoError(t, err)
	assert.Error(t, schema.Validate(inst), "a run without a tool is not SARIF: the validation can fail")
}

func TestJUnit(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, report.JUnit(&buf, "lint", testItems))
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	require.NoError(t, xml.Unmarshal(buf.Bytes(), &doc), buf.String())
	assert.Equal(t, 3, doc.Tests)
	assert.Equal(t, 2, doc.Failures)
	cases := doc.Suites[0].Cases
	assert.Equal(t, "sg-missing-description net/a.yaml:12:9", cases[0].Name)
	assert.Contains(t, cases[1].Failure.Text, "path: internet -> igw -> i-web")
	assert.Nil(t, cases[2].Failure)

	buf.Reset()
	require.NoError(t, report.JUnit(&buf, "lint", nil))
	assert.Contains(t, buf.String(), `name="no findings"`)
}

// checkOutcomes checks the expectations of testdata/check.yaml.
func checkOutcomes(t *testing.T) []solver.Outcome {
	t.Helper()
	m, _, err := model.LoadFiles("testdata/check.yaml")
	require.NoError(t, err)
	s, err := solver.New(m)
	require.NoError(t, err)
	return s.Check()
}

// results returns the results of a SARIF log's run, by rule id and then
// in order.
func results(log map[string]any) []map[string]any {
	var out []map[string]any
	for _, r := range log["runs"].([]any)[0].(map[string]any)["results"].([]any) {
		out = append(out, r.(map[string]any))
	}
	return out
}

func rulesByID(log map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, r := range log["runs"].([]any)[0].(map[string]any)["tool"].(map[string]any)["driver"].(map[string]any)["rules"].([]any) {
		out[r.(map[string]any)["id"].(string)] = r.(map[string]any)
	}
	return out
}

// TestSARIFCheckResultsCarryCodesAndPaths: a failed expectation carries its
// blocking codes, its blockers as related locations, and its path as a
// code flow whose thread flows (request, response) list the hops with
// their file and line.
func TestSARIFCheckResultsCarryCodesAndPaths(t *testing.T) {
	var buf bytes.Buffer
	rep := report.Report{Tool: report.Tool{Name: "vpcreach"}, Rules: report.CheckRules(), Items: report.CheckItems(checkOutcomes(t))}
	require.NoError(t, rep.WriteSARIF(&buf))
	log := validSARIF(t, buf.Bytes())
	res := results(log)
	require.Len(t, res, 3, "the expectations that hold are left out")

	ssh := res[0]
	assert.Equal(t, "expectation-failed", ssh["ruleId"])
	assert.Equal(t, "app reaches the database on ssh: expected reachable, got unreachable (ENI_SG_RULES_MISMATCH)", ssh["message"].(map[string]any)["text"])
	assert.Equal(t, []any{"ENI_SG_RULES_MISMATCH"}, ssh["properties"].(map[string]any)["codes"])
	related := ssh["relatedLocations"].([]any)
	require.Len(t, related, 1)
	rl := related[0].(map[string]any)
	assert.Contains(t, rl["message"].(map[string]any)["text"], "ENI_SG_RULES_MISMATCH at i-db (forward)")
	assert.Equal(t, "testdata/check.yaml", rl["physicalLocation"].(map[string]any)["artifactLocation"].(map[string]any)["uri"])

	flows := ssh["codeFlows"].([]any)[0].(map[string]any)["threadFlows"].([]any)
	require.Len(t, flows, 2, "request and response")
	forward := flows[0].(map[string]any)
	assert.Equal(t, "forward path (the request)", forward["message"].(map[string]any)["text"])
	steps := forward["locations"].([]any)
	first := steps[0].(map[string]any)["location"].(map[string]any)
	assert.Equal(t, "instance i-app: send: i-app sends tcp/22 from 10.0.1.10 to 10.0.2.10", first["message"].(map[string]any)["text"])
	region := first["physicalLocation"].(map[string]any)["region"].(map[string]any)
	assert.Equal(t, float64(30), region["startLine"], "i-app is written on line 30")
	var deny map[string]any
	for _, s := range steps {
		loc := s.(map[string]any)["location"].(map[string]any)
		if strings.Contains(loc["message"].(map[string]any)["text"].(string), ": deny:") {
			deny = loc
		}
	}
	require.NotNil(t, deny, "the blocking hop is on the path")
	assert.Contains(t, deny["message"].(map[string]any)["text"], "security-group ingress sg-db: deny")

	leak := res[1]
	assert.Equal(t, "expectation-unexpectedly-reachable", leak["ruleId"])
	assert.Equal(t, "7.0", leak["properties"].(map[string]any)["security-severity"], "exposure within the network: high")
	assert.NotEmpty(t, leak["codeFlows"], "the path that lets the flow through")
	public := res[2]
	assert.Equal(t, "9.0", public["properties"].(map[string]any)["security-severity"], "exposure to the internet: critical")
	assert.Equal(t, []any{"security", "exposure"}, public["properties"].(map[string]any)["tags"])

	rules := rulesByID(log)
	assert.Equal(t, "8.0", rules["expectation-unexpectedly-reachable"]["properties"].(map[string]any)["security-severity"])
	assert.Contains(t, rules["expectation-unexpectedly-reachable"]["properties"].(map[string]any)["tags"], "security")
	assert.NotContains(t, rules["expectation-failed"]["properties"].(map[string]any)["tags"], "security",
		"a blocked flow is not a security finding")
}

// TestSARIFLintSecuritySeverity: the lint rules about exposure carry a
// security severity and the "security" tag, on the rule (which GitHub
// code scanning reads) and on each result; the others carry neither.
func TestSARIFLintSecuritySeverity(t *testing.T) {
	items := []report.Item{
		{Rule: "sensitive-port-exposed", Level: model.SeverityError, Message: "tcp/22 on i-web is reachable from the internet", Pos: model.Position{File: "a.yaml", Line: 4, Column: 7}},
		{Rule: "sg-missing-description", Level: model.SeverityWarning, Message: "sg-a has no description", Pos: model.Position{File: "a.yaml", Line: 9, Column: 7}},
	}
	var buf bytes.Buffer
	require.NoError(t, report.Report{Tool: report.Tool{Name: "vpcreach"}, Rules: report.LintRules(), Items: items}.WriteSARIF(&buf))
	log := validSARIF(t, buf.Bytes())
	rules := rulesByID(log)
	exposed := rules["sensitive-port-exposed"]["properties"].(map[string]any)
	assert.Equal(t, "9.0", exposed["security-severity"])
	assert.Equal(t, []any{"security", "exposure"}, exposed["tags"])
	assert.Nil(t, rules["sg-missing-description"]["properties"])
	res := results(log)
	assert.Equal(t, "9.0", res[0]["properties"].(map[string]any)["security-severity"])
	assert.Nil(t, res[1]["properties"])

	for _, r := range report.LintRules() {
		if r.SecuritySeverity != 0 {
			assert.Contains(t, r.Tags, "security", r.ID)
			assert.True(t, r.SecuritySeverity > 0 && r.SecuritySeverity <= 10, r.ID)
		}
	}
}

// TestSARIFURIsRelativeToTheBase: with a base directory, artifact URIs
// inside it are relative, with the uriBaseId %SRCROOT% that
// originalUriBaseIds maps to the base; a file outside it gets an absolute
// file:// URI.
func TestSARIFURIsRelativeToTheBase(t *testing.T) {
	base := t.TempDir()
	outside := t.TempDir()
	items := []report.Item{
		{Rule: "sg-missing-description", Level: model.SeverityWarning, Message: "in", Pos: model.Position{File: filepath.Join(base, "net", "a b.yaml"), Line: 3, Column: 1},
			Related: []report.Location{{Pos: model.Position{File: filepath.Join(outside, "c.yaml"), Line: 1}, Message: "elsewhere"}}},
	}
	var buf bytes.Buffer
	require.NoError(t, report.Report{Tool: report.Tool{Name: "vpcreach"}, Rules: testRules, Items: items, BaseDir: base}.WriteSARIF(&buf))
	log := validSARIF(t, buf.Bytes())
	run := log["runs"].([]any)[0].(map[string]any)
	root := run["originalUriBaseIds"].(map[string]any)["%SRCROOT%"].(map[string]any)["uri"].(string)
	assert.True(t, strings.HasPrefix(root, "file:///") && strings.HasSuffix(root, "/"), root)
	u, err := url.Parse(root)
	require.NoError(t, err)
	assert.Equal(t, strings.TrimPrefix(filepath.ToSlash(base), "/")+"/", strings.TrimPrefix(u.Path, "/"), "the base is the directory given")
	res := results(log)[0]
	art := res["locations"].([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)["artifactLocation"].(map[string]any)
	assert.Equal(t, "net/a%20b.yaml", art["uri"])
	assert.Equal(t, "%SRCROOT%", art["uriBaseId"])
	rel := res["relatedLocations"].([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)["artifactLocation"].(map[string]any)
	assert.True(t, strings.HasPrefix(rel["uri"].(string), "file:///"), "outside the base: absolute, %v", rel["uri"])
	assert.Nil(t, rel["uriBaseId"])

	// A relative path is taken from the current directory.
	t.Chdir(base)
	items[0].Pos.File = filepath.Join("net", "b.yaml")
	buf.Reset()
	require.NoError(t, report.Report{Tool: report.Tool{Name: "vpcreach"}, Rules: testRules, Items: items, BaseDir: "."}.WriteSARIF(&buf))
	art = results(validSARIF(t, buf.Bytes()))[0]["locations"].([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)["artifactLocation"].(map[string]any)
	assert.Equal(t, "net/b.yaml", art["uri"])
}

func TestRepositoryRoot(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "a", "b")
	require.NoError(t, os.MkdirAll(deep, 0o755))
	// A linked work tree has a .git file, not a directory.
	require.NoError(t, os.WriteFile(filepath.Join(root, ".git"), []byte("gitdir: elsewhere\n"), 0o644))
	got, err := report.RepositoryRoot(deep)
	require.NoError(t, err)
	assert.Equal(t, root, got)

	none := t.TempDir() // assumes no .git above the temporary directory
	got, err = report.RepositoryRoot(none)
	require.NoError(t, err)
	if _, err := os.Stat(filepath.Join(filepath.Dir(none), ".git")); err == nil {
		t.Skip("the temporary directory is inside a git work tree")
	}
	assert.Equal(t, none, got)
}
