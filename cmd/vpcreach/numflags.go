package main

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
)

// The numeric flags: one flag.Value per kind of number, each refusing a
// value outside its range with the range, so that no number is wrapped
// (--port 71915 is not 6379), clamped or ignored. The flag package
// prints the refusal as
//
//	invalid value "71915" for flag -port: out of range: a port is 1-65535
//
// and the command exits 2. Numbers are decimal: "010" is ten.

// wholeNumber parses a decimal whole number in [lo, hi]; what names the
// number in the error ("a port").
func wholeNumber(s string, lo, hi int64, what string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	var ne *strconv.NumError
	switch {
	case errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange):
		return 0, fmt.Errorf("out of range: %s is %d-%d", what, lo, hi)
	case err != nil:
		return 0, fmt.Errorf("not a whole number: %s is %d-%d", what, lo, hi)
	case n < lo || n > hi:
		return 0, fmt.Errorf("out of range: %s is %d-%d", what, lo, hi)
	}
	return n, nil
}

// portFlag is a destination port: 1-65535. Zero means not given.
type portFlag struct{ port uint16 }

func (f *portFlag) String() string {
	if f == nil || f.port == 0 {
		return ""
	}
	return strconv.Itoa(int(f.port))
}

func (f *portFlag) Set(s string) error {
	n, err := wholeNumber(s, 1, 65535, "a port")
	f.port = uint16(n)
	return err
}

// icmpFlag is an ICMP type or code: 0-255. A query sends one packet, so
// the -1 ("any") of security group and network ACL rules has no meaning
// here and is refused.
type icmpFlag struct {
	v    int
	what string // "an ICMP type"
}

func (f *icmpFlag) String() string {
	if f == nil {
		return "0"
	}
	return strconv.Itoa(f.v)
}

func (f *icmpFlag) Set(s string) error {
	n, err := wholeNumber(s, 0, 255, f.what)
	f.v = int(n)
	return err
}

// countFlag is a count in [min, max].
type countFlag struct {
	n, min, max int
	what        string // "the number of VPCs"
}

func (f *countFlag) String() string {
	if f == nil {
		return "0"
	}
	return strconv.Itoa(f.n)
}

func (f *countFlag) Set(s string) error {
	n, err := wholeNumber(s, int64(f.min), int64(f.max), f.what)
	f.n = int(n)
	return err
}

// addCount adds a count flag with a default and a range.
func addCount(fs *flag.FlagSet, name string, def, lo, hi int, what, usage string) *countFlag {
	f := &countFlag{n: def, min: lo, max: hi, what: what}
	fs.Var(f, name, fmt.Sprintf("%s (%d-%d)", usage, lo, hi))
	return f
}

// sizeFlag is an amount of memory in bytes: a whole number with an
// optional unit, B, KiB, MiB, GiB or TiB (powers of 1024; K, M, G, T and
// KB, MB, GB, TB mean the same), from 1 MiB to 1 PiB.
type sizeFlag struct{ bytes uint64 }

func (f *sizeFlag) String() string {
	if f == nil || f.bytes == 0 {
		return ""
	}
	return byteSize(f.bytes)
}

func (f *sizeFlag) Set(s string) error {
	n, err := parseSize(s, 1<<20, "8GiB", "1MiB")
	if err != nil {
		return err
	}
	f.bytes = n
	return nil
}

// parseSize reads a whole number of bytes with an optional unit, B, KiB,
// MiB, GiB or TiB (powers of 1024; K, M, G, T and KB, MB, GB, TB mean the
// same), from lo (written loText) to 1024 TiB; example is shown in the
// message of a text that is not a size.
func parseSize(s string, lo uint64, example, loText string) (uint64, error) {
	const hi = 1 << 50
	t := strings.TrimSpace(s)
	i := strings.IndexFunc(t, func(r rune) bool { return r < '0' || r > '9' })
	num, unit := t, ""
	if i >= 0 {
		num, unit = t[:i], strings.TrimSpace(t[i:])
	}
	shift := -1
	switch strings.TrimSuffix(strings.TrimSuffix(strings.ToUpper(unit), "B"), "I") {
	case "":
		shift = 0
	case "K":
		shift = 10
	case "M":
		shift = 20
	case "G":
		shift = 30
	case "T":
		shift = 40
	}
	n, err := strconv.ParseUint(num, 10, 64)
	if shift < 0 || err != nil || num == "" || n == 0 {
		return 0, fmt.Errorf("not a size: a size is a whole number with an optional unit B, KiB, MiB, GiB or TiB (such as %s), from %s to 1024TiB", example, loText)
	}
	if n > hi>>shift || n<<shift < lo {
		return 0, fmt.Errorf("out of range: a size is %s-1024TiB", loText)
	}
	return n << shift, nil
}

// byteSize renders a number of bytes for people: "1.5 GiB".
func byteSize(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTP"[exp])
}

var (
	_ flag.Value = (*portFlag)(nil)
	_ flag.Value = (*icmpFlag)(nil)
	_ flag.Value = (*countFlag)(nil)
	_ flag.Value = (*sizeFlag)(nil)
)
