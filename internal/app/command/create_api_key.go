package command

import (
	"context"
	"time"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/platform/principal"
)

// KeyMinter mints API key tokens: the token (shown once), the part that may be displayed, and
// the keyed hash that is stored (internal/crypto/apikey).
type KeyMinter interface {
	Mint() (token, display string, hash []byte, err error)
}

// CreateApiKey creates an API key for the caller — keys are minted only for oneself, so no
// administrator can obtain a credential of another account. The key may name only permissions
// the caller holds (permission_escalation otherwise) and, when the caller's own credential is
// narrowed (an API key), only permissions inside that narrowing.
//
// The API key use cases are spelled like their operations (createApiKey): the audit action is
// derived from the type name, and create_api_key is what the AUTHZ rows of the same
// operation say.
type CreateApiKey struct {
	Name        string     `json:"name"`
	Permissions []string   `json:"permissions,omitempty"`
	ExpiresAt   *time.Time `json:"expires_at,omitempty"`
}

// CreatedAPIKey is the new key with its token, which exists only in this answer.
type CreatedAPIKey struct {
	authn.APIKey
	Token string `json:"-"`
}

// CreateApiKeyHandler handles CreateApiKey.
type CreateApiKeyHandler struct{ Deps }

func (h CreateApiKeyHandler) Handle(ctx context.Context, c CreateApiKey) (*CreatedAPIKey, error) {
	return change(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) (*CreatedAPIKey, error) {
		k, err := authn.NewAPIKey(a.UserID, c.Name, c.Permissions, c.ExpiresAt, h.Now().UTC())
		if err != nil {
			return nil, err
		}
		audited(ctx, k.ID, a.OrganizationID)
		if err := checkKeyPermissions(ctx, a, tx, k.Permissions); err != nil {
			return nil, err
		}
		live, err := tx.APIKeys().Live(ctx, a.UserID)
		if err != nil {
			return nil, err
		}
		if err := authn.CheckAPIKeyCount(len(live)); err != nil {
			return nil, err
		}
		token, display, hash, err := h.Keys.Mint()
		if err != nil {
			return nil, errs.Internal(err)
		}
		k.Prefix, k.Hash = display, hash
		if err := tx.APIKeys().Create(ctx, k); err != nil {
			return nil, err
		}
		tx.Emit(event.APIKeyCreated{KeyID: k.ID, UserID: k.UserID, Prefix: k.Prefix})
		return &CreatedAPIKey{APIKey: k, Token: token}, nil
	})
}

// checkKeyPermissions: every name is in the catalog (400 otherwise), inside the caller's own
// credential, and held by the caller (both 403 permission_escalation). A key without a list
// carries all of the caller's permissions, which a narrowed caller cannot hand on.
func checkKeyPermissions(ctx context.Context, a *actor.Actor, tx port.Tx, names []string) error {
	if names != nil {
		known, err := tx.APIKeys().KnownPermissions(ctx, names)
		if err != nil {
			return err
		}
		if len(known) != len(names) {
			return authn.UnknownPermissions(missing(names, known))
		}
	}
	wanted := principal.Restriction{}
	if names != nil {
		wanted = principal.Restrict(names)
	}
	if !a.Principal.Restriction.Covers(wanted) {
		return errs.New(errs.KindForbidden, iam.CodePermissionEscalation,
			"A key cannot carry more than the credential that creates it.")
	}
	for _, n := range names {
		if err := a.CheckHolds(ctx, n); err != nil {
			return err
		}
	}
	return nil
}

func missing(names, known []string) []string {
	have := make(map[string]bool, len(known))
	for _, k := range known {
		have[k] = true
	}
	var out []string
	for _, n := range names {
		if !have[n] {
			out = append(out, n)
		}
	}
	return out
}
