package sink

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"femtologging/core"
	"femtologging/core/encode"
)

// fastRetry keeps retry tests short.
var fastRetry = RetryPolicy{Base: 10 * time.Millisecond, Cap: 40 * time.Millisecond, Deadline: 5 * time.Second}

func newTestOTLP(t *testing.T, opts OTLPOptions) *OTLP {
	t.Helper()
	if opts.Retry == (RetryPolicy{}) {
		opts.Retry = fastRetry
	}
	if opts.Resource == nil {
		opts.Resource = EncodeResource(map[string]string{"service.name": "test"})
	}
	s := NewOTLP(opts)
	t.Cleanup(func() { s.Close() })
	return s
}

// writeRecords formats and writes n records named msg-0 ... to s.
func writeRecords(t *testing.T, s *OTLP, logger string, n int) error {
	t.Helper()
	for i := range n {
		rec := core.Record{Logger: logger, Level: core.LevelInfo, Message: fmt.Appendf(nil, "msg-%d", i), TimeNs: 1}
		env, err := encode.OTLPFormatter{}.Format(nil, &rec)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Write(env); err != nil {
			return err
		}
	}
	return nil
}

func TestOTLPSendsBatches(t *testing.T) {
	srv := startOTLPServer(t, false)
	s := newTestOTLP(t, OTLPOptions{Endpoint: srv.url(), MaxBatch: 4, Headers: map[string]string{"Authorization": "Bearer t0ken"}})
	if err := writeRecords(t, s, "app", 10); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.snapshot()); n != 2 {
		t.Errorf("got %d requests before the flush, want 2 full batches of 4", n)
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	reqs := srv.snapshot()
	if len(reqs) != 3 {
		t.Fatalf("got %d requests, want 3", len(reqs))
	}
	got := srv.bodies()
	if len(got) != 10 || got[0] != "msg-0" || got[9] != "msg-9" {
		t.Errorf("got %v, want msg-0 ... msg-9 in order", got)
	}
	h := reqs[0].header
	if h.Get("Content-Type") != "application/x-protobuf" || h.Get("Authorization") != "Bearer t0ken" || h.Get("Content-Encoding") != "" {
		t.Errorf("headers: got %v", h)
	}
	if err := s.Flush(); err != nil || len(srv.snapshot()) != 3 {
		t.Errorf("an empty flush sent a request or failed: %v", err)
	}
}

func TestOTLPGzip(t *testing.T) {
	srv := startOTLPServer(t, false)
	s := newTestOTLP(t, OTLPOptions{Endpoint: srv.url(), Gzip: true})
	for range 2 { // the second request reuses the gzip writer
		if err := writeRecords(t, s, "z", 3); err != nil {
			t.Fatal(err)
		}
		if err := s.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	reqs := srv.snapshot()
	for _, r := range reqs {
		if r.header.Get("Content-Encoding") != "gzip" || r.decErr != nil {
			t.Errorf("got encoding %q, decode error %v", r.header.Get("Content-Encoding"), r.decErr)
		}
	}
	if got := srv.bodies(); len(got) != 6 {
		t.Errorf("got %d records, want 6", len(got))
	}
}

func TestOTLPBatchBytesBound(t *testing.T) {
	srv := startOTLPServer(t, false)
	s := newTestOTLP(t, OTLPOptions{Endpoint: srv.url(), MaxBatch: 1000, MaxBatchBytes: 200})
	if err := writeRecords(t, s, "b", 20); err != nil {
		t.Fatal(err)
	}
	s.Flush()
	for _, r := range srv.snapshot() {
		n := 0
		for _, sl := range r.data.GetResourceLogs()[0].GetScopeLogs() {
			n += len(sl.GetLogRecords())
		}
		if n > 200/20 || n == 0 {
			t.Errorf("a request held %d records of ~20 bytes, want at most 200 bytes' worth", n)
		}
	}
	if got := srv.bodies(); len(got) != 20 {
		t.Errorf("got %d records, want 20", len(got))
	}
}

func TestOTLPRetriesTransientStatuses(t *testing.T) {
	for _, code := range []int{429, 502, 503, 504} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			srv := startOTLPServer(t, false, otlpReply{status: code}, otlpReply{status: code})
			s := newTestOTLP(t, OTLPOptions{Endpoint: srv.url()})
			writeRecords(t, s, "r", 3)
			if err := s.Flush(); err != nil {
				t.Fatalf("got %v, want the batch sent on the third attempt", err)
			}
			if n := len(srv.snapshot()); n != 3 {
				t.Errorf("got %d attempts, want 3", n)
			}
			if got := srv.bodies(); len(got) != 3 {
				t.Errorf("got %d records accepted, want 3", len(got))
			}
		})
	}
}

func TestOTLPDoesNotRetryOtherErrors(t *testing.T) {
	for _, code := range []int{400, 401, 403, 404, 413, 500} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			status := []byte{0x08, 0x03, 0x12, 0x0b, 'b', 'a', 'd', ' ', 'r', 'e', 'q', 'u', 'e', 's', 't'} // code 3, "bad request"
			srv := startOTLPServer(t, false, otlpReply{status: code, body: status, ctype: "application/x-protobuf"})
			var diag bytes.Buffer
			s := newTestOTLP(t, OTLPOptions{Endpoint: srv.url(), Diagnostics: core.NewDiagnostics(&diag, time.Hour)})
			writeRecords(t, s, "r", 2)
			err := s.Flush()
			if !errors.Is(err, core.ErrDiscarded) {
				t.Fatalf("got %v, want ErrDiscarded", err)
			}
			want := fmt.Sprintf("HTTP %d: bad request", code)
			if !strings.Contains(err.Error(), want) {
				t.Errorf("got %q, want it to say %q", err, want)
			}
			if n := len(srv.snapshot()); n != 1 {
				t.Errorf("got %d attempts, want 1", n)
			}
			// The next batch goes out at once: a rejection is no outage.
			writeRecords(t, s, "r", 1)
			if err := s.Flush(); err != nil {
				t.Errorf("next batch: %v", err)
			}
		})
	}
}

func TestOTLPHonoursRetryAfter(t *testing.T) {
	srv := startOTLPServer(t, false, otlpReply{status: 503, retryAfter: "1"})
	s := newTestOTLP(t, OTLPOptions{Endpoint: srv.url()})
	writeRecords(t, s, "r", 1)
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	reqs := srv.snapshot()
	if len(reqs) != 2 {
		t.Fatalf("got %d attempts, want 2", len(reqs))
	}
	// A lower bound only: the schedule's own 10 ms would retry far sooner.
	if gap := reqs[1].at.Sub(reqs[0].at); gap < time.Second {
		t.Errorf("retried after %v, want at least the 1 s of Retry-After", gap)
	}
}

func TestOTLPDropsAfterDeadline(t *testing.T) {
	var script []otlpReply
	for range 1000 {
		script = append(script, otlpReply{status: 503})
	}
	srv := startOTLPServer(t, false, script...)
	s := newTestOTLP(t, OTLPOptions{Endpoint: srv.url(), Retry: RetryPolicy{Base: 5 * time.Millisecond, Cap: 20 * time.Millisecond, Deadline: 200 * time.Millisecond}})
	writeRecords(t, s, "r", 2)
	err := s.Flush()
	if !errors.Is(err, core.ErrDiscarded) || !strings.Contains(err.Error(), "HTTP 503") {
		t.Fatalf("got %v, want ErrDiscarded naming the last error", err)
	}
	attempts := len(srv.snapshot())
	if attempts < 2 {
		t.Errorf("got %d attempts, want retries until the deadline", attempts)
	}
	// Past the deadline, a new batch is dropped at once or after one
	// attempt, never waiting for a new deadline.
	writeRecords(t, s, "r", 1)
	if err := s.Flush(); !errors.Is(err, core.ErrDiscarded) {
		t.Errorf("got %v, want the next batch dropped during the outage", err)
	}
	if n := len(srv.snapshot()) - attempts; n > 1 {
		t.Errorf("the next batch made %d attempts, want at most 1", n)
	}
}

// lineCounter counts the lines written to it (a diagnostics writer).
type lineCounter struct {
	mu sync.Mutex
	n  int
}

func (c *lineCounter) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.n += bytes.Count(p, []byte("\n"))
	c.mu.Unlock()
	return len(p), nil
}

func (c *lineCounter) lines() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

func TestOTLPRetriesConnectionFailures(t *testing.T) {
	noLeaks(t)
	// A port with nothing listening: the sink's attempts are refused
	// until a collector listens there.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	failures := &lineCounter{}
	s := newTestOTLP(t, OTLPOptions{Endpoint: "http://" + addr + "/v1/logs", Diagnostics: core.NewDiagnostics(failures, 0)})
	writeRecords(t, s, "r", 5)
	var served atomic.Int32
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
	})}
	serving := make(chan error, 1)
	go func() {
		deadline := time.Now().Add(10 * time.Second)
		for failures.lines() < 2 && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond) // a poll interval
		}
		l, err := net.Listen("tcp", addr)
		if err != nil {
			serving <- err
			s.BeginClose() // end the test's Flush
			return
		}
		serving <- nil
		hs.Serve(l)
	}()
	flushErr := s.Flush()
	if err := <-serving; err != nil {
		t.Skipf("the port was taken meanwhile: %v", err)
	}
	hs.Close()
	if flushErr != nil {
		t.Fatalf("got %v, want the batch sent once the collector listens", flushErr)
	}
	if failures.lines() < 2 || served.Load() != 1 {
		t.Errorf("got %d failed attempts and %d requests served, want 2 or more, then 1", failures.lines(), served.Load())
	}
}

func TestOTLPCloseIsBounded(t *testing.T) {
	var script []otlpReply
	for range 10000 {
		script = append(script, otlpReply{status: 503, retryAfter: "30"})
	}
	srv := startOTLPServer(t, false, script...)
	s := NewOTLP(OTLPOptions{Endpoint: srv.url(), Retry: RetryPolicy{Base: time.Second, Cap: time.Second, Deadline: time.Hour}, CloseBudget: 300 * time.Millisecond})
	writeRecords(t, s, "r", 3)
	done := make(chan error, 1)
	go func() { done <- s.Flush() }() // waits for the server's 30 s
	srv.waitRequests(1, 5*time.Second)
	s.BeginClose()
	select {
	case err := <-done:
		if !errors.Is(err, core.ErrDiscarded) {
			t.Errorf("got %v, want the batch discarded at close", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Flush still waiting 10 s after BeginClose with a 300 ms budget")
	}
	if err := s.Close(); err != nil {
		t.Errorf("close with nothing left: %v", err)
	}
}

func TestOTLPPartialSuccessReported(t *testing.T) {
	// ExportLogsServiceResponse{partial_success: {rejected_log_records: 2, error_message: "too old"}}
	resp := []byte{0x0a, 0x0b, 0x08, 0x02, 0x12, 0x07, 't', 'o', 'o', ' ', 'o', 'l', 'd'}
	srv := startOTLPServer(t, false, otlpReply{status: 200, body: resp, ctype: "application/x-protobuf"})
	var diag bytes.Buffer
	s := newTestOTLP(t, OTLPOptions{Endpoint: srv.url(), Diagnostics: core.NewDiagnostics(&diag, time.Hour)})
	writeRecords(t, s, "r", 3)
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(diag.String(), "rejected 2 record(s) of a batch it took: too old") {
		t.Errorf("diagnostics: got %q", diag.String())
	}
}

func TestOTLPOverTLS(t *testing.T) {
	srv := startOTLPServer(t, true)
	s := newTestOTLP(t, OTLPOptions{Endpoint: srv.url(), TLS: srv.srv.Client().Transport.(*http.Transport).TLSClientConfig})
	writeRecords(t, s, "tls", 2)
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := srv.bodies(); len(got) != 2 {
		t.Errorf("got %d records, want 2", len(got))
	}
}

func TestOTLPFlushRequestedAfterDelay(t *testing.T) {
	srv := startOTLPServer(t, false)
	s := newTestOTLP(t, OTLPOptions{Endpoint: srv.url(), BatchDelay: 20 * time.Millisecond})
	asked := make(chan struct{}, 4)
	s.SetFlushRequester(func() { asked <- struct{}{} })
	writeRecords(t, s, "d", 1)
	select {
	case <-asked:
	case <-time.After(10 * time.Second):
		t.Fatal("no flush requested 10 s after the first record of a batch")
	}
}
