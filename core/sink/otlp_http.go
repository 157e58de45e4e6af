package sink

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"femtologging/core/loss"
)

// OTLP defaults; the names of the settings are those of the OpenTelemetry
// SDKs' batch processor and OTLP exporter where they have one.
const (
	DefaultOTLPEndpoint   = "http://localhost:4318/v1/logs"
	DefaultOTLPTimeout    = 10 * time.Second // OTEL_EXPORTER_OTLP_TIMEOUT
	DefaultOTLPMaxBatch   = 512              // maxExportBatchSize
	DefaultOTLPBatchDelay = time.Second      // scheduledDelayMillis
	// DefaultOTLPMaxBatchBytes keeps a request well below the collector's
	// default 20 MiB limit on request bodies.
	DefaultOTLPMaxBatchBytes = 4 << 20
	// DefaultOTLPCloseBudget bounds what close() spends sending the
	// records still queued; Python's close() waits 5 s.
	DefaultOTLPCloseBudget = 3 * time.Second
)

// maxResponseRead bounds what is read of a response body: a collector's
// answer is a few bytes, a misconfigured proxy's may be a web page.
const maxResponseRead = 64 << 10

// OTLPOptions configures an OTLP sink.
type OTLPOptions struct {
	// Endpoint is the full URL requests are POSTed to, /v1/logs included.
	Endpoint string
	// Headers are sent with every request (e.g. authorization).
	Headers map[string]string
	// Gzip compresses request bodies.
	Gzip bool
	// TLS configures https endpoints; nil means the system roots.
	TLS *tls.Config
	// Timeout bounds each request, connection included.
	Timeout time.Duration
	// Resource is the encoded Resource message (EncodeResource).
	Resource []byte
	// MaxBatch and MaxBatchBytes bound a request: records, and bytes of
	// encoded records.
	MaxBatch, MaxBatchBytes int
	// BatchDelay is the longest a record waits in a partial batch, once
	// the handler asks for flushes (SetFlushRequester).
	BatchDelay time.Duration
	// Retry is the schedule for batches the collector did not take.
	Retry RetryPolicy
	// CloseBudget bounds close(): attempts stop when it runs out.
	CloseBudget time.Duration
	// Diagnostics receives rate-limited export failures.
	Diagnostics Reporter
	// Jitter replaces the random jitter of the retry schedule (tests).
	Jitter func() float64
}

// DefaultOTLPRetry is the OTLP sink's retry schedule when a spec gives
// none: a collector that restarts within a minute loses nothing.
var DefaultOTLPRetry = RetryPolicy{
	Base:     250 * time.Millisecond,
	Cap:      5 * time.Second,
	Deadline: time.Minute,
}

// OTLP sends records encoded by encode.OTLPFormatter to an OpenTelemetry
// collector as OTLP/HTTP protobuf requests.
//
// Write adds a record to the current batch and sends the batch once it
// holds MaxBatch records or MaxBatchBytes; Flush sends a partial batch.
// A batch the collector did not take is sent again by the retry rules
// (RetryPolicy) while the worker waits, so the handler's queue fills and
// its overflow policy applies: memory stays bounded by one batch. A batch
// that is rejected, or still unsent at the retry deadline or at close, is
// discarded (loss.ErrDiscarded: counted as dropped).
//
// Write, Flush and Close are called by the handler's worker only;
// BeginClose may be called from any goroutine.
type OTLP struct {
	opts    OTLPOptions
	label   string
	client  *http.Client
	headers http.Header
	now     func() time.Time

	batch *otlpBatch
	body  []byte       // the encoded request
	zbuf  bytes.Buffer // the compressed request
	zw    *gzip.Writer
	sched retrySchedule
	lastE string // the last failure, for the discard message

	requestFlush atomic.Pointer[func()]
	timer        *time.Timer // fires requestFlush BatchDelay after a batch starts

	// ctx ends when a close has used up its budget: requests and waits
	// watch it, so close() is bounded even with the collector gone.
	budget closeBudget
}

// NewOTLP returns a sink for opts; it does not connect yet.
func NewOTLP(opts OTLPOptions) *OTLP {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultOTLPTimeout
	}
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = DefaultOTLPMaxBatch
	}
	if opts.MaxBatchBytes <= 0 {
		opts.MaxBatchBytes = DefaultOTLPMaxBatchBytes
	}
	if opts.CloseBudget <= 0 {
		opts.CloseBudget = DefaultOTLPCloseBudget
	}
	s := &OTLP{
		opts:  opts,
		label: "otlp " + opts.Endpoint,
		now:   time.Now,
		batch: newOTLPBatch(opts.Resource),
		sched: newRetrySchedule(opts.Retry, opts.Jitter),
	}
	s.headers = http.Header{}
	for k, v := range opts.Headers {
		s.headers.Set(k, v)
	}
	s.headers.Set("Content-Type", "application/x-protobuf")
	if opts.Gzip {
		s.headers.Set("Content-Encoding", "gzip")
		s.zw, _ = gzip.NewWriterLevel(&s.zbuf, gzip.BestSpeed)
	}
	dialer := &net.Dialer{Timeout: opts.Timeout, KeepAlive: 30 * time.Second}
	s.client = &http.Client{
		Transport: &http.Transport{
			DialContext:         dialer.DialContext,
			TLSClientConfig:     opts.TLS,
			TLSHandshakeTimeout: opts.Timeout,
			MaxIdleConnsPerHost: 1, // one worker sends one request at a time
			IdleConnTimeout:     90 * time.Second,
		},
		// A redirect would resend the body elsewhere: take the answer
		// as it is (a 3xx is a rejection).
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	s.budget.init()
	return s
}

// Label names the destination in diagnostics, e.g.
// "otlp http://localhost:4318/v1/logs".
func (s *OTLP) Label() string { return s.label }

// SetFlushRequester gives the sink a way to ask its handler for a flush
// (QueuedHandler.FlushBegin): it does so BatchDelay after the first record
// of a partial batch, so a record never waits longer than that for more.
func (s *OTLP) SetFlushRequester(f func()) { s.requestFlush.Store(&f) }

// Write adds one encode.OTLPFormatter envelope to the batch, sending the batch
// when it is full.
func (s *OTLP) Write(p []byte) error {
	if s.batch.records > 0 && s.batch.size+len(p) > s.opts.MaxBatchBytes {
		if err := s.send(); err != nil {
			return err // discarded: the batch and this record
		}
	}
	if !s.batch.add(p) {
		return fmt.Errorf("%s: malformed record envelope (%d bytes)", s.label, len(p))
	}
	if s.batch.records == 1 {
		s.armTimer()
	}
	if s.batch.records >= s.opts.MaxBatch || s.batch.size >= s.opts.MaxBatchBytes {
		return s.send()
	}
	return nil
}

// Flush sends the partial batch. It returns an error wrapping
// loss.ErrDiscarded when the batch was dropped.
func (s *OTLP) Flush() error {
	if s.timer != nil {
		s.timer.Stop()
	}
	if s.batch.records == 0 {
		return nil
	}
	return s.send()
}

// BeginClose starts close()'s budget: from now on each batch gets one
// attempt, and what is not sent when the budget runs out is discarded.
func (s *OTLP) BeginClose() {
	s.budget.begin(s.now(), s.opts.CloseBudget)
}

// Close sends the partial batch (within the close budget) and releases the
// connection.
func (s *OTLP) Close() error {
	s.BeginClose()
	err := s.Flush()
	s.budget.end()
	s.client.CloseIdleConnections()
	return err
}

// armTimer schedules a flush request BatchDelay from now.
func (s *OTLP) armTimer() {
	f := s.requestFlush.Load()
	if f == nil || s.opts.BatchDelay <= 0 {
		return
	}
	if s.timer == nil {
		s.timer = time.AfterFunc(s.opts.BatchDelay, func() { (*s.requestFlush.Load())() })
		return
	}
	s.timer.Reset(s.opts.BatchDelay)
}

// send encodes the batch and exports it, then empties it either way.
func (s *OTLP) send() error {
	defer s.batch.reset()
	s.body = s.batch.encode(s.body[:0])
	body := s.body
	if s.zw != nil {
		s.zbuf.Reset()
		s.zw.Reset(&s.zbuf)
		s.zw.Write(body) // a bytes.Buffer does not fail
		s.zw.Close()
		body = s.zbuf.Bytes()
	}
	err := s.export(body)
	if cap(s.body) > 2*s.opts.MaxBatchBytes {
		s.body = nil // one huge batch must not pin its buffer
	}
	return err
}

// closing reports whether BeginClose was called.
func (s *OTLP) closing() bool { return s.budget.begun() }

// export sends body until the collector takes or rejects it, waiting
// between attempts as the retry schedule says.
func (s *OTLP) export(body []byte) error {
	for {
		now := s.now()
		if s.closeExpired(now) {
			return otlpDiscard("the handler closed before the batch could be sent")
		}
		if s.closing() || s.sched.due(now) {
			verdict, after, detail := s.post(body)
			switch verdict {
			case Accepted:
				s.sched.reached()
				return nil
			case Rejected:
				s.sched.reached()
				return otlpDiscard("the collector rejected the batch: " + detail)
			}
			s.lastE = detail
			s.sched.failed(s.now(), after)
			report(s.opts.Diagnostics, s.label+": export", detail)
			if s.closing() {
				return otlpDiscard("the handler closed before the batch could be sent (last error: " + detail + ")")
			}
		}
		if s.sched.hopeless(s.now()) {
			return otlpDiscard(fmt.Sprintf("the collector did not take the batch within %v (last error: %s)", s.opts.Retry.Deadline, s.lastE))
		}
		if !s.sleepUntil(s.sched.waitUntil()) {
			return otlpDiscard("the handler closed before the batch could be sent")
		}
	}
}

// post makes one request and classifies its outcome; after is the
// server's Retry-After, 0 when it gave none.
func (s *OTLP) post(body []byte) (v Verdict, after time.Duration, detail string) {
	ctx, cancel := context.WithTimeout(s.budget.ctx, s.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.opts.Endpoint, bytes.NewReader(body))
	if err != nil {
		return Rejected, 0, err.Error()
	}
	req.Header = s.headers.Clone()
	resp, err := s.client.Do(req)
	if err != nil {
		return Retry, 0, err.Error()
	}
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponseRead))
	io.Copy(io.Discard, io.LimitReader(resp.Body, 4*maxResponseRead)) // so the connection is reused
	resp.Body.Close()
	v = ClassifyStatus(resp.StatusCode)
	switch v {
	case Accepted:
		if n, msg := partialSuccess(data); n > 0 || msg != "" {
			report(s.opts.Diagnostics, s.label+": partial success",
				fmt.Sprintf("the collector rejected %d record(s) of a batch it took: %s", n, msg))
		}
		return Accepted, 0, ""
	case Retry:
		if ra := resp.Header.Get("Retry-After"); ra != "" {
			after, _ = ParseRetryAfter(ra, s.now())
		}
	}
	detail = "HTTP " + strconv.Itoa(resp.StatusCode)
	if msg := statusMessage(resp.Header.Get("Content-Type"), data); msg != "" {
		detail += ": " + msg
	}
	return v, after, detail
}

// discard builds the error that makes the handler count records as dropped.
func otlpDiscard(why string) error {
	return fmt.Errorf("%s: %w", why, loss.ErrDiscarded)
}

// closeExpired reports whether a close has used up its budget.
func (s *OTLP) closeExpired(now time.Time) bool { return s.budget.expired(now) }

// sleepUntil waits until t, or returns false early when a close ran out of
// time.
func (s *OTLP) sleepUntil(t time.Time) bool { return s.budget.sleepUntil(s.now(), t) }
