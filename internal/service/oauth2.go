package service

import (
	"context"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/httpapi"
	"github.com/telemetryflow/core/internal/platform/config"
	"github.com/telemetryflow/core/internal/store"
)

// discovery is what the OAuth2 discovery documents say: the tokens' issuer, the public URL
// and the permission catalog as the scopes.
func discovery(cfg *config.Config, st *store.Store) httpapi.Discovery {
	return httpapi.Discovery{Issuer: cfg.Auth.Issuer, BaseURL: cfg.HTTP.PublicURL, Scopes: func(ctx context.Context) ([]string, error) {
		var names []string
		req := port.PageRequest{Limit: port.MaxLimit, Sort: "name"}
		for {
			p, err := st.Permissions().List(ctx, port.PermissionFilter{}, req)
			if err != nil {
				return nil, err
			}
			for _, v := range p.Items {
				names = append(names, v.Name)
			}
			if p.NextCursor == "" || len(p.Items) == 0 {
				return names, nil
			}
			req.Cursor = p.NextCursor
		}
	}}
}
