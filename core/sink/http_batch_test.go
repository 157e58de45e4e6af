package sink

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"femtologging/core"
)

// batchServer answers each request with the next status of its script
// (then 200) and keeps the bodies it accepted.
type batchServer struct {
	mu       sync.Mutex
	script   []int
	after    string
	accepted []string
	requests int
}

func (s *batchServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	if len(s.script) > 0 {
		code := s.script[0]
		s.script = s.script[1:]
		if s.after != "" {
			w.Header().Set("Retry-After", s.after)
		}
		w.WriteHeader(code)
		return
	}
	s.accepted = append(s.accepted, string(body))
}

// seen returns the request count and the accepted bodies.
func (s *batchServer) seen() (int, []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests, append([]string(nil), s.accepted...)
}

func newTestBatch(url string, maxRecords int) *HTTPBatch {
	return NewHTTPBatch(HTTPBatchOptions{
		URL: url, ContentType: "application/x-ndjson", Encode: EncodeJSONLines,
		Timeout: 2 * time.Second, ConnectTimeout: time.Second, MaxRecords: maxRecords,
		Retry:       RetryPolicy{Base: time.Millisecond, Cap: 5 * time.Millisecond, Deadline: 5 * time.Second},
		Diagnostics: core.NewDiagnostics(io.Discard, time.Hour),
	})
}

func TestHTTPBatchRetriesRetryableStatuses(t *testing.T) {
	for _, code := range []int{429, 502, 503, 504} {
		srv := &batchServer{script: []int{code, code}, after: "0"}
		ts := httptest.NewServer(srv)
		b := newTestBatch(ts.URL, 0)
		b.Write([]byte(`{"a":1}`))
		b.Write([]byte(`{"a":2}`))
		if err := b.Flush(); err != nil {
			t.Errorf("status %d: got %v, want success after retries", code, err)
		}
		b.Close()
		ts.Close()
		if n, acc := srv.seen(); n != 3 || len(acc) != 1 || acc[0] != "{\"a\":1}\n{\"a\":2}\n" {
			t.Errorf("status %d: got %d requests, accepted %q", code, n, acc)
		}
	}
}

func TestHTTPBatchDoesNotRetryOtherStatuses(t *testing.T) {
	for _, code := range []int{400, 401, 404, 413, 500} {
		srv := &batchServer{script: []int{code}}
		ts := httptest.NewServer(srv)
		b := newTestBatch(ts.URL, 0)
		b.Write([]byte(`{}`))
		err := b.Flush()
		if !errors.Is(err, core.ErrDiscarded) || !strings.Contains(err.Error(), ErrRejected.Error()) {
			t.Errorf("status %d: got %v, want a rejected batch, discarded", code, err)
		}
		if n, _ := srv.seen(); n != 1 {
			t.Errorf("status %d: got %d requests, want 1", code, n)
		}
		b.Close()
		ts.Close()
	}
}

func TestHTTPBatchHonoursRetryAfterWithinTheDeadline(t *testing.T) {
	srv := &batchServer{script: []int{503}, after: "3600"}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	b := newTestBatch(ts.URL, 0)
	defer b.Close()
	b.Write([]byte(`{}`))
	// An hour's Retry-After is past the 5 s deadline: the batch is dropped
	// at once rather than retried early against the server's wish.
	if err := b.Flush(); !errors.Is(err, core.ErrDiscarded) {
		t.Fatalf("got %v, want the batch discarded", err)
	}
	if n, _ := srv.seen(); n != 1 {
		t.Errorf("got %d requests, want 1", n)
	}
}

func TestHTTPBatchSendsFullBatchesOnWrite(t *testing.T) {
	srv := &batchServer{}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	b := newTestBatch(ts.URL, 2)
	for i := 0; i < 5; i++ {
		if err := b.Write([]byte("{}")); err != nil {
			t.Fatal(err)
		}
	}
	if _, acc := srv.seen(); len(acc) != 2 {
		t.Errorf("before the flush: got %d requests, want 2 full batches", len(acc))
	}
	b.Close()
	if _, acc := srv.seen(); len(acc) != 3 || acc[2] != "{}\n" {
		t.Errorf("after close: got %q", acc)
	}
}

func TestHTTPBatchDropsWhenTheServerIsGone(t *testing.T) {
	ts := httptest.NewServer(&batchServer{})
	url := ts.URL
	ts.Close()
	b := newTestBatch(url, 0)
	b.opts.Retry.Deadline = 50 * time.Millisecond
	b.sched = newRetrySchedule(b.opts.Retry, nil)
	b.Write([]byte("{}"))
	if err := b.Flush(); !errors.Is(err, core.ErrDiscarded) {
		t.Fatalf("got %v, want the batch discarded past the deadline", err)
	}
	b.Close()
}

func TestJSONEncoders(t *testing.T) {
	recs := [][]byte{[]byte(`{"a":1}`), []byte(`{"b":2}`)}
	lines, _ := EncodeJSONLines(nil, recs)
	array, _ := EncodeJSONArray(nil, recs)
	if !bytes.Equal(lines, []byte("{\"a\":1}\n{\"b\":2}\n")) || string(array) != `[{"a":1},{"b":2}]` {
		t.Errorf("got lines %q, array %q", lines, array)
	}
}
