package authn

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/errs"
)

func TestNewAPIKey(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	past, future := now.Add(-time.Second), now.Add(time.Hour)
	cases := []struct {
		name        string
		keyName     string
		permissions []string
		expires     *time.Time
		wantFields  []string
		wantList    []string
	}{
		{"all of the owner's", "ci", nil, nil, nil, nil},
		{"narrowed, sorted, deduplicated", " ci ", []string{"user:read", "audit:read", "user:read"}, &future, nil, []string{"audit:read", "user:read"}},
		{"empty name", "  ", nil, nil, []string{"name"}, nil},
		{"control character", "a\x00b", nil, nil, []string{"name"}, nil},
		{"empty list", "ci", []string{}, nil, []string{"permissions"}, nil},
		{"malformed permission", "ci", []string{"User:Read"}, nil, []string{"permissions"}, nil},
		{"expiry in the past", "ci", nil, &past, []string{"expires_at"}, nil},
		{"expiry now", "ci", nil, &now, []string{"expires_at"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k, err := NewAPIKey(uuid.New(), c.keyName, c.permissions, c.expires, now)
			if c.wantFields != nil {
				e := errs.As(err)
				if e == nil || e.Kind != errs.KindInvalid {
					t.Fatalf("err = %v, want invalid", err)
				}
				for i, f := range c.wantFields {
					if i >= len(e.Fields) || e.Fields[i].Field != f {
						t.Fatalf("fields = %+v, want %v", e.Fields, c.wantFields)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (k.Permissions == nil) != (c.wantList == nil) || len(k.Permissions) != len(c.wantList) {
				t.Fatalf("permissions = %#v, want %#v", k.Permissions, c.wantList)
			}
			for i := range c.wantList {
				if k.Permissions[i] != c.wantList[i] {
					t.Fatalf("permissions = %#v, want %#v", k.Permissions, c.wantList)
				}
			}
			if k.Name != "ci" || k.ID == uuid.Nil {
				t.Fatalf("key = %+v", k)
			}
		})
	}
}

func TestAPIKeyRefusal(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	soon, gone := now.Add(time.Minute), now.Add(-time.Minute)
	cases := []struct {
		name          string
		k             APIKey
		usable, place bool
		want          string
	}{
		{"usable", APIKey{}, true, true, ""},
		{"usable until its expiry", APIKey{ExpiresAt: &soon}, true, true, ""},
		{"expired", APIKey{ExpiresAt: &gone}, true, true, KeyExpired},
		{"expires exactly now", APIKey{ExpiresAt: &now}, true, true, KeyExpired},
		{"revoked wins", APIKey{RevokedAt: &gone, ExpiresAt: &gone}, true, true, KeyRevoked},
		{"owner inactive", APIKey{}, false, true, KeyOwnerInactive},
		{"owner's organization inactive", APIKey{}, true, false, KeyOwnerPlaced},
	}
	for _, c := range cases {
		if got := c.k.Refusal(now, c.usable, c.place); got != c.want {
			t.Errorf("%s: Refusal = %q, want %q", c.name, got, c.want)
		}
	}
	if CheckAPIKeyCount(MaxAPIKeysPerUser-1) != nil || !errs.IsKind(CheckAPIKeyCount(MaxAPIKeysPerUser), errs.KindConflict) {
		t.Error("CheckAPIKeyCount bounds wrong")
	}
}
