package model

import "gopkg.in/yaml.v3"

// ParsePieces exposes parsePieces to the external tests.
func ParsePieces(data []byte, size, workers int) (*yaml.Node, bool) {
	return parsePieces(data, size, workers)
}

// ParseWhole returns the root node of data parsed whole, as parseYAML does
// when parseSplit gives up (nil for an empty document), or yaml.v3's
// error.
func ParseWhole(data []byte) (*yaml.Node, error) {
	doc, extra, err := decodeOne(data)
	if err != nil {
		return nil, err
	}
	if extra != nil || len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

// DecodePieces exposes decodePieces (default limits) to the external
// tests.
func DecodePieces(name string, data []byte, size, workers int) (*Model, Diagnostics, bool) {
	return LoadOptions{}.decodePieces(name, data, size, workers)
}

// DecodeWhole decodes data parsed as one, as Parse does for a file that
// is not cut into pieces.
func DecodeWhole(name string, data []byte) (*Model, Diagnostics) {
	return LoadOptions{}.decodeWhole(name, data)
}

// FastParse exposes fastParse (no lines before data) to the external
// tests.
func FastParse(data []byte) (*yaml.Node, bool) { return fastParse(data, 0, nil) }

// PlainTag exposes plainTag to the external tests.
func PlainTag(v string) string { return plainTag(v) }

// FastPieces cuts data into pieces of about size bytes as a large file is
// cut and returns the number of pieces and the first line of each that
// fastParse declines.
func FastPieces(data []byte, size int) (pieces int, declined []int) {
	ps, ok := splitText(data, size)
	if !ok {
		return 0, nil
	}
	for _, p := range ps {
		if _, ok := fastParse(p.text, p.lines, nil); !ok {
			declined = append(declined, p.lines+1)
		}
	}
	return len(ps), declined
}
