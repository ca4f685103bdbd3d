package report

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// srcRoot is the uriBaseId of artifact URIs relative to Report.BaseDir,
// the name GitHub code scanning and CodeQL use for the source root.
const srcRoot = "%SRCROOT%"

// RepositoryRoot returns the root of the git work tree that holds dir (the
// nearest directory, from dir up, with a .git entry: a directory, or a
// file in a linked work tree), or dir itself, made absolute, when none
// does. It is the default base of SARIF artifact URIs.
func RepositoryRoot(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return abs, nil
		}
		d = parent
	}
}

// artifactURI returns the SARIF artifact URI of a file and its uriBaseId:
// relative to base (an absolute directory) when the file is inside it,
// else an absolute file URI with no base. With no base, the path is
// written as it is.
func artifactURI(base, file string) (uri, baseID string) {
	if base == "" {
		return (&url.URL{Path: filepath.ToSlash(file)}).String(), ""
	}
	abs, err := filepath.Abs(file)
	if err == nil {
		if rel, err := filepath.Rel(base, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return (&url.URL{Path: filepath.ToSlash(rel)}).String(), srcRoot
		}
	} else {
		abs = file
	}
	return fileURI(abs), ""
}

// fileURI returns the file:// URI of an absolute path; dir adds the
// trailing slash a base URI needs.
func fileURI(abs string) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows path: file:///C:/...
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// baseURI returns the file:// URI of a base directory, with the trailing
// slash SARIF requires of a base.
func baseURI(base string) string {
	u := fileURI(base)
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}
