package apitest

import (
	"context"
	"testing"
	"time"
)

// FlushAudit stores every audit event the server has recorded so far: the audit writer
// batches them, and a test reading the audit log must not race the next flush.
func (s *Server) FlushAudit(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.Service.FlushAudit(ctx); err != nil {
		t.Fatal(err)
	}
}
