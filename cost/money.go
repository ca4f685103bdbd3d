package cost

import (
	"fmt"
	"strconv"
	"strings"
)

// Money is an amount of US dollars, held exactly as a whole number of
// millionths of a dollar (micro-dollars), so that sums of prices are exact
// and print the same on every machine: 0.045 + 0.09 is 0.135, not
// 0.13499999999999998. The zero value is no charge.
type Money int64

// microsPerDollar is the number of micro-dollars in a dollar.
const microsPerDollar = 1_000_000

// Dollars returns the amount in dollars, for JSON and for arithmetic
// outside this package.
func (m Money) Dollars() float64 { return float64(m) / microsPerDollar }

// String returns the amount as dollars with at least two decimals and no
// trailing zeros beyond them: "$0.045", "$0.09", "$0.00", "$1.20".
func (m Money) String() string { return "$" + m.Decimal() }

// Decimal returns the amount as a decimal number of dollars, as String
// writes it without the dollar sign: "0.045", "0.00".
func (m Money) Decimal() string {
	sign := ""
	v := int64(m)
	if v < 0 {
		sign, v = "-", -v
	}
	frac := strings.TrimRight(fmt.Sprintf("%06d", v%microsPerDollar), "0")
	for len(frac) < 2 {
		frac += "0"
	}
	return sign + strconv.FormatInt(v/microsPerDollar, 10) + "." + frac
}

// MarshalJSON writes the amount as a JSON number of dollars (0.045).
func (m Money) MarshalJSON() ([]byte, error) { return []byte(m.Decimal()), nil }

// ParseMoney parses a non-negative decimal number of dollars with at most
// six decimals, such as "0.045" or "1" (a leading "$" is allowed). It
// refuses exponents, signs and more precision than a micro-dollar, so
// that a price is read exactly as written.
func ParseMoney(s string) (Money, error) {
	t := strings.TrimPrefix(strings.TrimSpace(s), "$")
	whole, frac, dot := strings.Cut(t, ".")
	if whole == "" && frac == "" || !digits(whole) || !digits(frac) || dot && frac == "" && whole == "" {
		return 0, fmt.Errorf("%q is not a price in dollars (write a decimal such as 0.045)", s)
	}
	if len(frac) > 6 {
		return 0, fmt.Errorf("%q has more than six decimals: prices are kept to a millionth of a dollar", s)
	}
	if len(whole) > 9 {
		return 0, fmt.Errorf("%q is too large for a price", s)
	}
	var w int64
	if whole != "" {
		w, _ = strconv.ParseInt(whole, 10, 64)
	}
	f := int64(0)
	if frac != "" {
		f, _ = strconv.ParseInt(frac+strings.Repeat("0", 6-len(frac)), 10, 64)
	}
	return Money(w*microsPerDollar + f), nil
}

// digits reports whether s holds only ASCII digits (the empty string
// does).
func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
