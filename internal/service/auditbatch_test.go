package service

import "testing"

func TestAuditBatchSize(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		configured int
		kind       string
		want       int
	}{
		{0, "sql", 4096},
		{0, "clickhouse", 50000},
		{500, "sql", 500},
		{120000, "clickhouse", 120000},
	} {
		if got := auditBatchSize(c.configured, c.kind); got != c.want {
			t.Errorf("auditBatchSize(%d, %q) = %d, want %d", c.configured, c.kind, got, c.want)
		}
	}
}
