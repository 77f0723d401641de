// Package audit is the audit trail as the application sees it: the event (one AUDIT_LOGS row),
// the ports every store implements (Sink, Reader) and the request path records through
// (Recorder), and the one way to record.
//
// # Recording an event
//
// Build the row with the constructor of its kind, then hand it to a *Log:
//
//	log.Record(ctx, audit.NewAuth(ctx, "login", "session", audit.ResultSuccess))
//	log.Record(ctx, audit.NewAuthzDenied(ctx, operationID, permission, reason, targetOrg))
//	log.Record(ctx, audit.NewData(ctx, action, resource, err))
//	log.Record(ctx, audit.NewSystem(ctx, "key_rotation", "signing_key", metadata))
//
// Each constructor stamps the id and time, copies the request facts (client address, user
// agent, duration so far) and the caller from ctx, and fills what every event of its kind
// needs: NewData the result and safe error message from the use case's error (Outcome),
// NewAuthzDenied the action (ActionName of the operation), the resource, the reason and the
// permission asked for. The caller adds what only it knows (a user resolved during login, a
// target organization, metadata without secrets).
//
// Log.Record never fails the caller: an answer already decided is not turned into an error
// the client would retry. If the durable enqueue fails it logs once, with the action, and the
// recorder's own counters (auditwriter) report the drop. The one exception is a read of the
// audit trail, which must not be answered unseen: it records with Log.RecordOrFail and
// refuses the answer when that fails. Log.Records applies TF_AUDIT_READS (Reads) to a read,
// so a read the setting does not record builds no row.
//
// A committed command's DATA row does not go through a Log: the unit of work writes it into
// the transactional outbox with the change (Note), and OutboxSubscriber stores it.
package audit
