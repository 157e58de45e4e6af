package config

import (
	"testing"
	"time"
)

func TestBuildHTTPRejectsBadSpecs(t *testing.T) {
	tests := []struct {
		name, spec string
		want       string
	}{
		{"missing url", `{"kind":"http"}`, "$.url: missing"},
		{"bad scheme", `{"kind":"http","url":"ftp://x/logs"}`, `$.url: "ftp://x/logs": want an http:// or https:// URL`},
		{"no host", `{"kind":"http","url":"http:///logs"}`, `$.url: "http:///logs"`},
		{"port out of range", `{"kind":"http","url":"http://127.0.0.1:70000/"}`, `$.url: "http://127.0.0.1:70000/"`},
		{"credentials in url", `{"kind":"http","url":"http://u:p@h/"}`, `$.url: "http://u:xxxxx@h/": put credentials in basic_auth`},
		{"bad method", `{"kind":"http","url":"http://h/","method":"GET"}`, `$.method: "GET": want "POST" or "PUT"`},
		{"bad format", `{"kind":"http","url":"http://h/","format":"xml"}`, `$.format: "xml": want "json_lines" or "json_array"`},
		{"bad header name", `{"kind":"http","url":"http://h/","headers":{"X Bad":"1"}}`, `$.headers: "X Bad": not a valid header name`},
		{"header value with newline", `{"kind":"http","url":"http://h/","headers":{"X-A":"a\nb"}}`, `$.headers.X-A: "a\nb": control characters`},
		{"two auths", `{"kind":"http","url":"http://h/","bearer_token":"t","basic_auth":{"username":"u"}}`, "$.bearer_token: set together with basic_auth"},
		{"empty token", `{"kind":"http","url":"http://h/","bearer_token":""}`, `$.bearer_token: "": must not be empty`},
		{"tls over http", `{"kind":"http","url":"http://h/","tls":{}}`, `$.tls: TLS settings need an https:// URL`},
		{"missing CA file", `{"kind":"http","url":"https://h/","tls":{"ca_file":"/nonexistent/ca.pem"}}`, `$.tls.ca_file: "/nonexistent/ca.pem": open`},
		{"zero batch", `{"kind":"http","url":"http://h/","max_batch_records":0}`, "$.max_batch_records: 0: must be greater than zero"},
		{"negative delay", `{"kind":"http","url":"http://h/","batch_delay_ms":-1}`, "$.batch_delay_ms: -1: must not be negative"},
		{"zero retry base", `{"kind":"http","url":"http://h/","retry":{"base_ms":0}}`, "$.retry.base_ms: 0: must be greater than zero"},
		{"bad policy", `{"kind":"http","url":"http://h/","policy":"never"}`, "$.policy: "},
		{"unknown field", `{"kind":"http","url":"http://h/","proxy":"x"}`, `$.proxy: unknown field "proxy"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buildRejects(t, tt.spec, tt.want)
		})
	}
}

func TestBuildHTTPAcceptsTheSchema(t *testing.T) {
	specs := []string{
		`{"kind":"http","url":"http://127.0.0.1:1/logs"}`,
		`{"kind":"http","url":"https://logs.example:8443/in","method":"PUT","format":"json_array","gzip":true,
		  "headers":{"X-Tenant":"a"},"bearer_token":"t","tls":{"insecure":true},"timeout_ms":500,
		  "max_batch_records":10,"max_batch_bytes":4096,"batch_delay_ms":50,"retry":{"base_ms":10,"deadline_ms":1000},
		  "policy":"block","capacity":64}`,
		`{"kind":"http","url":"http://h/","basic_auth":{"username":"u","password":""}}`,
	}
	for _, spec := range specs {
		b, err := BuildHandler(Env{}, []byte(spec))
		if err != nil {
			t.Errorf("%s: %v", spec, err)
			continue
		}
		if err := b.Handler.Close(time.Second); err != nil {
			t.Errorf("%s: close: %v", spec, err)
		}
	}
}
