package model

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// YAML syntax errors are positioned here. yaml.v3 reports a line (often the
// line where the enclosing construct starts, not where the problem is) and
// never a column, and reports problems of the input's encoding (invalid
// UTF-8, control characters) with no position at all. So:
//
//   - checkEncoding scans the input before it is parsed and positions the
//     first encoding problem exactly;
//   - syntaxPosition finds where a parser error happens by parsing
//     prefixes of the input: the error happens at the character whose
//     inclusion makes the prefix fail with the same error. Prefixes are
//     parsed from a nearby restart line when that reproduces the error, so
//     that an error deep in a large file costs a few small parses.
//
// Lines and columns count as yaml.v3 counts them: from 1, in characters,
// with \r\n, \r, \n, U+0085, U+2028 and U+2029 as line breaks and a leading
// byte order mark not counted.

// syntaxDiag returns a syntax error diagnostic at p.
func syntaxDiag(name string, line, col int, msg string) Diagnostic {
	return Diagnostic{Severity: SeverityError, Pos: Position{File: name, Line: line, Column: col},
		Message: "YAML syntax: " + msg, Err: ErrSyntax}
}

// checkEncoding returns data as UTF-8 (transcoding UTF-16 with a byte
// order mark, as YAML allows) or the first encoding problem, positioned.
func checkEncoding(name string, data []byte) ([]byte, *Diagnostic) {
	if len(data) >= 2 && (data[0] == 0xFF && data[1] == 0xFE || data[0] == 0xFE && data[1] == 0xFF) {
		u8, off, msg := utf16ToUTF8(data)
		if msg != "" {
			// Positions count characters, so the transcoded prefix
			// positions the problem.
			line, col := offsetPos(u8, off)
			d := syntaxDiag(name, line, col, msg)
			return nil, &d
		}
		data = u8
	}
	for i := 0; i < len(data); {
		if c := data[i]; c >= 0x20 && c <= 0x7E || c == '\n' {
			i++ // printable ASCII, most of a file
			continue
		}
		r, w := utf8.DecodeRune(data[i:])
		msg := ""
		switch {
		case r == utf8.RuneError && w <= 1:
			msg = fmt.Sprintf("byte 0x%02X is not valid UTF-8 (save the file as UTF-8)", data[i])
		case !yamlPrintable(r):
			msg = fmt.Sprintf("control character %U is not allowed (write it as an escape in a double-quoted string)", r)
		}
		if msg != "" {
			line, col := offsetPos(data, i)
			d := syntaxDiag(name, line, col, msg)
			return nil, &d
		}
		i += w
	}
	return data, nil
}

// yamlPrintable reports whether YAML allows r in a stream (YAML 1.2 c-printable,
// as yaml.v3 checks it).
func yamlPrintable(r rune) bool {
	switch {
	case r == 0x09, r == 0x0A, r == 0x0D, r >= 0x20 && r <= 0x7E, r == 0x85:
		return true
	case r >= 0xA0 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
		return true
	}
	return false
}

// utf16ToUTF8 transcodes UTF-16 with a byte order mark (kept, as a UTF-8
// one). On a bad surrogate it returns the text transcoded so far, the
// offset of the problem in it and a message.
func utf16ToUTF8(data []byte) ([]byte, int, string) {
	be := data[0] == 0xFE
	unit := func(i int) uint16 {
		if be {
			return uint16(data[i])<<8 | uint16(data[i+1])
		}
		return uint16(data[i+1])<<8 | uint16(data[i])
	}
	out := make([]byte, 0, len(data))
	for i := 0; i < len(data); {
		if i+1 >= len(data) {
			return out, len(out), "the file ends inside a UTF-16 character"
		}
		u := unit(i)
		r := rune(u)
		i += 2
		switch {
		case utf16.IsSurrogate(r) && u < 0xDC00 && i+1 < len(data) && unit(i) >= 0xDC00 && unit(i) <= 0xDFFF:
			r = utf16.DecodeRune(r, rune(unit(i)))
			i += 2
		case utf16.IsSurrogate(r):
			return out, len(out), "invalid UTF-16 surrogate pair"
		}
		out = utf8.AppendRune(out, r)
	}
	return out, 0, ""
}

// lineBreak returns the length in bytes of the line break at data[i], 0
// if there is none.
func lineBreak(data []byte, i int) int {
	switch data[i] {
	case '\n':
		return 1
	case '\r':
		if i+1 < len(data) && data[i+1] == '\n' {
			return 2
		}
		return 1
	case 0xC2:
		if i+1 < len(data) && data[i+1] == 0x85 {
			return 2
		}
	case 0xE2:
		if i+2 < len(data) && data[i+1] == 0x80 && (data[i+2] == 0xA8 || data[i+2] == 0xA9) {
			return 3
		}
	}
	return 0
}

// offsetPos returns the line and column of byte offset off of data.
func offsetPos(data []byte, off int) (line, col int) {
	line, col = 1, 1
	i := 0
	if bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		i = 3
	}
	for i < off && i < len(data) {
		if n := lineBreak(data, i); n > 0 {
			line++
			col = 1
			i += n
			continue
		}
		_, w := utf8.DecodeRune(data[i:])
		col++
		i += w
	}
	return line, col
}

// lineStarts returns the byte offset where each line begins (index 0 for
// line 1), up to and including line max.
func lineStart(data []byte, line int) int {
	i := 0
	for l := 1; l < line && i < len(data); {
		if n := lineBreak(data, i); n > 0 {
			l++
			i += n
			continue
		}
		i++
	}
	return i
}

var yamlErrLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// decodeOne decodes the single document of data into a node. It returns
// the node, whether data held more than one document (and the extra one),
// or yaml.v3's error.
func decodeOne(data []byte) (doc *yaml.Node, extra *yaml.Node, err error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var d yaml.Node
	if err := dec.Decode(&d); err != nil {
		return nil, nil, err
	}
	var e yaml.Node
	if err := dec.Decode(&e); err == nil {
		return &d, &e, nil
	} else if !errors.Is(err, io.EOF) {
		return nil, nil, err
	}
	return &d, nil, nil
}

// yamlError returns the error text of parsing data, "" when it parses.
func yamlError(data []byte) string {
	if _, _, err := decodeOne(data); err != nil && !errors.Is(err, io.EOF) {
		return err.Error()
	}
	return ""
}

// maxSearchPrefix bounds the text that syntaxOffset parses again and
// again to find an error: a restart chunk, or the prefix of the file when
// no restart line reproduces the error. Beyond it, the column is the first
// character of the line yaml.v3 names.
const maxSearchPrefix = 1 << 20

// syntaxError turns a yaml.v3 error about data into a positioned
// Diagnostic.
func syntaxError(name string, data []byte, err error) Diagnostics {
	full := err.Error()
	msg := strings.TrimPrefix(full, "yaml: ")
	line := 0
	if m := yamlErrLine.FindStringSubmatch(full); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
		// yaml.v3 counts the lines of parser errors from 0 (those of
		// scanner errors from 1), and names the line where the
		// construct being parsed starts: the search starts there.
		line += parserLineShift(msg)
	}
	off := syntaxOffset(data, full, msg, line)
	// A flow collection that is not closed fails where the parser gives
	// up on it; the place to fix is where it opens.
	for _, f := range []struct{ open, close byte }{{'[', ']'}, {'{', '}'}} {
		if strings.HasPrefix(msg, "did not find expected ',' or '"+string(f.close)+"'") {
			if o := openingBracket(data, off, f.open, f.close); o >= 0 {
				off = o
				msg += " (in the flow collection that starts here)"
			}
		}
	}
	l, c := offsetPos(data, off)
	if off < len(data) && data[off] == '\t' {
		msg += " (a tab: indent with spaces)"
	}
	return Diagnostics{syntaxDiag(name, l, c, msg)}
}

// syntaxOffset returns the byte offset of data at which the yaml.v3 error
// full (message msg, on line, 0 if yaml.v3 named none) happens.
func syntaxOffset(data []byte, full, msg string, line int) int {
	if name, ok := strings.CutPrefix(msg, "unknown anchor '"); ok {
		if off := aliasOffset(data, strings.TrimSuffix(name, "' referenced")); off >= 0 {
			return off
		}
	}
	lo := 0
	if line > 0 {
		lo = lineStart(data, line)
		// A chunk of the file that starts on a restart line above the
		// error, behind one blank line (so that yaml.v3 never names line
		// 0), must fail with the same message on the same line.
		for _, s := range restartLines(data, lo, line) {
			chunk := append([]byte{'\n'}, data[s.off:min(len(data), lo+maxSearchPrefix)]...)
			want := "yaml: line " + strconv.Itoa(line-s.line+2-parserLineShift(msg)) + ": " + msg
			if yamlError(chunk) != want {
				continue
			}
			if k, ok := firstFailingPrefix(chunk, 1+lo-s.off, want); ok {
				return s.off + k - 1
			}
		}
	}
	if lo <= maxSearchPrefix {
		if k, ok := firstFailingPrefix(data[:min(len(data), lo+maxSearchPrefix)], lo, full); ok {
			return k
		}
	}
	// The first character of the line yaml.v3 named.
	for lo < len(data) && (data[lo] == ' ' || data[lo] == '\t') {
		lo++
	}
	return min(lo, len(data))
}

// parserLineShift is 1 for parser errors, whose lines yaml.v3 counts from
// 0, and 0 for scanner errors.
func parserLineShift(msg string) int {
	if isParserError(msg) {
		return 1
	}
	return 0
}

// firstFailingPrefix returns the offset of the character whose inclusion
// makes a prefix of data fail with the error want: the smallest k such
// that data[:k+1] fails so, searched from offset lo outward (up, or down
// when data[:lo] fails already) by doubling a step, then by halving it.
// ok is false when data does not fail so.
func firstFailingPrefix(data []byte, lo int, want string) (int, bool) {
	fails := func(k int) bool { return yamlError(data[:k]) == want }
	lo = min(lo, len(data))
	// Invariant: data[:good] does not fail so, data[:bad] does.
	good, bad := -1, -1
	if fails(lo) {
		bad = lo
		for step := 1; good < 0; step *= 2 {
			k := max(lo-step, 0)
			if !fails(k) {
				good = k
			} else if k == 0 {
				return 0, false
			} else {
				bad = k
			}
		}
	} else {
		good = lo
		for step := 1; bad < 0; step *= 2 {
			k := min(lo+step, len(data))
			if fails(k) {
				bad = k
			} else if k == len(data) {
				return 0, false
			} else {
				good = k
			}
		}
	}
	for bad-good > 1 {
		mid := good + (bad-good)/2
		if fails(mid) {
			bad = mid
		} else {
			good = mid
		}
	}
	// Step back to the first byte of the character.
	k := bad - 1
	for k > 0 && !utf8.RuneStart(data[k]) {
		k--
	}
	return k, true
}

// restart is a line where a chunk of the file may start.
type restart struct {
	off, line int
}

// restartLines returns the lines at or above line, which starts at
// offset lo, that may start a chunk of the file parsed on its own, nearest
// first: each indented less than every line after it up to lo, so that
// the chunk is a block collection holding the lines that follow. It looks
// back at most maxSearchPrefix bytes.
func restartLines(data []byte, lo, line int) []restart {
	var out []restart
	indent := -1 // of the last candidate
	end := lo + bytes.IndexByte(data[lo:], '\n') + 1
	if end <= lo {
		end = len(data)
	}
	for end > 0 && lo-end < maxSearchPrefix {
		s := 0
		if end >= 2 {
			s = bytes.LastIndexByte(data[:end-1], '\n') + 1
		}
		ln := data[s:end]
		if s < lo {
			line -= countBreaks(ln)
		}
		end = s
		n := 0
		for n < len(ln) && ln[n] == ' ' {
			n++
		}
		if n == len(ln) || ln[n] == '\n' || ln[n] == '\r' || ln[n] == '#' {
			continue
		}
		if indent < 0 || n < indent {
			out = append(out, restart{s, line})
			indent = n
			if n == 0 {
				break
			}
		}
	}
	return out
}

// countBreaks returns the number of line breaks in b.
func countBreaks(b []byte) int {
	n := 0
	for i := 0; i < len(b); {
		if w := lineBreak(b, i); w > 0 {
			n++
			i += w
		} else {
			i++
		}
	}
	return n
}

// openingBracket returns the offset of the bracket open that is not
// closed before offset off, or -1. Brackets in quoted strings are counted
// too: this only moves an error's position.
func openingBracket(data []byte, off int, open, close byte) int {
	depth := 0
	for i := min(off, len(data)-1); i >= 0; i-- {
		switch data[i] {
		case close:
			if i < off {
				depth++
			}
		case open:
			if depth == 0 {
				return i
			}
			depth--
		}
	}
	return -1
}

// aliasOffset returns the offset of the first alias *name written before
// any anchor &name, or -1.
func aliasOffset(data []byte, name string) int {
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c != '*' && c != '&' || i > 0 && !bytes.ContainsRune([]byte(" \t\n\r[{,"), rune(data[i-1])) {
			continue
		}
		rest := data[i+1:]
		if !bytes.HasPrefix(rest, []byte(name)) || len(rest) > len(name) && !bytes.ContainsRune([]byte(" \t\n\r]},"), rune(rest[len(name)])) {
			continue
		}
		if c == '&' {
			return -1
		}
		return i
	}
	return -1
}

// parserErrors are the yaml.v3 messages raised by its parser, which
// reports lines 0-based; its scanner reports them 1-based.
var parserErrors = []string{
	"did not find expected <document start>", "did not find expected node content",
	"did not find expected key", "did not find expected ',' or ']'", "did not find expected ',' or '}'",
	"did not find expected '-' indicator", "found duplicate %YAML directive",
	"found incompatible YAML document", "found undefined tag handle",
}

func isParserError(msg string) bool {
	for _, p := range parserErrors {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}
