package outfile_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vpcreach/vpcreach/internal/outfile"
)

func write(t *testing.T, path, data string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(data), 0o644))
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

// leftovers lists the temporary files left in dir.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	require.NoError(t, err)
	var out []string
	for _, e := range es {
		if strings.Contains(e.Name(), ".tmp-") {
			out = append(out, e.Name())
		}
	}
	return out
}

func TestRefusesToWriteOverAnInput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "net.yaml")
	write(t, in, "version: 1\n")
	snap := filepath.Join(dir, "snapshot")
	write(t, filepath.Join(snap, "us-east-1", "vpcs.json"), "{}")
	link := filepath.Join(dir, "link.yaml")
	require.NoError(t, os.Symlink(in, link))
	hard := filepath.Join(dir, "hard.yaml")
	require.NoError(t, os.Link(in, hard))
	snapLink := filepath.Join(dir, "snaplink")
	require.NoError(t, os.Symlink(snap, snapLink))
	rel, err := filepath.Rel(mustWd(t), in)
	require.NoError(t, err)

	inputs := []string{in, snap}
	for name, path := range map[string]string{
		"the input itself":               in,
		"the input by a relative path":   rel,
		"a symbolic link to the input":   link,
		"a hard link to the input":       hard,
		"a file in the snapshot":         filepath.Join(snap, "out.yaml"),
		"a file deep in the snapshot":    filepath.Join(snap, "us-east-1", "out.yaml"),
		"a snapshot file itself":         filepath.Join(snap, "us-east-1", "vpcs.json"),
		"the snapshot through a link":    filepath.Join(snapLink, "out.yaml"),
		"the input's path, made unclean": filepath.Join(dir, ".", "snapshot", "..", "net.yaml"),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := outfile.Check(path, outfile.Options{Inputs: inputs, Replace: outfile.Always})
			require.ErrorIs(t, err, outfile.ErrInput, "writing %s", path)
			err = outfile.WriteFile(path, []byte("clobbered"), outfile.Options{Inputs: inputs, Replace: outfile.Always})
			require.ErrorIs(t, err, outfile.ErrInput)
		})
	}
	assert.Equal(t, "version: 1\n", read(t, in))
	assert.Equal(t, "{}", read(t, filepath.Join(snap, "us-east-1", "vpcs.json")))
	assert.NoFileExists(t, filepath.Join(snap, "out.yaml"))

	// Beside the snapshot (not inside it) is fine.
	require.NoError(t, outfile.WriteFile(filepath.Join(dir, "snapshot.yaml"), []byte("ok"), outfile.Options{Inputs: inputs}))
}

func mustWd(t *testing.T) string {
	wd, err := os.Getwd()
	require.NoError(t, err)
	return wd
}

func TestRefusesAnExistingFileUnlessAllowed(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.yaml")
	write(t, out, "precious")

	err := outfile.WriteFile(out, []byte("new"), outfile.Options{})
	require.ErrorIs(t, err, outfile.ErrExists)
	assert.Equal(t, "precious", read(t, out))

	notMine := errors.New("not one of ours")
	err = outfile.WriteFile(out, []byte("new"), outfile.Options{Replace: func(string) error { return notMine }})
	require.ErrorIs(t, err, outfile.ErrExists)
	require.ErrorIs(t, err, notMine)
	assert.Equal(t, "precious", read(t, out))

	require.NoError(t, outfile.WriteFile(out, []byte("new"), outfile.Options{Replace: outfile.Always}))
	assert.Equal(t, "new", read(t, out))
	assert.Empty(t, leftovers(t, dir))
}

func TestRefusesWhatIsNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	for name, path := range map[string]string{"a directory": dir, "a device": os.DevNull} {
		t.Run(name, func(t *testing.T) {
			_, err := outfile.Check(path, outfile.Options{Replace: outfile.Always})
			require.ErrorIs(t, err, outfile.ErrNotRegular)
		})
	}
	_, err := outfile.Check(filepath.Join(dir, "no-such-dir", "out"), outfile.Options{})
	require.Error(t, err)
}

// A run that stops before Commit (killed, or failed while writing) leaves
// the old file whole.
func TestAnInterruptedWriteLeavesTheOldFileWhole(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.yaml")
	write(t, out, "old and whole")

	f, err := outfile.Create(out, outfile.Options{Replace: outfile.Always})
	require.NoError(t, err)
	_, err = f.Write([]byte("half of the ne"))
	require.NoError(t, err)
	// Interrupted here: the target is untouched while the new bytes are
	// being written...
	assert.Equal(t, "old and whole", read(t, out))
	// ...and a failed run aborts: no temporary file stays.
	f.Abort()
	assert.Equal(t, "old and whole", read(t, out))
	assert.Empty(t, leftovers(t, dir))
	require.Error(t, f.Commit(), "commit after abort")
}

func TestCommitReplacesAndKeepsTheMode(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.yaml")
	write(t, out, "old")
	require.NoError(t, os.Chmod(out, 0o600))

	f, err := outfile.Create(out, outfile.Options{Replace: outfile.Always})
	require.NoError(t, err)
	defer f.Abort()
	_, err = f.Write([]byte("new"))
	require.NoError(t, err)
	require.NoError(t, f.Commit())
	f.Abort() // after Commit: does nothing
	assert.Equal(t, "new", read(t, out))
	fi, err := os.Stat(out)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	assert.Empty(t, leftovers(t, dir))
}

func TestASymbolicLinkIsFollowed(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.yaml")
	write(t, real, "old")
	link := filepath.Join(dir, "link.yaml")
	require.NoError(t, os.Symlink(real, link))
	require.NoError(t, outfile.WriteFile(link, []byte("new"), outfile.Options{Replace: outfile.Always}))
	assert.Equal(t, "new", read(t, real))
	fi, err := os.Lstat(link)
	require.NoError(t, err)
	assert.NotZero(t, fi.Mode()&os.ModeSymlink, "the link stays a link")
}

// Without leave to replace, a file that appears while the output is being
// written is not replaced.
func TestAFileCreatedMeanwhileIsNotReplaced(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.yaml")
	f, err := outfile.Create(out, outfile.Options{})
	require.NoError(t, err)
	_, err = f.Write([]byte("ours"))
	require.NoError(t, err)
	write(t, out, "theirs")
	require.ErrorIs(t, f.Commit(), outfile.ErrExists)
	assert.Equal(t, "theirs", read(t, out))
	assert.Empty(t, leftovers(t, dir))
}
