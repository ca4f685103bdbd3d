package awsimport

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxDepth is how deep arrays and objects may nest: encoding/json's limit.
const maxDepth = 10000

// jsonError is a decoding error at an offset of the file.
type jsonError struct {
	off  int
	msg  string
	typ  bool   // a value of the wrong type, not a syntax error
	path string // the value at fault, such as Subnets[0].CidrBlock
	// first is the offset of the first occurrence of a key given twice (a
	// key is never at offset 0); 0 otherwise.
	first int
	// badUTF8: invalid UTF-8 in a string, which encoding/json accepts.
	badUTF8 bool
}

func (e *jsonError) Error() string {
	if e.path != "" {
		return e.path + ": " + e.msg
	}
	return e.msg
}

// in prefixes the path of the error with the key or index it is in.
func (e *jsonError) in(step string) {
	switch {
	case e.path == "":
		e.path = step
	case strings.HasPrefix(e.path, "["):
		e.path = step + e.path
	default:
		e.path = step + "." + e.path
	}
}

func syntaxErr(off int, format string, args ...any) *jsonError {
	return &jsonError{off: off, msg: fmt.Sprintf(format, args...)}
}

// enter steps into an array or object at data[i].
func (d *decoder) enter(i int) error {
	if d.depth++; d.depth > maxDepth {
		return syntaxErr(i, "arrays and objects nested deeper than %d", maxDepth)
	}
	return nil
}

// key reads the key at data[i]: its text (unescaped), and the index after
// it.
func (d *decoder) key(i int) ([]byte, int, error) {
	key, end, _, err := d.keyText(i)
	return key, end, err
}

// keyText is key, and says whether the key is written with escapes.
func (d *decoder) keyText(i int) (key []byte, end int, escaped bool, err error) {
	end, escaped, err = d.scanString(i)
	if err != nil || !escaped {
		return d.data[i+1 : max(i+1, end-1)], end, escaped, err
	}
	s, end, err := d.str(i)
	return []byte(s), end, true, err
}

// colon reads the ':' after key, which ends at i, and the whitespace
// after it.
func (d *decoder) colon(i int, key []byte) (int, error) {
	i = skipWS(d.data, i)
	if i >= len(d.data) || d.data[i] != ':' {
		return i, syntaxErr(i, "expected ':' after the key %q, found %s", key, d.found(i))
	}
	return skipWS(d.data, i+1), nil
}

// afterMember reads what follows an object member at i: a comma and the
// whitespace after it, or the closing brace, which ends the object
// (done).
func (d *decoder) afterMember(i int) (next int, done bool, err error) {
	data := d.data
	i = skipWS(data, i)
	switch {
	case i >= len(data):
	case data[i] == ',':
		return skipWS(data, i+1), false, nil
	case data[i] == '}':
		return i + 1, true, nil
	}
	return i, false, syntaxErr(i, "expected ',' or '}' after an object member, found %s", d.found(i))
}

// afterElement is afterMember for arrays.
func (d *decoder) afterElement(i int) (next int, done bool, err error) {
	data := d.data
	i = skipWS(data, i)
	switch {
	case i >= len(data):
	case data[i] == ',':
		return skipWS(data, i+1), false, nil
	case data[i] == ']':
		return i + 1, true, nil
	}
	return i, false, syntaxErr(i, "expected ',' or ']' after an array element, found %s", d.found(i))
}

// expectedKey reports what stands where a key belongs.
func (d *decoder) expectedKey(i int) error {
	if i < len(d.data) && d.data[i] == '}' {
		return syntaxErr(i, "a comma before '}': JSON has no trailing commas")
	}
	return syntaxErr(i, "expected a key (a string in double quotes), found %s", d.found(i))
}

// expectedValue reports what stands where a value belongs.
func (d *decoder) expectedValue(i int) error {
	return syntaxErr(i, "expected a value, found %s", d.found(i))
}

// found describes what stands at data[i], for messages: the end of the
// file, a word (a bare word or a misspelt literal), or a character.
func (d *decoder) found(i int) string {
	data := d.data
	if i >= len(data) {
		return "the end of the file"
	}
	j := i
	for j < len(data) && j-i < 24 && (isAlnum(data[j]) || data[j] == '_') {
		j++
	}
	if j > i+1 {
		return strconv.Quote(string(data[i:j]))
	}
	c := data[i]
	switch {
	case c == '\'':
		return `'\''`
	case c >= 0x20 && c < 0x7f:
		return "'" + string(c) + "'"
	case c < 0x80:
		return fmt.Sprintf("the control character U+%04X", c)
	}
	if r, n := utf8.DecodeRune(data[i:]); r != utf8.RuneError || n > 1 {
		return fmt.Sprintf("%q", r)
	}
	return fmt.Sprintf("the byte 0x%02x (not UTF-8)", c)
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// literal reads the literal lit (true, false or null) at data[i].
func (d *decoder) literal(i int, lit string) (int, error) {
	end := i + len(lit)
	if len(d.data) >= end && string(d.data[i:end]) == lit && (end == len(d.data) || !isAlnum(d.data[end])) {
		return end, nil
	}
	return i, d.expectedValue(i)
}

// skip returns the index after the value at data[i], checking it as
// strictly as if it were decoded.
func (d *decoder) skip(i int) (int, error) {
	data := d.data
	if i >= len(data) {
		return i, d.expectedValue(i)
	}
	switch c := data[i]; c {
	case '"':
		end, _, err := d.scanString(i)
		return end, err
	case '{':
		if err := d.enter(i); err != nil {
			return i, err
		}
		i = skipWS(data, i+1)
		if i < len(data) && data[i] == '}' {
			d.depth--
			return i + 1, nil
		}
		for {
			if i >= len(data) || data[i] != '"' {
				return i, d.expectedKey(i)
			}
			key, end, err := d.key(i)
			if err != nil {
				return end, err
			}
			if i, err = d.colon(end, key); err != nil {
				return i, err
			}
			if i, err = d.skip(i); err != nil {
				return i, err
			}
			var done bool
			if i, done, err = d.afterMember(i); err != nil || done {
				d.depth--
				return i, err
			}
		}
	case '[':
		if err := d.enter(i); err != nil {
			return i, err
		}
		i = skipWS(data, i+1)
		if i < len(data) && data[i] == ']' {
			d.depth--
			return i + 1, nil
		}
		for {
			if i < len(data) && data[i] == ']' {
				return i, syntaxErr(i, "a comma before ']': JSON has no trailing commas")
			}
			var err error
			if i, err = d.skip(i); err != nil {
				return i, err
			}
			var done bool
			if i, done, err = d.afterElement(i); err != nil || done {
				d.depth--
				return i, err
			}
		}
	case 't':
		return d.literal(i, "true")
	case 'f':
		return d.literal(i, "false")
	case 'n':
		return d.literal(i, "null")
	}
	end, _, err := d.number(i)
	return end, err
}

// number reads the number at data[i] and returns the index after it and
// whether it is an integer (no fraction, no exponent).
func (d *decoder) number(i int) (end int, integer bool, err error) {
	data := d.data
	j := i
	if j < len(data) && data[j] == '-' {
		j++
	}
	switch {
	case j < len(data) && data[j] == '0':
		j++
		if j < len(data) && data[j] >= '0' && data[j] <= '9' {
			return i, false, syntaxErr(i, "the number %s has a leading zero", d.numberText(i))
		}
	case j < len(data) && data[j] >= '1' && data[j] <= '9':
		for j++; j < len(data) && data[j] >= '0' && data[j] <= '9'; j++ {
		}
	case j == i:
		return i, false, d.expectedValue(i)
	default:
		return j, false, syntaxErr(j, "expected a digit after '-', found %s", d.found(j))
	}
	integer = true
	if j < len(data) && data[j] == '.' {
		integer = false
		j++
		if j >= len(data) || data[j] < '0' || data[j] > '9' {
			return j, false, syntaxErr(j, "expected a digit after the decimal point, found %s", d.found(j))
		}
		for j++; j < len(data) && data[j] >= '0' && data[j] <= '9'; j++ {
		}
	}
	if j < len(data) && (data[j] == 'e' || data[j] == 'E') {
		integer = false
		j++
		if j < len(data) && (data[j] == '+' || data[j] == '-') {
			j++
		}
		if j >= len(data) || data[j] < '0' || data[j] > '9' {
			return j, false, syntaxErr(j, "expected a digit in the exponent, found %s", d.found(j))
		}
		for j++; j < len(data) && data[j] >= '0' && data[j] <= '9'; j++ {
		}
	}
	return j, integer, nil
}

// numberText returns the run of number characters at data[i], for
// messages.
func (d *decoder) numberText(i int) string {
	j := i
	for j < len(d.data) && j-i < 24 && strings.IndexByte("+-.0123456789eE", d.data[j]) >= 0 {
		j++
	}
	return string(d.data[i:j])
}

// plain marks the bytes that stand for themselves in a string: printable
// ASCII but the quote and the backslash.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// scanString checks the string at data[i] (a '"') and returns the index
// after it and whether it holds escapes.
func (d *decoder) scanString(i int) (end int, escaped bool, err error) {
	data := d.data
	j := i + 1
	for {
		for j+8 <= len(data) && plainWord(binary.LittleEndian.Uint64(data[j:])) {
			j += 8
		}
		for j < len(data) && plain[data[j]] {
			j++
		}
		if j >= len(data) {
			return j, false, syntaxErr(i, "unterminated string")
		}
		switch c := data[j]; {
		case c == '"':
			return j + 1, escaped, nil
		case c == '\\':
			escaped = true
			if j+1 >= len(data) {
				return j + 1, false, syntaxErr(i, "unterminated string")
			}
			switch data[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j += 2
			case 'u':
				for k := j + 2; k < j+6; k++ {
					if k >= len(data) || !isHex(data[k]) {
						return j, false, syntaxErr(j, "invalid escape %s in a string: \\u takes four hexadecimal digits", strconv.Quote(string(data[j:min(k+1, len(data))])))
					}
				}
				j += 6
			default:
				e := string(data[j : j+2])
				if c := data[j+1]; c <= 0x20 || c >= 0x7f {
					e = fmt.Sprintf("\\ followed by the byte 0x%02x", c)
				}
				return j, false, syntaxErr(j, "invalid escape %s in a string (JSON has \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX)", e)
			}
		case c < 0x20:
			if c == '\n' || c == '\r' {
				return j, false, syntaxErr(i, "unterminated string (a line break before its closing quote)")
			}
			return j, false, syntaxErr(j, "the control character U+%04X in a string: JSON writes it escaped", c)
		default:
			r, n := utf8.DecodeRune(data[j:])
			if r == utf8.RuneError && n <= 1 {
				e := syntaxErr(j, "invalid UTF-8 in a string (the byte 0x%02x): the file is damaged, or not in UTF-8", c)
				e.badUTF8 = true
				return j, false, e
			}
			j += n
		}
	}
}

// plainWord reports whether the eight bytes of w all stand for themselves
// in a string (plain), testing them at once: none is a quote, a
// backslash, a control character or a byte of a multi-byte character.
func plainWord(w uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	q, b := w^(ones*'"'), w^(ones*'\\') // a zero byte where w has a quote, a backslash
	// A byte's high bit is set in x-ones&^x where x has a zero byte (the
	// lowest is exact, which is enough), and in w-0x20...&^w where w has a
	// control character.
	return (w|(q-ones)&^q|(b-ones)&^b|(w-ones*0x20)&^w)&highs == 0
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// str decodes the string at data[i].
func (d *decoder) str(i int) (string, int, error) {
	end, escaped, err := d.scanString(i)
	if err != nil {
		return "", end, err
	}
	if !escaped {
		return string(d.data[i+1 : end-1]), end, nil
	}
	// The string is valid: encoding/json unescapes it as it would.
	var s string
	if err := json.Unmarshal(d.data[i:end], &s); err != nil {
		panic("awsimport: a checked string does not unescape: " + err.Error())
	}
	return s, end, nil
}

func skipWS(data []byte, i int) int {
	for i < len(data) {
		switch c := data[i]; {
		case c > ' ':
			return i // most bytes: one test
		case c == '\n':
			// The AWS CLI indents by four spaces a level: skip the
			// indentation eight bytes at a time.
			for i++; i+8 <= len(data) && binary.LittleEndian.Uint64(data[i:]) == 0x2020202020202020; i += 8 {
			}
		case c == ' ' || c == '\t' || c == '\r':
			i++
		default:
			return i
		}
	}
	return i
}
