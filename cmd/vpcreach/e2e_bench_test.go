package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var benchVPCs = flag.String("bench-vpcs", "1000", "comma-separated network sizes (VPCs) of BenchmarkCommand")

// BenchmarkCommand runs whole commands, as the binary does (run, from
// reading the YAML file to writing the output, here to io.Discard), on a
// network that `vpcreach generate --vpcs N --seed 7` writes: the same
// commands scripts/bench-e2e times on the built binary. Sizes come from
// -bench-vpcs (default 1000):
//
//	go test ./cmd/vpcreach -run XXX -bench Command -benchtime 1x -bench-vpcs 1000,5000
func BenchmarkCommand(b *testing.B) {
	for _, s := range strings.Split(*benchVPCs, ",") {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("-bench-vpcs: %q is not a number of VPCs", s)
		}
		var net bytes.Buffer
		var errOut strings.Builder
		if code := run([]string{"generate", "--vpcs", s, "--seed", "7"}, &net, &errOut); code != exitOK {
			b.Fatalf("generate --vpcs %d: exit %d: %s", n, code, errOut.String())
		}
		file := filepath.Join(b.TempDir(), "net.yaml")
		if err := os.WriteFile(file, net.Bytes(), 0o644); err != nil {
			b.Fatal(err)
		}
		db := regexp.MustCompile(`id: (i-[0-9]+-db-[0-9]+)`).FindSubmatch(net.Bytes())
		if db == nil {
			b.Fatalf("the generated network of %d VPCs has no database instance", n)
		}
		mb := float64(net.Len()) / 1e6
		net = bytes.Buffer{}
		for _, c := range []struct {
			name string
			args []string
		}{
			{"validate", []string{"validate", file}},
			{"exposure", []string{"exposure", file}},
			{"who-can-reach", []string{"who-can-reach", file, "--to", string(db[1]), "--port", "5432"}},
			{"matrix", []string{"matrix", file, "--port", "8080", "--level", "subnet"}},
			{"overlaps", []string{"overlaps", file}},
		} {
			b.Run(fmt.Sprintf("vpcs=%d/%s", n, c.name), func(b *testing.B) {
				b.ReportAllocs()
				b.ReportMetric(mb, "MB-yaml")
				for b.Loop() {
					var errOut strings.Builder
					if code := run(c.args, io.Discard, &errOut); code != exitOK && code != exitFindings {
						b.Fatalf("vpcreach %s: exit %d: %s", strings.Join(c.args, " "), code, errOut.String())
					}
				}
			})
		}
	}
}
