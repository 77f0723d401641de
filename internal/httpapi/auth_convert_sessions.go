package httpapi

import (
	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/oas"
)

// sessionList converts sessions; current is the asking session (uuid.Nil: none of them).
func sessionList(list []authn.Session, current uuid.UUID) *oas.SessionList {
	out := &oas.SessionList{Items: make([]oas.Session, 0, len(list))}
	for _, s := range list {
		out.Items = append(out.Items, oas.Session{ID: s.ID, CreatedAt: s.CreatedAt, LastSeenAt: s.LastSeenAt, ExpiresAt: s.ExpiresAt,
			IPAddress: s.IPAddress, UserAgent: s.UserAgent, Amr: s.AMR, Current: s.ID == current})
	}
	return out
}
