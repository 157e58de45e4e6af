package sink

import (
	"strings"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"

	"femtologging/core/otlpwire"
)

// The answers an OTLP/HTTP collector gives, decoded by hand for the two
// fields worth reporting (see otlp_record.go for why not the generated
// types).

// partialSuccess reads ExportLogsServiceResponse.partial_success
// (field 1): rejected_log_records (1) and error_message (2).
func partialSuccess(resp []byte) (rejected int64, msg string) {
	ps, ok := bytesField(resp, 1)
	if !ok {
		return 0, ""
	}
	eachField(ps, func(num protowire.Number, typ protowire.Type, value []byte) {
		switch {
		case num == 1 && typ == protowire.VarintType:
			v, _ := protowire.ConsumeVarint(value)
			rejected = int64(v)
		case num == 2 && typ == protowire.BytesType:
			v, _ := protowire.ConsumeBytes(value)
			msg = printable(v)
		}
	})
	return rejected, msg
}

// statusMessage describes an error response: the message of a
// google.rpc.Status (field 2) for a protobuf body, the start of the text
// otherwise (proxies answer with HTML or plain text).
func statusMessage(contentType string, body []byte) string {
	if strings.HasPrefix(contentType, "application/x-protobuf") || strings.HasPrefix(contentType, "application/protobuf") {
		if msg, ok := bytesField(body, 2); ok {
			return printable(msg)
		}
		return ""
	}
	return printable(body)
}

// bytesField returns the last length-delimited field num of a message.
func bytesField(msg []byte, want protowire.Number) (out []byte, found bool) {
	eachField(msg, func(num protowire.Number, typ protowire.Type, value []byte) {
		if num == want && typ == protowire.BytesType {
			out, _ = protowire.ConsumeBytes(value)
			found = true
		}
	})
	return out, found
}

// eachField calls fn with each field of a protobuf message in order: its
// number, wire type and encoded value (a tag's worth of bytes, whole, so
// fn's protowire.Consume* cannot fail). A collector's answer is read
// leniently: the walk stops at the first malformed field, keeping what
// came before it.
func eachField(msg []byte, fn func(num protowire.Number, typ protowire.Type, value []byte)) {
	for len(msg) > 0 {
		num, typ, n := protowire.ConsumeTag(msg)
		if n < 0 {
			return
		}
		msg = msg[n:]
		m := protowire.ConsumeFieldValue(num, typ, msg)
		if m < 0 {
			return
		}
		fn(num, typ, msg[:m])
		msg = msg[m:]
	}
}

// maxDetail bounds the text a diagnostic quotes from a response.
const maxDetail = 200

// printable returns b as one line of at most maxDetail bytes of valid
// UTF-8, for a diagnostic.
func printable(b []byte) string {
	if len(b) > maxDetail {
		b = b[:maxDetail]
		for len(b) > 0 && !utf8.Valid(b) {
			b = b[:len(b)-1] // do not cut a character in half
		}
	}
	s := strings.Join(strings.Fields(otlpwire.ValidUTF8(string(b))), " ")
	return s
}
