package main

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"

	"github.com/vpcreach/vpcreach/internal/outfile"
)

// profiling adds --cpuprofile and --memprofile to a command. Profiles are
// written as every output is (internal/outfile): never over an input or
// inside an input directory, atomically, and over an existing file only
// when it is a Go pprof profile (isProfile), such as the one an earlier
// run wrote.
type profiling struct{ cpu, mem *string }

func addProfiling(fs *flag.FlagSet) profiling {
	return profiling{
		cpu: fs.String("cpuprofile", "", "write a CPU profile to this `file` (for reporting a slow run); an existing file must be a Go pprof profile"),
		mem: fs.String("memprofile", "", "write a memory profile to this `file`; an existing file must be a Go pprof profile"),
	}
}

// options are the rules the profiles are written by.
func (p profiling) options(inputs []string) outfile.Options {
	return outfile.Options{Inputs: inputs, Replace: isProfile}
}

// check refuses profile paths before the command opens anything for
// writing or does any work. It prints why and returns false when a path
// is refused.
func (p profiling) check(errOut io.Writer, cmd string, inputs []string) bool {
	if *p.cpu != "" && *p.cpu == *p.mem {
		fmt.Fprintf(errOut, "vpcreach %s: --cpuprofile and --memprofile both name %s; give them different files\n", cmd, safe(*p.cpu))
		return false
	}
	for _, f := range []struct{ flag, path string }{{"cpuprofile", *p.cpu}, {"memprofile", *p.mem}} {
		if f.path == "" {
			continue
		}
		if _, err := outfile.Check(f.path, p.options(inputs)); err != nil {
			fmt.Fprintf(errOut, "vpcreach %s: --%s %s\n", cmd, f.flag, safe(err.Error()))
			return false
		}
	}
	return true
}

// start begins the CPU profile and returns a function that ends it and
// writes the memory profile. When the CPU profile cannot be started it
// prints why and returns ok false.
func (p profiling) start(errOut io.Writer, cmd string, inputs []string) (stop func(), ok bool) {
	var cpu *outfile.File
	if *p.cpu != "" {
		f, err := outfile.Create(*p.cpu, p.options(inputs))
		if err == nil {
			if err = pprof.StartCPUProfile(f); err != nil {
				f.Abort()
			}
		}
		if err != nil {
			fmt.Fprintf(errOut, "vpcreach %s: --cpuprofile %s\n", cmd, err)
			return nil, false
		}
		cpu = f
	}
	return func() {
		if cpu != nil {
			pprof.StopCPUProfile()
			if err := cpu.Commit(); err != nil {
				fmt.Fprintf(errOut, "vpcreach %s: --cpuprofile %s\n", cmd, err)
			}
		}
		if *p.mem != "" {
			f, err := outfile.Create(*p.mem, p.options(inputs))
			if err == nil {
				runtime.GC()
				if err = pprof.WriteHeapProfile(f); err != nil {
					f.Abort()
				} else {
					err = f.Commit()
				}
			}
			if err != nil {
				fmt.Fprintf(errOut, "vpcreach %s: --memprofile %s\n", cmd, err)
			}
		}
	}, true
}

// errNotProfile says why an existing file is not replaced by a profile.
var errNotProfile = errors.New("it is not a Go pprof profile (a gzip-compressed profile.proto message); remove it or choose another file")

// profileWireTypes are the wire types of the fields of a pprof Profile
// message (github.com/google/pprof/proto/profile.proto), by field number:
// 0 varint, 2 length-delimited. Field 13 (comment) is a repeated int64,
// packed or not.
var profileWireTypes = [...][]uint64{1: {2}, 2: {2}, 3: {2}, 4: {2}, 5: {2}, 6: {2}, 7: {0}, 8: {0},
	9: {0}, 10: {0}, 11: {2}, 12: {0}, 13: {0, 2}, 14: {0}}

// isProfile allows replacing an existing file when it is a Go pprof
// profile, such as an earlier run wrote: a gzip stream (magic 1f 8b)
// that decompresses to fields of a pprof Profile message. It reads up to
// the first 16 fields (their keys must be fields 1-14 of profile.proto
// with their wire types, their lengths within the stream): runtime/pprof
// starts heap profiles with field 11 (period type) and CPU profiles with
// field 9 (time), and other gzip files fail within a few bytes. An empty
// file holds nothing to lose and may be replaced too (a run stopped
// early by an older vpcreach left one).
func isProfile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() == 0 {
		return nil
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		return errNotProfile
	}
	br := bufio.NewReader(zr)
	for i := range 16 {
		key, err := binary.ReadUvarint(br)
		if err == io.EOF && i > 0 {
			return nil // a short profile, read to its end
		}
		if err != nil {
			return errNotProfile
		}
		field, wire := key>>3, key&7
		if field == 0 || field >= uint64(len(profileWireTypes)) || !slices.Contains(profileWireTypes[field], wire) {
			return errNotProfile
		}
		n, err := binary.ReadUvarint(br)
		if err == nil && wire == 2 {
			_, err = io.CopyN(io.Discard, br, int64(min(n, 1<<40)))
		}
		if err != nil {
			return errNotProfile
		}
	}
	return nil
}
