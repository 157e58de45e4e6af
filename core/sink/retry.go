package sink

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryableStatus reports whether an HTTP status means "try again later":
// 429 Too Many Requests, 502 Bad Gateway, 503 Service Unavailable and 504
// Gateway Timeout (the OTLP/HTTP specification's list). Any other 4xx or
// 5xx means the request will not succeed as it is.
func RetryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// RetryAfter parses a Retry-After header: a number of seconds or an HTTP
// date. ok is false when the header is absent or malformed; a date in the
// past gives zero.
func RetryAfter(h http.Header, now time.Time) (d time.Duration, ok bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	if d = t.Sub(now); d < 0 {
		d = 0
	}
	return d, true
}

// retrier is the wait schedule between attempts at one batch: the
// socket's backoff (exponential, equal jitter, up to Cap), with a server's
// Retry-After taking precedence, and a deadline per batch.
type retrier struct {
	bo backoff
}

func newRetrier(cfg BackoffConfig, jitter func() float64) retrier {
	return retrier{bo: newBackoff(cfg, jitter)}
}

// start begins a batch's attempts at now.
func (r *retrier) start(now time.Time) {
	r.bo.failures = 0
	r.bo.outageSince = now
	r.bo.next = now
}

// failed schedules the next attempt after a failure at now; after, when
// positive, is the server's Retry-After. It returns false when the next
// attempt would come after the batch's deadline.
func (r *retrier) failed(now time.Time, after time.Duration, hasAfter bool) bool {
	r.bo.attemptFailed(now)
	if hasAfter {
		r.bo.next = now.Add(after)
	}
	return r.bo.next.Before(r.bo.outageSince.Add(r.bo.cfg.Deadline))
}

// next is when the next attempt may start.
func (r *retrier) next() time.Time { return r.bo.next }
