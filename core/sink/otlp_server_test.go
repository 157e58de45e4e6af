package sink

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	logspb "go.opentelemetry.io/proto/otlp/logs/v1"
	"google.golang.org/protobuf/proto"
)

// otlpServer is a collector for tests: it decodes every request and
// answers with the status its script gives for each request in turn
// (200 once the script runs out).
type otlpServer struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	script   []otlpReply
	requests []otlpRequest
	changed  chan struct{} // closed and replaced whenever requests grow
}

// otlpReply is one scripted answer.
type otlpReply struct {
	status     int
	retryAfter string
	body       []byte
	ctype      string
}

// otlpRequest is what the server saw of one request.
type otlpRequest struct {
	at      time.Time
	header  http.Header
	data    *logspb.LogsData // nil when the body did not decode
	decErr  error
	replied int
}

func startOTLPServer(t *testing.T, tlsServer bool, script ...otlpReply) *otlpServer {
	t.Helper()
	noLeaks(t) // first: its check runs after the sink and the server are closed
	s := &otlpServer{t: t, script: script, changed: make(chan struct{})}
	h := http.HandlerFunc(s.serve)
	if tlsServer {
		s.srv = httptest.NewUnstartedServer(h)
		s.srv.StartTLS()
	} else {
		s.srv = httptest.NewServer(h)
	}
	t.Cleanup(s.srv.Close)
	return s
}

func (s *otlpServer) url() string { return s.srv.URL + "/v1/logs" }

func (s *otlpServer) serve(w http.ResponseWriter, r *http.Request) {
	var body io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		body = zr
	}
	raw, _ := io.ReadAll(body)
	req := otlpRequest{at: time.Now(), header: r.Header.Clone()}
	var data logspb.LogsData
	if req.decErr = proto.Unmarshal(raw, &data); req.decErr == nil {
		req.data = &data
	}
	s.mu.Lock()
	reply := otlpReply{status: http.StatusOK}
	if len(s.script) > 0 {
		reply, s.script = s.script[0], s.script[1:]
	}
	req.replied = reply.status
	s.requests = append(s.requests, req)
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
	if reply.retryAfter != "" {
		w.Header().Set("Retry-After", reply.retryAfter)
	}
	if reply.ctype != "" {
		w.Header().Set("Content-Type", reply.ctype)
	}
	w.WriteHeader(reply.status)
	w.Write(reply.body)
}

// snapshot returns the requests so far.
func (s *otlpServer) snapshot() []otlpRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]otlpRequest(nil), s.requests...)
}

// waitRequests waits up to timeout for n requests.
func (s *otlpServer) waitRequests(n int, timeout time.Duration) []otlpRequest {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		reqs, ch := append([]otlpRequest(nil), s.requests...), s.changed
		s.mu.Unlock()
		if len(reqs) >= n {
			return reqs
		}
		select {
		case <-ch:
		case <-deadline.C:
			s.t.Fatalf("timed out after %v waiting for %d requests, got %d", timeout, n, len(reqs))
		}
	}
}

// bodies lists the bodies of the accepted requests' records, in order.
func (s *otlpServer) bodies() []string {
	var out []string
	for _, r := range s.snapshot() {
		if r.replied != http.StatusOK || r.data == nil {
			continue
		}
		for _, rl := range r.data.GetResourceLogs() {
			for _, sl := range rl.GetScopeLogs() {
				for _, lr := range sl.GetLogRecords() {
					out = append(out, lr.GetBody().GetStringValue())
				}
			}
		}
	}
	return out
}
