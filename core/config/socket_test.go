package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestBuildSocketRejectsBadSpecs(t *testing.T) {
	junk := filepath.Join(t.TempDir(), "junk.pem")
	os.WriteFile(junk, []byte("no certificate here"), 0o600)
	long := "/tmp/" + strings.Repeat("s", 120)
	tests := []struct {
		name string
		spec string
		want string // the start of the message: path, then the bad value
	}{
		{"port zero", `{"kind":"socket","port":0}`, "$.port: 0: must be between 1 and 65535"},
		{"port too high", `{"kind":"socket","port":65536}`, "$.port: 65536: must be between 1 and 65535"},
		{"empty host", `{"kind":"socket","host":""}`, `$.host: "": must not be empty`},
		{"unknown transport", `{"kind":"socket","transport":"udp"}`, `$.transport: "udp": want "tcp" or "unix"`},
		{"unix without a path", `{"kind":"socket","transport":"unix"}`, "$.unix_path: missing"},
		{"unix path too long", `{"kind":"socket","unix_path":"` + long + `"}`, `$.unix_path: "` + long + `": 125 bytes`},
		{"TLS over unix", `{"kind":"socket","unix_path":"/tmp/x.sock","tls":{"insecure":true}}`, `$.tls: TLS needs the TCP transport, not the Unix socket "/tmp/x.sock"`},
		{"unix path with tcp", `{"kind":"socket","transport":"tcp","unix_path":"/tmp/x.sock"}`, `$.unix_path: "/tmp/x.sock": set, but the transport is "tcp"`},
		{"zero capacity", `{"kind":"socket","capacity":0}`, "$.capacity: 0: must be greater than zero"},
		{"negative connect timeout", `{"kind":"socket","connect_timeout_ms":-5}`, "$.connect_timeout_ms: -5: must be greater than zero"},
		{"zero write timeout", `{"kind":"socket","write_timeout_ms":0}`, "$.write_timeout_ms: 0: must be greater than zero"},
		{"zero frame size", `{"kind":"socket","max_frame_size":0}`, "$.max_frame_size: 0: must be greater than zero"},
		{"frame size past the prefix", `{"kind":"socket","max_frame_size":4294967296}`, "$.max_frame_size: 4294967296: must be at most 4294967295"},
		{"zero flush timeout", `{"kind":"socket","flush_timeout_ms":0}`, "$.flush_timeout_ms: 0: must be greater than zero"},
		{"zero backoff base", `{"kind":"socket","backoff":{"base_ms":0}}`, "$.backoff.base_ms: 0: must be greater than zero"},
		{"negative deadline", `{"kind":"socket","backoff":{"deadline_ms":-1}}`, "$.backoff.deadline_ms: -1: must be greater than zero"},
		{"cap below base", `{"kind":"socket","backoff":{"base_ms":500,"cap_ms":100}}`, "$.backoff.cap_ms: 100: must not be less than base_ms 500"},
		{"unknown backoff key", `{"kind":"socket","backoff":{"jitter":1}}`, `$.backoff.jitter: unknown field "jitter"`},
		{"unknown field", `{"kind":"socket","retries":3}`, `$.retries: unknown field "retries"`},
		{"empty domain", `{"kind":"socket","tls":{"domain":""}}`, `$.tls.domain: "": must not be empty`},
		{"missing CA file", `{"kind":"socket","tls":{"ca_file":"/nonexistent/ca.pem"}}`, `$.tls.ca_file: "/nonexistent/ca.pem": open /nonexistent/ca.pem: no such file`},
		{"CA file without certificates", `{"kind":"socket","tls":{"ca_file":"` + junk + `"}}`, `$.tls.ca_file: "` + junk + `": CA file`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buildRejects(t, tt.spec, tt.want)
		})
	}
}

func TestBuildSocketAcceptsTheAgreedSchema(t *testing.T) {
	tests := []struct {
		name, spec        string
		wantNet, wantAddr string
		wantFlush         time.Duration
	}{
		{"defaults", `{"kind":"socket"}`, "tcp", "localhost:9020", time.Second},
		{"every field", `{"kind":"socket","transport":"tcp","host":"127.0.0.1","port":9999,"unix_path":null,
			"capacity":8,"connect_timeout_ms":100,"write_timeout_ms":100,"max_frame_size":4096,
			"tls":{"domain":"logs.example.com","insecure":false,"ca_file":null},
			"backoff":{"base_ms":1,"cap_ms":2,"reset_after_ms":3,"deadline_ms":4},"flush_timeout_ms":250}`,
			"tcp", "127.0.0.1:9999", 250 * time.Millisecond},
		{"unix", `{"kind":"socket","transport":"unix","host":null,"port":null,"unix_path":"/tmp/f.sock","tls":null}`, "unix", "/tmp/f.sock", time.Second},
		{"unix inferred from the path", `{"kind":"socket","unix_path":"/tmp/f.sock"}`, "unix", "/tmp/f.sock", time.Second},
		{"IPv6 host", `{"kind":"socket","host":"::1","port":9020}`, "tcp", "[::1]:9020", time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			built, err := BuildHandler(Env{}, []byte(tt.spec))
			if err != nil {
				t.Fatal(err)
			}
			defer built.Handler.Close(time.Second)
			if built.Kind != "socket" || built.FlushTimeout != tt.wantFlush {
				t.Errorf("got kind %q flush timeout %v, want socket and %v", built.Kind, built.FlushTimeout, tt.wantFlush)
			}
			var spec socketSpec
			if err := decodeStrict("$", []byte(tt.spec), &spec); err != nil {
				t.Fatal(err)
			}
			opts, err := socketTarget("$", &spec)
			if err != nil {
				t.Fatal(err)
			}
			if opts.Network != tt.wantNet || opts.Address != tt.wantAddr {
				t.Errorf("got %s %s, want %s %s", opts.Network, opts.Address, tt.wantNet, tt.wantAddr)
			}
		})
	}
}

func TestBuildSocketBackoffDefaultsPerField(t *testing.T) {
	b, err := decodeBackoff("$.backoff", &backoffSpec{BaseMS: ptr(10)})
	if err != nil {
		t.Fatal(err)
	}
	if b.Base != 10*time.Millisecond || b.Cap != 5*time.Second || b.ResetAfter != 30*time.Second || b.Deadline != 2*time.Minute {
		t.Errorf("got %+v, want base 10ms and the other defaults", b)
	}
}
