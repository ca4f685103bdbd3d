// Command formatgen regenerates model/fielddoc_gen.go and docs/format.md
// from the Go source of package model. It runs through go generate ./model,
// in the model directory:
//
//	go generate ./model
//
// Flags name the model directory and the two outputs; -lint also lists the
// model's undocumented types and fields and its required fields without an
// example tag.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/vpcreach/vpcreach/internal/formatgen"
	"github.com/vpcreach/vpcreach/internal/outfile"
)

func main() {
	modelDir := flag.String("model", ".", "directory of package model")
	goOut := flag.String("fielddoc", "", "output Go file (default MODEL/fielddoc_gen.go)")
	mdOut := flag.String("md", "", "output markdown file (default MODEL/../docs/format.md)")
	lint := flag.Bool("lint", false, "also list undocumented types and fields")
	flag.Parse()
	if *goOut == "" {
		*goOut = filepath.Join(*modelDir, "fielddoc_gen.go")
	}
	if *mdOut == "" {
		*mdOut = filepath.Join(*modelDir, "..", "docs", "format.md")
	}
	if err := run(*modelDir, *goOut, *mdOut, *lint); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(modelDir, goOut, mdOut string, lint bool) error {
	goSrc, md, err := formatgen.Generate(modelDir)
	if err != nil {
		return err
	}
	if err := writeIfChanged(goOut, goSrc); err != nil {
		return err
	}
	if err := writeIfChanged(mdOut, md); err != nil {
		return err
	}
	if lint {
		problems, err := formatgen.Lint(modelDir)
		if err != nil {
			return err
		}
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, "formatgen: lint:", p)
		}
	}
	return nil
}

// writeIfChanged leaves an up-to-date file alone, so its time stays put,
// and otherwise replaces it atomically (internal/outfile): the generated
// files are formatgen's own, so replacing them needs no --force.
func writeIfChanged(name string, data []byte) error {
	if old, err := os.ReadFile(name); err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return outfile.WriteFile(name, data, outfile.Options{Replace: outfile.Always})
}
