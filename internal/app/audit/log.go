package audit

import (
	"context"
	"errors"
	"log/slog"
)

// LogConfig wires a Log.
type LogConfig struct {
	// Recorder receives the events (the audit writer in the service); required.
	Recorder Recorder
	// Logger receives the one line written when an event cannot be enqueued; nil means
	// slog.Default() (a lost audit event is never silent).
	Logger *slog.Logger
	// Reads is TF_AUDIT_READS: which executed reads leave a DATA row (the zero value: all).
	Reads Reads
}

// Validate reports a missing recorder.
func (c LogConfig) Validate() error {
	if c.Recorder == nil {
		return errors.New("audit: a log needs a recorder")
	}
	return nil
}

// Log is the one way to record an audit event (see the package documentation). A nil *Log
// records nothing, which tests of other concerns use.
type Log struct {
	rec   Recorder
	log   *slog.Logger
	reads Reads
}

// NewLog builds a log.
func NewLog(cfg LogConfig) (*Log, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Log{rec: cfg.Recorder, log: cfg.Logger, reads: cfg.Reads}, nil
}

// Record records e. A failure to enqueue it durably is logged once and never returned: the
// caller's answer stands (the recorder's counters report the loss).
func (l *Log) Record(ctx context.Context, e Event) {
	if l == nil {
		return
	}
	if err := l.rec.Record(ctx, e); err != nil {
		l.log.ErrorContext(ctx, "audit event not recorded", "event_type", e.EventType.String(), "action", e.Action, "error", err)
	}
}

// RecordOrFail records e and returns the recorder's error, for the reads that must fail
// closed (the audit trail's): their caller refuses the answer when the row is not recorded,
// and reports the error itself, so nothing is logged here.
func (l *Log) RecordOrFail(ctx context.Context, e Event) error {
	if l == nil {
		return nil
	}
	return l.rec.Record(ctx, e)
}

// Records reports whether a read of kind k leaves a DATA row (Reads.Records), so a caller
// builds none otherwise.
func (l *Log) Records(k ReadKind) bool { return l != nil && l.reads.Records(k) }
