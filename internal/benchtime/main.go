//go:build unix

// Command benchtime runs a command and writes its wall time, peak resident
// memory, exit status and CPU time, as `/usr/bin/time -f '%e %M %x %U %S'`
// does:
//
//	benchtime -o FILE -- COMMAND [ARG...]
//
// FILE gets one line: the wall time in seconds, the maximum resident set
// size in KiB, the exit status, and the user and system CPU seconds. scripts/bench-e2e uses it where
// /usr/bin/time is missing. The command's standard input, output and error
// are benchtime's; benchtime exits with the command's status.
//
// It builds on Unix systems only (it reads the child's rusage).
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"syscall"
	"time"
)

func main() {
	out := flag.String("o", "", "write the figures to this `file` (required)")
	flag.Parse()
	if *out == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: benchtime -o FILE -- COMMAND [ARG...]")
		os.Exit(2)
	}
	cmd := exec.Command(flag.Arg(0), flag.Args()[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		fmt.Fprintf(os.Stderr, "benchtime: %v\n", err)
		os.Exit(2)
	}
	var maxRSS int64 // KiB on Linux; bytes on macOS
	user, sys := cmd.ProcessState.UserTime(), cmd.ProcessState.SystemTime()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		maxRSS = int64(ru.Maxrss)
		if runtime.GOOS == "darwin" { // ru_maxrss is in bytes there
			maxRSS /= 1024
		}
	}
	status := cmd.ProcessState.ExitCode()
	line := fmt.Sprintf("%.2f %d %d %.2f %.2f\n", wall.Seconds(), maxRSS, status, user.Seconds(), sys.Seconds())
	if err := os.WriteFile(*out, []byte(line), 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "benchtime: %v\n", err)
		os.Exit(2)
	}
	os.Exit(status)
}
