package breached

import "testing"

// BenchmarkLoad measures the one-time decompression and indexing of the list.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		if _, _, err := parse(compressed); err != nil {
			b.Fatal(err)
		}
	}
}
