package main

import (
	"bufio"
	"fmt"
	"io"

	"github.com/vpcreach/vpcreach/internal/gen"
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
	dual := fs.Bool("dual-stack", false, "dual-stack VPCs: IPv6 blocks, addresses, routes and rules beside the IPv4 ones")
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
	need := generateMemory(vpcs.n, perVPC.n, *dual)
	limit, source := maxMem.bytes, "--max-memory"
	if limit == 0 {
		limit, source = availableMemory()
	}
	if need > limit {
		fmt.Fprintf(errOut, "vpcreach generate: %d VPCs of about %d instances need about %s of memory, and %s is available (%s); ask for fewer VPCs or instances, or allow more with --max-memory\n",
			vpcs.n, perVPC.n, byteSize(need), byteSize(limit), source)
		return exitInvalid
	}
	// Written as it is built (gen.Write): memory grows with the largest
	// VPC and the plan of the network, about 50 bytes a VPC, not with
	// the network.
	w := bufio.NewWriterSize(out, 1<<16)
	err := gen.Write(w, gen.Options{VPCs: vpcs.n, Seed: *seed, InstancesPerVPC: perVPC.n, OverlapEvery: overlapEvery.n, DualStack: *dual})
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		fmt.Fprintf(errOut, "vpcreach generate: %s\n", err)
		return exitInvalid
	}
	return exitOK
}

// maxCount bounds the counts of generate: far more than the address plan
// holds (about 49,000 VPCs without planted overlaps) or the memory of any
// machine builds (a VPC of a million instances would take about 27 GiB),
// so that the memory estimate and the generator see sane numbers.
const maxCount = 1_000_000

// generateMemory estimates the peak memory of vpcreach generate, which
// writes one VPC at a time with its YAML, then one transit gateway
// attachment, peering or endpoint service at a time (gen.Write), and
// holds the plan of the network, about 50 bytes a VPC: 24 MiB, plus 1 KiB
// for each VPC, plus 28 KiB per instance for the VPC being written (36
// KiB with --dual-stack: an IPv6 address per instance, more routes and
// rules). The figures come from the maximum resident set size that
// /usr/bin/time reported for vpcreach generate --seed 1 (go 1.26,
// linux/amd64, default GOGC; the largest of two runs), with a margin of
// 7% or more:
//
//	--vpcs   --instances-per-vpc    max RSS    estimate
//	    10                    60      14 MiB     26 MiB
//	   100                     3      16 MiB     24 MiB
//	   100                    60      16 MiB     26 MiB
//	   100                  1000      43 MiB     51 MiB
//	    50                  2000      70 MiB     79 MiB
//	   400                    60      18 MiB     26 MiB
//	  1000                    60      19 MiB     27 MiB
//	  2000                    60      19 MiB     28 MiB
//	  3000                    20      22 MiB     27 MiB
//	  5000                    60      22 MiB     31 MiB
//	 20000                     3      35 MiB     44 MiB
//	 49000                     3      32 MiB     72 MiB
//	     4                 10000     228 MiB    297 MiB
//
// (--overlap-every 2 --vpcs 90000 --instances-per-vpc 3: 52 MiB, estimate
// 112 MiB) and with --dual-stack:
//
//	--vpcs   --instances-per-vpc    max RSS    estimate
//	    10                    60      14 MiB     26 MiB
//	   100                    60      17 MiB     26 MiB
//	   100                  1000      53 MiB     59 MiB
//	    50                  2000      75 MiB     94 MiB
//	  1000                    60      19 MiB     27 MiB
//	  3000                    20      20 MiB     28 MiB
//	  5000                    60      23 MiB     31 MiB
//	     4                 10000     305 MiB    376 MiB
//
// (Before generate wrote as it built, 1,000 VPCs took 1,225 MiB and 5,000
// VPCs 7 GB; while it held the plan's ids and built what follows the VPCs
// whole, 61 MiB and 249 MiB.) TestGenerateMemoryEstimateCoversTheHeap
// keeps it above the heap.
func generateMemory(vpcs, instancesPerVPC int, dualStack bool) uint64 {
	writing := uint64(28 << 10)
	if dualStack {
		writing = 36 << 10
	}
	return 24<<20 + uint64(vpcs)<<10 + uint64(instancesPerVPC)*writing
}
