package config

import (
	"strings"
	"testing"
	"time"
)

func TestBuildSyslogRejectsBadSpecs(t *testing.T) {
	tests := []struct {
		name, spec string
		want       string // the start of the message: path, then the bad value
	}{
		{"unknown facility", `{"kind":"syslog","facility":"local9"}`, `$.facility: unknown facility "local9"`},
		{"facility code out of range", `{"kind":"syslog","facility":24}`, "$.facility: 24: want a facility name or a code 0-23"},
		{"port out of range", `{"kind":"syslog","transport":"udp","port":70000}`, "$.port: 70000: must be between 1 and 65535"},
		{"missing CA file", `{"kind":"syslog","tls":{"ca_file":"/nonexistent/ca.pem"}}`, `$.tls.ca_file: "/nonexistent/ca.pem": open`},
		{"unknown format", `{"kind":"syslog","format":"rfc9999"}`, `$.format: "rfc9999": want "rfc5424" or "rfc3164"`},
		{"unknown transport", `{"kind":"syslog","transport":"sctp"}`, `$.transport: "sctp": want "unix", "udp" or "tcp"`},
		{"unknown framing", `{"kind":"syslog","transport":"tcp","framing":"nul"}`, `$.framing: "nul": want "octet_counting" or "newline"`},
		{"framing over udp", `{"kind":"syslog","transport":"udp","framing":"newline"}`, `$.framing: "newline": UDP sends one message per datagram`},
		{"TLS over udp", `{"kind":"syslog","transport":"udp","tls":{}}`, `$.tls: TLS needs the "tcp" transport`},
		{"host on unix", `{"kind":"syslog","transport":"unix","host":"x"}`, `$.host: set, but the transport is "unix"`},
		{"unix path with tcp", `{"kind":"syslog","transport":"tcp","unix_path":"/dev/log"}`, `$.unix_path: "/dev/log": set, but the transport is "tcp"`},
		{"size over tcp", `{"kind":"syslog","transport":"tcp","max_message_size":1000}`, "$.max_message_size: 1000: TCP sends messages whole"},
		{"size too small", `{"kind":"syslog","transport":"udp","max_message_size":100}`, "$.max_message_size: 100: must be between 480 and 65507"},
		{"app name with a space", `{"kind":"syslog","app_name":"my app"}`, `$.app_name: app_name "my app": byte 2 is not printable`},
		{"msgid too long", `{"kind":"syslog","msgid":"` + strings.Repeat("m", 33) + `"}`, "$.msgid: msgid"},
		{"empty hostname", `{"kind":"syslog","hostname":""}`, `$.hostname: hostname "": must not be empty`},
		{"bad sd_id", `{"kind":"syslog","sd_id":"x@y"}`, `$.sd_id: sd_id "x@y"`},
		{"bad policy", `{"kind":"syslog","policy":"sometimes"}`, `$.policy: `},
		{"unknown field", `{"kind":"syslog","severity":3}`, `$.severity: unknown field "severity"`},
		{"zero backoff base", `{"kind":"syslog","backoff":{"base_ms":0}}`, "$.backoff.base_ms: 0: must be greater than zero"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buildRejects(t, tt.spec, tt.want)
		})
	}
}

func TestBuildSyslogAcceptsTheSchema(t *testing.T) {
	specs := []string{
		`{"kind":"syslog"}`,
		`{"kind":"syslog","transport":"udp","host":"127.0.0.1","port":5514,"facility":"LOCAL3","max_message_size":1024}`,
		`{"kind":"syslog","transport":"tcp","framing":"newline","format":"rfc3164","facility":16,"policy":"block"}`,
		`{"kind":"syslog","host":"127.0.0.1","tls":{"insecure":true},"app_name":"svc","procid":"-","msgid":"REQ","hostname":"h1","sd_id":"meta"}`,
	}
	for _, spec := range specs {
		b, err := BuildHandler(Env{}, []byte(spec))
		if err != nil {
			t.Errorf("%s: %v", spec, err)
			continue
		}
		if b.Kind != "syslog" {
			t.Errorf("%s: got kind %q", spec, b.Kind)
		}
		if err := b.Handler.Close(time.Second); err != nil {
			t.Errorf("%s: close: %v", spec, err)
		}
	}
}
