package keyring

import (
	"crypto/ed25519"
	"sort"
)

// Ring is an immutable snapshot: the key that signs now and every key still trusted.
type Ring struct {
	signing   *Key
	published map[string]*Key
	order     []*Key // newest first, for JWKS
}

// NewRing builds a snapshot from keys; the newest unretired key with a private half signs.
func NewRing(keys []*Key) *Ring {
	r := &Ring{published: make(map[string]*Key, len(keys))}
	sort.Slice(keys, func(i, j int) bool { return keys[i].CreatedAt.After(keys[j].CreatedAt) })
	for _, k := range keys {
		r.published[k.KID] = k
		r.order = append(r.order, k)
		if r.signing == nil && k.RetiredAt == nil && k.Private != nil {
			r.signing = k
		}
	}
	return r
}

// Signing returns the current signing key (nil only before the first key exists).
func (r *Ring) Signing() *Key { return r.signing }

// Verifier returns the public key for kid when it is trusted.
func (r *Ring) Verifier(kid string) (ed25519.PublicKey, bool) {
	k, ok := r.published[kid]
	if !ok {
		return nil, false
	}
	return k.Public, true
}

// JWKS lists every trusted public key, newest first.
func (r *Ring) JWKS() []JWK {
	out := make([]JWK, 0, len(r.order))
	for _, k := range r.order {
		out = append(out, k.JWK())
	}
	return out
}
