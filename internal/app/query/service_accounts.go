package query

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/domain/oauth"
)

// The reads of service accounts (users of kind service) and of their credentials, which
// never include a secret.

// GetServiceAccount reads one service account in the caller's scope.
type GetServiceAccount struct {
	ID uuid.UUID `json:"id" audit:"id"`
}

// GetServiceAccountHandler handles GetServiceAccount.
type GetServiceAccountHandler struct{ Deps }

func (h GetServiceAccountHandler) Handle(ctx context.Context, q GetServiceAccount) (*iam.User, error) {
	return byID(ctx, h.Deps, h.serviceAccount, q.ID)
}

// serviceAccount is the Get of a service account: a human user answers not found.
func (h GetServiceAccountHandler) serviceAccount(ctx context.Context, s port.Scope, id uuid.UUID) (*iam.User, error) {
	return serviceAccountIn(ctx, h.Read, s, id)
}

func serviceAccountIn(ctx context.Context, read port.Reader, s port.Scope, id uuid.UUID) (*iam.User, error) {
	u, err := read.Users().Get(ctx, s, id)
	if errs.IsKind(err, errs.KindNotFound) || (err == nil && !u.IsService()) {
		return nil, errs.NotFound("service_account")
	}
	return u, err
}

// ListServiceAccounts pages through the service accounts in the caller's scope.
type ListServiceAccounts struct {
	Filter port.UserFilter
	Page   port.PageRequest
}

// ListServiceAccountsHandler handles ListServiceAccounts.
type ListServiceAccountsHandler struct{ Deps }

func (h ListServiceAccountsHandler) Handle(ctx context.Context, q ListServiceAccounts) (port.Page[iam.User], error) {
	service := iam.KindService
	q.Filter.Kind = &service
	return listed(ctx, h.Deps, h.Read.Users().List, q.Filter, q.Page, q.Filter.OrganizationID)
}

// ListClientSecrets lists a service account's live secrets (never the secrets themselves).
type ListClientSecrets struct {
	ServiceAccountID uuid.UUID `json:"service_account_id" audit:"id"`
}

// ListClientSecretsHandler handles ListClientSecrets.
type ListClientSecretsHandler struct{ Deps }

func (h ListClientSecretsHandler) Handle(ctx context.Context, q ListClientSecrets) ([]oauth.Secret, error) {
	return scoped(ctx, h.Deps, func(s port.Scope) ([]oauth.Secret, error) {
		u, err := serviceAccountIn(ctx, h.Read, s, q.ServiceAccountID)
		if err != nil {
			return nil, err
		}
		audited(ctx, u.ID, u.OrganizationID)
		return h.Read.Clients().Secrets(ctx, u.ID)
	})
}

// ListClientKeys lists a service account's live public keys.
type ListClientKeys struct {
	ServiceAccountID uuid.UUID `json:"service_account_id" audit:"id"`
}

// ListClientKeysHandler handles ListClientKeys.
type ListClientKeysHandler struct{ Deps }

func (h ListClientKeysHandler) Handle(ctx context.Context, q ListClientKeys) ([]oauth.Key, error) {
	return scoped(ctx, h.Deps, func(s port.Scope) ([]oauth.Key, error) {
		u, err := serviceAccountIn(ctx, h.Read, s, q.ServiceAccountID)
		if err != nil {
			return nil, err
		}
		audited(ctx, u.ID, u.OrganizationID)
		return h.Read.Clients().Keys(ctx, u.ID)
	})
}
