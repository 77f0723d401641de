package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/go-faster/jx"
	ht "github.com/ogen-go/ogen/http"
	"github.com/ogen-go/ogen/ogenerrors"
	"github.com/ogen-go/ogen/validate"

	"github.com/telemetryflow/core/internal/app/auth"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/platform/reqinfo"
	"github.com/telemetryflow/core/oas"
)

// ProblemTypeBase prefixes every problem `type`; the suffix is the stable code.
const ProblemTypeBase = "https://telemetryflow.io/problems/"

// statusOf is the one mapping from error kind to HTTP status.
func statusOf(k errs.Kind) int {
	switch k {
	case errs.KindInvalid:
		return http.StatusBadRequest
	case errs.KindUnauthenticated:
		return http.StatusUnauthorized
	case errs.KindForbidden:
		return http.StatusForbidden
	case errs.KindNotFound:
		return http.StatusNotFound
	case errs.KindConflict:
		return http.StatusConflict
	case errs.KindUnprocessable:
		return http.StatusUnprocessableEntity
	case errs.KindRateLimited:
		return http.StatusTooManyRequests
	case errs.KindUnavailable:
		return http.StatusServiceUnavailable
	case errs.KindNotImplemented:
		return http.StatusNotImplemented
	case errs.KindUnsupportedMedia:
		return http.StatusUnsupportedMediaType
	case errs.KindTooLarge:
		return http.StatusRequestEntityTooLarge
	default:
		return http.StatusInternalServerError
	}
}

// problemOf turns any error into the response the caller sees. Internal causes are logged here
// (once) and never shown.
func problemOf(ctx context.Context, log *slog.Logger, err error) *oas.ProblemStatusCodeWithHeaders {
	e := classify(err)
	status := statusOf(e.Kind)
	if e.Kind == errs.KindInternal {
		log.ErrorContext(ctx, "request failed", "error", err)
	}
	info := reqinfo.From(ctx)
	p := oas.Problem{
		Type:   ProblemTypeBase + e.Code,
		Title:  http.StatusText(status),
		Status: status,
		Code:   e.Code,
		Detail: oas.NewOptString(e.Message),
	}
	if info.Path != "" {
		p.Instance = oas.NewOptString(info.Path)
	}
	if info.ID != "" {
		p.RequestID = oas.NewOptString(info.ID)
	}
	for _, f := range e.Fields {
		fe := oas.FieldError{Field: f.Field, Message: f.Message}
		if f.Code != "" {
			fe.Code = oas.NewOptString(f.Code)
		}
		p.Errors = append(p.Errors, fe)
	}
	var challenge *auth.ChallengeError
	if errors.As(err, &challenge) { // a login's mfa_required carries its second step
		p.MfaToken = oas.NewOptString(challenge.Token)
		p.MfaMethods = challenge.Methods
		p.MfaExpiresIn = oas.NewOptInt(int(challenge.ExpiresIn / time.Second))
	}
	out := &oas.ProblemStatusCodeWithHeaders{StatusCode: status, Response: p}
	if e.RetryAfter > 0 {
		out.RetryAfter = oas.NewOptInt(int((e.RetryAfter + time.Second - 1) / time.Second))
	}
	if status == http.StatusUnauthorized {
		out.WwwAuthenticate = oas.NewOptString(`Bearer realm="telemetryflow"`)
	}
	return out
}

// classify maps ogen's own errors (decoding, validation, security) and ours to *errs.Error.
func classify(err error) *errs.Error {
	var (
		own      *errs.Error
		security *ogenerrors.SecurityError
		params   *ogenerrors.DecodeParamsError
		body     *ogenerrors.DecodeRequestError
		ctype    *validate.InvalidContentTypeError
		tooLarge *http.MaxBytesError
	)
	switch {
	case errors.As(err, &own):
		return own
	case errors.As(err, &security):
		return errs.New(errs.KindUnauthenticated, errs.CodeUnauthenticated,
			"A valid bearer access token is required.")
	case errors.Is(err, ht.ErrNotImplemented):
		return errs.New(errs.KindNotImplemented, errs.CodeNotImplemented,
			"This operation is part of the contract but not available in this version.")
	case errors.As(err, &tooLarge):
		return BodyTooLarge(tooLarge.Limit)
	case errors.As(err, &ctype):
		return errs.New(errs.KindUnsupportedMedia, "unsupported_media_type", "Send the body as application/json.")
	case errors.As(err, &params):
		return paramError(params)
	case errors.As(err, &body):
		return bodyError(body)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return errs.Wrap(errs.KindUnavailable, errs.CodeUnavailable, "The request did not complete in time.", err)
	default:
		return errs.Internal(err)
	}
}

// CodeBodyTooLarge is the stable code of a 413.
const CodeBodyTooLarge = "body_too_large"

// BodyTooLarge is the error for a request body over its cap of limit bytes.
func BodyTooLarge(limit int64) *errs.Error {
	return errs.New(errs.KindTooLarge, CodeBodyTooLarge,
		"The request body exceeds the limit of "+strconv.FormatInt(limit, 10)+" bytes for this operation.")
}

func paramError(e *ogenerrors.DecodeParamsError) *errs.Error {
	var one *ogenerrors.DecodeParamError
	if errors.As(e, &one) {
		msg := "is invalid"
		var v *validate.Error
		if errors.As(one.Err, &v) && len(v.Fields) > 0 {
			msg = v.Fields[0].Error.Error()
		} else if one.Err != nil {
			msg = one.Err.Error()
		}
		return errs.Invalid(errs.FieldError{Field: one.Name, Message: msg})
	}
	return errs.New(errs.KindInvalid, errs.CodeMalformed, "The request parameters are invalid.")
}

// bodyError never echoes the body: it may hold a password.
func bodyError(e *ogenerrors.DecodeRequestError) *errs.Error {
	var v *validate.Error
	switch {
	case errors.Is(e, validate.ErrBodyRequired):
		return errs.Invalid(errs.FieldError{Field: "body", Message: "a JSON body is required"})
	case errors.As(e, &v):
		fields := make([]errs.FieldError, 0, len(v.Fields))
		for _, f := range v.Fields {
			fields = append(fields, errs.FieldError{Field: f.Name, Message: f.Error.Error()})
		}
		return errs.Invalid(fields...)
	default:
		return errs.Wrap(errs.KindInvalid, errs.CodeMalformed,
			"The request body is not valid JSON for this operation.", e)
	}
}

// writeProblem encodes a problem outside ogen's own response path (router misses, decode errors).
func writeProblem(w http.ResponseWriter, p *oas.ProblemStatusCodeWithHeaders) {
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	if v, ok := p.RetryAfter.Get(); ok {
		h.Set("Retry-After", strconv.Itoa(v))
	}
	if v, ok := p.WwwAuthenticate.Get(); ok {
		h.Set("WWW-Authenticate", v)
	}
	w.WriteHeader(p.StatusCode)
	var enc jx.Encoder
	p.Response.Encode(&enc)
	_, _ = w.Write(enc.Bytes())
}
