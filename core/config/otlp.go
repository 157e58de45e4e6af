package config

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"femtologging/core"
	"femtologging/core/encode"
	"femtologging/core/sink"
)

// otlpSpec is the schema of {"kind": "otlp"} (docs/config-schema.md).
// Every field is optional; unset fields come from the OTEL_* environment
// (see otlp_env.go), then from the defaults.
type otlpSpec struct {
	queueSpec
	policySpec
	Endpoint      *string            `json:"endpoint"`
	Headers       map[string]string  `json:"headers"`
	Compression   *string            `json:"compression"`
	TimeoutMS     *int               `json:"timeout_ms"`
	TLS           *tlsSpec           `json:"tls"`
	ServiceName   *string            `json:"service_name"`
	Resource      map[string]string  `json:"resource"`
	MaxBatch      *int               `json:"max_batch"`
	MaxBatchBytes *int               `json:"max_batch_bytes"`
	BatchDelayMS  *int               `json:"batch_delay_ms"`
	Retry         *retrySpec         `json:"retry"`
	Env           *map[string]string `json:"env"`
}

// DefaultServiceName is service.name when neither the spec nor the
// environment names the service (the OpenTelemetry SDKs' default).
const DefaultServiceName = "unknown_service"

// maxOTLPBatch bounds max_batch: a request is built in memory.
const maxOTLPBatch = 1 << 16

// maxOTLPBatchBytes bounds max_batch_bytes, below the 64 MiB a collector
// is ever configured to take.
const maxOTLPBatchBytes = 64 << 20

func init() { handlerBuilders["otlp"] = buildOTLP }

// buildOTLP builds a handler sending records to an OpenTelemetry collector
// over OTLP/HTTP (protobuf).
func buildOTLP(env Env, path string, doc []byte) (Built, error) {
	var spec otlpSpec
	q, policy, err := decodeQueuedPolicy(env, path, doc, &spec)
	if err != nil {
		return Built{}, err
	}
	oenv := otlpEnv{path: path + ".env"}
	if spec.Env != nil {
		oenv.vars = *spec.Env
		if oenv.vars == nil {
			oenv.vars = map[string]string{}
		}
	}
	opts, err := otlpOptions(path, &spec, oenv)
	if err != nil {
		return Built{}, err
	}
	opts.Diagnostics = env.Diagnostics
	s := sink.NewOTLP(opts)
	built, err := startHandler(path, "otlp", q, core.QueuedHandlerOptions{
		Name:   s.Label(),
		Policy: policy,
		// Flush (send a request, settle the counts) once a batch's worth
		// of records was written; the sink's timer asks for a flush of a
		// partial batch after batch_delay_ms.
		FlushEvery:  opts.MaxBatch,
		Diagnostics: env.Diagnostics,
	}, encode.OTLPFormatter{MaxRecordSize: opts.MaxBatchBytes}, s)
	if err != nil {
		return Built{}, err
	}
	h := built.Handler.(*core.QueuedHandler)
	s.SetFlushRequester(func() { h.FlushBegin() })
	return built, nil
}

// otlpOptions validates the sink's settings, filling them from the
// environment and the defaults.
func otlpOptions(path string, spec *otlpSpec, env otlpEnv) (sink.OTLPOptions, error) {
	opts := sink.OTLPOptions{
		MaxBatch:      sink.DefaultOTLPMaxBatch,
		MaxBatchBytes: sink.DefaultOTLPMaxBatchBytes,
		BatchDelay:    sink.DefaultOTLPBatchDelay,
		Timeout:       sink.DefaultOTLPTimeout,
	}
	if err := checkProtocol(env); err != nil {
		return opts, err
	}
	endpoint, err := otlpEndpoint(path, spec, env)
	if err != nil {
		return opts, err
	}
	opts.Endpoint = endpoint.String()
	if opts.Headers, err = otlpHeaders(path, spec, env); err != nil {
		return opts, err
	}
	if opts.Gzip, err = otlpCompression(path, spec, env); err != nil {
		return opts, err
	}
	if opts.Timeout, err = otlpTimeout(path, spec, env); err != nil {
		return opts, err
	}
	if err := otlpTLS(path, spec, env, endpoint, &opts); err != nil {
		return opts, err
	}
	resource, err := otlpResource(path, spec, env)
	if err != nil {
		return opts, err
	}
	opts.Resource = sink.EncodeResource(resource)
	if err := otlpBatching(path, spec, &opts); err != nil {
		return opts, err
	}
	opts.Retry, err = decodeRetry(path+".retry", spec.Retry, sink.DefaultOTLPRetry)
	return opts, err
}

// checkProtocol refuses an environment that asks for another OTLP
// transport: records sent as HTTP/protobuf to a gRPC port would only fail.
func checkProtocol(env otlpEnv) error {
	if v, name, ok := env.first(envLogsProtocol, envProtocol); ok && v != "http/protobuf" {
		return errorf(env.at(name), "%q: this handler speaks only \"http/protobuf\"", v)
	}
	return nil
}

// otlpEndpoint validates the URL requests go to.
func otlpEndpoint(path string, spec *otlpSpec, env otlpEnv) (*url.URL, error) {
	raw, at := sink.DefaultOTLPEndpoint, path+".endpoint"
	if spec.Endpoint != nil {
		raw = *spec.Endpoint
	} else if v, name, ok := env.logsEndpoint(); ok {
		raw, at = v, env.at(name)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errorf(at, "%q: not a URL", raw)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, errorf(at, "%q: want an http:// or https:// URL", raw)
	}
	if u.Hostname() == "" {
		return nil, errorf(at, "%q: no host", raw)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, errorf(at, "%q: port must be between 1 and 65535", raw)
		}
	} else if strings.HasSuffix(u.Host, ":") {
		return nil, errorf(at, "%q: empty port", raw)
	}
	if u.User != nil {
		return nil, errorf(at, "%q: credentials in the URL are not sent; use headers", raw)
	}
	return u, nil
}

// reservedHeaders are set by the handler itself.
var reservedHeaders = map[string]bool{"content-type": true, "content-encoding": true, "content-length": true, "host": true}

// otlpHeaders merges the environment's headers (general, then logs) with
// the spec's, which win.
func otlpHeaders(path string, spec *otlpSpec, env otlpEnv) (map[string]string, error) {
	out := map[string]string{}
	for _, name := range []string{envHeaders, envLogsHeaders} {
		v, ok := env.lookup(name)
		if !ok {
			continue
		}
		kv, err := parseKeyValueList(v)
		if err != nil {
			return nil, errorf(env.at(name), "%v", err)
		}
		for k, v := range kv {
			if err := checkHeader(k, v); err != nil {
				return nil, errorf(env.at(name), "%v", err)
			}
			out[k] = v
		}
	}
	for k, v := range spec.Headers {
		if err := checkHeader(k, v); err != nil {
			return nil, errorf(path+".headers", "%v", err)
		}
		out[k] = v
	}
	return out, nil
}

// checkHeader refuses a header net/http would refuse at every request, or
// one the handler sets itself.
func checkHeader(name, value string) error {
	if name == "" || strings.IndexFunc(name, notTokenChar) >= 0 {
		return fmt.Errorf("header name %q: not an HTTP token", name)
	}
	if reservedHeaders[strings.ToLower(name)] {
		return fmt.Errorf("header %q: set by the handler", name)
	}
	if strings.ContainsAny(value, "\r\n\x00") {
		return fmt.Errorf("header %q: value contains a line break or NUL", name)
	}
	return nil
}

func notTokenChar(r rune) bool {
	if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
		return false
	}
	return !strings.ContainsRune("!#$%&'*+-.^_`|~", r)
}

// otlpCompression reads "compression": "gzip" or "none".
func otlpCompression(path string, spec *otlpSpec, env otlpEnv) (bool, error) {
	v, at := "none", path+".compression"
	if spec.Compression != nil {
		v = *spec.Compression
	} else if ev, name, ok := env.first(envLogsCompression, envCompression); ok {
		v, at = ev, env.at(name)
	}
	switch v {
	case "gzip":
		return true, nil
	case "none":
		return false, nil
	}
	return false, errorf(at, "%q: want \"gzip\" or \"none\"", v)
}

// otlpTimeout reads the per-request timeout in milliseconds.
func otlpTimeout(path string, spec *otlpSpec, env otlpEnv) (time.Duration, error) {
	if spec.TimeoutMS != nil {
		return millis(path, "timeout_ms", spec.TimeoutMS, sink.DefaultOTLPTimeout)
	}
	v, name, ok := env.first(envLogsTimeout, envTimeout)
	if !ok {
		return sink.DefaultOTLPTimeout, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 || n > maxMillis {
		return 0, errorf(env.at(name), "%q: want milliseconds, between 1 and %d", v, maxMillis)
	}
	return ms(n), nil
}

// otlpTLS validates the TLS settings; they need an https endpoint. The CA
// file may come from the environment (OTEL_EXPORTER_OTLP_CERTIFICATE).
func otlpTLS(path string, spec *otlpSpec, env otlpEnv, endpoint *url.URL, opts *sink.OTLPOptions) error {
	tspec := spec.TLS
	at := path + ".tls"
	if tspec == nil {
		ca, name, ok := env.first(envLogsCertificate, envCertificate)
		if !ok || endpoint.Scheme != "https" {
			return nil // the environment's CA file is for https endpoints only
		}
		tspec, at = &tlsSpec{CAFile: &ca}, env.at(name)
	}
	if endpoint.Scheme != "https" {
		return errorf(at, "TLS settings need an https:// endpoint, not %q", endpoint.String())
	}
	host := endpoint.Hostname()
	if ip := net.ParseIP(host); ip != nil {
		host = ip.String()
	}
	cfg, err := tlsConfig(at, tspec, host)
	if err != nil {
		return err
	}
	opts.TLS = cfg
	return nil
}

// otlpResource merges the resource attributes: OTEL_RESOURCE_ATTRIBUTES,
// then OTEL_SERVICE_NAME, then the spec's "resource", then its
// "service_name"; service.name defaults to DefaultServiceName.
func otlpResource(path string, spec *otlpSpec, env otlpEnv) (map[string]string, error) {
	attrs := map[string]string{}
	if v, ok := env.lookup(envResourceAttributes); ok {
		kv, err := parseKeyValueList(v)
		if err != nil {
			return nil, errorf(env.at(envResourceAttributes), "%v", err)
		}
		attrs = kv
	}
	if v, _, ok := env.first(envServiceName); ok {
		attrs["service.name"] = v
	}
	for k, v := range spec.Resource {
		if k == "" {
			return nil, errorf(path+".resource", "an attribute key must not be empty")
		}
		attrs[k] = v
	}
	if spec.ServiceName != nil {
		if *spec.ServiceName == "" {
			return nil, errorf(path+".service_name", "\"\": must not be empty (use null for the environment's)")
		}
		attrs["service.name"] = *spec.ServiceName
	}
	if attrs["service.name"] == "" {
		attrs["service.name"] = DefaultServiceName
	}
	return attrs, nil
}

// otlpBatching validates the batch bounds and delay.
func otlpBatching(path string, spec *otlpSpec, opts *sink.OTLPOptions) error {
	if err := positive(path, "max_batch", spec.MaxBatch); err != nil {
		return err
	}
	if err := positive(path, "max_batch_bytes", spec.MaxBatchBytes); err != nil {
		return err
	}
	opts.MaxBatch = orDefault(spec.MaxBatch, sink.DefaultOTLPMaxBatch)
	if opts.MaxBatch > maxOTLPBatch {
		return errorf(path+".max_batch", "%d: must be at most %d", opts.MaxBatch, maxOTLPBatch)
	}
	opts.MaxBatchBytes = orDefault(spec.MaxBatchBytes, sink.DefaultOTLPMaxBatchBytes)
	if opts.MaxBatchBytes > maxOTLPBatchBytes {
		return errorf(path+".max_batch_bytes", "%d: must be at most %d", opts.MaxBatchBytes, maxOTLPBatchBytes)
	}
	var err error
	opts.BatchDelay, err = millis(path, "batch_delay_ms", spec.BatchDelayMS, sink.DefaultOTLPBatchDelay)
	return err
}
