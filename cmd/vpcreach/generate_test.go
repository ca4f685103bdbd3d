package main

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/gen"
)

// generate refuses, at once and with a message, sizes it cannot build in
// the memory it may use, instead of dying of it.
func TestGenerateRefusesSizesBeyondItsMemory(t *testing.T) {
	start := time.Now()
	code, stdout, stderr := runCLI("generate", "--vpcs", "2000", "--instances-per-vpc", "5000", "--max-memory", "64MiB")
	assert.Equal(t, exitInvalid, code)
	assert.Empty(t, stdout)
	assert.Equal(t, "vpcreach generate: 2000 VPCs of about 5000 instances need about 162.7 MiB of memory, and 64.0 MiB is available (--max-memory); ask for fewer VPCs or instances, or allow more with --max-memory\n", stderr)

	// A million VPCs of a million instances (27.7 GiB, most of it for
	// the VPC being written) is refused for memory where less is
	// available, and else for the address plan, before building.
	code, _, stderr = runCLI("generate", "--vpcs", "1000000", "--instances-per-vpc", "1000000")
	assert.Equal(t, exitInvalid, code)
	if avail, _ := availableMemory(); generateMemory(1_000_000, 1_000_000, false) > avail {
		assert.Regexp(t, `^vpcreach generate: 1000000 VPCs of about 1000000 instances need about 27\.7 GiB of memory, and .* is available \((MemAvailable in /proc/meminfo|the room under this process's cgroup memory limit|a fixed cap: .*)\); ask for fewer`, stderr)
	} else {
		assert.Equal(t, "vpcreach generate: 333334 VPCs in one region do not fit its supernet /10 (at most 16384, each a /24); ask for fewer VPCs, or plant overlaps\n", stderr)
	}
	assert.Less(t, time.Since(start), 5*time.Second, "refused before building")

	// --max-memory allows a size.
	code, _, stderr = runCLI("generate", "--vpcs", "2", "--instances-per-vpc", "3", "--max-memory", "64MiB")
	assert.Equal(t, exitOK, code, stderr)
}

// generate refuses what the address plan cannot hold, instead of
// panicking or writing fewer instances than asked.
func TestGenerateRefusesWhatItCannotBuild(t *testing.T) {
	code, stdout, stderr := runCLI("generate", "--vpcs", "1", "--instances-per-vpc", "100000", "--max-memory", "8GiB")
	assert.Equal(t, exitInvalid, code)
	assert.Empty(t, stdout)
	assert.Equal(t, "vpcreach generate: vpc-0001 (a /16, with /20 subnets) has no room for its 106000 instances: its public subnets are full after 12270; ask for fewer instances per VPC, or fewer VPCs (the more VPCs in a region, the smaller each VPC)\n", stderr)

	code, _, stderr = runCLI("generate", "--vpcs", "70000", "--instances-per-vpc", "3", "--max-memory", "1024TiB")
	assert.Equal(t, exitInvalid, code)
	assert.Equal(t, "vpcreach generate: 23334 VPCs in one region do not fit its supernet /10 (at most 16384, each a /24); ask for fewer VPCs, or plant overlaps\n", stderr)
	assert.NotContains(t, stderr, "goroutine")
}

// The estimate is above the peak of the heap while generate writes (its
// largest HeapAlloc, garbage included, read at each write: an upper bound
// of the live heap, a lower bound of the resident set the estimate was
// measured from).
func TestGenerateMemoryEstimateCoversTheHeap(t *testing.T) {
	for _, o := range []gen.Options{{VPCs: 40, Seed: 1}, {VPCs: 4, Seed: 1, InstancesPerVPC: 1500}, {VPCs: 300, Seed: 1, InstancesPerVPC: 3},
		{VPCs: 40, Seed: 1, DualStack: true}, {VPCs: 4, Seed: 1, InstancesPerVPC: 1500, DualStack: true}} {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		w := &peakWriter{}
		require.NoError(t, gen.Write(w, o))
		ipv := o.InstancesPerVPC
		if ipv == 0 {
			ipv = gen.DefaultInstancesPerVPC
		}
		used := w.peak - min(before.HeapAlloc, w.peak)
		assert.LessOrEqual(t, used, generateMemory(o.VPCs, ipv, o.DualStack), "%d VPCs of %d instances: %s on the heap", o.VPCs, ipv, byteSize(used))
	}
}

// peakWriter discards what it is given, and records the largest
// HeapAlloc seen at a write.
type peakWriter struct{ peak uint64 }

func (w *peakWriter) Write(p []byte) (int, error) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	w.peak = max(w.peak, ms.HeapAlloc)
	return len(p), nil
}

func TestMemAvailable(t *testing.T) {
	n, ok := memAvailable([]byte("MemTotal:       24684544 kB\nMemFree:        22426112 kB\nMemAvailable:   22920668 kB\n"))
	require.True(t, ok)
	assert.Equal(t, uint64(22920668)<<10, n)
	for _, bad := range []string{"", "MemFree: 1 kB\n", "MemAvailable: lots kB\n", "MemAvailable: 5 MB\n"} {
		_, ok := memAvailable([]byte(bad))
		assert.False(t, ok, "%q", bad)
	}
	avail, source := availableMemory()
	assert.NotZero(t, avail)
	assert.False(t, strings.HasPrefix(source, " "))
}
