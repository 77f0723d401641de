package spool

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/telemetryflow/core/internal/platform/condwait"
)

// syncLoop puts appended records on stable storage every SyncInterval and whenever SyncTo
// asks, and releases the mappings of sealed segments once they are flushed.
func (s *Spool) syncLoop() {
	defer s.wg.Done()
	t := time.NewTicker(s.cfg.SyncInterval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		case <-s.syncReq:
		}
		if err := s.syncOnce(); err != nil {
			s.log.Error("audit spool: sync failed", "error", err)
		}
		if p := s.prepareErr.Swap(nil); p != nil {
			s.log.Warn("audit spool: could not pre-create the next segment", "error", *p)
		}
	}
}

// syncOnce flushes everything appended so far. Only this function (and Close, after the loop
// has stopped) unmaps sealed segments, so a mapping is never flushed after it is released.
func (s *Spool) syncOnce() error {
	s.mu.Lock()
	sealed := s.sealed
	s.sealed = nil
	active, amap, end := s.active, s.amap, int64(0)
	if active != nil {
		end = active.end
	}
	dirty := s.dirDirty
	s.dirDirty = false
	s.mu.Unlock()

	var errs []error
	for _, sm := range sealed {
		errs = append(errs, msync(sm.m, headerSize, sm.seg.end))
		unmap(sm.m)
	}
	s.syncMu.Lock()
	from := int64(headerSize)
	if active != nil && s.synced.Seg == active.seq {
		from = s.synced.Off
	}
	s.syncMu.Unlock()
	if amap != nil {
		errs = append(errs, msync(amap, from, end))
	}
	if dirty {
		errs = append(errs, syncDir(s.cfg.Dir))
	}
	err := errors.Join(errs...)
	s.syncMu.Lock()
	if err == nil && active != nil {
		s.synced = Pos{active.seq, end}
	}
	s.syncErr = err
	s.syncCond.Broadcast()
	s.syncMu.Unlock()
	return err
}

// SyncTo returns once every record before p is on stable storage.
func (s *Spool) SyncTo(ctx context.Context, p Pos) error {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	for s.synced.Less(p) {
		select {
		case s.syncReq <- struct{}{}:
		default:
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if s.isClosed() {
			return ErrClosed
		}
		if s.syncErr != nil {
			err := s.syncErr
			s.syncErr = nil
			return fmt.Errorf("spool: sync: %w", err)
		}
		// Wakes at least every 50 ms, so a closed spool is noticed even if nobody broadcasts.
		condwait.Wait(ctx, s.syncCond, 50*time.Millisecond)
	}
	return nil
}

func (s *Spool) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
