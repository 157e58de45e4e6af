package sink

import (
	"math/rand/v2"
	"time"
)

// BackoffConfig is the reconnect schedule of a socket sink.
type BackoffConfig struct {
	// Base is the delay after the first failed attempt; each further
	// failure doubles it, up to Cap.
	Base, Cap time.Duration
	// ResetAfter is how long a connection must stay healthy for the delay
	// to start again from Base when it breaks; a connection that breaks
	// sooner keeps the schedule growing, so a flapping peer is not hammered.
	ResetAfter time.Duration
	// Deadline is how long an outage may last while records wait for a
	// connection; past it they are dropped (and counted) until an attempt
	// succeeds.
	Deadline time.Duration
}

// DefaultBackoff is the schedule of the user guide's example.
var DefaultBackoff = BackoffConfig{
	Base:       100 * time.Millisecond,
	Cap:        5 * time.Second,
	ResetAfter: 30 * time.Second,
	Deadline:   2 * time.Minute,
}

// backoff tracks one connection's reconnect schedule. It is used by the
// sink's worker only and takes the time as an argument, so tests drive it
// without a clock.
type backoff struct {
	cfg BackoffConfig
	// jitter returns a number in [0, 1); delays are spread over the upper
	// half of each step ("equal jitter") so many processes that lost the
	// same server do not reconnect in lockstep, yet each still waits.
	jitter      func() float64
	failures    int       // consecutive failures: the exponent
	next        time.Time // no attempt before this
	outageSince time.Time // zero while connected or before the first attempt
	connectedAt time.Time
}

func newBackoff(cfg BackoffConfig, jitter func() float64) backoff {
	if jitter == nil {
		jitter = rand.Float64
	}
	return backoff{cfg: cfg, jitter: jitter}
}

// delay is the wait after the current run of failures.
func (b *backoff) delay() time.Duration {
	d := b.cfg.Cap
	if b.failures < 32 {
		if step := b.cfg.Base << b.failures; step > 0 && step < d {
			d = step
		}
	}
	half := d / 2
	return half + time.Duration(b.jitter()*float64(d-half))
}

// due reports whether an attempt may be made at now.
func (b *backoff) due(now time.Time) bool { return !now.Before(b.next) }

// attemptFailed records a failed connect at now.
func (b *backoff) attemptFailed(now time.Time) {
	if b.outageSince.IsZero() {
		b.outageSince = now
	}
	b.next = now.Add(b.delay())
	b.failures++
}

// connected records a successful connect at now.
func (b *backoff) connected(now time.Time) { b.connectedAt = now }

// sent records that frames went out: the outage is over. (A connect alone
// does not end it: a receiver that accepts but never reads would otherwise
// hold records forever.)
func (b *backoff) sent() { b.outageSince = time.Time{} }

// broken records that the connection broke at now. After ResetAfter of
// health the schedule starts over and the first reconnect is immediate.
func (b *backoff) broken(now time.Time) {
	if b.outageSince.IsZero() {
		b.outageSince = now
	}
	if now.Sub(b.connectedAt) >= b.cfg.ResetAfter {
		b.failures = 0
		b.next = now
		return
	}
	b.next = now.Add(b.delay())
	b.failures++
}

// pastDeadline reports whether the outage has lasted Deadline or more.
func (b *backoff) pastDeadline(now time.Time) bool {
	return !b.outageSince.IsZero() && now.Sub(b.outageSince) >= b.cfg.Deadline
}

// waitUntil is when a waiting record should look again: the next attempt,
// or the deadline if that comes first.
func (b *backoff) waitUntil() time.Time {
	if b.outageSince.IsZero() {
		return b.next
	}
	if end := b.outageSince.Add(b.cfg.Deadline); end.Before(b.next) {
		return end
	}
	return b.next
}
