package config

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"femtologging/core"
	"femtologging/core/encode"
	"femtologging/core/sink"
)

// syslogSpec is the schema of {"kind": "syslog"}.
type syslogSpec struct {
	queueSpec // no formatter: the protocol fixes the message layout
	policySpec
	// connSpec's "unix" transport is a datagram socket here, and "udp"
	// is one more transport.
	connSpec
	Format         *string         `json:"format"`
	Framing        *string         `json:"framing"`
	Facility       json.RawMessage `json:"facility"`
	Hostname       *string         `json:"hostname"`
	AppName        *string         `json:"app_name"`
	ProcID         *string         `json:"procid"`
	MsgID          *string         `json:"msgid"`
	SDID           *string         `json:"sd_id"`
	MaxMessageSize *int            `json:"max_message_size"`
}

// Syslog defaults.
const (
	DefaultSyslogUnixPath = "/dev/log"
	DefaultSyslogPort     = 514
	DefaultSyslogTLSPort  = 6514
	// DefaultSyslogSDID uses 32473, the private enterprise number RFC 5612
	// reserves for documentation: deployments that care set their own.
	DefaultSyslogSDID = "fields@32473"
	// DefaultSyslogUDPSize is the size RFC 5424 says receivers should
	// accept; DefaultSyslogUnixSize is rsyslog's default maximum.
	DefaultSyslogUDPSize  = 2048
	DefaultSyslogUnixSize = 8192
	// MinSyslogSize is the size every receiver must accept (RFC 5424 6.1);
	// MaxSyslogDatagram is the largest UDP payload over IPv4.
	MinSyslogSize     = 480
	MaxSyslogDatagram = 65507
)

// SyslogFacilities maps facility names (those of stdlib
// SysLogHandler.facility_names) to their codes.
var SyslogFacilities = map[string]int{
	"kern": 0, "user": 1, "mail": 2, "daemon": 3, "auth": 4, "syslog": 5,
	"lpr": 6, "news": 7, "uucp": 8, "cron": 9, "authpriv": 10, "ftp": 11,
	"ntp": 12, "security": 13, "console": 14, "solaris-cron": 15,
	"local0": 16, "local1": 17, "local2": 18, "local3": 19,
	"local4": 20, "local5": 21, "local6": 22, "local7": 23,
}

func init() { handlerBuilders["syslog"] = buildSyslog }

// buildSyslog builds a handler sending RFC 5424 or RFC 3164 messages to a
// syslog daemon over a Unix datagram socket, UDP, TCP or TLS.
func buildSyslog(env Env, path string, doc []byte) (Built, error) {
	var spec syslogSpec
	q, policy, err := decodeQueuedPolicy(env, path, doc, &spec)
	if err != nil {
		return Built{}, err
	}
	if err := spec.checkTimeouts(path); err != nil {
		return Built{}, err
	}
	format, err := syslogFormat(path, &spec)
	if err != nil {
		return Built{}, err
	}
	opts, err := syslogTarget(path, &spec, &format)
	if err != nil {
		return Built{}, err
	}
	if err := spec.applyConnection(env, path, &opts); err != nil {
		return Built{}, err
	}
	s := sink.NewSyslog(opts, format.Framing == encode.FramingNewline)
	return startHandler(path, "syslog", q, core.QueuedHandlerOptions{
		Name:        s.Label(),
		Policy:      policy,
		Diagnostics: env.Diagnostics,
	}, encode.NewSyslogFormatter(format), s)
}

// syslogFormat validates the message fields, filling defaults from the
// system (host name, program name, process id).
func syslogFormat(path string, spec *syslogSpec) (encode.SyslogFormatOptions, error) {
	var o encode.SyslogFormatOptions
	switch f := strOr(spec.Format, "rfc5424"); f {
	case "rfc5424":
	case "rfc3164":
		o.RFC3164 = true
	default:
		return o, errorf(path+".format", "%q: want \"rfc5424\" or \"rfc3164\"", f)
	}
	facility, err := decodeFacility(path+".facility", spec.Facility)
	if err != nil {
		return o, err
	}
	o.Facility = facility
	host, _ := os.Hostname()
	fields := []struct {
		name string
		v    *string
		def  string
		max  int
		dst  *string
	}{
		{"hostname", spec.Hostname, host, encode.MaxSyslogHostname, &o.Hostname},
		{"app_name", spec.AppName, filepath.Base(os.Args[0]), encode.MaxSyslogAppName, &o.AppName},
		{"procid", spec.ProcID, strconv.Itoa(os.Getpid()), encode.MaxSyslogProcID, &o.ProcID},
		{"msgid", spec.MsgID, "-", encode.MaxSyslogMsgID, &o.MsgID},
	}
	for _, f := range fields {
		if f.v == nil {
			*f.dst = encode.SanitizeSyslogField(f.def, f.max)
			continue
		}
		if err := encode.CheckSyslogField(f.name, *f.v, f.max); err != nil {
			return o, errorf(path+"."+f.name, "%v", err)
		}
		*f.dst = *f.v
	}
	o.SDID = strOr(spec.SDID, DefaultSyslogSDID)
	if err := encode.CheckSDID(o.SDID); err != nil {
		return o, errorf(path+".sd_id", "%v", err)
	}
	return o, nil
}

// decodeFacility accepts a facility name ("local0") or code (0-23).
func decodeFacility(path string, raw json.RawMessage) (int, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return SyslogFacilities["user"], nil
	}
	var name string
	if err := json.Unmarshal(raw, &name); err == nil {
		code, ok := SyslogFacilities[strings.ToLower(name)]
		if !ok {
			return 0, errorf(path, "unknown facility %q: want a name such as \"user\", \"daemon\" or \"local0\"..\"local7\", or a code 0-23", name)
		}
		return code, nil
	}
	code, err := strconv.Atoi(string(raw))
	if err != nil || code < 0 || code > encode.MaxSyslogFacility {
		return 0, errorf(path, "%s: want a facility name or a code 0-23", raw)
	}
	return code, nil
}

// syslogTarget validates the transport, framing, address, TLS and size.
func syslogTarget(path string, spec *syslogSpec, format *encode.SyslogFormatOptions) (sink.SocketOptions, error) {
	transport := sink.SyslogUnix
	if spec.Host != nil || spec.Port != nil || spec.TLS != nil {
		transport = sink.SyslogTCP
	}
	transport = strOr(spec.Transport, transport)
	var opts sink.SocketOptions
	switch transport {
	case sink.SyslogUnix:
		for _, f := range []struct {
			name string
			set  bool
		}{{"host", spec.Host != nil}, {"port", spec.Port != nil}, {"tls", spec.TLS != nil}, {"framing", spec.Framing != nil}} {
			if f.set {
				return opts, errorf(path+"."+f.name, "set, but the transport is \"unix\" (a datagram socket)")
			}
		}
		p := strOr(spec.UnixPath, DefaultSyslogUnixPath)
		if p == "" || len(p) > maxUnixPath {
			return opts, errorf(path+".unix_path", "%q: want a socket path of 1 to %d bytes", p, maxUnixPath)
		}
		opts = sink.SocketOptions{Network: sink.SyslogUnix, Address: p}
	case sink.SyslogUDP, sink.SyslogTCP:
		if spec.UnixPath != nil {
			return opts, errorf(path+".unix_path", "%q: set, but the transport is %q", *spec.UnixPath, transport)
		}
		defPort := DefaultSyslogPort
		if spec.TLS != nil {
			defPort = DefaultSyslogTLSPort
		}
		host, address, err := spec.tcpAddress(path, defPort)
		if err != nil {
			return opts, err
		}
		opts = sink.SocketOptions{Network: transport, Address: address}
		if transport == sink.SyslogUDP {
			if spec.TLS != nil {
				return opts, errorf(path+".tls", "TLS needs the \"tcp\" transport, not \"udp\"")
			}
			if spec.Framing != nil {
				return opts, errorf(path+".framing", "%q: UDP sends one message per datagram, without framing", *spec.Framing)
			}
			break
		}
		if opts.TLS, err = tlsConfig(path+".tls", spec.TLS, host); err != nil {
			return opts, err
		}
		switch f := strOr(spec.Framing, "octet_counting"); f {
		case "octet_counting":
			format.Framing = encode.FramingOctetCounting
		case "newline":
			format.Framing = encode.FramingNewline
		default:
			return opts, errorf(path+".framing", "%q: want \"octet_counting\" or \"newline\"", f)
		}
	default:
		return opts, errorf(path+".transport", "%q: want \"unix\", \"udp\" or \"tcp\"", transport)
	}
	return opts, syslogSize(path, spec, transport, format)
}

// syslogSize sets the truncation size: datagrams are cut to it, stream
// messages are sent whole whatever their size.
func syslogSize(path string, spec *syslogSpec, transport string, format *encode.SyslogFormatOptions) error {
	if transport == sink.SyslogTCP {
		if spec.MaxMessageSize != nil {
			return errorf(path+".max_message_size", "%d: TCP sends messages whole; the size applies to \"udp\" and \"unix\"", *spec.MaxMessageSize)
		}
		return nil
	}
	def := DefaultSyslogUDPSize
	if transport == sink.SyslogUnix {
		def = DefaultSyslogUnixSize
	}
	size := orDefault(spec.MaxMessageSize, def)
	if size < MinSyslogSize || size > MaxSyslogDatagram {
		return errorf(path+".max_message_size", "%d: must be between %d and %d", size, MinSyslogSize, MaxSyslogDatagram)
	}
	format.MaxSize = size
	return nil
}
