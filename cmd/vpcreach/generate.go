package main

import (
	"fmt"
	"io"

	"github.com/vpcreach/vpcreach/internal/gen"
	"github.com/vpcreach/vpcreach/model"
)

// runGenerate writes a synthetic enterprise topology (internal/gen) as
// YAML: the same flags always give the same bytes. It refuses, before
// building anything, a size whose estimated memory (generateMemory) is
// more than the memory available (availableMemory) or --max-memory.
func runGenerate(args []string, out, errOut io.Writer) int {
	fs := newFlags("generate", "--vpcs N --seed S", out, errOut, nil)
	vpcs := addCount(fs, "vpcs", 0, 1, maxCount, "the number of VPCs", "`number` of VPCs (required)")
	seed := fs.Uint64("seed", 0, "random `seed`; equal flags give equal output")
	perVPC := addCount(fs, "instances-per-vpc", gen.DefaultInstancesPerVPC, gen.MinInstancesPerVPC, maxCount, "the number of instances per VPC",
		"average `number` of instances per VPC; at least one per tier (web, app, db)")
	overlapEvery := addCount(fs, "overlap-every", 0, 0, maxCount, "--overlap-every", "plant an overlap: every `N`th VPC reuses the previous one's CIDR (0: none)")
	var maxMem sizeFlag
	fs.Var(&maxMem, "max-memory", "the memory generate may use, a `size` such as 8GiB (default: what the system has available)")
	if _, code, ok := parseCommand(fs, args, 0, 0); !ok {
		return code
	}
	if !given(fs, "vpcs") {
		fmt.Fprintln(errOut, "vpcreach generate: --vpcs must be at least 1")
		fs.Usage()
		return exitInvalid
	}
	need := generateMemory(vpcs.n, perVPC.n)
	limit, source := maxMem.bytes, "--max-memory"
	if limit == 0 {
		limit, source = availableMemory()
	}
	if need > limit {
		fmt.Fprintf(errOut, "vpcreach generate: %d VPCs of about %d instances need about %s of memory, and %s is available (%s); ask for fewer VPCs or instances, or allow more with --max-memory\n",
			vpcs.n, perVPC.n, byteSize(need), byteSize(limit), source)
		return exitInvalid
	}
	m, err := gen.Build(gen.Options{VPCs: vpcs.n, Seed: *seed, InstancesPerVPC: perVPC.n, OverlapEvery: overlapEvery.n})
	if err != nil {
		fmt.Fprintf(errOut, "vpcreach generate: %s\n", err)
		return exitInvalid
	}
	b, err := model.Encode(m)
	if err != nil {
		fmt.Fprintf(errOut, "vpcreach generate: %v\n", err)
		return exitInvalid
	}
	_, _ = out.Write(b)
	return exitOK
}

// maxCount bounds the counts of generate: far more than the memory of any
// machine builds (a million VPCs would take about 500 GiB), so that the
// memory estimate and the generator see sane numbers.
const maxCount = 1_000_000

// generateMemory estimates the peak memory of vpcreach generate (the
// model, then its YAML encoding): 16 MiB, plus 640 KiB per VPC and
// 18 KiB per instance. The figures come from the maximum resident set
// size that /usr/bin/time -v reported for vpcreach generate (go 1.26,
// linux/amd64, default GOGC), with a margin of 15% or more:
//
//	--vpcs   --instances-per-vpc    max RSS    estimate
//	    10                    60      23 MiB     33 MiB
//	   100                     3      53 MiB     84 MiB
//	   100                    60     131 MiB    184 MiB
//	   100                   200     347 MiB    431 MiB
//	   100                  1000    1555 MiB   1837 MiB
//	    50                  2000    1439 MiB   1806 MiB
//	    20                  5000    1547 MiB   1787 MiB
//	   400                    60     499 MiB    688 MiB
//	  1000                    60    1225 MiB   1696 MiB
//	  2000                    60    2235 MiB   3376 MiB
//	  3000                    20    2444 MiB   2946 MiB
//
// TestGenerateMemoryEstimateCoversTheHeap keeps it above the live heap.
func generateMemory(vpcs, instancesPerVPC int) uint64 {
	return 16<<20 + uint64(vpcs)*(640<<10+uint64(instancesPerVPC)*(18<<10))
}
