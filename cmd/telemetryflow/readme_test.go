package main

import (
	"bytes"
	"os"
	"regexp"
	"testing"
)

// The README documents every setting `help` prints, so the two cannot drift apart.
func TestReadmeDocumentsEverySetting(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var help bytes.Buffer
	if code := run([]string{"help"}, noEnv, &help, &help); code != 0 {
		t.Fatalf("help exited %d", code)
	}
	names := regexp.MustCompile(`(?m)^\s+(TF_[A-Z0-9_]+)\s`).FindAllStringSubmatch(help.String(), -1)
	if len(names) < 20 {
		t.Fatalf("help lists only %d settings:\n%s", len(names), help.String())
	}
	for _, n := range names {
		if !bytes.Contains(readme, []byte("`"+n[1]+"`")) {
			t.Errorf("README.md does not document %s", n[1])
		}
	}
}
