package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/event"
)

// txView is port.Tx over one ent transaction.
type txView struct {
	repos
	events []event.Event
}

func (t *txView) Regions() port.RegionRepository             { return t.regions() }
func (t *txView) Tenants() port.TenantRepository             { return t.tenants() }
func (t *txView) Organizations() port.OrganizationRepository { return t.organizations() }
func (t *txView) Workspaces() port.WorkspaceRepository       { return t.workspaces() }
func (t *txView) Users() port.UserRepository                 { return t.users() }
func (t *txView) Roles() port.RoleRepository                 { return t.roles() }
func (t *txView) Permissions() port.PermissionRepository     { return t.permissions() }
func (t *txView) Groups() port.GroupRepository               { return t.groups() }
func (t *txView) Grants() port.GrantRepository               { return grants{t.repos} }
func (t *txView) Sessions() port.Sessions                    { return sessions{t.repos} }
func (t *txView) Access() port.Access                        { return t.access() }
func (t *txView) Credentials() port.CredentialRepository     { return credentials{t.repos} }
func (t *txView) RefreshTokens() port.RefreshTokens          { return refreshTokens{t.repos} }
func (t *txView) LoginFailures() port.LoginFailures          { return loginFailures{t.repos} }
func (t *txView) SigningKeys() port.SigningKeys              { return signingKeys{t.repos} }
func (t *txView) APIKeys() port.APIKeys                      { return apiKeys{t.repos} }
func (t *txView) MFA() port.MFA                              { return mfa{t.repos} }
func (t *txView) Clients() port.ClientCredentialRepository   { return clients{t.repos} }
func (t *txView) Emit(events ...event.Event)                 { t.events = append(t.events, events...) }

// Do runs fn in a transaction. On success the emitted events are inserted into the outbox in
// the same transaction, the transaction commits, and only then are the events handed to the
// publisher: subscribers never see an event whose change did not commit, and an event whose
// change committed is never lost.
//
// When ctx carries an audit note (a command's, opened by the audit decorator), its DATA row
// goes into the outbox too, as event.CommandAudited, so the change and its audit row commit
// together; the note's first commit carries it, once.
func (s *Store) Do(ctx context.Context, fn func(ctx context.Context, tx port.Tx) error) (err error) {
	tx, err := s.client.Tx(ctx)
	if err != nil {
		return errs.Internal(fmt.Errorf("begin: %w", err))
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	view := &txView{repos: repos{c: tx.Client(), dialect: s.dialect, cursors: s.cursors}}
	if err := fn(ctx, view); err != nil {
		return err
	}
	note := audit.NoteFrom(ctx)
	if note.Open() {
		rec, err := auditRecord(ctx, note, view.events)
		if err != nil {
			return errs.Internal(fmt.Errorf("audit row: %w", err))
		}
		view.events = append(view.events, rec)
	}
	envs, err := appendOutbox(ctx, tx.Client(), view.events, time.Now())
	if err != nil {
		return errs.Internal(fmt.Errorf("outbox: %w", err))
	}
	if err := tx.Commit(); err != nil {
		return mapErr(err, "", nil)
	}
	if note.Open() {
		note.MarkCommitted()
	}
	if s.wrote != nil {
		s.wrote(ctx)
	}
	if len(envs) > 0 && s.afterCommit != nil {
		// The request's cancellation must not stop delivery of what is already committed.
		s.afterCommit(context.WithoutCancel(ctx), envs)
	}
	return nil
}

// auditRecord is the command's DATA row as an outbox event. Without an id named by the
// command, the row's metadata names the first changed aggregate (the created or changed
// entity).
func auditRecord(ctx context.Context, note *audit.Note, events []event.Event) (event.Event, error) {
	var changed uuid.UUID
	if len(events) > 0 {
		changed, _ = uuid.Parse(events[0].Meta().AggregateID)
	}
	b, err := note.Row(ctx, changed)
	if err != nil {
		return nil, err
	}
	return event.CommandAudited{Action: note.Action, Row: b}, nil
}
