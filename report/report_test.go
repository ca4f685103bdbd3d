package report_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/report"
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

	f, err := os.Open("testdata/sarif-2.1.0-rtm.5.json")
	require.NoError(t, err)
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("sarif.json", doc))
	schema, err := c.Compile("sarif.json")
	require.NoError(t, err)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
	require.NoError(t, err)
	require.NoError(t, schema.Validate(inst), buf.String())

	var log map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &log))
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

func TestSARIFSchemaCatchesBrokenLogs(t *testing.T) {
	f, err := os.Open("testdata/sarif-2.1.0-rtm.5.json")
	require.NoError(t, err)
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("sarif.json", doc))
	schema, err := c.Compile("sarif.json")
	require.NoError(t, err)
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
