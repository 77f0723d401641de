package store

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/mfachallenge"
	"github.com/telemetryflow/core/ent/recoverycode"
	"github.com/telemetryflow/core/ent/usertotp"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// mfa is port.MFA. Each single-use step is one conditional UPDATE whose row count decides.
type mfa struct{ repos }

var _ port.MFA = mfa{}

func (r mfa) TOTP(ctx context.Context, userID uuid.UUID) (*authn.TOTPFactor, error) {
	f, err := r.c.UserTOTP.Query().Where(usertotp.UserIDEQ(userID)).Only(ctx)
	if err != nil {
		return nil, mapErr(err, "totp", nil)
	}
	out := &authn.TOTPFactor{UserID: f.UserID, SecretSealed: f.SecretSealed, CreatedAt: f.CreatedAt.UTC(), LastStep: f.LastStep}
	if f.ConfirmedAt != nil {
		t := f.ConfirmedAt.UTC()
		out.ConfirmedAt = &t
	}
	return out, nil
}

func (r mfa) PutPendingTOTP(ctx context.Context, f authn.TOTPFactor) (bool, error) {
	n, err := r.c.UserTOTP.Update().Where(usertotp.UserIDEQ(f.UserID), usertotp.ConfirmedAtIsNil()).
		SetSecretSealed(f.SecretSealed).SetCreatedAt(f.CreatedAt).SetLastStep(0).Save(ctx)
	if err != nil {
		return false, mapErr(err, "", nil)
	}
	if n == 1 {
		return true, nil
	}
	exists, err := r.c.UserTOTP.Query().Where(usertotp.UserIDEQ(f.UserID)).Exist(ctx)
	if err != nil || exists {
		return false, mapErr(err, "", nil)
	}
	err = r.c.UserTOTP.Create().SetUserID(f.UserID).SetSecretSealed(f.SecretSealed).SetCreatedAt(f.CreatedAt).Exec(ctx)
	if ent.IsConstraintError(err) { // a concurrent enrolment won
		return false, nil
	}
	return err == nil, mapErr(err, "", nil)
}

func (r mfa) ConfirmTOTP(ctx context.Context, userID uuid.UUID, step int64, at time.Time) (bool, error) {
	n, err := r.c.UserTOTP.Update().Where(usertotp.UserIDEQ(userID), usertotp.ConfirmedAtIsNil()).
		SetConfirmedAt(iam.Stamp(at)).SetLastStep(step).Save(ctx)
	return n == 1, mapErr(err, "", nil)
}

func (r mfa) UseStep(ctx context.Context, userID uuid.UUID, step int64) (bool, error) {
	n, err := r.c.UserTOTP.Update().Where(usertotp.UserIDEQ(userID), usertotp.ConfirmedAtNotNil(), usertotp.LastStepLT(step)).
		SetLastStep(step).Save(ctx)
	return n == 1, mapErr(err, "", nil)
}

func (r mfa) Remove(ctx context.Context, userID uuid.UUID) (bool, error) {
	if _, err := r.c.RecoveryCode.Delete().Where(recoverycode.UserIDEQ(userID)).Exec(ctx); err != nil {
		return false, mapErr(err, "", nil)
	}
	n, err := r.c.UserTOTP.Delete().Where(usertotp.UserIDEQ(userID)).Exec(ctx)
	return n > 0, mapErr(err, "", nil)
}

func (r mfa) ReplaceRecoveryCodes(ctx context.Context, userID uuid.UUID, hashes [][]byte, at time.Time) error {
	if _, err := r.c.RecoveryCode.Delete().Where(recoverycode.UserIDEQ(userID)).Exec(ctx); err != nil {
		return mapErr(err, "", nil)
	}
	b := make([]*ent.RecoveryCodeCreate, 0, len(hashes))
	for _, h := range hashes {
		b = append(b, r.c.RecoveryCode.Create().SetUserID(userID).SetCodeHash(h).SetCreatedAt(at))
	}
	return mapErr(r.c.RecoveryCode.CreateBulk(b...).Exec(ctx), "", nil)
}

func (r mfa) UseRecoveryCode(ctx context.Context, userID uuid.UUID, hash []byte, at time.Time) (bool, error) {
	n, err := r.c.RecoveryCode.Update().Where(recoverycode.UserIDEQ(userID), recoverycode.CodeHashEQ(hash), recoverycode.UsedAtIsNil()).
		SetUsedAt(iam.Stamp(at)).Save(ctx)
	return n == 1, mapErr(err, "", nil)
}

func (r mfa) OpenChallenge(ctx context.Context, c authn.MFAChallenge, tokenHash []byte) error {
	err := r.c.MFAChallenge.Create().SetID(c.ID).SetTokenHash(tokenHash).SetUserID(c.UserID).
		SetCreatedAt(c.CreatedAt).SetExpiresAt(c.ExpiresAt).Exec(ctx)
	return mapErr(err, "mfa_challenge", nil)
}

func (r mfa) Challenge(ctx context.Context, tokenHash []byte) (*authn.MFAChallenge, error) {
	c, err := r.c.MFAChallenge.Query().Where(mfachallenge.TokenHashEQ(tokenHash)).Only(ctx)
	if err != nil {
		return nil, mapErr(err, "mfa_challenge", nil)
	}
	out := &authn.MFAChallenge{ID: c.ID, UserID: c.UserID, CreatedAt: c.CreatedAt.UTC(), ExpiresAt: c.ExpiresAt.UTC(), Failures: c.Failures}
	if c.UsedAt != nil {
		t := c.UsedAt.UTC()
		out.UsedAt = &t
	}
	return out, nil
}

func (r mfa) FailChallenge(ctx context.Context, id uuid.UUID) error {
	return mapErr(r.c.MFAChallenge.UpdateOneID(id).AddFailures(1).Exec(ctx), "mfa_challenge", nil)
}

func (r mfa) SpendChallenge(ctx context.Context, id uuid.UUID, at time.Time) (bool, error) {
	n, err := r.c.MFAChallenge.Update().Where(mfachallenge.IDEQ(id), mfachallenge.UsedAtIsNil(),
		mfachallenge.ExpiresAtGT(at), mfachallenge.FailuresLT(authn.ChallengeMaxFailures)).SetUsedAt(iam.Stamp(at)).Save(ctx)
	return n == 1, mapErr(err, "", nil)
}

func (r mfa) PruneChallenges(ctx context.Context, before time.Time) error {
	_, err := r.c.MFAChallenge.Delete().Where(mfachallenge.ExpiresAtLT(before)).Exec(ctx)
	return mapErr(err, "", nil)
}
