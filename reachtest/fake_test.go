package reachtest_test

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/vpcreach/vpcreach/reachtest"
	"github.com/vpcreach/vpcreach/solver"
)

// fakeT is a TestingT (and a require.TestingT) that records what an
// assertion does to the test, and attributes each report to a line the way
// testing.T does: the first frame above Errorf whose function has not
// called Helper by then.
type fakeT struct {
	helpers map[string]bool // functions that called Helper
	errors  []string
	at      []runtime.Frame // the frame each report is attributed to
	stopped bool            // FailNow was called
}

func newFakeT() *fakeT { return &fakeT{helpers: map[string]bool{}} }

// Helper records its caller, as testing.T does.
func (f *fakeT) Helper() {
	var pc [1]uintptr
	if runtime.Callers(2, pc[:]) == 0 {
		panic("fakeT: no caller")
	}
	frame, _ := runtime.CallersFrames(pc[:]).Next()
	f.helpers[frame.Function] = true
}

func (f *fakeT) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
	var pcs [64]uintptr
	n := runtime.Callers(2, pcs[:]) // from Errorf's caller up
	frames := runtime.CallersFrames(pcs[:n])
	for {
		frame, more := frames.Next()
		if !f.helpers[frame.Function] || !more {
			f.at = append(f.at, frame)
			return
		}
	}
}

// FailNow stops the goroutine, as testing.T does; run calls that may stop
// through stops.
func (f *fakeT) FailNow() {
	f.stopped = true
	runtime.Goexit()
}

// stops runs fn in its own goroutine, as a test function runs, and
// reports whether fn ran to its end.
func stops(fn func()) (finished bool) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
		finished = true
	}()
	<-done
	return finished
}

// errorsOnly is the smallest TestingT: testify's assert.TestingT, with
// neither Helper nor FailNow.
type errorsOnly struct{ errors []string }

func (e *errorsOnly) Errorf(format string, args ...any) {
	e.errors = append(e.errors, fmt.Sprintf(format, args...))
}

// shop loads testdata/shop.yaml.
func shop(t *testing.T) *solver.Solver {
	t.Helper()
	s := reachtest.Load(t, "testdata/shop.yaml")
	if s == nil {
		t.FailNow()
	}
	return s
}

// thisLine returns the line it is called from.
func thisLine() int {
	_, _, line, _ := runtime.Caller(1)
	return line
}

// firstLine returns the first line of a message.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func readFile(name string) (string, error) {
	b, err := os.ReadFile(name)
	return string(b), err
}
