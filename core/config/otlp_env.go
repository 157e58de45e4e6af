package config

import (
	"fmt"
	"net/url"
	"os"
	"strings"
)

// The OpenTelemetry SDK environment variables an OTLP handler honours.
// Settings in the spec win over them; signal-specific variables (LOGS_)
// win over the general ones.
const (
	envServiceName        = "OTEL_SERVICE_NAME"
	envResourceAttributes = "OTEL_RESOURCE_ATTRIBUTES"
	envEndpoint           = "OTEL_EXPORTER_OTLP_ENDPOINT"
	envLogsEndpoint       = "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"
	envHeaders            = "OTEL_EXPORTER_OTLP_HEADERS"
	envLogsHeaders        = "OTEL_EXPORTER_OTLP_LOGS_HEADERS"
	envCompression        = "OTEL_EXPORTER_OTLP_COMPRESSION"
	envLogsCompression    = "OTEL_EXPORTER_OTLP_LOGS_COMPRESSION"
	envTimeout            = "OTEL_EXPORTER_OTLP_TIMEOUT"
	envLogsTimeout        = "OTEL_EXPORTER_OTLP_LOGS_TIMEOUT"
	envCertificate        = "OTEL_EXPORTER_OTLP_CERTIFICATE"
	envLogsCertificate    = "OTEL_EXPORTER_OTLP_LOGS_CERTIFICATE"
	envProtocol           = "OTEL_EXPORTER_OTLP_PROTOCOL"
	envLogsProtocol       = "OTEL_EXPORTER_OTLP_LOGS_PROTOCOL"
)

// otlpEnv is where an OTLP spec's environment comes from: the spec's "env"
// object when it has one, the process environment otherwise.
//
// Python passes os.environ's OTEL_* variables in "env": a variable set from
// Python after the library loaded is not in the Go runtime's copy of the
// environment, which is taken once at load. C programs usually leave "env"
// out and get the process environment, as they see it themselves.
type otlpEnv struct {
	vars map[string]string // nil: the process environment
	path string            // the JSON path for errors, e.g. "$.env"
}

func (e otlpEnv) lookup(name string) (string, bool) {
	if e.vars == nil {
		return os.LookupEnv(name)
	}
	v, ok := e.vars[name]
	return v, ok
}

// first returns the first of names that is set and not blank, with its
// name.
func (e otlpEnv) first(names ...string) (value, name string, ok bool) {
	for _, n := range names {
		if v, set := e.lookup(n); set && strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v), n, true
		}
	}
	return "", "", false
}

// at is the JSON path naming variable name in errors.
func (e otlpEnv) at(name string) string {
	if e.vars == nil {
		return e.path + "." + name + " (process environment)"
	}
	return e.path + "." + name
}

// logsEndpoint returns the endpoint from the environment:
// OTEL_EXPORTER_OTLP_LOGS_ENDPOINT as it is, or OTEL_EXPORTER_OTLP_ENDPOINT
// with "v1/logs" appended to its path (the specification's rule for
// OTLP/HTTP).
func (e otlpEnv) logsEndpoint() (endpoint, from string, ok bool) {
	if v, name, ok := e.first(envLogsEndpoint); ok {
		return v, name, true
	}
	v, name, ok := e.first(envEndpoint)
	if !ok {
		return "", "", false
	}
	if !strings.HasSuffix(v, "/") {
		v += "/"
	}
	return v + "v1/logs", name, true
}

// parseKeyValueList parses the W3C-baggage-like lists of
// OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS:
// "key1=value1,key2=value2", blanks around items trimmed, values
// percent-decoded. Later keys win. Errors never quote a value: headers
// carry credentials.
func parseKeyValueList(s string) (map[string]string, error) {
	out := map[string]string{}
	for i, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		k, v, ok := strings.Cut(item, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" {
			return nil, fmt.Errorf("entry %d: want key=value", i+1)
		}
		dv, err := url.PathUnescape(v)
		if err != nil {
			return nil, fmt.Errorf("entry %d (key %q): bad percent-encoding in the value", i+1, k)
		}
		out[k] = dv
	}
	return out, nil
}
