package sink

import "bytes"

// Syslog transports: the syslog sink is a Socket with the framing of the
// chosen transport, so queueing, reconnecting with backoff, bounded
// close() and accounting are the socket handler's own.
const (
	// SyslogUnix is a Unix datagram socket such as /dev/log.
	SyslogUnix = "unix"
	// SyslogUDP sends one datagram per message (RFC 5426).
	SyslogUDP = "udp"
	// SyslogTCP is a stream, optionally under TLS (RFC 6587, RFC 5425).
	SyslogTCP = "tcp"
)

// NewSyslog returns the sink for a syslog transport: opts.Network is one of
// the Syslog* constants; newlines says the formatter ends each message with
// a line feed (newline framing) rather than prefixing its length (octet
// counting), which streams need to know to resend whole messages. It does
// not connect yet.
func NewSyslog(opts SocketOptions, newlines bool) *Socket {
	switch opts.Network {
	case SyslogUnix:
		opts.Network, opts.Datagram, opts.Frames = "unixgram", true, unsentDatagram
	case SyslogUDP:
		opts.Datagram, opts.Frames = true, unsentDatagram
	default:
		if newlines {
			opts.Frames = unsentLines
		} else {
			opts.Frames = unsentOctetCounted
		}
	}
	if opts.Label == "" {
		scheme := opts.Network
		if opts.TLS != nil {
			scheme = "tls"
		}
		opts.Label = "syslog " + scheme + " " + opts.Address
	}
	return NewSocket(opts)
}

// unsentDatagram: a datagram goes out whole or not at all.
func unsentDatagram(buf []byte, n int) int {
	if n >= len(buf) {
		return len(buf)
	}
	return 0
}

// unsentOctetCounted returns the offset of the first "LEN SP MSG" frame of
// buf that the first n bytes do not cover completely.
func unsentOctetCounted(buf []byte, n int) int {
	off := 0
	for off < len(buf) {
		size, digits := 0, 0
		for off+digits < len(buf) && buf[off+digits] >= '0' && buf[off+digits] <= '9' {
			size = size*10 + int(buf[off+digits]-'0')
			digits++
		}
		end := off + digits + 1 + size
		if digits == 0 || end > n {
			break
		}
		off = end
	}
	return off
}

// unsentLines returns the offset just past the last whole line the first
// n bytes cover (messages hold no line feeds under newline framing).
func unsentLines(buf []byte, n int) int {
	return bytes.LastIndexByte(buf[:n], '\n') + 1
}
