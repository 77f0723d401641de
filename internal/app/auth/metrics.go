package auth

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/telemetryflow/core/internal/crypto/accesstoken"
	"github.com/telemetryflow/core/internal/domain/authn"
)

// Metrics are the authentication outcome counters (names fixed in docs/observability.md).
// A nil *Metrics records nothing.
type Metrics struct {
	logins    *prometheus.CounterVec
	lockouts  prometheus.Counter
	rejected  *prometheus.CounterVec
	refreshes *prometheus.CounterVec
}

// Login results.
const (
	loginSuccess     = "success"
	loginInvalid     = "invalid_credentials"
	loginLocked      = "locked"
	loginInactive    = "inactive"
	loginRateLimited = "rate_limited"
	// loginMFARequired: the password was right and the account answered with a second-factor
	// challenge (mfa_login.go).
	loginMFARequired = "mfa_required"
)

// Refresh results.
const (
	refreshSuccess = "success"
	refreshInvalid = "invalid"
	refreshExpired = "expired"
	refreshReuse   = "reuse_detected"
)

// NewMetrics registers the counters on reg, every label value created at zero so dashboards
// read 0 rather than "no data".
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		logins: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "telemetryflow", Subsystem: "auth", Name: "logins_total",
			Help: "Login attempts by outcome."}, []string{"result"}),
		lockouts: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "telemetryflow", Subsystem: "auth", Name: "lockouts_total",
			Help: "Accounts that became locked (including the phantom locks of unknown emails)."}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "telemetryflow", Subsystem: "auth", Name: "tokens_rejected_total",
			Help: "Requests refused at authentication, by reason."}, []string{"reason"}),
		refreshes: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "telemetryflow", Subsystem: "auth", Name: "refreshes_total",
			Help: "Refresh-token grants by outcome."}, []string{"result"}),
	}
	for _, c := range []prometheus.Collector{m.logins, m.lockouts, m.rejected, m.refreshes} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	for _, r := range []string{loginSuccess, loginInvalid, loginLocked, loginInactive, loginRateLimited, loginMFARequired} {
		m.logins.WithLabelValues(r)
	}
	for _, r := range []accesstoken.Reason{accesstoken.ReasonMissing, accesstoken.ReasonMalformed, accesstoken.ReasonAlgorithm, accesstoken.ReasonUnknownKey,
		accesstoken.ReasonSignature, accesstoken.ReasonExpired, accesstoken.ReasonNotYetValid, accesstoken.ReasonIssuer, accesstoken.ReasonAudience,
		accesstoken.ReasonClaims, accesstoken.ReasonCritical, accesstoken.ReasonSessionEnded, accesstoken.ReasonUserInactive, accesstoken.ReasonOrganizationInactive} {
		m.rejected.WithLabelValues(string(r))
	}
	for _, r := range []string{refreshSuccess, refreshInvalid, refreshExpired, refreshReuse} {
		m.refreshes.WithLabelValues(r)
	}
	return m, nil
}

func (m *Metrics) login(result string) {
	if m != nil {
		m.logins.WithLabelValues(result).Inc()
	}
}

// locksStarted counts the locks a failure started, phantom ones included.
func (m *Metrics) locksStarted(f authn.Failure) {
	if m == nil {
		return
	}
	for _, started := range []bool{f.PairLocked, f.AccountLocked} {
		if started {
			m.lockouts.Inc()
		}
	}
}

func (m *Metrics) rejectedToken(r accesstoken.Reason) {
	if m != nil {
		m.rejected.WithLabelValues(string(r)).Inc()
	}
}

func (m *Metrics) refresh(result string) {
	if m != nil {
		m.refreshes.WithLabelValues(result).Inc()
	}
}
