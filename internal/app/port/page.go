package port

// Page limits (SPEC §2).
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

// PageRequest selects a page: either by offset or, when Cursor is set, after the item the
// cursor names (keyset pagination, stable under concurrent inserts).
type PageRequest struct {
	Limit  int
	Offset int
	Cursor string
	// Sort is a field name, optionally prefixed with "-" for descending; empty means the
	// resource's default (created_at). Ties are always broken by id.
	Sort string
}

// Page is one page of a list with the total number of matching items.
type Page[T any] struct {
	Items      []T
	NextCursor string // empty on the last page
	Total      int
}
