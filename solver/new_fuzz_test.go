package solver_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vpcreach/vpcreach/model"
	"github.com/vpcreach/vpcreach/solver"
)

// FuzzNewAfterValidation checks that whatever loads (parses and passes
// validation) compiles and answers queries without a panic: solver.New
// relies on validation for every reference and every required value. The
// seeds are the repository's topologies, valid and invalid, and
// testdata/fuzz/FuzzNewAfterValidation.
func FuzzNewAfterValidation(f *testing.F) {
	var files []string
	for _, glob := range []string{"testdata/*.yaml", "../testdata/*.yaml", "../testdata/invalid/*.yaml"} {
		m, _ := filepath.Glob(glob)
		files = append(files, m...)
	}
	if len(files) == 0 {
		f.Fatal("no topologies to seed the corpus")
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				panic(fmt.Sprintf("WATCHDOG slow input %q", data))
			}
		}()
		m, _, err := model.LoadBytes("fuzz.yaml", data)
		if err != nil {
			return
		}
		s, err := solver.New(m)
		if err != nil {
			return
		}
		var ends []string
		for _, x := range interfaces(m) {
			ends = append(ends, string(x.id))
		}
		ends = append(ends, "internet")
		for _, to := range ends[:min(len(ends), 4)] {
			for _, p := range []solver.Query{
				{From: ends[0], To: to, Protocol: model.ProtocolTCP, Port: 443},
				{From: ends[0], To: to, Protocol: model.ProtocolAll},
			} {
				if r := s.Reach(p); r.Verdict == solver.VerdictUnknown {
					t.Fatalf("Reach(%s) gives no verdict", p)
				}
			}
		}
	})
}
