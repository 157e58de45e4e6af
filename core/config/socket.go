package config

import (
	"crypto/tls"
	"net"
	"strconv"
	"time"

	"femtologging/core"
	"femtologging/core/encode"
	"femtologging/core/sink"
)

// socketSpec is the schema of {"kind": "socket"}.
type socketSpec struct {
	queueSpec                     // no formatter: frames are MessagePack
	Transport        *string      `json:"transport"`
	Host             *string      `json:"host"`
	Port             *int         `json:"port"`
	UnixPath         *string      `json:"unix_path"`
	ConnectTimeoutMS *int         `json:"connect_timeout_ms"`
	WriteTimeoutMS   *int         `json:"write_timeout_ms"`
	MaxFrameSize     *int         `json:"max_frame_size"`
	TLS              *tlsSpec     `json:"tls"`
	Backoff          *backoffSpec `json:"backoff"`
}

type tlsSpec struct {
	Domain   *string `json:"domain"`
	Insecure bool    `json:"insecure"`
	CAFile   *string `json:"ca_file"`
}

type backoffSpec struct {
	BaseMS       *int `json:"base_ms"`
	CapMS        *int `json:"cap_ms"`
	ResetAfterMS *int `json:"reset_after_ms"`
	DeadlineMS   *int `json:"deadline_ms"`
}

// Socket defaults (user guide: TCP localhost:9020, 1 MiB frames).
const (
	DefaultSocketHost       = "localhost"
	DefaultSocketPort       = 9020
	DefaultConnectTimeoutMS = 5000
	DefaultWriteTimeoutMS   = 1000
	// maxUnixPath is sun_path's size on Linux, less the terminating NUL.
	maxUnixPath = 107
)

func init() { handlerBuilders["socket"] = buildSocket }

// buildSocket builds a handler sending MessagePack frames over TCP, TLS or
// a Unix socket.
func buildSocket(env Env, path string, doc []byte) (Built, error) {
	var spec socketSpec
	q, err := decodeQueued(env, path, doc, &spec)
	if err != nil {
		return Built{}, err
	}
	sizes := []struct {
		field string
		v     *int
	}{
		{"connect_timeout_ms", spec.ConnectTimeoutMS},
		{"write_timeout_ms", spec.WriteTimeoutMS}, {"max_frame_size", spec.MaxFrameSize},
	}
	for _, f := range sizes {
		if err := positive(path, f.field, f.v); err != nil {
			return Built{}, err
		}
	}
	maxFrame := orDefault(spec.MaxFrameSize, encode.DefaultMaxFrameSize)
	if maxFrame > encode.MaxFrameLimit {
		return Built{}, errorf(path+".max_frame_size", "%d: must be at most %d (the 4-byte length prefix)", maxFrame, encode.MaxFrameLimit)
	}
	opts, err := socketTarget(path, &spec)
	if err != nil {
		return Built{}, err
	}
	if opts.Backoff, err = decodeBackoff(path+".backoff", spec.Backoff); err != nil {
		return Built{}, err
	}
	opts.ConnectTimeout = ms(orDefault(spec.ConnectTimeoutMS, DefaultConnectTimeoutMS))
	opts.WriteTimeout = ms(orDefault(spec.WriteTimeoutMS, DefaultWriteTimeoutMS))
	opts.Diagnostics = env.Diagnostics
	s := sink.NewSocket(opts)
	return startHandler(path, "socket", q, core.QueuedHandlerOptions{
		Name:        s.Label(),
		Diagnostics: env.Diagnostics,
	}, encode.NewFrameFormatter(maxFrame), s)
}

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

// socketTarget validates the transport fields and the TLS settings.
func socketTarget(path string, spec *socketSpec) (sink.SocketOptions, error) {
	transport := "tcp"
	if spec.UnixPath != nil {
		transport = "unix"
	}
	if spec.Transport != nil {
		transport = *spec.Transport
	}
	switch transport {
	case "unix":
		if spec.UnixPath == nil || *spec.UnixPath == "" {
			return sink.SocketOptions{}, errorf(path+".unix_path", "missing: the \"unix\" transport needs a socket path")
		}
		p := *spec.UnixPath
		if len(p) > maxUnixPath {
			return sink.SocketOptions{}, errorf(path+".unix_path", "%q: %d bytes, longer than the %d a Unix socket path allows", p, len(p), maxUnixPath)
		}
		if spec.TLS != nil {
			return sink.SocketOptions{}, errorf(path+".tls", "TLS needs the TCP transport, not the Unix socket %q", p)
		}
		return sink.SocketOptions{Network: "unix", Address: p}, nil
	case "tcp":
	default:
		return sink.SocketOptions{}, errorf(path+".transport", "%q: want \"tcp\" or \"unix\"", transport)
	}
	if spec.UnixPath != nil {
		return sink.SocketOptions{}, errorf(path+".unix_path", "%q: set, but the transport is \"tcp\"", *spec.UnixPath)
	}
	host := DefaultSocketHost
	if spec.Host != nil {
		host = *spec.Host
	}
	if host == "" {
		return sink.SocketOptions{}, errorf(path+".host", "\"\": must not be empty")
	}
	port := orDefault(spec.Port, DefaultSocketPort)
	if port < 1 || port > 65535 {
		return sink.SocketOptions{}, errorf(path+".port", "%d: must be between 1 and 65535", port)
	}
	opts := sink.SocketOptions{Network: "tcp", Address: net.JoinHostPort(host, strconv.Itoa(port))}
	if spec.TLS != nil {
		cfg, err := tlsConfig(path+".tls", spec.TLS, host)
		if err != nil {
			return sink.SocketOptions{}, err
		}
		opts.TLS = cfg
	}
	return opts, nil
}

// tlsConfig validates {"domain", "insecure", "ca_file"}.
func tlsConfig(path string, spec *tlsSpec, host string) (*tls.Config, error) {
	var o sink.TLSOptions
	if spec.Domain != nil {
		if *spec.Domain == "" {
			return nil, errorf(path+".domain", "\"\": must not be empty (use null for the host name)")
		}
		o.ServerName = *spec.Domain
	}
	o.Insecure = spec.Insecure
	if spec.CAFile != nil {
		if *spec.CAFile == "" {
			return nil, errorf(path+".ca_file", "\"\": must not be empty (use null for the system roots only)")
		}
		o.CAFile = *spec.CAFile
	}
	cfg, err := o.ClientConfig(host)
	if err != nil {
		return nil, errorf(path+".ca_file", "%q: %v", o.CAFile, err)
	}
	return cfg, nil
}

// decodeBackoff validates the reconnect schedule, filling defaults.
func decodeBackoff(path string, spec *backoffSpec) (sink.BackoffConfig, error) {
	b := sink.DefaultBackoff
	if spec == nil {
		return b, nil
	}
	fields := []struct {
		name string
		v    *int
		dst  *time.Duration
	}{
		{"base_ms", spec.BaseMS, &b.Base},
		{"cap_ms", spec.CapMS, &b.Cap},
		{"reset_after_ms", spec.ResetAfterMS, &b.ResetAfter},
		{"deadline_ms", spec.DeadlineMS, &b.Deadline},
	}
	for _, f := range fields {
		if err := positive(path, f.name, f.v); err != nil {
			return b, err
		}
		if f.v != nil {
			*f.dst = ms(*f.v)
		}
	}
	if b.Cap < b.Base {
		return b, errorf(path+".cap_ms", "%d: must not be less than base_ms %d", b.Cap.Milliseconds(), b.Base.Milliseconds())
	}
	return b, nil
}
