package model

// fielddoc_gen.go and ../docs/format.md are generated from the source of
// this package; TestGeneratedFilesUpToDate fails when they are stale.

//go:generate go run ../internal/formatgen/cmd/formatgen
