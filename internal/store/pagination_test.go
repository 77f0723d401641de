package store_test

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/platform/pagecursor"
	"github.com/telemetryflow/core/internal/testutil/iamtest"
)

// testPagination walks 250 rows page by page, with cursors and with offsets, in every sort
// order, and checks that every row comes exactly once and in order — including rows that
// share a created_at, which only the id tie-breaker orders.
func testPagination(t *testing.T, e *iamtest.Env) {
	_, _, o, first := hierarchy(t, e)
	base := time.Now().Add(-time.Hour)
	made := []iam.Workspace{*first}
	ok(t, e, func(tx port.Tx) error {
		for i := range 249 {
			w := get(iam.NewWorkspace(o.ID, iam.WorkspaceFields{
				Name: ptr(string(rune('a'+i%26)) + "-" + uuid.NewString()[:4]), Slug: ptr(unique("p"))},
				base.Add(time.Duration(i/3)*time.Millisecond)))(t) // three rows per instant
			if err := tx.Workspaces().Create(ctx, w); err != nil {
				return err
			}
			made = append(made, *w)
		}
		return nil
	})
	filter := port.WorkspaceFilter{OrganizationID: &o.ID}
	orders := map[string]func(a, b iam.Workspace) int{
		"created_at":  func(a, b iam.Workspace) int { return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmpID(a.ID, b.ID)) },
		"-created_at": func(a, b iam.Workspace) int { return -cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmpID(a.ID, b.ID)) },
		"name":        func(a, b iam.Workspace) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmpID(a.ID, b.ID)) },
		"-name":       func(a, b iam.Workspace) int { return -cmp.Or(cmp.Compare(a.Name, b.Name), cmpID(a.ID, b.ID)) },
	}
	for sort, order := range orders {
		t.Run(sort, func(t *testing.T) {
			want := slices.Clone(made)
			slices.SortFunc(want, order)
			var got []iam.Workspace
			req := port.PageRequest{Limit: 23, Sort: sort}
			for pages := 0; ; pages++ {
				p := get(e.Store.Workspaces().List(ctx, port.Everything, filter, req))(t)
				if p.Total != 250 {
					t.Fatalf("total %d", p.Total)
				}
				got = append(got, p.Items...)
				if p.NextCursor == "" {
					break
				}
				if pages > 20 {
					t.Fatal("pagination does not end")
				}
				req.Cursor = p.NextCursor
			}
			assertSameOrder(t, got, want, sort)
			// Offsets give the same sequence.
			var byOffset []iam.Workspace
			for off := 0; off < 250; off += 100 {
				p := get(e.Store.Workspaces().List(ctx, port.Everything, filter, port.PageRequest{Limit: 100, Offset: off, Sort: sort}))(t)
				byOffset = append(byOffset, p.Items...)
			}
			// PostgreSQL and SQLite may collate names differently from Go; within one store
			// both walks must agree with each other exactly.
			assertSameOrder(t, byOffset, got, sort+" by offset")
		})
	}
	t.Run("defaults and bounds", func(t *testing.T) {
		p := get(e.Store.Workspaces().List(ctx, port.Everything, filter, port.PageRequest{}))(t)
		if len(p.Items) != port.DefaultLimit || p.NextCursor == "" {
			t.Fatalf("default page %d items", len(p.Items))
		}
		p = get(e.Store.Workspaces().List(ctx, port.Everything, filter, port.PageRequest{Limit: 1000}))(t)
		if len(p.Items) != port.MaxLimit {
			t.Fatalf("limit not capped: %d", len(p.Items))
		}
		p = get(e.Store.Workspaces().List(ctx, port.Everything, filter, port.PageRequest{Offset: 240, Limit: 50}))(t)
		if len(p.Items) != 10 || p.NextCursor != "" {
			t.Fatalf("last page %d items, cursor %q", len(p.Items), p.NextCursor)
		}
	})
	t.Run("bad cursors", func(t *testing.T) {
		p := get(e.Store.Workspaces().List(ctx, port.Everything, filter, port.PageRequest{Sort: "name"}))(t)
		other := get(e.Store.Regions().List(ctx, port.Everything, port.RegionFilter{}, port.PageRequest{Limit: 1}))(t)
		otherFilter := port.WorkspaceFilter{OrganizationID: &o.ID, Q: "a"}
		for name, c := range map[string]struct {
			req    port.PageRequest
			filter port.WorkspaceFilter
			code   string
		}{
			"garbage":          {port.PageRequest{Cursor: "not a cursor"}, filter, pagecursor.CodeInvalidCursor},
			"other sort":       {port.PageRequest{Cursor: p.NextCursor, Sort: "-name"}, filter, pagecursor.CodeInvalidCursor},
			"tampered":         {port.PageRequest{Cursor: strings.ToUpper(p.NextCursor), Sort: "name"}, filter, pagecursor.CodeInvalidCursor},
			"one byte changed": {port.PageRequest{Cursor: flipByte(t, p.NextCursor, 3), Sort: "name"}, filter, pagecursor.CodeInvalidCursor},
			"total changed":    {port.PageRequest{Cursor: withTotal(t, p.NextCursor, 1), Sort: "name"}, filter, pagecursor.CodeInvalidCursor},
			"other list":       {port.PageRequest{Cursor: other.NextCursor}, filter, pagecursor.CodeInvalidCursor},
			"other filter":     {port.PageRequest{Cursor: p.NextCursor, Sort: "name"}, otherFilter, pagecursor.CodeInvalidCursor},
			"unknown sort":     {port.PageRequest{Sort: "email"}, filter, errs.CodeValidation},
			"injected sort":    {port.PageRequest{Sort: "name; DROP TABLE users"}, filter, errs.CodeValidation},
		} {
			_, err := e.Store.Workspaces().List(ctx, port.Everything, c.filter, c.req)
			var ee *errs.Error
			if !errors.As(err, &ee) || ee.Code != c.code {
				t.Errorf("%s: got %v, want %s", name, err, c.code)
			}
		}
		if other.NextCursor == "" {
			t.Fatal("the regions list has a single page; the other-list case proves nothing")
		}
		// The untouched cursor still works.
		if _, err := e.Store.Workspaces().List(ctx, port.Everything, filter, port.PageRequest{Cursor: p.NextCursor, Sort: "name"}); err != nil {
			t.Fatal(err)
		}
	})
}

// flipByte changes one byte of a cursor's decoded form.
func flipByte(t *testing.T, cursor string, i int) string {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		t.Fatal(err)
	}
	b[i] ^= 0x01
	return base64.RawURLEncoding.EncodeToString(b)
}

// withTotal rewrites the total a cursor carries (keeping its MAC), as a client trying to set
// the reported total would.
func withTotal(t *testing.T, cursor string, total int) string {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		t.Fatal(err)
	}
	payload, tag := b[:len(b)-16], b[len(b)-16:]
	var c map[string]any
	if err := json.Unmarshal(payload, &c); err != nil {
		t.Fatal(err)
	}
	c["n"] = total
	payload, _ = json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(append(payload, tag...))
}

func cmpID(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) }

func assertSameOrder(t *testing.T, got, want []iam.Workspace, what string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d items, want %d", what, len(got), len(want))
	}
	seen := map[uuid.UUID]bool{}
	for i := range got {
		if seen[got[i].ID] {
			t.Fatalf("%s: %s repeated", what, got[i].ID)
		}
		seen[got[i].ID] = true
		if got[i].ID != want[i].ID {
			t.Fatalf("%s: position %d is %s (%s), want %s (%s)", what, i, got[i].Name, got[i].ID, want[i].Name, want[i].ID)
		}
	}
}

// testGrantPagination walks the roles of a user, which pages over a join.
func testGrantPagination(t *testing.T, e *iamtest.Env) {
	_, tn, o, _ := hierarchy(t, e)
	u := newUser(t, e, o.ID, iam.StatusActive)
	want := map[uuid.UUID]bool{}
	for range 45 {
		r := newRole(t, e, iam.RoleScope{TenantID: &tn.ID, OrganizationID: &o.ID}, unique("pg"), 4)
		ok(t, e, func(tx port.Tx) error {
			return tx.Grants().AssignRole(ctx, u.ID, r.ID, port.Assignment{At: time.Now()})
		})
		want[r.ID] = true
	}
	req := port.PageRequest{Limit: 10}
	got := map[uuid.UUID]bool{}
	for {
		p := get(e.Store.Users().Roles(ctx, u.ID, req))(t)
		if p.Total != 45 {
			t.Fatalf("total %d", p.Total)
		}
		for _, g := range p.Items {
			if got[g.Role.ID] || !want[g.Role.ID] || g.AssignedAt.IsZero() {
				t.Fatalf("unexpected grant %+v", g)
			}
			got[g.Role.ID] = true
		}
		if p.NextCursor == "" {
			break
		}
		req.Cursor = p.NextCursor
	}
	if len(got) != 45 {
		t.Fatalf("walked %d of 45", len(got))
	}
}
