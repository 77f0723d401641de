package httpapi

// AuthzAPI serves authorization decisions for other services.
type AuthzAPI struct{}
