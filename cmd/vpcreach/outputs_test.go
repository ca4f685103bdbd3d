package main

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/awsimport"
	"github.com/vpcreach/vpcreach/internal/gen"
)

// runCLI runs the command line and returns its exit code, standard output
// and standard error.
func runCLI(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// copyFile copies a file into dir and returns the copy's path.
func copyFile(t *testing.T, src, dir string) string {
	t.Helper()
	data, err := os.ReadFile(src)
	require.NoError(t, err)
	dst := filepath.Join(dir, filepath.Base(src))
	require.NoError(t, os.WriteFile(dst, data, 0o644))
	return dst
}

// snapshotDir writes a small generated topology as an AWS snapshot
// directory.
func snapshotDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "snapshot")
	require.NoError(t, awsimport.Export(gen.Generate(gen.Options{VPCs: 2, Seed: 1, InstancesPerVPC: 3}), dir))
	return dir
}

// unchanged asserts that a file still holds what it held.
func unchanged(t *testing.T, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), "%s was changed", path)
}

func TestImportRefusesAnExistingFileWithoutForce(t *testing.T) {
	bundle := "../../awsimport/testdata/npguard-bundle.json"
	out := filepath.Join(t.TempDir(), "net.yaml")
	require.NoError(t, os.WriteFile(out, []byte("precious\n"), 0o644))

	code, stdout, stderr := runCLI("import", "aws", bundle, "--file", out)
	assert.Equal(t, exitInvalid, code)
	assert.Empty(t, stdout)
	assert.Equal(t, "vpcreach import aws: --file "+out+": refusing to replace an existing file (give --force to replace it)\n", stderr)
	unchanged(t, out, []byte("precious\n"))

	code, _, stderr = runCLI("import", "aws", bundle, "--file", out, "--force")
	require.Equal(t, exitOK, code, stderr)
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(data), "# Imported by vpcreach import aws "), "the file is replaced by the import")
	assertNoTemporaryFiles(t, filepath.Dir(out))
}

func TestImportNeverWritesOverItsInput(t *testing.T) {
	snap := snapshotDir(t)
	bundle := copyFile(t, "../../awsimport/testdata/npguard-bundle.json", t.TempDir())
	before, err := os.ReadFile(bundle)
	require.NoError(t, err)
	tests := []struct {
		name, src, out, msg string
	}{
		{"inside the snapshot", snap, filepath.Join(snap, "net.yaml"),
			"vpcreach import aws: --file " + filepath.Join(snap, "net.yaml") + ": refusing to write over an input: it is inside " + snap + ", which the command reads\n"},
		{"deep inside the snapshot", snap, filepath.Join(snap, "accounts", "net.yaml"), ""},
		{"the input file", bundle, bundle,
			"vpcreach import aws: --file " + bundle + ": refusing to write over an input: the command reads it\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, force := range []bool{false, true} {
				args := []string{"import", "aws", tt.src, "--file", tt.out}
				if force {
					args = append(args, "--force")
				}
				code, _, stderr := runCLI(args...)
				assert.Equal(t, exitInvalid, code, "force=%v", force)
				if tt.msg != "" {
					assert.Equal(t, tt.msg, stderr)
				} else {
					assert.Contains(t, stderr, "refusing to write over an input: it is inside "+snap)
				}
			}
		})
	}
	unchanged(t, bundle, before)
	assert.NoFileExists(t, filepath.Join(snap, "net.yaml"))
	// The snapshot still imports as it did: nothing was added to it.
	code, _, stderr := runCLI("validate", snap)
	assert.Equal(t, exitOK, code, stderr)
}

func assertNoTemporaryFiles(t *testing.T, dir string) {
	t.Helper()
	es, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range es {
		assert.NotContains(t, e.Name(), ".tmp-", "a temporary file stayed behind")
	}
}

// writeProfile writes a real heap profile, as a previous run would have.
func writeProfile(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, pprof.WriteHeapProfile(f))
	require.NoError(t, f.Close())
}

func TestProfilesNeverOverwriteInputsOrOtherFiles(t *testing.T) {
	dir := t.TempDir()
	topo := copyFile(t, "../../solver/testdata/network.yaml", dir)
	before, err := os.ReadFile(topo)
	require.NoError(t, err)
	notes := filepath.Join(dir, "notes.txt")
	require.NoError(t, os.WriteFile(notes, []byte("my notes\n"), 0o644))
	archive := filepath.Join(dir, "backup.gz")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte("not a profile"))
	require.NoError(t, zw.Close())
	require.NoError(t, os.WriteFile(archive, gz.Bytes(), 0o644))
	snap := snapshotDir(t)

	commands := [][]string{
		{"who-can-reach", topo, "--to", "i-a-db", "--port", "5432"},
		{"exposure", topo},
		{"matrix", topo, "--port", "443"},
	}
	for _, cmd := range commands {
		for _, flag := range []string{"--cpuprofile", "--memprofile"} {
			t.Run(cmd[0]+" "+flag, func(t *testing.T) {
				code, stdout, stderr := runCLI(append(append([]string(nil), cmd...), flag, topo)...)
				assert.Equal(t, exitInvalid, code)
				assert.Empty(t, stdout, "refused before any work")
				assert.Equal(t, "vpcreach "+cmd[0]+": "+flag+" "+topo+": refusing to write over an input: the command reads it\n", stderr)

				code, _, stderr = runCLI(append(append([]string(nil), cmd...), flag, notes)...)
				assert.Equal(t, exitInvalid, code)
				assert.Equal(t, "vpcreach "+cmd[0]+": "+flag+" "+notes+": refusing to replace an existing file: it is not a Go pprof profile (a gzip-compressed profile.proto message); remove it or choose another file\n", stderr)

				code, _, stderr = runCLI(append(append([]string(nil), cmd...), flag, archive)...)
				assert.Equal(t, exitInvalid, code)
				assert.Contains(t, stderr, "it is not a Go pprof profile")

				fromSnap := append([]string{cmd[0], "--from-aws", snap}, cmd[2:]...)
				code, _, stderr = runCLI(append(fromSnap, flag, filepath.Join(snap, "cpu.prof"))...)
				assert.Equal(t, exitInvalid, code)
				assert.Contains(t, stderr, "refusing to write over an input: it is inside "+snap)
			})
		}
	}
	unchanged(t, topo, before)
	unchanged(t, notes, []byte("my notes\n"))
	unchanged(t, archive, gz.Bytes())
	assert.NoFileExists(t, filepath.Join(snap, "cpu.prof"))

	code, _, stderr := runCLI("matrix", topo, "--port", "443", "--cpuprofile", filepath.Join(dir, "p"), "--memprofile", filepath.Join(dir, "p"))
	assert.Equal(t, exitInvalid, code)
	assert.Equal(t, "vpcreach matrix: --cpuprofile and --memprofile both name "+filepath.Join(dir, "p")+"; give them different files\n", stderr)
}

// A profile from an earlier run is replaced, atomically.
func TestProfilesReplaceAnEarlierProfile(t *testing.T) {
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.prof"), filepath.Join(dir, "mem.prof")
	writeProfile(t, cpu)
	writeProfile(t, mem)
	old, err := os.ReadFile(mem)
	require.NoError(t, err)
	empty := filepath.Join(dir, "empty.prof")
	require.NoError(t, os.WriteFile(empty, nil, 0o644))

	code, _, stderr := runCLI("matrix", "../../solver/testdata/network.yaml", "--port", "443", "--cpuprofile", cpu, "--memprofile", mem)
	require.Equal(t, exitOK, code, stderr)
	for _, p := range []string{cpu, mem} {
		require.NoError(t, isProfile(p), "%s is a profile", p)
	}
	got, err := os.ReadFile(mem)
	require.NoError(t, err)
	assert.NotEqual(t, old, got, "the memory profile is rewritten")
	assertNoTemporaryFiles(t, dir)

	code, _, stderr = runCLI("matrix", "../../solver/testdata/network.yaml", "--port", "443", "--memprofile", empty)
	require.Equal(t, exitOK, code, stderr)
	require.NoError(t, isProfile(empty))
	fi, err := os.Stat(empty)
	require.NoError(t, err)
	assert.NotZero(t, fi.Size())
}

// isProfile recognises what runtime/pprof writes: heap and CPU profiles.
func TestIsProfileRecognisesPprofOutput(t *testing.T) {
	dir := t.TempDir()
	heap := filepath.Join(dir, "heap")
	writeProfile(t, heap)
	assert.NoError(t, isProfile(heap))

	cpu := filepath.Join(dir, "cpu")
	f, err := os.Create(cpu)
	require.NoError(t, err)
	require.NoError(t, pprof.StartCPUProfile(f))
	time.Sleep(20 * time.Millisecond)
	pprof.StopCPUProfile()
	require.NoError(t, f.Close())
	assert.NoError(t, isProfile(cpu))

	text := filepath.Join(dir, "text")
	require.NoError(t, os.WriteFile(text, []byte("\x1f\x8b but not gzip"), 0o644))
	assert.ErrorIs(t, isProfile(text), errNotProfile)
}
