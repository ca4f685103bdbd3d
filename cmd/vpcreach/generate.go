package main

import (
	"fmt"
	"io"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/model"
)

// runGenerate writes a synthetic enterprise topology (internal/gen) as
// YAML: the same flags always give the same bytes.
func runGenerate(args []string, out, errOut io.Writer) int {
	fs := newFlags("generate", "--vpcs N --seed S", errOut, nil)
	vpcs := fs.Int("vpcs", 0, "number of VPCs (required, at least 1)")
	seed := fs.Uint64("seed", 0, "random seed; equal flags give equal output")
	perVPC := fs.Int("instances-per-vpc", gen.DefaultInstancesPerVPC, "average number of instances per VPC")
	overlapEvery := fs.Int("overlap-every", 0, "plant an overlap: every Nth VPC reuses the previous one's CIDR (0: none)")
	if _, code, ok := parseCommand(fs, args, 0, 0); !ok {
		return code
	}
	switch {
	case *vpcs < 1:
		fmt.Fprintln(errOut, "vpcreach generate: --vpcs must be at least 1")
		fs.Usage()
		return exitInvalid
	case *perVPC < 1:
		fmt.Fprintln(errOut, "vpcreach generate: --instances-per-vpc must be at least 1")
		return exitInvalid
	case *overlapEvery < 0:
		fmt.Fprintln(errOut, "vpcreach generate: --overlap-every must be 0 or more")
		return exitInvalid
	}
	m := gen.Generate(gen.Options{VPCs: *vpcs, Seed: *seed, InstancesPerVPC: *perVPC, OverlapEvery: *overlapEvery})
	b, err := model.Encode(m)
	if err != nil {
		fmt.Fprintf(errOut, "vpcreach generate: %v\n", err)
		return exitInvalid
	}
	_, _ = out.Write(b)
	return exitOK
}
