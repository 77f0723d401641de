package authz

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/platform/principal"
)

// Question is one check of the decision API; a nil field is one the request left out.
type Question struct {
	// UserID is whom the check is about; nil: the caller.
	UserID         *uuid.UUID
	Permission     string
	OrganizationID *uuid.UUID
	WorkspaceID    *uuid.UUID
}

// CheckBatch answers the decision API: each question in order, for the caller in ctx. A
// question about another user first passes AboutOtherUser. The batch leaves one DATA row
// (check_authorization, recordBatch), whether it is answered or fails.
func (s *Service) CheckBatch(ctx context.Context, qs []Question) ([]Decision, error) {
	caller := principal.From(ctx)
	if caller == nil {
		return nil, errs.New(errs.KindUnauthenticated, errs.CodeUnauthenticated, "A valid bearer access token is required.")
	}
	out := make([]Decision, 0, len(qs))
	var read subjectsRead
	for _, q := range qs {
		d, err := s.answer(ctx, caller.UserID, q, &read)
		if err != nil {
			s.recordBatch(ctx, caller, qs, read, err)
			return nil, err
		}
		out = append(out, d)
	}
	s.recordBatch(ctx, caller, qs, read, nil)
	return out, nil
}

// answer decides one question; read collects the organizations of the other users it revealed.
func (s *Service) answer(ctx context.Context, caller uuid.UUID, q Question, read *subjectsRead) (Decision, error) {
	subject := caller
	if q.UserID != nil && *q.UserID != caller {
		org, deny, err := s.mayAskAbout(ctx, caller, *q.UserID)
		if err != nil {
			return Decision{}, errs.Internal(err)
		}
		if deny != "" {
			return Decision{Reason: deny}, nil
		}
		read.add(org)
		subject = *q.UserID
	}
	d, err := s.decider.Decide(ctx, Check{UserID: subject, Permission: q.Permission,
		OrganizationID: valueOr(q.OrganizationID), WorkspaceID: valueOr(q.WorkspaceID)})
	if err != nil {
		return Decision{}, errs.Internal(err)
	}
	return d, nil
}

// mayAskAbout loads what AboutOtherUser needs: whether the user exists and, if so, the
// caller's decision on user:read in the user's organization (not asked for a user who does
// not exist). org is the user's organization when the check may go on.
func (s *Service) mayAskAbout(ctx context.Context, caller, user uuid.UUID) (org uuid.UUID, deny string, err error) {
	target, err := s.decider.Profile(ctx, user)
	if err != nil {
		return uuid.Nil, "", err
	}
	if !target.Subject.Exists {
		return uuid.Nil, AboutOtherUser(false, Decision{}), nil
	}
	org = target.Subject.OrganizationID
	mayRead, err := s.decider.Decide(ctx, Check{UserID: caller, Permission: "user:read", OrganizationID: org})
	if err != nil {
		return uuid.Nil, "", err
	}
	return org, AboutOtherUser(true, mayRead), nil
}

// AboutOtherUser is the decision API's rule for a check that names another user: the caller
// needs user:read over that user, i.e. in the user's organization (mayRead is the caller's
// decision on it; ignored when the user does not exist). It returns "" when the check may go
// on, otherwise the reason the check answers instead: user_not_found for a user who does not
// exist or is outside the caller's scope (the API never reveals who exists elsewhere),
// not_permitted for a user in scope the caller may not read.
func AboutOtherUser(exists bool, mayRead Decision) (deny string) {
	switch {
	case !exists:
		return DenyUserNotFound
	case mayRead.Allowed:
		return ""
	case mayRead.Reason == DenyOutOfScope:
		return DenyUserNotFound
	default:
		return DenyNotPermitted
	}
}

func valueOr(id *uuid.UUID) uuid.UUID {
	if id == nil {
		return uuid.Nil
	}
	return *id
}
