package sink

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"femtologging/core/loss"
)

// HTTPBatchOptions configures an HTTPBatch: where batches go, how a batch's
// body is built from its records, and when to give up.
type HTTPBatchOptions struct {
	// URL and Method ("POST" or "PUT") of each request.
	URL, Method string
	// Header is sent with every request (auth, extra headers); the batch
	// sets Content-Type and, with Gzip, Content-Encoding.
	Header      http.Header
	ContentType string
	// Encode appends the body of one request holding records (each one
	// formatted record, in order) to dst.
	Encode func(dst []byte, records [][]byte) ([]byte, error)
	// Gzip compresses each body.
	Gzip bool
	// TLS verifies https servers; nil means the system roots.
	TLS *tls.Config
	// Timeout bounds one request, connect to response; ConnectTimeout the
	// connect (and TLS handshake) alone.
	Timeout, ConnectTimeout time.Duration
	// MaxRecords and MaxBytes bound one request: reaching either sends the
	// batch at once. Delay is how long a batch smaller than that may wait
	// for more records at a flush (0 sends at once), so a steady trickle
	// is sent in fewer, larger requests.
	MaxRecords, MaxBytes int
	Delay                time.Duration
	// Retry is the wait between attempts at a batch after a network error
	// or a retryable status; Retry.Deadline bounds all attempts at one
	// batch, after which its records are dropped (and counted). The zero
	// value means DefaultHTTPRetry.
	Retry RetryPolicy
	// CloseGrace bounds close() together with Timeout (at most 2 s of
	// it); 0 means DefaultCloseGrace.
	CloseGrace  time.Duration
	Diagnostics Reporter
	// Label names the sink in diagnostics.
	Label string
	// Jitter replaces the random jitter of the retry schedule (tests).
	Jitter func() float64
}

// DefaultHTTPRetry is the HTTP sink's retry schedule when a spec gives
// none: the socket sink's reconnect schedule (DefaultBackoff).
var DefaultHTTPRetry = RetryPolicy{
	Base:     DefaultBackoff.Base,
	Cap:      DefaultBackoff.Cap,
	Deadline: DefaultBackoff.Deadline,
}

// ErrRejected is wrapped (with loss.ErrDiscarded) when the server refused
// a batch with a status that retrying will not change.
var ErrRejected = errors.New("rejected by the server")

// HTTPBatch is a sink that sends records in batches, one HTTP request per
// batch, retrying by the rules of RetryPolicy (ClassifyStatus and
// Retry-After). It is the transport of the HTTP handler and is meant for
// any batching HTTP protocol: only Encode differs.
//
// A batch is sent when it reaches MaxRecords or MaxBytes, and at each
// flush of the handler's worker (when its queue runs empty, after Delay).
// A batch that cannot be delivered within Retry.Deadline, or that the
// server rejects, is discarded (loss.ErrDiscarded): the handler counts its
// records as dropped, so delivered + dropped always equals what was
// handled. A batch may be delivered twice when a response is lost after
// the server accepted it (a timeout, then a retry).
//
// Write, Flush and Close are called by the handler's worker only;
// BeginClose may be called from any goroutine.
type HTTPBatch struct {
	opts   HTTPBatchOptions
	client *http.Client
	now    func() time.Time

	arena   []byte   // the batch's records, back to back
	ends    []int    // where each record ends in arena
	records [][]byte // views into arena, rebuilt per request
	body    []byte
	zbuf    bytes.Buffer
	zw      *gzip.Writer
	first   time.Time // when the batch's first record arrived
	sched   retrySchedule

	budget closeBudget
}

// NewHTTPBatch returns a sink for opts; it does not connect yet.
func NewHTTPBatch(opts HTTPBatchOptions) *HTTPBatch {
	if opts.CloseGrace <= 0 {
		opts.CloseGrace = DefaultCloseGrace
	}
	if opts.Retry == (RetryPolicy{}) {
		opts.Retry = DefaultHTTPRetry
	}
	if opts.Method == "" {
		opts.Method = http.MethodPost
	}
	if opts.Label == "" {
		opts.Label = "http " + opts.URL
	}
	dialer := &net.Dialer{Timeout: opts.ConnectTimeout}
	transport := &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		// Connections send with MSG_NOSIGNAL, as the socket sink does: a
		// server that went away must not raise SIGPIPE in a host program.
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := dialer.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			nc, err := newNosignalConn(c)
			if err != nil {
				c.Close()
				return nil, err
			}
			return nc, nil
		},
		TLSClientConfig:     opts.TLS,
		TLSHandshakeTimeout: opts.ConnectTimeout,
		MaxIdleConnsPerHost: 2,
		IdleConnTimeout:     90 * time.Second,
	}
	b := &HTTPBatch{
		opts:   opts,
		client: &http.Client{Transport: transport, Timeout: opts.Timeout},
		now:    time.Now,
		sched:  newRetrySchedule(opts.Retry, opts.Jitter),
	}
	b.budget.init()
	return b
}

// Label names the destination in diagnostics.
func (b *HTTPBatch) Label() string { return b.opts.Label }

// Write adds one record to the batch, sending the batch first when the
// record would take it past MaxBytes, and after when it reaches
// MaxRecords.
func (b *HTTPBatch) Write(p []byte) error {
	if len(b.ends) > 0 && b.opts.MaxBytes > 0 && len(b.arena)+len(p) > b.opts.MaxBytes {
		if err := b.send(); err != nil {
			// The handler counts this record with the failed batch.
			return err
		}
	}
	b.add(p)
	if b.opts.MaxRecords > 0 && len(b.ends) >= b.opts.MaxRecords {
		return b.send()
	}
	return nil
}

func (b *HTTPBatch) add(p []byte) {
	if len(b.ends) == 0 {
		b.first = b.now()
	}
	b.arena = append(b.arena, p...)
	b.ends = append(b.ends, len(b.arena))
}

// Flush sends the batch, after waiting up to Delay (from the batch's first
// record) for more records when the batch is small and no close is under
// way.
func (b *HTTPBatch) Flush() error {
	if len(b.ends) == 0 {
		return nil
	}
	if b.opts.Delay > 0 && !b.budget.begun() {
		b.sleepUntil(b.first.Add(b.opts.Delay))
	}
	return b.send()
}

// maxCloseWait bounds the request time close() allows, whatever Timeout
// is: front ends wait a few seconds for close(), not a request timeout.
const maxCloseWait = 2 * time.Second

// BeginClose starts close()'s budget: from now on, waits and requests end
// at min(Timeout, 2 s) + CloseGrace, and what is not sent by then is
// discarded.
func (b *HTTPBatch) BeginClose() {
	b.budget.begin(b.now(), min(b.opts.Timeout, maxCloseWait)+b.opts.CloseGrace)
}

// Close sends the batch (within the close budget) and releases the
// connections.
func (b *HTTPBatch) Close() error {
	b.BeginClose()
	err := b.send()
	b.budget.end()
	b.client.CloseIdleConnections()
	return err
}

// send delivers the batch, retrying as the schedule allows, and empties it
// whatever the outcome.
func (b *HTTPBatch) send() error {
	if len(b.ends) == 0 {
		return nil
	}
	defer b.reset()
	body, err := b.encode()
	if err != nil {
		return fmt.Errorf("%s: encoding a batch of %d: %v: %w", b.opts.Label, len(b.ends), err, loss.ErrDiscarded)
	}
	b.sched.reached() // each batch has the whole deadline
	for {
		if !b.sleepUntil(b.sched.waitUntil()) {
			return fmt.Errorf("the handler closed before the batch could be sent: %w", loss.ErrDiscarded)
		}
		status, after, err := b.post(body)
		if err == nil {
			return nil
		}
		report(b.opts.Diagnostics, b.opts.Label+": request", err.Error())
		if status != 0 && ClassifyStatus(status) == Rejected {
			return fmt.Errorf("%s: %v: %w", ErrRejected, err, loss.ErrDiscarded)
		}
		b.sched.failed(b.now(), after)
		if b.sched.hopeless(b.now()) {
			return fmt.Errorf("no success within %v (last error: %v): %w", b.opts.Retry.Deadline, err, loss.ErrDiscarded)
		}
	}
}

func (b *HTTPBatch) reset() {
	b.arena, b.ends = b.arena[:0], b.ends[:0]
	if cap(b.arena) > maxRetainedBatchBytes {
		b.arena, b.body = nil, nil
	}
}

// maxRetainedBatchBytes bounds the buffers kept between batches.
const maxRetainedBatchBytes = 4 << 20

// encode builds the request body from the batch.
func (b *HTTPBatch) encode() ([]byte, error) {
	b.records = b.records[:0]
	start := 0
	for _, end := range b.ends {
		b.records = append(b.records, b.arena[start:end])
		start = end
	}
	body, err := b.opts.Encode(b.body[:0], b.records)
	if err != nil {
		return nil, err
	}
	b.body = body
	if !b.opts.Gzip {
		return body, nil
	}
	b.zbuf.Reset()
	if b.zw == nil {
		b.zw = gzip.NewWriter(&b.zbuf)
	} else {
		b.zw.Reset(&b.zbuf)
	}
	b.zw.Write(body)
	b.zw.Close()
	return b.zbuf.Bytes(), nil
}

// post makes one request. It returns the status (0 when there was no
// response), the server's Retry-After (0 when it gave none), and an error
// unless the status was 2xx.
func (b *HTTPBatch) post(body []byte) (status int, after time.Duration, err error) {
	ctx, cancel := b.budget.requestContext()
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, b.opts.Method, b.opts.URL, bytes.NewReader(body))
	if err != nil {
		return 0, 0, err
	}
	for k, v := range b.opts.Header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", b.opts.ContentType)
	if b.opts.Gzip {
		req.Header.Set("Content-Encoding", "gzip")
	}
	resp, err := b.client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	// Drain a little so the connection can be reused; a huge error page is
	// not worth reading.
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return resp.StatusCode, 0, nil
	}
	if ra := resp.Header.Get("Retry-After"); ra != "" {
		after, _ = ParseRetryAfter(ra, b.now()) // a malformed one: the computed wait
	}
	return resp.StatusCode, after, fmt.Errorf("%s %s: %s: %q", b.opts.Method, b.opts.URL, resp.Status, bytes.TrimSpace(snippet))
}

// sleepUntil waits until t, or returns false early when a close ran out of
// time.
func (b *HTTPBatch) sleepUntil(t time.Time) bool { return b.budget.sleepUntil(b.now(), t) }
