package cost_test

import (
	"testing"

	"github.com/vpcreach/vpcreach/cost"
)

// FuzzParseTable: any input is parsed or refused with an error, never a
// panic, and a table that parses prices its fallback region.
func FuzzParseTable(f *testing.F) {
	f.Add(cost.DefaultText())
	f.Add([]byte(`{"version": 1, "fallback": "x", "regions": {"x": {"per_gb": {}, "per_hour": {}}}}`))
	f.Add([]byte("version: 1\nfallback: x\nregions:\n  x: [1, 2]\nsources: {cross_az: [a]}\n"))
	f.Add([]byte("- a\n- b\n"))
	f.Add([]byte("version: 1\nregions: {x: {per_gb: {cross_az: 1e3}}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := cost.ParseTable("f.yaml", data)
		if err != nil {
			return
		}
		if _, exact := tb.For(tb.Fallback()); !exact {
			t.Fatalf("a parsed table lacks its fallback region %q", tb.Fallback())
		}
	})
}

// FuzzParseMoney: a price that parses prints as a decimal that parses
// back to the same amount.
func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"0.045", "1", "$2.5", ".5", "0.000001", "-1", "1e3", "999999999.999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := cost.ParseMoney(s)
		if err != nil {
			return
		}
		if m < 0 {
			t.Fatalf("ParseMoney(%q) = %d, negative", s, m)
		}
		back, err := cost.ParseMoney(m.Decimal())
		if err != nil || back != m {
			t.Fatalf("ParseMoney(%q) = %s, which parses back as %d, %v", s, m, back, err)
		}
	})
}
