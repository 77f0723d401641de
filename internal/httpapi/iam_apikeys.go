package httpapi

import (
	"context"
	"time"

	"github.com/telemetryflow/core/internal/app/command"
	"github.com/telemetryflow/core/internal/app/query"
	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/oas"
)

// API keys. The caller's own keys sit under the auth tag but belong to the IAM application
// (they are users' credentials managed through commands), so this area serves them.

// CreateApiKey serves POST /auth/api-keys: the token is in this response only.
func (a *IAMAPI) CreateApiKey(ctx context.Context, req *oas.APIKeyCreate) (*oas.APIKeyCreated, error) {
	c := command.CreateApiKey{Name: req.Name, Permissions: req.Permissions}
	if v, ok := req.ExpiresAt.Get(); ok {
		c.ExpiresAt = &v
	}
	k, err := a.commands.CreateApiKey.Handle(ctx, c)
	if err != nil {
		return nil, err
	}
	return &oas.APIKeyCreated{ID: k.ID, Name: k.Name, Token: k.Token, Prefix: k.Prefix, Permissions: k.Permissions,
		ExpiresAt: optTime(k.ExpiresAt), CreatedAt: k.CreatedAt}, nil
}

// ListApiKeys serves GET /auth/api-keys.
func (a *IAMAPI) ListApiKeys(ctx context.Context) (*oas.APIKeyList, error) {
	return apiKeyList(a.queries.ListApiKeys.Handle(ctx, query.ListApiKeys{}))
}

// DeleteApiKey serves DELETE /auth/api-keys/{id}.
func (a *IAMAPI) DeleteApiKey(ctx context.Context, p oas.DeleteApiKeyParams) error {
	return exec(ctx, a.commands.RevokeApiKey, command.RevokeApiKey{ID: p.ID})
}

// ListUserApiKeys serves GET /users/{id}/api-keys.
func (a *IAMAPI) ListUserApiKeys(ctx context.Context, p oas.ListUserApiKeysParams) (*oas.APIKeyList, error) {
	return apiKeyList(a.queries.ListUserApiKeys.Handle(ctx, query.ListUserApiKeys{UserID: p.ID}))
}

// RevokeUserApiKey serves DELETE /users/{id}/api-keys/{keyId}.
func (a *IAMAPI) RevokeUserApiKey(ctx context.Context, p oas.RevokeUserApiKeyParams) error {
	return exec(ctx, a.commands.RevokeUserApiKey, command.RevokeUserApiKey{UserID: p.ID, KeyID: p.KeyId})
}

func apiKeyList(keys []authn.APIKey, err error) (*oas.APIKeyList, error) {
	if err != nil {
		return nil, err
	}
	return &oas.APIKeyList{Items: listOf(keys, apiKeyOut), Total: len(keys)}, nil
}

func apiKeyOut(k *authn.APIKey) oas.APIKey {
	return oas.APIKey{ID: k.ID, Name: k.Name, Prefix: k.Prefix, Permissions: k.Permissions,
		ExpiresAt: optTime(k.ExpiresAt), LastUsedAt: optTime(k.LastUsedAt), CreatedAt: k.CreatedAt.In(time.UTC)}
}
