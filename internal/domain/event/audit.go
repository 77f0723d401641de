package event

import "encoding/json"

// AggregateAudit is the aggregate type of CommandAudited.
const AggregateAudit = "audit"

// CommandAudited carries the DATA audit row of a committed command, written to the outbox in
// the command's own transaction, so the row cannot be lost between the commit and the audit
// pipeline (docs/audit.md). Row is opaque here (internal/app/audit encodes and decodes it); the
// event changes no aggregate, and subscribers other than the audit one ignore it.
type CommandAudited struct {
	Action string          `json:"action"`
	Row    json.RawMessage `json:"row"`
}

func (e CommandAudited) Meta() Meta { return Meta{"CommandAudited", 1, AggregateAudit, e.Action} }

func init() { register[CommandAudited]() }
