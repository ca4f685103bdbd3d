// Package termtext makes text safe to print on a terminal. Ids, names and
// file names come from topology files and AWS snapshots, which anyone can
// write: an id holding an escape sequence could recolour, rewrite or hide
// the output around it, and one holding a newline could forge a line of
// it. Text renderers pass every such string through Escape; JSON output
// keeps strings as they are (the JSON encoder escapes control characters
// itself).
package termtext

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Escape returns s with every character that is unsafe on a terminal
// written as a Go escape, as strconv.Quote writes it ("\x1b", "\n",
// "\u202e"), and every byte that is not UTF-8 as "\xNN". Unsafe are the
// C0 and C1 control characters (tab and newline included), DEL, the
// Unicode line and paragraph separators, and the bidirectional formatting
// characters (which reorder what a reader sees). Anything else, backslash
// included, is kept, so that ordinary ids print unchanged; s itself is
// returned, without allocating, when nothing needs escaping.
func Escape(s string) string {
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unsafe(r, n) {
			break
		}
		i += n
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteString(`\x`)
			b.WriteString(strconv.FormatUint(uint64(s[i])>>4, 16))
			b.WriteString(strconv.FormatUint(uint64(s[i])&15, 16))
		case unsafe(r, n):
			q := strconv.QuoteRuneToASCII(r) // such as '\x1b'
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// unsafe reports whether a decoded rune (of n bytes) must be escaped.
func unsafe(r rune, n int) bool {
	switch {
	case r == utf8.RuneError && n == 1: // a byte that is not UTF-8
		return true
	case r < 0x20, r >= 0x7f && r <= 0x9f: // C0, DEL, C1
		return true
	case r == 0x2028, r == 0x2029: // line and paragraph separators
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069: // bidi
		return true
	}
	return false
}
