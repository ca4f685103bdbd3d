package main

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// fallbackMemory is the memory generate assumes it may use where the
// system does not say (no /proc/meminfo): 4 GiB.
const fallbackMemory = 4 << 30

// availableMemory returns the memory a command may use, and where the
// figure comes from: MemAvailable of /proc/meminfo (Linux), lowered to
// the room left under the process's cgroup memory limit when there is
// one (cgroup v2 memory.max less memory.current, or v1
// memory.limit_in_bytes less memory.usage_in_bytes); elsewhere
// fallbackMemory.
func availableMemory() (uint64, string) {
	data, err := os.ReadFile("/proc/meminfo")
	avail, ok := memAvailable(data)
	if err != nil || !ok {
		return fallbackMemory, "a fixed cap: this system does not report its available memory"
	}
	if room, ok := cgroupRoom(); ok && room < avail {
		return room, "the room under this process's cgroup memory limit"
	}
	return avail, "MemAvailable in /proc/meminfo"
}

// memAvailable reads MemAvailable from the text of /proc/meminfo.
func memAvailable(meminfo []byte) (uint64, bool) {
	sc := bufio.NewScanner(bytes.NewReader(meminfo))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 3 && f[0] == "MemAvailable:" && f[2] == "kB" {
			n, err := strconv.ParseUint(f[1], 10, 64)
			return n << 10, err == nil && n < 1<<50
		}
	}
	return 0, false
}

// cgroupRoom returns the memory left under the process's cgroup limit,
// and false when there is no limit or it cannot be read.
func cgroupRoom() (uint64, bool) {
	self, _ := os.ReadFile("/proc/self/cgroup")
	for _, line := range strings.Split(string(self), "\n") {
		if path, ok := strings.CutPrefix(line, "0::"); ok {
			dir := filepath.Join("/sys/fs/cgroup", path)
			if room, ok := limitRoom(filepath.Join(dir, "memory.max"), filepath.Join(dir, "memory.current")); ok {
				return room, true
			}
		}
	}
	return limitRoom("/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes")
}

// limitRoom reads a cgroup limit and usage; "max", or a v1 limit of
// about 2^63 (none), is no limit.
func limitRoom(limitFile, usageFile string) (uint64, bool) {
	l, err1 := os.ReadFile(limitFile)
	u, err2 := os.ReadFile(usageFile)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	limit, err1 := strconv.ParseUint(strings.TrimSpace(string(l)), 10, 64)
	used, err2 := strconv.ParseUint(strings.TrimSpace(string(u)), 10, 64)
	if err1 != nil || err2 != nil || limit >= 1<<62 {
		return 0, false
	}
	if used >= limit {
		return 0, true
	}
	return limit - used, true
}
