package sink

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// closeBudget bounds a sink's close(): once begun, a timer cancels ctx
// when the budget runs out, so the requests and waits that watch ctx end
// and close() returns even with the server gone. It is shared by the HTTP
// and OTLP sinks; begin may be called from any goroutine, the rest by the
// sink's worker.
type closeBudget struct {
	ctx      context.Context
	cancel   context.CancelFunc
	deadline atomic.Int64 // unix ns; 0 until begin
	once     sync.Once
	timer    atomic.Pointer[time.Timer]
}

// init readies the budget; the sink calls it once, before use.
func (c *closeBudget) init() {
	c.ctx, c.cancel = context.WithCancel(context.Background())
}

// begin starts the budget at now (only the first call counts).
func (c *closeBudget) begin(now time.Time, budget time.Duration) {
	c.once.Do(func() {
		c.deadline.Store(now.Add(budget).UnixNano())
		c.timer.Store(time.AfterFunc(budget, c.cancel))
	})
}

// begun reports whether a close has started.
func (c *closeBudget) begun() bool { return c.deadline.Load() != 0 }

// end stops the timer and cancels whatever still watches ctx.
func (c *closeBudget) end() {
	if t := c.timer.Load(); t != nil {
		t.Stop()
	}
	c.cancel()
}

// expired reports whether a close has used up its budget at now.
func (c *closeBudget) expired(now time.Time) bool {
	if c.ctx.Err() != nil {
		return true
	}
	cd := c.deadline.Load()
	return cd != 0 && now.UnixNano() >= cd
}

// requestContext is the context for one request: ctx, ending at the close
// deadline once a close has begun.
func (c *closeBudget) requestContext() (context.Context, context.CancelFunc) {
	if cd := c.deadline.Load(); cd != 0 {
		return context.WithDeadline(c.ctx, time.Unix(0, cd))
	}
	return context.WithCancel(c.ctx)
}

// sleepUntil waits from now until t, or returns false early when a close
// ran out of time.
func (c *closeBudget) sleepUntil(now, t time.Time) bool {
	d := t.Sub(now)
	if d <= 0 {
		return c.ctx.Err() == nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-c.ctx.Done():
		return false
	}
}
