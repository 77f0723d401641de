package loadkit

import (
	"fmt"
	"math/bits"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Histogram counts latencies in microseconds with under 1 % error (7 bits of mantissa), in
// constant memory however long the run: a soak of millions of requests costs nothing here.
type Histogram struct {
	counts [64 << 7]uint64
	n      uint64
	max    uint64
}

func bucket(us uint64) int {
	if us < 128 {
		return int(us)
	}
	e := 63 - bits.LeadingZeros64(us) // position of the top bit, ≥ 7
	return (e-6)<<7 | int(us>>(e-7)&127)
}

func lower(i int) uint64 {
	if i < 128 {
		return uint64(i)
	}
	e := i>>7 + 6
	return (uint64(1)<<7 | uint64(i&127)) << (e - 7)
}

// Record adds one observation.
func (h *Histogram) Record(d time.Duration) {
	us := uint64(d.Microseconds())
	h.counts[bucket(us)]++
	h.n++
	h.max = max(h.max, us)
}

// Merge adds o's observations.
func (h *Histogram) Merge(o *Histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.max = max(h.max, o.max)
}

// Count is the number of observations.
func (h *Histogram) Count() uint64 { return h.n }

// Quantile is the q-quantile (0..1), as the lower bound of its bucket.
func (h *Histogram) Quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(q * float64(h.n-1))
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen > rank {
			return time.Duration(lower(i)) * time.Microsecond
		}
	}
	return time.Duration(h.max) * time.Microsecond
}

// Max is the largest observation.
func (h *Histogram) Max() time.Duration { return time.Duration(h.max) * time.Microsecond }

// Op is what one worker saw of one operation: latencies of answered requests and counts by
// status (0 = a transport error).
type Op struct {
	Latency  Histogram
	Statuses map[int]uint64
}

// Add records one request.
func (o *Op) Add(status int, d time.Duration) {
	if o.Statuses == nil {
		o.Statuses = map[int]uint64{}
	}
	o.Statuses[status]++
	if status != 0 {
		o.Latency.Record(d)
	}
}

// Merge adds o2 into o.
func (o *Op) Merge(o2 *Op) {
	o.Latency.Merge(&o2.Latency)
	if o.Statuses == nil {
		o.Statuses = map[int]uint64{}
	}
	for s, n := range o2.Statuses {
		o.Statuses[s] += n
	}
}

// StatusString lists the counts by status, ascending: "200:1234 429:5".
func (o *Op) StatusString() string {
	keys := make([]int, 0, len(o.Statuses))
	for k := range o.Statuses {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(' ')
		}
		name := strconv.Itoa(k)
		if k == 0 {
			name = "transport-error"
		}
		fmt.Fprintf(&b, "%s:%d", name, o.Statuses[k])
	}
	return b.String()
}

// Total is the number of requests sent.
func (o *Op) Total() uint64 {
	var n uint64
	for _, c := range o.Statuses {
		n += c
	}
	return n
}

// Memory is a process's resident set, split the way the kernel splits it: anonymous memory
// (heaps, the Go runtime's and SQLite's) and file-backed pages (the binary, mapped files).
type Memory struct{ RSS, Anon, File int64 }

// ReadMemory reads pid's VmRSS, RssAnon and RssFile from /proc/<pid>/status.
func ReadMemory(pid int) (Memory, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return Memory{}, err
	}
	var m Memory
	fields := map[string]*int64{"VmRSS:": &m.RSS, "RssAnon:": &m.Anon, "RssFile:": &m.File}
	for line := range strings.Lines(string(b)) {
		for name, dst := range fields {
			if v, ok := strings.CutPrefix(line, name); ok {
				kb, err := strconv.ParseInt(strings.Fields(v)[0], 10, 64)
				if err != nil {
					return Memory{}, err
				}
				*dst = kb << 10
			}
		}
	}
	if m.RSS == 0 {
		return Memory{}, fmt.Errorf("no VmRSS for pid %d", pid)
	}
	return m, nil
}

// CPUTime is the user+system CPU time process pid has used, from /proc/<pid>/stat.
func CPUTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	// Fields after the command: state is f[0], utime f[11], stime f[12] (clock ticks, 100 Hz).
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond, nil
}

// LoadAvg is the first line of /proc/loadavg's three averages ("0.52 0.58 0.59").
func LoadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:3], " ")
}

// Sampler records a process's RSS every interval until stopped.
type Sampler struct {
	mu      sync.Mutex
	Samples []Sample
	stop    chan struct{}
	done    chan struct{}
}

// Sample is one memory reading.
type Sample struct {
	At time.Duration
	Memory
	// Heap is what the heap probe SampleMemory was given returned (the Go heap in use), -1 when
	// there is none or it failed.
	Heap int64
	// Size is the size of the file SampleMemory was given (the SQLite WAL), -1 when absent.
	Size int64
}

// SampleMemory starts sampling pid's memory every interval, the size of file unless it is
// empty, and what heap returns unless it is nil.
func SampleMemory(pid int, interval time.Duration, file string, heap func() (int64, error)) *Sampler {
	s := &Sampler{stop: make(chan struct{}), done: make(chan struct{})}
	start := time.Now()
	take := func() {
		m, err := ReadMemory(pid)
		if err != nil {
			return
		}
		sample := Sample{At: time.Since(start), Memory: m, Heap: -1, Size: -1}
		if fi, err := os.Stat(file); file != "" && err == nil {
			sample.Size = fi.Size()
		}
		if heap != nil {
			if n, err := heap(); err == nil {
				sample.Heap = n
			}
		}
		s.mu.Lock()
		s.Samples = append(s.Samples, sample)
		s.mu.Unlock()
	}
	go func() {
		defer close(s.done)
		take()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				take()
				return
			case <-t.C:
				take()
			}
		}
	}()
	return s
}

// Stop takes a last sample and returns them all.
func (s *Sampler) Stop() []Sample {
	close(s.stop)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Samples
}
