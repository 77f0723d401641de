package httpapi

import (
	"net/http"
)

// parseBasic decodes HTTP Basic credentials with net/http's own parser.
func parseBasic(value string) (user, pass string, ok bool) {
	r := http.Request{Header: http.Header{"Authorization": {"Basic " + value}}}
	return r.BasicAuth()
}
