// Package totp is RFC 6238 time-based one-time passwords (SHA-1, 6 digits, 30 s) for the second
// factor, over github.com/pquerna/otp: enrolment material (secret, otpauth URL, QR code) and
// the check of a code that also names the time step it matched, so callers can refuse replays.
package totp

import (
	"bytes"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"image/png"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Period, Digits and Skew are the parameters every authenticator app supports (RFC 6238
// defaults); Skew is the tolerance in steps on each side of the current one.
const (
	Period = 30
	Skew   = 1
	qrSize = 256
)

// Enrolment is what a user needs to add the factor to an authenticator app.
type Enrolment struct {
	Secret       string // base32, what the app stores
	URL          string // otpauth://totp/...
	QRPNGDataURI string
}

// New generates a 160-bit secret (RFC 4226 §4 recommends 160) and its enrolment material.
func New(issuer, account string) (Enrolment, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: Period,
		SecretSize: 20, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return Enrolment{}, err
	}
	img, err := key.Image(qrSize, qrSize)
	if err != nil {
		return Enrolment{}, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return Enrolment{}, err
	}
	return Enrolment{Secret: key.Secret(), URL: key.URL(),
		QRPNGDataURI: "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())}, nil
}

// Step is the RFC 6238 time step of t.
func Step(t time.Time) int64 { return t.Unix() / Period }

// Code is the code of secret for step (tests play the authenticator app with it).
func Code(secret string, step int64) (string, error) {
	return totp.GenerateCodeCustom(secret, time.Unix(step*Period, 0).UTC(), totp.ValidateOpts{
		Period: Period, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
}

// ErrBadSecret: the stored secret is not base32 (never expected: we generated it).
var ErrBadSecret = errors.New("totp: malformed secret")

// Match checks code against the steps now-Skew … now+Skew that are later than after (the last
// step a code was accepted for: a code is accepted once, and an older neighbour cannot be
// replayed after a newer one). It answers the matched step. Every candidate is computed and
// compared in constant time, so the timing does not tell which step matched.
func Match(secret, code string, now time.Time, after int64) (step int64, ok bool, err error) {
	cur := Step(now)
	for s := cur - Skew; s <= cur+Skew; s++ {
		want, err := Code(secret, s)
		if err != nil {
			return 0, false, ErrBadSecret
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && s > after && !ok {
			step, ok = s, true
		}
	}
	return step, ok, nil
}
