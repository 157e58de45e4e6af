package config

import (
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"

	"femtologging/core"
	"femtologging/core/coretest"
)

func TestBuildOTLPRejectsBadSpecs(t *testing.T) {
	junk := filepath.Join(t.TempDir(), "junk.pem")
	os.WriteFile(junk, []byte("no certificate here"), 0o600)
	tests := []struct {
		name string
		spec string
		want string // the start of the message: path, then the bad value
	}{
		{"not a URL", `{"kind":"otlp","endpoint":"http://[::1"}`, `$.endpoint: "http://[::1": not a URL`},
		{"wrong scheme", `{"kind":"otlp","endpoint":"ftp://collector/v1/logs"}`, `$.endpoint: "ftp://collector/v1/logs": want an http:// or https:// URL`},
		{"no scheme", `{"kind":"otlp","endpoint":"collector:4318"}`, `$.endpoint: "collector:4318": want an http:// or https:// URL`},
		{"no host", `{"kind":"otlp","endpoint":"http:///v1/logs"}`, `$.endpoint: "http:///v1/logs": no host`},
		{"port out of range", `{"kind":"otlp","endpoint":"http://localhost:70000/v1/logs"}`, `$.endpoint: "http://localhost:70000/v1/logs": port must be between 1 and 65535`},
		{"credentials in the URL", `{"kind":"otlp","endpoint":"http://u:p@localhost/v1/logs"}`, `$.endpoint: "http://u:p@localhost/v1/logs": credentials`},
		{"TLS over http", `{"kind":"otlp","endpoint":"http://localhost:4318/v1/logs","tls":{"insecure":true}}`, `$.tls: TLS settings need an https:// endpoint`},
		{"missing CA file", `{"kind":"otlp","endpoint":"https://localhost/v1/logs","tls":{"ca_file":"/nonexistent/ca.pem"}}`, `$.tls.ca_file: "/nonexistent/ca.pem": open /nonexistent/ca.pem: no such file`},
		{"CA file without certificates", `{"kind":"otlp","endpoint":"https://localhost/v1/logs","tls":{"ca_file":"` + junk + `"}}`, `$.tls.ca_file: "` + junk + `": CA file`},
		{"unknown compression", `{"kind":"otlp","compression":"zstd"}`, `$.compression: "zstd": want "gzip" or "none"`},
		{"bad header name", `{"kind":"otlp","headers":{"bad name":"x"}}`, `$.headers: header name "bad name": not an HTTP token`},
		{"header with a newline", `{"kind":"otlp","headers":{"X-A":"a\nb"}}`, `$.headers: header "X-A": value contains a line break`},
		{"reserved header", `{"kind":"otlp","headers":{"Content-Type":"text/plain"}}`, `$.headers: header "Content-Type": set by the handler`},
		{"zero timeout", `{"kind":"otlp","timeout_ms":0}`, "$.timeout_ms: 0: must be greater than zero"},
		{"zero batch", `{"kind":"otlp","max_batch":0}`, "$.max_batch: 0: must be greater than zero"},
		{"huge batch", `{"kind":"otlp","max_batch":1000000}`, "$.max_batch: 1000000: must be at most 65536"},
		{"zero batch bytes", `{"kind":"otlp","max_batch_bytes":0}`, "$.max_batch_bytes: 0: must be greater than zero"},
		{"zero delay", `{"kind":"otlp","batch_delay_ms":0}`, "$.batch_delay_ms: 0: must be greater than zero"},
		{"cap below base", `{"kind":"otlp","retry":{"base_ms":500,"cap_ms":100}}`, "$.retry.cap_ms: 100: must not be less than base_ms 500"},
		{"zero deadline", `{"kind":"otlp","retry":{"deadline_ms":0}}`, "$.retry.deadline_ms: 0: must be greater than zero"},
		{"bad policy", `{"kind":"otlp","policy":"sometimes"}`, `$.policy: invalid overflow policy "sometimes"`},
		{"zero capacity", `{"kind":"otlp","capacity":0}`, "$.capacity: 0: must be greater than zero"},
		{"empty service name", `{"kind":"otlp","service_name":""}`, `$.service_name: "": must not be empty`},
		{"empty resource key", `{"kind":"otlp","resource":{"":"x"}}`, `$.resource: an attribute key must not be empty`},
		{"env is not strings", `{"kind":"otlp","env":{"OTEL_SERVICE_NAME":3}}`, `$.env: got JSON number, want a string`},
		{"unknown field", `{"kind":"otlp","url":"http://x"}`, `$.url: unknown field "url"`},
		{"bad env endpoint", `{"kind":"otlp","env":{"OTEL_EXPORTER_OTLP_LOGS_ENDPOINT":"localhost:4318"}}`, `$.env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: "localhost:4318": want an http:// or https:// URL`},
		{"bad env headers", `{"kind":"otlp","env":{"OTEL_EXPORTER_OTLP_HEADERS":"Authorization Bearer secret"}}`, `$.env.OTEL_EXPORTER_OTLP_HEADERS: entry 1: want key=value`},
		{"bad env resource", `{"kind":"otlp","env":{"OTEL_RESOURCE_ATTRIBUTES":"a=1,b=%zz"}}`, `$.env.OTEL_RESOURCE_ATTRIBUTES: entry 2 (key "b"): bad percent-encoding`},
		{"bad env timeout", `{"kind":"otlp","env":{"OTEL_EXPORTER_OTLP_TIMEOUT":"10s"}}`, `$.env.OTEL_EXPORTER_OTLP_TIMEOUT: "10s": want milliseconds`},
		{"bad env compression", `{"kind":"otlp","env":{"OTEL_EXPORTER_OTLP_COMPRESSION":"br"}}`, `$.env.OTEL_EXPORTER_OTLP_COMPRESSION: "br": want "gzip" or "none"`},
		{"grpc protocol", `{"kind":"otlp","env":{"OTEL_EXPORTER_OTLP_PROTOCOL":"grpc"}}`, `$.env.OTEL_EXPORTER_OTLP_PROTOCOL: "grpc": this handler speaks only "http/protobuf"`},
		{"missing env CA file", `{"kind":"otlp","env":{"OTEL_EXPORTER_OTLP_ENDPOINT":"https://c","OTEL_EXPORTER_OTLP_CERTIFICATE":"/nonexistent/ca.pem"}}`, `$.env.OTEL_EXPORTER_OTLP_CERTIFICATE.ca_file: "/nonexistent/ca.pem"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := buildRejects(t, tt.spec, tt.want)
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("the error quotes a header value: %q", err)
			}
		})
	}
}

// resourceOf decodes the encoded resource of opts into a map.
func resourceOf(t *testing.T, b []byte) map[string]string {
	t.Helper()
	var r resourcepb.Resource
	if err := proto.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, kv := range r.GetAttributes() {
		out[kv.GetKey()] = kv.GetValue().GetStringValue()
	}
	return out
}

func TestOTLPSettingsFromEnvironment(t *testing.T) {
	tests := []struct {
		name         string
		spec         string
		env          map[string]string
		wantEndpoint string
		wantHeaders  map[string]string
		wantResource map[string]string
		wantGzip     bool
		wantTimeout  time.Duration
	}{
		{
			name: "defaults", spec: `{}`, env: map[string]string{},
			wantEndpoint: "http://localhost:4318/v1/logs", wantHeaders: map[string]string{},
			wantResource: map[string]string{"service.name": "unknown_service"}, wantTimeout: 10 * time.Second,
		},
		{
			name: "general variables", spec: `{}`,
			env: map[string]string{
				"OTEL_EXPORTER_OTLP_ENDPOINT":    "http://collector:4318",
				"OTEL_EXPORTER_OTLP_HEADERS":     "Authorization=Bearer%20abc, X-Tenant = t1 ",
				"OTEL_RESOURCE_ATTRIBUTES":       "service.name=from-attrs,deployment.environment=prod,team=a%2Cb",
				"OTEL_SERVICE_NAME":              "shop",
				"OTEL_EXPORTER_OTLP_COMPRESSION": "gzip",
				"OTEL_EXPORTER_OTLP_TIMEOUT":     "2500",
				"OTEL_EXPORTER_OTLP_PROTOCOL":    "http/protobuf",
			},
			wantEndpoint: "http://collector:4318/v1/logs",
			wantHeaders:  map[string]string{"Authorization": "Bearer abc", "X-Tenant": "t1"},
			wantResource: map[string]string{"service.name": "shop", "deployment.environment": "prod", "team": "a,b"},
			wantGzip:     true, wantTimeout: 2500 * time.Millisecond,
		},
		{
			name: "logs variables win over general ones", spec: `{}`,
			env: map[string]string{
				"OTEL_EXPORTER_OTLP_ENDPOINT":         "http://general:4318/",
				"OTEL_EXPORTER_OTLP_LOGS_ENDPOINT":    "http://logs:9999/custom/path",
				"OTEL_EXPORTER_OTLP_HEADERS":          "a=general,b=general",
				"OTEL_EXPORTER_OTLP_LOGS_HEADERS":     "b=logs",
				"OTEL_EXPORTER_OTLP_COMPRESSION":      "gzip",
				"OTEL_EXPORTER_OTLP_LOGS_COMPRESSION": "none",
				"OTEL_EXPORTER_OTLP_TIMEOUT":          "1",
				"OTEL_EXPORTER_OTLP_LOGS_TIMEOUT":     "7000",
			},
			wantEndpoint: "http://logs:9999/custom/path",
			wantHeaders:  map[string]string{"a": "general", "b": "logs"},
			wantResource: map[string]string{"service.name": "unknown_service"},
			wantTimeout:  7 * time.Second,
		},
		{
			name: "a base path keeps its prefix", spec: `{}`,
			env:          map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "https://gw.example.com/otlp"},
			wantEndpoint: "https://gw.example.com/otlp/v1/logs", wantHeaders: map[string]string{},
			wantResource: map[string]string{"service.name": "unknown_service"}, wantTimeout: 10 * time.Second,
		},
		{
			name: "the spec wins over the environment",
			spec: `{"endpoint":"http://127.0.0.1:4318/v1/logs","headers":{"X-Tenant":"spec"},
				"service_name":"spec-svc","resource":{"deployment.environment":"staging"},
				"compression":"none","timeout_ms":300}`,
			env: map[string]string{
				"OTEL_EXPORTER_OTLP_ENDPOINT":    "http://collector:4318",
				"OTEL_EXPORTER_OTLP_HEADERS":     "X-Tenant=env,X-Other=env",
				"OTEL_RESOURCE_ATTRIBUTES":       "deployment.environment=prod,region=eu",
				"OTEL_SERVICE_NAME":              "env-svc",
				"OTEL_EXPORTER_OTLP_COMPRESSION": "gzip",
			},
			wantEndpoint: "http://127.0.0.1:4318/v1/logs",
			wantHeaders:  map[string]string{"X-Tenant": "spec", "X-Other": "env"},
			wantResource: map[string]string{"service.name": "spec-svc", "deployment.environment": "staging", "region": "eu"},
			wantTimeout:  300 * time.Millisecond,
		},
		{
			name: "blank variables are unset", spec: `{}`,
			env:          map[string]string{"OTEL_SERVICE_NAME": " ", "OTEL_EXPORTER_OTLP_ENDPOINT": ""},
			wantEndpoint: "http://localhost:4318/v1/logs", wantHeaders: map[string]string{},
			wantResource: map[string]string{"service.name": "unknown_service"}, wantTimeout: 10 * time.Second,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var spec otlpSpec
			if err := decodeStrict("$", []byte(tt.spec), &spec); err != nil {
				t.Fatal(err)
			}
			opts, err := otlpOptions("$", &spec, otlpEnv{vars: tt.env, path: "$.env"})
			if err != nil {
				t.Fatal(err)
			}
			if opts.Endpoint != tt.wantEndpoint {
				t.Errorf("endpoint: got %q, want %q", opts.Endpoint, tt.wantEndpoint)
			}
			if !maps.Equal(opts.Headers, tt.wantHeaders) {
				t.Errorf("headers: got %v, want %v", opts.Headers, tt.wantHeaders)
			}
			if got := resourceOf(t, opts.Resource); !maps.Equal(got, tt.wantResource) {
				t.Errorf("resource: got %v, want %v", got, tt.wantResource)
			}
			if opts.Gzip != tt.wantGzip || opts.Timeout != tt.wantTimeout {
				t.Errorf("gzip, timeout: got %v, %v, want %v, %v", opts.Gzip, opts.Timeout, tt.wantGzip, tt.wantTimeout)
			}
		})
	}
}

func TestOTLPProcessEnvironmentWithoutEnvField(t *testing.T) {
	t.Setenv("OTEL_SERVICE_NAME", "from-process")
	t.Setenv("OTEL_EXPORTER_OTLP_HEADERS", "X-Proc=1")
	var spec otlpSpec
	opts, err := otlpOptions("$", &spec, otlpEnv{path: "$.env"})
	if err != nil {
		t.Fatal(err)
	}
	if got := resourceOf(t, opts.Resource)["service.name"]; got != "from-process" {
		t.Errorf("service.name: got %q, want the process environment's", got)
	}
	// An "env" object, even empty, replaces the process environment.
	opts, err = otlpOptions("$", &spec, otlpEnv{vars: map[string]string{}, path: "$.env"})
	if err != nil {
		t.Fatal(err)
	}
	if got := resourceOf(t, opts.Resource)["service.name"]; got != "unknown_service" || len(opts.Headers) != 0 {
		t.Errorf("got service.name %q and headers %v, want neither from the process", got, opts.Headers)
	}
	t.Setenv("OTEL_EXPORTER_OTLP_TIMEOUT", "soon")
	_, err = BuildHandler(Env{}, []byte(`{"kind":"otlp"}`))
	if err == nil || !strings.HasPrefix(err.Error(), `$.env.OTEL_EXPORTER_OTLP_TIMEOUT (process environment): "soon"`) {
		t.Errorf("got %v, want the variable named as the process environment's", err)
	}
}

func TestBuildOTLPDeliversAndCounts(t *testing.T) {
	var requests atomic.Int64 // the sink's tests decode requests; here, count them
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		requests.Add(1)
	}))
	defer srv.Close()
	spec := `{"kind":"otlp","endpoint":"` + srv.URL + `/v1/logs","env":{},"max_batch":10,"batch_delay_ms":20}`
	built, err := BuildHandler(Env{}, []byte(spec))
	if err != nil {
		t.Fatal(err)
	}
	h := built.Handler.(*core.QueuedHandler)
	defer h.Close(5 * time.Second)
	if built.Kind != "otlp" {
		t.Errorf("kind: got %q, want otlp", built.Kind)
	}
	for range 25 {
		if err := h.Handle(&core.Record{Logger: "cfg", Level: core.LevelInfo, Message: []byte("m")}); err != nil {
			t.Fatal(err)
		}
	}
	// No flush() call: full batches go at once, the rest after the delay.
	coretest.Eventually(t, "25 records delivered without a flush", func() bool { return h.Delivered() == 25 })
	if requests.Load() < 3 {
		t.Errorf("got %d requests, want at least 3 (batches of at most 10)", requests.Load())
	}
	if h.Dropped() != 0 || h.Failed() != 0 {
		t.Errorf("dropped %d failed %d, want none", h.Dropped(), h.Failed())
	}
}

func TestBuildOTLPCountsRejectedAsDropped(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
	}))
	defer srv.Close()
	built, err := BuildHandler(Env{Diagnostics: core.NewDiagnostics(io.Discard, time.Hour)},
		[]byte(`{"kind":"otlp","endpoint":"`+srv.URL+`/v1/logs","env":{}}`))
	if err != nil {
		t.Fatal(err)
	}
	h := built.Handler.(*core.QueuedHandler)
	defer h.Close(5 * time.Second)
	for range 7 {
		h.Handle(&core.Record{Logger: "cfg", Level: core.LevelInfo, Message: []byte("m")})
	}
	if h.Flush(5 * time.Second) {
		t.Error("flush reported success for a rejected batch")
	}
	if h.Delivered() != 0 || h.Dropped() != 7 || h.Failed() != 0 {
		t.Errorf("got delivered %d dropped %d failed %d, want 0 7 0", h.Delivered(), h.Dropped(), h.Failed())
	}
}
