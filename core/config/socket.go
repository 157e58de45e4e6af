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
	queueSpec // no formatter: frames are MessagePack
	connSpec
	MaxFrameSize *int `json:"max_frame_size"`
}

// connSpec holds the fields of every handler that keeps a connection open
// to a collector (socket, syslog): where to connect, and how long to wait
// and retry. Both kinds read them by the same rules, so the rules are
// written once, in the methods below.
type connSpec struct {
	Transport        *string      `json:"transport"`
	Host             *string      `json:"host"`
	Port             *int         `json:"port"`
	UnixPath         *string      `json:"unix_path"`
	TLS              *tlsSpec     `json:"tls"`
	ConnectTimeoutMS *int         `json:"connect_timeout_ms"`
	WriteTimeoutMS   *int         `json:"write_timeout_ms"`
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
	if err := spec.checkTimeouts(path); err != nil {
		return Built{}, err
	}
	if err := positive(path, "max_frame_size", spec.MaxFrameSize); err != nil {
		return Built{}, err
	}
	maxFrame := orDefault(spec.MaxFrameSize, encode.DefaultMaxFrameSize)
	if maxFrame > encode.MaxFrameLimit {
		return Built{}, errorf(path+".max_frame_size", "%d: must be at most %d (the 4-byte length prefix)", maxFrame, encode.MaxFrameLimit)
	}
	opts, err := socketTarget(path, &spec)
	if err != nil {
		return Built{}, err
	}
	if err := spec.applyConnection(env, path, &opts); err != nil {
		return Built{}, err
	}
	s := sink.NewSocket(opts)
	return startHandler(path, "socket", q, core.QueuedHandlerOptions{
		Name:        s.Label(),
		Diagnostics: env.Diagnostics,
	}, encode.NewFrameFormatter(maxFrame), s)
}

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

// checkTimeouts checks connect_timeout_ms and write_timeout_ms (> 0 when
// set). The builders call it before they read the target, so the order in
// which a spec's errors are found stays the same for both kinds.
func (c *connSpec) checkTimeouts(path string) error {
	if err := positive(path, "connect_timeout_ms", c.ConnectTimeoutMS); err != nil {
		return err
	}
	return positive(path, "write_timeout_ms", c.WriteTimeoutMS)
}

// applyConnection fills opts' reconnect schedule, timeouts (defaults for
// absent fields) and diagnostics, once the target is known.
func (c *connSpec) applyConnection(env Env, path string, opts *sink.SocketOptions) error {
	var err error
	if opts.Backoff, err = decodeBackoff(path+".backoff", c.Backoff); err != nil {
		return err
	}
	opts.ConnectTimeout = ms(orDefault(c.ConnectTimeoutMS, DefaultConnectTimeoutMS))
	opts.WriteTimeout = ms(orDefault(c.WriteTimeoutMS, DefaultWriteTimeoutMS))
	opts.Diagnostics = env.Diagnostics
	return nil
}

// tcpAddress validates host (DefaultSocketHost when absent, never empty)
// and port (defPort when absent, 1-65535) and returns the host, for TLS to
// check the server's name against, and the address to dial.
func (c *connSpec) tcpAddress(path string, defPort int) (host, address string, err error) {
	host = strOr(c.Host, DefaultSocketHost)
	if host == "" {
		return "", "", errorf(path+".host", "\"\": must not be empty")
	}
	port := orDefault(c.Port, defPort)
	if port < 1 || port > 65535 {
		return "", "", errorf(path+".port", "%d: must be between 1 and 65535", port)
	}
	return host, net.JoinHostPort(host, strconv.Itoa(port)), nil
}

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
	host, address, err := spec.tcpAddress(path, DefaultSocketPort)
	if err != nil {
		return sink.SocketOptions{}, err
	}
	opts := sink.SocketOptions{Network: "tcp", Address: address}
	if opts.TLS, err = tlsConfig(path+".tls", spec.TLS, host); err != nil {
		return sink.SocketOptions{}, err
	}
	return opts, nil
}

// tlsConfig validates {"domain", "insecure", "ca_file"}; a nil spec (no
// "tls" field) gives a nil config, a plain connection.
func tlsConfig(path string, spec *tlsSpec, host string) (*tls.Config, error) {
	if spec == nil {
		return nil, nil
	}
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
