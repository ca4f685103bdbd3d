// Package outfile writes the files vpcreach's commands produce (imported
// topologies, CPU and memory profiles) by three rules:
//
//   - never over a file the command reads, nor inside a directory it reads
//     (an AWS snapshot directory);
//   - never over an existing file unless the caller allows it (a command's
//     --force, or a check that the file is one the command wrote before);
//   - atomically: the bytes go to a temporary file in the target's
//     directory, which is renamed over the target only once complete, so
//     an interrupted or failed run leaves the old file whole.
//
// Only regular files are written: a directory, device, pipe or socket at
// the path is refused (renaming over /dev/null would replace the device).
// A symbolic link is followed: the file it names is replaced and the link
// stays. The checks and the rename are not one atomic step: a file created
// at the path between Check and Commit is replaced when Options.Replace
// allows replacing, and refused (through a hard link, where the file
// system has them) when it does not.
package outfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Errors wrapped by the errors of Check, Create and WriteFile.
var (
	// ErrInput: the path is a file the command reads, or lies inside a
	// directory it reads.
	ErrInput = errors.New("refusing to write over an input")
	// ErrExists: a file exists at the path and Options.Replace does not
	// allow replacing it.
	ErrExists = errors.New("refusing to replace an existing file")
	// ErrNotRegular: something other than a regular file (a directory, a
	// device, a pipe) is at the path.
	ErrNotRegular = errors.New("not a regular file")
)

// Options say what a command may not write over.
type Options struct {
	// Inputs are the files and directories the command reads. The output
	// may be none of them (compared by identity, so a symbolic or hard
	// link to an input is refused too), nor inside any of the
	// directories.
	Inputs []string
	// Replace decides whether an existing regular file at the path may be
	// replaced: nil refuses every existing file; otherwise a non-nil
	// error refuses it (and is wrapped with ErrExists). Always allows
	// every one.
	Replace func(path string) error
}

// Always is an Options.Replace that allows replacing any regular file
// that is not an input (a command's --force).
func Always(string) error { return nil }

// Check applies the rules of the package to path without writing: it
// returns the file that would be written (path, or the file a symbolic
// link at path names) and nil, or an error that says why path is refused.
// Commands call it before doing any work, so that a refused output fails
// the run at once.
func Check(path string, o Options) (target string, err error) {
	target, exists, err := resolve(path)
	if err != nil {
		return "", err
	}
	if err := checkInputs(path, target, exists, o.Inputs); err != nil {
		return "", err
	}
	if exists {
		if o.Replace == nil {
			return "", fmt.Errorf("%s: %w", path, ErrExists)
		}
		if err := o.Replace(target); err != nil {
			return "", fmt.Errorf("%s: %w: %w", path, ErrExists, err)
		}
	}
	return target, nil
}

// resolve follows a symbolic link at path and reports whether a file is
// there; anything but a regular file (or nothing) is an error.
func resolve(path string) (target string, exists bool, err error) {
	if path == "" {
		return "", false, fmt.Errorf("empty file name")
	}
	target = path
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return target, false, nil
	}
	if err != nil {
		return "", false, err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		if target, err = filepath.EvalSymlinks(path); err != nil {
			return "", false, fmt.Errorf("%s: a symbolic link to a file that cannot be reached: %w", path, err)
		}
		if fi, err = os.Stat(target); err != nil {
			return "", false, err
		}
	}
	switch {
	case fi.IsDir():
		return "", false, fmt.Errorf("%s: %w (a directory)", path, ErrNotRegular)
	case !fi.Mode().IsRegular():
		return "", false, fmt.Errorf("%s: %w (a device, pipe or socket)", path, ErrNotRegular)
	}
	return target, true, nil
}

// checkInputs refuses a target that is an input or lies inside an input
// directory.
func checkInputs(path, target string, exists bool, inputs []string) error {
	abs, _ := filepath.Abs(target)
	// The directory the target is in, with symbolic links resolved, and
	// each directory above it.
	dir, err := filepath.EvalSymlinks(filepath.Dir(target))
	if err != nil {
		return fmt.Errorf("%s: the directory does not exist: %w", path, err)
	}
	dir, _ = filepath.Abs(dir)
	var out fs.FileInfo
	if exists {
		out, _ = os.Stat(target)
	}
	for _, in := range inputs {
		if inAbs, err := filepath.Abs(in); err == nil && inAbs == abs {
			return fmt.Errorf("%s: %w: the command reads it", path, ErrInput)
		}
		fi, err := os.Stat(in)
		if err != nil {
			continue // an input that cannot be read fails the command elsewhere
		}
		if out != nil && os.SameFile(out, fi) {
			return fmt.Errorf("%s: %w: it is %s, which the command reads", path, ErrInput, in)
		}
		if !fi.IsDir() {
			continue
		}
		for d := dir; ; d = filepath.Dir(d) {
			if di, err := os.Stat(d); err == nil && os.SameFile(di, fi) {
				return fmt.Errorf("%s: %w: it is inside %s, which the command reads", path, ErrInput, in)
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	return nil
}

// File is an output being written: a temporary file beside its target,
// renamed over it by Commit. A File is not safe for concurrent use.
type File struct {
	f       *os.File
	path    string // as the caller named it, for messages
	target  string
	tmp     string
	replace bool // whether an existing target may be replaced
	done    bool
}

// Create checks path as Check does and opens a temporary file in its
// directory for the caller to write. The caller must end with Commit, or
// Abort on failure (Abort after Commit does nothing, so `defer f.Abort()`
// is safe).
func Create(path string, o Options) (*File, error) {
	target, err := Check(path, o)
	if err != nil {
		return nil, err
	}
	// A new file is 0644 less the umask; a replaced one keeps its mode.
	perm, keep := fs.FileMode(0o644), false
	if fi, err := os.Stat(target); err == nil {
		perm, keep = fi.Mode().Perm(), true
	}
	dir, base := filepath.Split(target)
	for range 10 {
		var r [6]byte
		_, _ = rand.Read(r[:])
		tmp := filepath.Join(dir, "."+base+".tmp-"+hex.EncodeToString(r[:]))
		f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err == nil && keep {
			if err = f.Chmod(perm); err != nil {
				_ = f.Close()
				_ = os.Remove(tmp)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return &File{f: f, path: path, target: target, tmp: tmp, replace: o.Replace != nil}, nil
	}
	return nil, fmt.Errorf("%s: no free temporary file name in %s", path, dir)
}

// Write writes to the temporary file.
func (f *File) Write(p []byte) (int, error) { return f.f.Write(p) }

// Commit flushes the temporary file to disk and renames it over the
// target. On error the target is as it was and the temporary file is
// removed.
func (f *File) Commit() error {
	if f.done {
		return fmt.Errorf("%s: already committed or aborted", f.path)
	}
	f.done = true
	err := f.f.Sync()
	if cerr := f.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = f.publish()
	}
	if err != nil {
		_ = os.Remove(f.tmp)
		return fmt.Errorf("%s: %w", f.path, err)
	}
	if d, err := os.Open(filepath.Dir(f.target)); err == nil {
		_ = d.Sync() // make the rename durable, where the system allows it
		_ = d.Close()
	}
	return nil
}

// publish puts the temporary file in the target's place. Without leave to
// replace, a hard link publishes it only if the target is still absent.
func (f *File) publish() error {
	if !f.replace {
		err := os.Link(f.tmp, f.target)
		if err == nil {
			return os.Remove(f.tmp)
		}
		if errors.Is(err, fs.ErrExist) {
			return ErrExists
		}
		// No hard links here: check again, then rename.
		if _, err := os.Lstat(f.target); err == nil {
			return ErrExists
		}
	}
	return os.Rename(f.tmp, f.target)
}

// Abort closes and removes the temporary file, leaving the target as it
// was. It does nothing after Commit.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	_ = f.f.Close()
	_ = os.Remove(f.tmp)
}

// WriteFile writes data to path by the rules of the package: Create,
// Write, Commit.
func WriteFile(path string, data []byte, o Options) error {
	f, err := Create(path, o)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Abort()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Commit()
}
