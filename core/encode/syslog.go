package encode

import (
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"femtologging/core"
)

// SyslogFraming says how syslog messages are delimited on the wire.
type SyslogFraming int

const (
	// FramingNone sends each message as one datagram (UDP, Unix datagram).
	FramingNone SyslogFraming = iota
	// FramingOctetCounting prefixes each message with its length and a
	// space (RFC 6587 section 3.4.1, RFC 5425): messages may hold newlines.
	FramingOctetCounting
	// FramingNewline ends each message with a line feed (RFC 6587 section
	// 3.4.2); line feeds inside a message become spaces so that a message
	// is never split into two.
	FramingNewline
)

// Header field limits of RFC 5424 section 6.
const (
	MaxSyslogHostname = 255
	MaxSyslogAppName  = 48
	MaxSyslogProcID   = 128
	MaxSyslogMsgID    = 32
	MaxSyslogSDName   = 32
	// MaxSyslogFacility is local7; facilities are 0 (kern) to 23.
	MaxSyslogFacility = 23
)

// SyslogFormatOptions configures a SyslogFormatter. Header fields must
// already be valid (CheckSyslogField): the formatter does not check them
// per record.
type SyslogFormatOptions struct {
	// RFC3164 selects the BSD format; false means RFC 5424.
	RFC3164  bool
	Facility int
	// Hostname, AppName, ProcID and MsgID fill the header; "-" (or empty)
	// is the RFC 5424 nil value.
	Hostname, AppName, ProcID, MsgID string
	// SDID names the structured data element that carries the record's
	// key-values, e.g. "fields@32473".
	SDID    string
	Framing SyslogFraming
	// MaxSize truncates messages longer than this many bytes (datagram
	// transports); 0 leaves them whole (stream transports).
	MaxSize int
	// Location is the time zone of RFC 3164 timestamps (which carry none);
	// nil means time.Local. RFC 5424 timestamps are always UTC.
	Location *time.Location
}

// SyslogFormatter turns records into syslog messages. It keeps a scratch
// buffer, so one formatter serves one handler worker at a time.
type SyslogFormatter struct {
	opts    SyslogFormatOptions
	scratch []byte
}

// NewSyslogFormatter returns a formatter for opts.
func NewSyslogFormatter(opts SyslogFormatOptions) *SyslogFormatter {
	for _, f := range []*string{&opts.Hostname, &opts.AppName, &opts.ProcID, &opts.MsgID} {
		if *f == "" {
			*f = "-"
		}
	}
	if opts.Location == nil {
		opts.Location = time.Local
	}
	return &SyslogFormatter{opts: opts}
}

// SyslogSeverity maps a level to a syslog severity: CRITICAL and above to
// crit (2), ERROR to err (3), WARN to warning (4), INFO to info (6), and
// DEBUG, TRACE and anything lower to debug (7). Levels between two names
// take the lower name's severity, as the level checks do.
func SyslogSeverity(l core.Level) int {
	switch {
	case l >= core.LevelCritical:
		return 2
	case l >= core.LevelError:
		return 3
	case l >= core.LevelWarn:
		return 4
	case l >= core.LevelInfo:
		return 6
	default:
		return 7
	}
}

// Format appends rec as one framed syslog message to dst.
func (f *SyslogFormatter) Format(dst []byte, rec *core.Record) ([]byte, error) {
	msg := f.message(f.scratch[:0], rec, true)
	if f.opts.MaxSize > 0 && len(msg) > f.opts.MaxSize {
		msg = f.truncate(msg, rec)
	}
	f.scratch = msg
	if cap(f.scratch) > maxRetainedScratch {
		f.scratch = nil
	}
	switch f.opts.Framing {
	case FramingOctetCounting:
		dst = strconv.AppendInt(dst, int64(len(msg)), 10)
		dst = append(dst, ' ')
		dst = append(dst, msg...)
	case FramingNewline:
		start := len(dst)
		dst = append(dst, msg...)
		for i := start; i < len(dst); i++ {
			if dst[i] == '\n' {
				dst[i] = ' '
			}
		}
		dst = append(dst, '\n')
	default:
		dst = append(dst, msg...)
	}
	return dst, nil
}

// maxRetainedScratch bounds the scratch buffer kept between records, so
// one huge message does not pin its size for the life of the handler.
const maxRetainedScratch = 64 << 10

// truncate shortens an over-long message to MaxSize bytes without cutting
// a UTF-8 character. The text is what gets cut; when the header and the
// structured data alone are too long, the structured data is left out so
// that what arrives still parses.
func (f *SyslogFormatter) truncate(msg []byte, rec *core.Record) []byte {
	head := len(msg) - len(rec.Message)
	if len(rec.Message) > 0 {
		head-- // the space before the text
	}
	if head > f.opts.MaxSize {
		msg = f.message(msg[:0], rec, false)
		if len(msg) <= f.opts.MaxSize {
			return msg
		}
	}
	cut := f.opts.MaxSize
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return msg[:cut]
}

// message appends the unframed message.
func (f *SyslogFormatter) message(dst []byte, rec *core.Record, withSD bool) []byte {
	o := &f.opts
	dst = append(dst, '<')
	dst = strconv.AppendInt(dst, int64(o.Facility*8+SyslogSeverity(rec.Level)), 10)
	dst = append(dst, '>')
	t := time.Unix(0, rec.TimeNs)
	if o.RFC3164 {
		dst = t.In(o.Location).AppendFormat(dst, time.Stamp)
		dst = append(dst, ' ')
		dst = append(dst, o.Hostname...)
		dst = append(dst, ' ')
		dst = append(dst, o.AppName...)
		if o.ProcID != "-" {
			dst = append(dst, '[')
			dst = append(dst, o.ProcID...)
			dst = append(dst, ']')
		}
		dst = append(dst, ':')
		if len(rec.Message) > 0 {
			dst = append(dst, ' ')
			dst = append(dst, rec.Message...)
		}
		return dst
	}
	dst = append(dst, "1 "...)
	// Microseconds: RFC 5424 allows at most 6 fractional digits.
	dst = t.UTC().AppendFormat(dst, "2006-01-02T15:04:05.000000Z07:00")
	for _, field := range [...]string{o.Hostname, o.AppName, o.ProcID, o.MsgID} {
		dst = append(dst, ' ')
		dst = append(dst, field...)
	}
	dst = append(dst, ' ')
	if withSD && len(rec.KeyValues) > 0 {
		dst = AppendStructuredData(dst, o.SDID, rec.KeyValues)
	} else {
		dst = append(dst, '-')
	}
	if len(rec.Message) > 0 {
		dst = append(dst, ' ')
		dst = append(dst, rec.Message...)
	}
	return dst
}

// AppendStructuredData appends one RFC 5424 SD-ELEMENT, [id name="value"
// ...], holding kvs. Parameter names are made valid SD-NAMEs (bytes that
// are not printable ASCII, or are '=', ' ', ']' or '"', become '_'; at
// most 32 bytes; an empty name becomes "_"); values escape '"', '\' and
// ']' with a backslash, as section 6.3.3 requires, and invalid UTF-8
// becomes U+FFFD.
func AppendStructuredData(dst []byte, id string, kvs []core.KeyValue) []byte {
	dst = append(dst, '[')
	dst = append(dst, id...)
	for _, kv := range kvs {
		dst = append(dst, ' ')
		dst = appendSDName(dst, kv.Key)
		dst = append(dst, '=', '"')
		dst = appendSDValue(dst, kv.Text())
		dst = append(dst, '"')
	}
	return append(dst, ']')
}

func appendSDName(dst []byte, name string) []byte {
	if name == "" {
		return append(dst, '_')
	}
	if len(name) > MaxSyslogSDName {
		name = name[:MaxSyslogSDName]
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !sdNameByte(c) {
			c = '_'
		}
		dst = append(dst, c)
	}
	return dst
}

func sdNameByte(c byte) bool {
	return c >= 33 && c <= 126 && c != '=' && c != ']' && c != '"'
}

func appendSDValue(dst []byte, v string) []byte {
	for i := 0; i < len(v); {
		c := v[i]
		if c < utf8.RuneSelf {
			if c == '"' || c == '\\' || c == ']' {
				dst = append(dst, '\\')
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(v[i:])
		if r == utf8.RuneError && size == 1 {
			dst = utf8.AppendRune(dst, utf8.RuneError)
		} else {
			dst = append(dst, v[i:i+size]...)
		}
		i += size
	}
	return dst
}

// CheckSyslogField reports whether s may fill a header field of at most
// max bytes: printable US-ASCII (33-126), not empty. name labels the error.
func CheckSyslogField(name, s string, max int) error {
	if s == "" {
		return fmt.Errorf("%s \"\": must not be empty (use \"-\" for none)", name)
	}
	if len(s) > max {
		return fmt.Errorf("%s %q: %d bytes, more than the %d allowed", name, s, len(s), max)
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 33 || s[i] > 126 {
			return fmt.Errorf("%s %q: byte %d is not printable US-ASCII (33-126)", name, s, i)
		}
	}
	return nil
}

// CheckSDID reports whether id is a valid SD-ID: an SD-NAME, and when it
// has an '@', a name and a private enterprise number around it.
func CheckSDID(id string) error {
	if err := CheckSyslogField("sd_id", id, MaxSyslogSDName); err != nil {
		return err
	}
	for i := 0; i < len(id); i++ {
		if !sdNameByte(id[i]) {
			return fmt.Errorf("sd_id %q: %q is not allowed in an SD-ID", id, id[i])
		}
	}
	at := -1
	for i := 0; i < len(id); i++ {
		if id[i] == '@' {
			if at >= 0 {
				return fmt.Errorf("sd_id %q: more than one '@'", id)
			}
			at = i
		}
	}
	if at < 0 {
		return nil // an IANA-registered name, e.g. "meta"
	}
	if at == 0 {
		return fmt.Errorf("sd_id %q: no name before '@'", id)
	}
	pen := id[at+1:]
	if pen == "" {
		return fmt.Errorf("sd_id %q: no enterprise number after '@'", id)
	}
	for i := 0; i < len(pen); i++ {
		if (pen[i] < '0' || pen[i] > '9') && pen[i] != '.' {
			return fmt.Errorf("sd_id %q: %q after '@' is not a private enterprise number", id, pen)
		}
	}
	return nil
}

// SanitizeSyslogField makes s a valid header field: bytes outside 33-126
// become '_', and it is cut to max bytes; empty gives "-". For defaults
// taken from the system (the host name, the program name).
func SanitizeSyslogField(s string, max int) string {
	if s == "" {
		return "-"
	}
	if len(s) > max {
		s = s[:max]
	}
	b := []byte(s)
	for i, c := range b {
		if c < 33 || c > 126 {
			b[i] = '_'
		}
	}
	return string(b)
}

var _ core.Formatter = (*SyslogFormatter)(nil)
