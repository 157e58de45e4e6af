package config

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"sort"
	"strconv"

	"femtologging/core"
	"femtologging/core/encode"
	"femtologging/core/sink"
)

// httpSpec is the schema of {"kind": "http"}.
type httpSpec struct {
	queueSpec // no formatter: records are JSON objects
	policySpec
	URL              *string           `json:"url"`
	Method           *string           `json:"method"`
	Format           *string           `json:"format"`
	Headers          map[string]string `json:"headers"`
	BasicAuth        *basicAuthSpec    `json:"basic_auth"`
	BearerToken      *string           `json:"bearer_token"`
	TLS              *tlsSpec          `json:"tls"`
	Gzip             bool              `json:"gzip"`
	TimeoutMS        *int              `json:"timeout_ms"`
	ConnectTimeoutMS *int              `json:"connect_timeout_ms"`
	MaxBatchRecords  *int              `json:"max_batch_records"`
	MaxBatchBytes    *int              `json:"max_batch_bytes"`
	BatchDelayMS     *int              `json:"batch_delay_ms"`
	Retry            *retrySpec        `json:"retry"`
}

type basicAuthSpec struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// HTTP handler defaults.
const (
	DefaultHTTPTimeoutMS     = 10000
	DefaultHTTPMaxBatch      = 1000
	DefaultHTTPMaxBatchBytes = 1 << 20
	DefaultHTTPBatchDelayMS  = 0
	maxHTTPBatchBytesLimit   = 64 << 20
	contentTypeJSONLines     = "application/x-ndjson"
	contentTypeJSON          = "application/json"
)

func init() { handlerBuilders["http"] = buildHTTP }

// buildHTTP builds a handler posting batches of JSON records to a URL.
func buildHTTP(env Env, path string, doc []byte) (Built, error) {
	var spec httpSpec
	q, policy, err := decodeQueuedPolicy(env, path, doc, &spec)
	if err != nil {
		return Built{}, err
	}
	opts, err := httpTarget(path, &spec)
	if err != nil {
		return Built{}, err
	}
	for _, f := range []struct {
		field string
		v     *int
	}{
		{"timeout_ms", spec.TimeoutMS}, {"connect_timeout_ms", spec.ConnectTimeoutMS},
		{"max_batch_records", spec.MaxBatchRecords}, {"max_batch_bytes", spec.MaxBatchBytes},
	} {
		if err := positive(path, f.field, f.v); err != nil {
			return Built{}, err
		}
	}
	if err := nonNegative(path, "batch_delay_ms", orDefault(spec.BatchDelayMS, 0)); err != nil {
		return Built{}, err
	}
	opts.MaxBytes = orDefault(spec.MaxBatchBytes, DefaultHTTPMaxBatchBytes)
	if opts.MaxBytes > maxHTTPBatchBytesLimit {
		return Built{}, errorf(path+".max_batch_bytes", "%d: must be at most %d", opts.MaxBytes, maxHTTPBatchBytesLimit)
	}
	opts.MaxRecords = orDefault(spec.MaxBatchRecords, DefaultHTTPMaxBatch)
	opts.Delay = ms(orDefault(spec.BatchDelayMS, DefaultHTTPBatchDelayMS))
	opts.Timeout = ms(orDefault(spec.TimeoutMS, DefaultHTTPTimeoutMS))
	opts.ConnectTimeout = ms(orDefault(spec.ConnectTimeoutMS, DefaultConnectTimeoutMS))
	if opts.Retry, err = decodeRetry(path+".retry", spec.Retry, sink.DefaultHTTPRetry); err != nil {
		return Built{}, err
	}
	opts.Gzip = spec.Gzip
	opts.Diagnostics = env.Diagnostics
	s := sink.NewHTTPBatch(opts)
	return startHandler(path, "http", q, core.QueuedHandlerOptions{
		Name:        s.Label(),
		Policy:      policy,
		Diagnostics: env.Diagnostics,
	}, encode.JSONRecordFormatter{}, s)
}

// httpTarget validates the URL, method, body format, auth, headers and TLS.
func httpTarget(path string, spec *httpSpec) (sink.HTTPBatchOptions, error) {
	var o sink.HTTPBatchOptions
	if spec.URL == nil {
		return o, errorf(path+".url", "missing: want an http:// or https:// URL")
	}
	u, err := url.Parse(*spec.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" {
		return o, errorf(path+".url", "%q: want an http:// or https:// URL with a host", *spec.URL)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return o, errorf(path+".url", "%q: port %s must be between 1 and 65535", *spec.URL, p)
		}
	}
	if u.User != nil {
		return o, errorf(path+".url", "%q: put credentials in basic_auth, not in the URL", u.Redacted())
	}
	o.URL = u.String()
	switch m := strOr(spec.Method, http.MethodPost); m {
	case http.MethodPost, http.MethodPut:
		o.Method = m
	default:
		return o, errorf(path+".method", "%q: want \"POST\" or \"PUT\"", m)
	}
	switch f := strOr(spec.Format, "json_lines"); f {
	case "json_lines":
		o.Encode, o.ContentType = sink.EncodeJSONLines, contentTypeJSONLines
	case "json_array":
		o.Encode, o.ContentType = sink.EncodeJSONArray, contentTypeJSON
	default:
		return o, errorf(path+".format", "%q: want \"json_lines\" or \"json_array\"", f)
	}
	if o.Header, err = httpHeaders(path, spec); err != nil {
		return o, err
	}
	if spec.TLS != nil {
		if u.Scheme != "https" {
			return o, errorf(path+".tls", "TLS settings need an https:// URL, not %q", *spec.URL)
		}
		if o.TLS, err = tlsConfig(path+".tls", spec.TLS, u.Hostname()); err != nil {
			return o, err
		}
	}
	return o, nil
}

// httpHeaders validates the extra headers and adds the authorization.
func httpHeaders(path string, spec *httpSpec) (http.Header, error) {
	h := http.Header{}
	names := make([]string, 0, len(spec.Headers))
	for name := range spec.Headers {
		names = append(names, name)
	}
	sort.Strings(names) // the first bad header reported is always the same
	for _, name := range names {
		value := spec.Headers[name]
		if !validHeaderName(name) {
			return nil, errorf(path+".headers", "%q: not a valid header name", name)
		}
		for i := 0; i < len(value); i++ {
			if c := value[i]; (c < 0x20 && c != '\t') || c == 0x7f {
				return nil, errorf(path+".headers."+name, "%q: control characters are not allowed in a header value", value)
			}
		}
		h.Set(name, value)
	}
	if spec.BasicAuth != nil && spec.BearerToken != nil {
		return nil, errorf(path+".bearer_token", "set together with basic_auth: choose one")
	}
	if spec.BasicAuth != nil || spec.BearerToken != nil {
		if h.Get("Authorization") != "" {
			return nil, errorf(path+".headers", "\"Authorization\": set together with basic_auth or bearer_token")
		}
	}
	if a := spec.BasicAuth; a != nil {
		if a.Username == "" {
			return nil, errorf(path+".basic_auth.username", "\"\": must not be empty")
		}
		h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(a.Username+":"+a.Password)))
	}
	if t := spec.BearerToken; t != nil {
		if *t == "" {
			return nil, errorf(path+".bearer_token", "\"\": must not be empty")
		}
		h.Set("Authorization", "Bearer "+*t)
	}
	return h, nil
}

// validHeaderName reports whether name is an HTTP token (RFC 9110 5.6.2).
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '!' || c == '#' || c == '$' || c == '%' || c == '&' || c == '\'' || c == '*' ||
			c == '+' || c == '-' || c == '.' || c == '^' || c == '_' || c == '`' || c == '|' || c == '~':
		default:
			return false
		}
	}
	return true
}
