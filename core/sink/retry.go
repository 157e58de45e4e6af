package sink

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy says how a batch that an HTTP server did not take is sent
// again. It is the one set of retry rules of the HTTP-based sinks (HTTP and
// OTLP/HTTP), so every protocol retries the same way: by the OTLP/HTTP
// specification's rules, which most collectors follow.
type RetryPolicy struct {
	// Base is the wait after the first failed attempt; each further
	// failure doubles it, up to Cap. Waits are spread over the upper half
	// of each step ("equal jitter").
	Base, Cap time.Duration
	// Deadline is how long an outage may last while a batch waits; past
	// it batches are dropped (and counted), each after at most one
	// attempt, until an attempt succeeds.
	Deadline time.Duration
}

// Verdict is what one HTTP attempt means for the batch it carried.
type Verdict int

const (
	// Accepted: the server took the batch (a 2xx status).
	Accepted Verdict = iota
	// Retry: a transient failure (no response, or 429, 502, 503, 504);
	// the batch is sent again after a wait.
	Retry
	// Rejected: the server refused the batch for good (any other status);
	// sending it again would fail the same way.
	Rejected
)

// ClassifyStatus maps an HTTP status to a Verdict. Only 429, 502, 503 and
// 504 are retryable: the OTLP/HTTP specification says so, and a 500 or a
// 400 usually means the batch itself is at fault.
func ClassifyStatus(code int) Verdict {
	switch {
	case code >= 200 && code < 300:
		return Accepted
	case code == http.StatusTooManyRequests, code == http.StatusBadGateway,
		code == http.StatusServiceUnavailable, code == http.StatusGatewayTimeout:
		return Retry
	}
	return Rejected
}

// ErrBadRetryAfter reports a Retry-After header that is neither a number
// of seconds nor an HTTP date.
var ErrBadRetryAfter = errors.New("invalid Retry-After header")

// maxRetryAfter caps a Retry-After wait: far beyond any retry deadline, so
// such a wait drops the batch, and small enough not to overflow.
const maxRetryAfter = 24 * time.Hour

// ParseRetryAfter reads a Retry-After header (RFC 9110: delay-seconds or an
// HTTP-date) as a wait from now, at most a day. A date in the past means no
// wait.
func ParseRetryAfter(value string, now time.Time) (time.Duration, error) {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0, ErrBadRetryAfter
	}
	if secs, err := strconv.ParseUint(value, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		if err != nil || secs > uint64(maxRetryAfter/time.Second) {
			return maxRetryAfter, nil
		}
		return time.Duration(secs) * time.Second, nil
	}
	when, err := http.ParseTime(value)
	if err != nil {
		return 0, ErrBadRetryAfter
	}
	if d := when.Sub(now); d > 0 {
		return d, nil
	}
	return 0, nil
}

// retrySchedule tracks an outage: the failed attempts since the server last
// answered for good. It is used by the sink's worker only and takes the
// time as an argument, so tests drive it without a clock.
//
// The OTLP sink keeps one outage across batches (past the deadline each
// batch gets one attempt until the collector answers); the HTTP sink
// starts a fresh one per batch (reached before its first attempt), so
// each batch has the whole deadline.
type retrySchedule struct {
	// bo is the socket's reconnect schedule, which has the same shape: an
	// outage start, a run of failures, the next attempt, a deadline.
	bo backoff
}

func newRetrySchedule(p RetryPolicy, jitter func() float64) retrySchedule {
	return retrySchedule{bo: newBackoff(BackoffConfig{Base: p.Base, Cap: p.Cap, Deadline: p.Deadline}, jitter)}
}

// next is when the next attempt may be made.
func (r *retrySchedule) next() time.Time { return r.bo.next }

// due reports whether an attempt may be made at now.
func (r *retrySchedule) due(now time.Time) bool { return r.bo.due(now) }

// failed records a failed attempt at now. A server's Retry-After
// (retryAfter > 0) replaces the computed wait, since the server knows
// best when it can take the batch.
func (r *retrySchedule) failed(now time.Time, retryAfter time.Duration) {
	r.bo.attemptFailed(now)
	if retryAfter > 0 {
		r.bo.next = now.Add(retryAfter)
	}
}

// reached records that the server answered for good (accepted or
// rejected the batch): the outage, if any, is over.
func (r *retrySchedule) reached() {
	r.bo.failures = 0
	r.bo.outageSince = time.Time{}
	r.bo.next = time.Time{}
}

// hopeless reports whether a batch should stop waiting at now: the outage
// has passed its deadline, or the next attempt the server allows comes
// after it (a Retry-After longer than the time left).
func (r *retrySchedule) hopeless(now time.Time) bool {
	if r.bo.outageSince.IsZero() {
		return false
	}
	return r.bo.pastDeadline(now) || r.bo.next.After(r.bo.outageSince.Add(r.bo.cfg.Deadline))
}

// waitUntil is when a waiting batch should look again: the next attempt,
// or the deadline if that comes first.
func (r *retrySchedule) waitUntil() time.Time { return r.bo.waitUntil() }
