package authn

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/rbac"
)

// Authentication methods references (RFC 8176 §2) a session records and its access tokens
// carry as `amr`.
const (
	AMRPassword = "pwd"
	AMROTP      = "otp"
	AMRMFA      = "mfa"
)

// Second-factor methods a login challenge offers (the `methods` of the challenge answer).
const (
	MethodTOTP         = "totp"
	MethodRecoveryCode = "recovery_code"
)

// AMRFor is the amr of a session opened with a password and, when method is not empty, the
// second factor method ("" for password only).
func AMRFor(method string) []string {
	switch method {
	case MethodTOTP:
		return []string{AMRPassword, AMROTP, AMRMFA}
	case MethodRecoveryCode:
		return []string{AMRPassword, AMRMFA}
	}
	return []string{AMRPassword}
}

// JoinAMR and SplitAMR convert between the amr list and its stored form.
func JoinAMR(amr []string) string { return strings.Join(amr, ",") }

// SplitAMR reads the stored form; an empty one is a password session (rows older than MFA).
func SplitAMR(s string) []string {
	if s == "" {
		return []string{AMRPassword}
	}
	return strings.Split(s, ",")
}

// TOTPFactor is a user's authenticator: its secret sealed at rest, whether it is confirmed
// (MFA is on only then), and the last step a code was accepted for (replay refusal).
type TOTPFactor struct {
	UserID       uuid.UUID
	SecretSealed []byte
	CreatedAt    time.Time
	ConfirmedAt  *time.Time
	LastStep     int64
}

// Enabled reports whether the factor protects logins.
func (f *TOTPFactor) Enabled() bool { return f != nil && f.ConfirmedAt != nil }

// SealingContext binds a sealed TOTP secret to its user: a sealed secret copied onto another
// user's row does not open.
func SealingContext(userID uuid.UUID) []byte { return []byte("totp:" + userID.String()) }

// Recovery codes: RecoveryCodeCount of them, each 16 base32 characters (80 random bits), shown
// once in groups of four, stored as a SHA-256 hash, each usable once.
const (
	RecoveryCodeCount = 10
	recoveryCodeLen   = 16
)

var recoveryEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewRecoveryCodes returns the codes to show and the hashes to store.
func NewRecoveryCodes() (codes []string, hashes [][]byte) {
	for range RecoveryCodeCount {
		b := make([]byte, recoveryCodeLen*5/8)
		_, _ = rand.Read(b)
		raw := strings.ToLower(recoveryEncoding.EncodeToString(b))
		codes = append(codes, raw[0:4]+"-"+raw[4:8]+"-"+raw[8:12]+"-"+raw[12:16])
		hashes = append(hashes, HashRecoveryCode(raw))
	}
	return codes, hashes
}

// NormalizeRecoveryCode accepts a code as shown or typed (case, dashes, spaces); ok is false
// when it cannot be one.
func NormalizeRecoveryCode(code string) (string, bool) {
	c := strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(code))
	if len(c) != recoveryCodeLen {
		return "", false
	}
	if _, err := recoveryEncoding.DecodeString(strings.ToUpper(c)); err != nil {
		return "", false
	}
	return c, true
}

// HashRecoveryCode hashes a normalized code (80 bits of entropy: a fast hash is enough).
func HashRecoveryCode(normalized string) []byte {
	sum := sha256.Sum256([]byte("recovery:" + normalized))
	return sum[:]
}

// IsTOTPCode reports whether code has the shape of a TOTP code (6 digits).
func IsTOTPCode(code string) bool {
	if len(code) != 6 {
		return false
	}
	for _, c := range code {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// The login challenge: after the right password an account with MFA gets an mfa_token, not
// tokens. It is single use, lives ChallengeTTL and dies after ChallengeMaxFailures wrong codes.
const (
	ChallengeTTL         = 5 * time.Minute
	ChallengeMaxFailures = 5
	mfaTokenPrefix       = "tfm_"
)

// MFAChallenge is one pending second-factor step; only the token's hash is stored.
type MFAChallenge struct {
	ID        uuid.UUID
	UserID    uuid.UUID
	CreatedAt time.Time
	ExpiresAt time.Time
	Failures  int
	UsedAt    *time.Time
}

// OpenChallenge starts a challenge for the user at now: raw goes to the client, hash is stored.
func OpenChallenge(userID uuid.UUID, now time.Time) (raw string, hash []byte, c MFAChallenge) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	raw = mfaTokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return raw, HashMFAToken(raw), MFAChallenge{ID: uuid.Must(uuid.NewV7()), UserID: userID, CreatedAt: now, ExpiresAt: now.Add(ChallengeTTL)}
}

// HashMFAToken is SHA-256 (256 random bits).
func HashMFAToken(raw string) []byte {
	sum := sha256.Sum256([]byte(raw))
	return sum[:]
}

// WellFormedMFAToken rejects garbage before the database.
func WellFormedMFAToken(raw string) bool {
	rest, ok := strings.CutPrefix(raw, mfaTokenPrefix)
	if !ok || len(rest) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(rest)
	return err == nil
}

// Usable reports whether the challenge may still be answered at now.
func (c MFAChallenge) Usable(now time.Time) bool {
	return c.UsedAt == nil && now.Before(c.ExpiresAt) && c.Failures < ChallengeMaxFailures
}

// MFAPolicy says who must have a second factor: everyone in an organization with require_mfa,
// and holders of the listed tiers platform-wide (TF_REQUIRE_MFA_FOR_TIERS).
type MFAPolicy struct {
	Tiers []rbac.Tier
}

// CoversTier reports whether the platform-wide rule covers a user whose best tier is t.
func (p MFAPolicy) CoversTier(t rbac.Tier) bool {
	return t != rbac.TierNone && slices.Contains(p.Tiers, t)
}

// MustEnrol reports whether a user without a confirmed factor is held to enrolment.
func (p MFAPolicy) MustEnrol(enrolled, organizationRequires bool, best rbac.Tier) bool {
	return !enrolled && (organizationRequires || p.CoversTier(best))
}
