package model_test

import (
	"net/netip"
	"strings"
)

func mustPrefix(s string) netip.Prefix { return netip.MustParsePrefix(s) }

func stringsReplace(s, old, new string) string { return strings.Replace(s, old, new, 1) }
