// Package testchild runs the test binary again as a child process: a writer or a server that a
// test can kill with SIGKILL, which it cannot do to itself. The package's TestMain decides what
// the child does from the environment it is given.
package testchild

import (
	"io"
	"os"
	"os/exec"
	"testing"
)

// Start runs the test binary with no test selected and env added to this process's
// environment. It returns the child and its stdout (the child's announcements); the child's
// stderr is this process's.
func Start(t testing.TB, env ...string) (*exec.Cmd, io.ReadCloser) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, stdout
}
