package diff

import (
	"runtime"
	"testing"
	"time"
)

func TestZZDbg(t *testing.T) {
	for _, edit := range []string{"route"} {
		so, sn := benchPairTB(t, 1000, edit)
		var st time.Time
		runtime.GC()
		st = time.Now()
		r := CompareSolvers(so, sn, Options{})
		t.Logf("%s: %v gained=%d lost=%d changed=%d", edit, time.Since(st), r.Summary.Gained, r.Summary.Lost, r.Summary.Changed)
	}
}
