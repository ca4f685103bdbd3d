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
	// Written as it is built (gen.Write): memory grows with the plan of
	// the network, a few ids per VPC, not with the network.
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

// maxCount bounds the counts of generate: far more than the memory of any
// machine builds (a million VPCs would take about 56 GiB), so that the
// memory estimate and the generator see sane numbers.
const maxCount = 1_000_000

// generateMemory estimates the peak memory of vpcreach generate, which
// holds the plan of the network and the resources built after the VPCs
// (transit gateway attachments, peerings), and one VPC at a time with its
// YAML (gen.Write): 16 MiB, plus 40 KiB and 320 bytes per instance for
// each VPC, plus 16 KiB per instance for the VPC being written (28 KiB
// with --dual-stack: an IPv6 address per instance, more routes and
// rules). The
// figures come from the maximum resident set size that /usr/bin/time
// reported for vpcreach generate (go 1.26, linux/amd64, default GOGC),
// with a margin of 7% or more:
//
//	--vpcs   --instances-per-vpc    max RSS    estimate
//	    10                    60      13 MiB     18 MiB
//	   100                     3      15 MiB     20 MiB
//	   100                    60      15 MiB     22 MiB
//	   100                  1000      43 MiB     66 MiB
//	    50                  2000      67 MiB     80 MiB
//	   400                    60      31 MiB     40 MiB
//	  1000                    60      61 MiB     75 MiB
//	  2000                    60      97 MiB    132 MiB
//	  3000                    20     123 MiB    152 MiB
//	  5000                    60     249 MiB    305 MiB
//
// and with --dual-stack (go 1.26):
//
//	--vpcs   --instances-per-vpc    max RSS    estimate
//	    10                    60      14 MiB     18 MiB
//	   100                    60      15 MiB     23 MiB
//	   100                  1000      55 MiB     78 MiB
//	    50                  2000      88 MiB    103 MiB
//	  1000                    60      65 MiB     75 MiB
//	  3000                    20     120 MiB    152 MiB
//	  5000                    60     231 MiB    305 MiB
//
// (Before generate wrote as it built, 1,000 VPCs took 1,225 MiB and
// 5,000 VPCs 7 GB.) TestGenerateMemoryEstimateCoversTheHeap keeps it
// above the heap.
func generateMemory(vpcs, instancesPerVPC int, dualStack bool) uint64 {
	writing := uint64(16 << 10)
	if dualStack {
		writing = 28 << 10
	}
	return 16<<20 + uint64(vpcs)*(40<<10+uint64(instancesPerVPC)*320) + uint64(instancesPerVPC)*writing
}
