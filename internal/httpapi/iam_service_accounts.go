package httpapi

import (
	"context"

	"github.com/telemetryflow/core/internal/app/command"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/app/query"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/domain/oauth"
	"github.com/telemetryflow/core/oas"
)

// CreateServiceAccount implements createServiceAccount.
func (a *IAMAPI) CreateServiceAccount(ctx context.Context, req *oas.ServiceAccountCreate) (*oas.ServiceAccount, error) {
	return call(ctx, a.commands.CreateServiceAccount, command.CreateServiceAccount{OrganizationID: req.OrganizationID,
		ServiceAccountFields: iam.ServiceAccountFields{Name: &req.Name, Description: optString(req.Description)}}, serviceAccountOut)
}

// GetServiceAccount implements getServiceAccount.
func (a *IAMAPI) GetServiceAccount(ctx context.Context, p oas.GetServiceAccountParams) (*oas.ServiceAccount, error) {
	return call(ctx, a.queries.GetServiceAccount, query.GetServiceAccount{ID: p.ID}, serviceAccountOut)
}

// ListServiceAccounts implements listServiceAccounts.
func (a *IAMAPI) ListServiceAccounts(ctx context.Context, p oas.ListServiceAccountsParams) (*oas.ServiceAccountList, error) {
	f := port.UserFilter{Q: p.Q.Or(""), OrganizationID: optUUIDPtr(p.OrganizationID)}
	return page[oas.ServiceAccountList](ctx, a.queries.ListServiceAccounts,
		query.ListServiceAccounts{Filter: f, Page: pageOf(p.Limit, p.Offset, p.Cursor, "")}, serviceAccountOut)
}

// UpdateServiceAccount implements updateServiceAccount.
func (a *IAMAPI) UpdateServiceAccount(ctx context.Context, req *oas.ServiceAccountUpdate, p oas.UpdateServiceAccountParams) (*oas.ServiceAccount, error) {
	return call(ctx, a.commands.UpdateServiceAccount, command.UpdateServiceAccount{ID: p.ID,
		ServiceAccountFields: iam.ServiceAccountFields{Name: optString(req.Name), Description: optString(req.Description)}}, serviceAccountOut)
}

// DeleteServiceAccount implements deleteServiceAccount.
func (a *IAMAPI) DeleteServiceAccount(ctx context.Context, p oas.DeleteServiceAccountParams) error {
	return exec(ctx, a.commands.DeleteServiceAccount, command.DeleteServiceAccount{ID: p.ID})
}

// CreateServiceAccountSecret implements createServiceAccountSecret.
func (a *IAMAPI) CreateServiceAccountSecret(ctx context.Context, req *oas.ClientSecretCreate, p oas.CreateServiceAccountSecretParams) (*oas.ClientSecretIssued, error) {
	c := command.MintClientSecret{ServiceAccountID: p.ID, Description: req.Description.Or("")}
	if t, ok := req.ExpiresAt.Get(); ok {
		c.ExpiresAt = &t
	}
	return call(ctx, a.commands.MintClientSecret, c, func(m *command.MintedSecret) oas.ClientSecretIssued {
		return oas.ClientSecretIssued{ID: m.ID, ClientID: m.UserID.String(), ClientSecret: m.Raw, Description: m.Description,
			CreatedAt: m.CreatedAt, ExpiresAt: optTime(m.ExpiresAt)}
	})
}

// ListServiceAccountSecrets implements listServiceAccountSecrets.
func (a *IAMAPI) ListServiceAccountSecrets(ctx context.Context, p oas.ListServiceAccountSecretsParams) (*oas.ClientSecretList, error) {
	v, err := a.queries.ListClientSecrets.Handle(ctx, query.ListClientSecrets{ServiceAccountID: p.ID})
	if err != nil {
		return nil, err
	}
	return &oas.ClientSecretList{Items: listOf(v, clientSecretOut), Total: len(v)}, nil
}

// DeleteServiceAccountSecret implements deleteServiceAccountSecret.
func (a *IAMAPI) DeleteServiceAccountSecret(ctx context.Context, p oas.DeleteServiceAccountSecretParams) error {
	return exec(ctx, a.commands.RevokeClientSecret, command.RevokeClientSecret{ServiceAccountID: p.ID, SecretID: p.SecretId})
}

// CreateServiceAccountKey implements createServiceAccountKey.
func (a *IAMAPI) CreateServiceAccountKey(ctx context.Context, req *oas.ClientKeyCreate, p oas.CreateServiceAccountKeyParams) (*oas.ClientKey, error) {
	jwk, err := req.Jwk.MarshalJSON()
	if err != nil {
		return nil, err
	}
	c := command.AddClientKey{ServiceAccountID: p.ID, JWK: jwk}
	if t, ok := req.ExpiresAt.Get(); ok {
		c.ExpiresAt = &t
	}
	return call(ctx, a.commands.AddClientKey, c, clientKeyOut)
}

// ListServiceAccountKeys implements listServiceAccountKeys.
func (a *IAMAPI) ListServiceAccountKeys(ctx context.Context, p oas.ListServiceAccountKeysParams) (*oas.ClientKeyList, error) {
	v, err := a.queries.ListClientKeys.Handle(ctx, query.ListClientKeys{ServiceAccountID: p.ID})
	if err != nil {
		return nil, err
	}
	return &oas.ClientKeyList{Items: listOf(v, clientKeyOut), Total: len(v)}, nil
}

// DeleteServiceAccountKey implements deleteServiceAccountKey.
func (a *IAMAPI) DeleteServiceAccountKey(ctx context.Context, p oas.DeleteServiceAccountKeyParams) error {
	return exec(ctx, a.commands.RevokeClientKey, command.RevokeClientKey{ServiceAccountID: p.ID, KeyID: p.KeyId})
}

func serviceAccountOut(u *iam.User) oas.ServiceAccount {
	return oas.ServiceAccount{ID: u.ID, Name: u.FirstName, Description: u.Description, OrganizationID: u.OrganizationID,
		ClientID: u.ID.String(), Status: oas.UserStatus(u.Status),
		CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}
}

func clientSecretOut(s *oauth.Secret) oas.ClientSecret {
	return oas.ClientSecret{ID: s.ID, ClientID: s.UserID.String(), Description: s.Description, CreatedAt: s.CreatedAt,
		ExpiresAt: optTime(s.ExpiresAt), LastUsedAt: optTime(s.LastUsedAt)}
}

func clientKeyOut(k *oauth.Key) oas.ClientKey {
	return oas.ClientKey{ID: k.ID, ClientID: k.UserID.String(), Kid: k.KID, Alg: oas.ClientKeyAlg(k.Algorithm),
		CreatedAt: k.CreatedAt, ExpiresAt: optTime(k.ExpiresAt)}
}
