package cost_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/cost"
)

func TestMoneyParsesAndPrintsExactly(t *testing.T) {
	cases := []struct {
		in   string
		want cost.Money
		text string
	}{
		{"0.045", 45_000, "$0.045"},
		{"0.09", 90_000, "$0.09"},
		{"0", 0, "$0.00"},
		{"1", 1_000_000, "$1.00"},
		{"1.2", 1_200_000, "$1.20"},
		{"$0.0225", 22_500, "$0.0225"},
		{".5", 500_000, "$0.50"},
		{"0.000001", 1, "$0.000001"},
	}
	for _, c := range cases {
		m, err := cost.ParseMoney(c.in)
		require.NoError(t, err, c.in)
		assert.Equal(t, c.want, m, "ParseMoney(%q)", c.in)
		assert.Equal(t, c.text, m.String(), "Money(%d).String()", m)
	}
	// Sums are exact: 0.045 + 0.09 is 0.135.
	assert.Equal(t, "$0.135", (cost.Money(45_000) + cost.Money(90_000)).String())
	for _, bad := range []string{"", "-0.01", "4.5e-2", "0.0000001", "abc", "0.04.5", ".", "1,5"} {
		_, err := cost.ParseMoney(bad)
		assert.Error(t, err, "ParseMoney(%q) must fail", bad)
	}
}

func TestDefaultTableNamesRegionDateAndSources(t *testing.T) {
	tb := cost.Default()
	assert.Equal(t, []string{"us-east-1"}, tb.Regions())
	assert.Equal(t, "us-east-1", tb.Fallback())
	assert.Equal(t, "2026-12-07", tb.Date())
	assert.Contains(t, tb.Name(), "N. Virginia")
	for _, key := range []string{"nat_gateway_processing", "transit_gateway_processing", "interface_endpoint_processing",
		"cross_az", "inter_region", "internet_egress", "nat_gateway", "interface_endpoint_az", "transit_gateway_attachment"} {
		assert.True(t, strings.HasPrefix(tb.Source(key), "https://aws.amazon.com/"), "source of %s: %q", key, tb.Source(key))
	}
	p, exact := tb.For("us-east-1")
	require.True(t, exact)
	// The us-east-1 list prices read on the table's date.
	assert.Equal(t, cost.Prices{Region: "us-east-1",
		NATGatewayProcessing: 45_000, TransitGatewayProcessing: 20_000, InterfaceEndpointProcessing: 10_000,
		CrossAZ: 10_000, InterRegion: 20_000, InternetEgress: 90_000,
		NATGatewayHour: 45_000, InterfaceEndpointAZHour: 10_000, TransitGatewayAttachmentHour: 50_000}, p)
	q, exact := tb.For("ap-southeast-1")
	assert.False(t, exact)
	assert.Equal(t, p, q, "a region the table lacks gets the fallback's prices")
	// DefaultText is the file Default parses.
	again, err := cost.ParseTable("x", cost.DefaultText())
	require.NoError(t, err)
	assert.Equal(t, tb.Regions(), again.Regions())
}

func TestParseTableReportsEveryErrorWithItsPosition(t *testing.T) {
	_, err := cost.ParseTable("p.yaml", []byte(`version: 1
fallback: eu-west-1
regions:
  us-east-1:
    per_gb:
      nat_gateway_procesing: 0.045
      transit_gateway_processing: -0.02
      interface_endpoint_processing: 0.01
      cross_az: 0.01
      inter_region: 0.02
      internet_egress: 0.09
    per_hour: {nat_gateway: 0.045, interface_endpoint_az: 0.01, transit_gateway_attachment: 0.05}
sources:
  nat: https://example.com
`))
	require.Error(t, err)
	var e *cost.Error
	require.True(t, errors.As(err, &e))
	assert.Equal(t, strings.Join([]string{
		`p.yaml:2:11: fallback: region "eu-west-1" is not in regions`,
		`p.yaml:6:7: regions.us-east-1.per_gb.nat_gateway_procesing: unknown field (did you mean "nat_gateway_processing"?)`,
		`p.yaml:6:7: regions.us-east-1.per_gb: missing nat_gateway_processing`,
		`p.yaml:7:35: regions.us-east-1.per_gb.transit_gateway_processing: "-0.02" is not a price in dollars (write a decimal such as 0.045)`,
		`p.yaml:14:3: sources.nat: unknown price key (known: nat_gateway_processing, transit_gateway_processing, interface_endpoint_processing, cross_az, inter_region, internet_egress, nat_gateway, interface_endpoint_az, transit_gateway_attachment)`,
	}, "\n"), err.Error())
}

func TestParseTableReadsJSON(t *testing.T) {
	tb, err := cost.ParseTable("p.json", []byte(`{"version": 1, "fallback": "eu-west-1", "regions": {"eu-west-1": {
	  "per_gb": {"nat_gateway_processing": 0.048, "transit_gateway_processing": 0.02, "interface_endpoint_processing": 0.01,
	             "cross_az": 0.01, "inter_region": 0.02, "internet_egress": 0.09},
	  "per_hour": {"nat_gateway": 0.048, "interface_endpoint_az": 0.011, "transit_gateway_attachment": 0.05}}}}`))
	require.NoError(t, err)
	p, exact := tb.For("eu-west-1")
	assert.True(t, exact)
	assert.Equal(t, cost.Money(48_000), p.NATGatewayProcessing)
	assert.Equal(t, cost.Money(11_000), p.InterfaceEndpointAZHour)
}

func TestParseTableRefusesBrokenFiles(t *testing.T) {
	for name, text := range map[string]string{
		"not YAML":         "version: [1",
		"empty":            "",
		"no regions":       "version: 1\nfallback: us-east-1\n",
		"wrong version":    "version: 2\nfallback: x\nregions: {x: {per_gb: {}, per_hour: {}}}\n",
		"wrong currency":   strings.Replace(string(cost.DefaultText()), "currency: USD", "currency: EUR", 1),
		"a list for a map": "version: 1\nfallback: x\nregions: [x]\n",
	} {
		_, err := cost.ParseTable("p.yaml", []byte(text))
		assert.Error(t, err, name)
	}
}
