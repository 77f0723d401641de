// Package breached holds the bundled list of commonly used, breached passwords that the
// password policy refuses (OWASP ASVS 2.1.7): the 100,000 most common passwords of at least
// 8 characters from SecLists' "10 million password list, top 1M" (see NOTICE.md beside this
// file for source, licence and checksums; internal/devtools/pwlist rebuilds the file).
//
// The list is embedded gzip-compressed (about 330 KB in the binary) and decompressed once, on
// first use, into one sorted block of lines with an offset per line (about 1.3 MB held);
// a lookup is a binary search over it, without allocation.
package breached

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"sort"
	"sync"
)

//go:embed common-passwords.txt.gz
var compressed []byte

// List is the loaded list. It implements iam.PasswordList.
type List struct {
	once  sync.Once
	err   error
	text  []byte   // sorted, lower-cased passwords, each followed by '\n'
	start []uint32 // offset of each password in text
}

var common List

// Common returns the bundled list; it is loaded on the first lookup (or Load).
func Common() *List { return &common }

// Load decompresses the list if that has not happened yet. Start-up calls it so that a broken
// build fails at once instead of at the first password change.
func (l *List) Load() error {
	l.once.Do(func() { l.text, l.start, l.err = parse(compressed) })
	return l.err
}

// Len is the number of passwords on the list.
func (l *List) Len() int {
	_ = l.Load()
	return len(l.start)
}

// Bytes is the memory the loaded list holds.
func (l *List) Bytes() int {
	_ = l.Load()
	return cap(l.text) + 4*cap(l.start)
}

// Contains reports whether lower (an already lower-cased password) is on the list. A list
// that failed to load contains nothing; Load reports why, at start-up.
func (l *List) Contains(lower string) bool {
	if l.Load() != nil {
		return false
	}
	i := sort.Search(len(l.start), func(i int) bool { return string(l.at(i)) >= lower })
	return i < len(l.start) && string(l.at(i)) == lower
}

// at is the i-th password, without its newline.
func (l *List) at(i int) []byte {
	end := len(l.text)
	if i+1 < len(l.start) {
		end = int(l.start[i+1])
	}
	return l.text[l.start[i] : end-1]
}

func parse(gz []byte) ([]byte, []uint32, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, nil, fmt.Errorf("common passwords: %w", err)
	}
	text, err := io.ReadAll(zr)
	if err != nil {
		return nil, nil, fmt.Errorf("common passwords: %w", err)
	}
	text = bytes.Clone(text) // drop ReadAll's spare capacity
	start := make([]uint32, 0, bytes.Count(text, []byte{'\n'}))
	prev := []byte(nil)
	for off := 0; off < len(text); {
		n := bytes.IndexByte(text[off:], '\n')
		if n < 0 {
			return nil, nil, fmt.Errorf("common passwords: last line unterminated")
		}
		line := text[off : off+n]
		if prev != nil && bytes.Compare(prev, line) >= 0 {
			return nil, nil, fmt.Errorf("common passwords: not sorted at line %d", len(start)+1)
		}
		start = append(start, uint32(off))
		prev, off = line, off+n+1
	}
	return text, start, nil
}
