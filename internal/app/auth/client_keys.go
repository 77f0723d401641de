package auth

import (
	"sync"

	"github.com/telemetryflow/core/internal/crypto/clientassertion"
	"github.com/telemetryflow/core/internal/domain/oauth"
)

// clientKeyCache keeps registered keys parsed: a key row never changes (it is only revoked,
// which the store's read already filters), so its parsed form is good for as long as it lives.
type clientKeyCache struct{ m sync.Map } // key id → clientassertion.PublicKey

func (c *clientKeyCache) parse(k oauth.Key) (clientassertion.PublicKey, error) {
	if v, ok := c.m.Load(k.ID); ok {
		return v.(clientassertion.PublicKey), nil
	}
	pk, err := clientassertion.ParseJWK(k.JWK)
	if err != nil {
		return pk, err
	}
	c.m.Store(k.ID, pk)
	return pk, nil
}
