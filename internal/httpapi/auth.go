package httpapi

// AuthAPI serves the auth tag: login, refresh, logout, me, password, JWKS.
type AuthAPI struct{}
