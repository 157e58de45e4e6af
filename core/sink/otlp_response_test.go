package sink

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPartialSuccess(t *testing.T) {
	tests := []struct {
		name     string
		resp     []byte
		rejected int64
		msg      string
	}{
		{"empty answer", nil, 0, ""},
		{"no partial success", []byte{0x12, 0x00}, 0, ""},
		{"rejected and message", []byte{0x0a, 0x0b, 0x08, 0x02, 0x12, 0x07, 't', 'o', 'o', ' ', 'o', 'l', 'd'}, 2, "too old"},
		{"message only", []byte{0x0a, 0x04, 0x12, 0x02, 'h', 'i'}, 0, "hi"},
		{"unknown field skipped", []byte{0x0a, 0x05, 0x18, 0x07, 0x08, 0x03, 0x20}, 3, ""},
		{"truncated", []byte{0x0a, 0x09, 0x08}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, msg := partialSuccess(tt.resp)
			if n != tt.rejected || msg != tt.msg {
				t.Errorf("got %d %q, want %d %q", n, msg, tt.rejected, tt.msg)
			}
		})
	}
}

func TestStatusMessage(t *testing.T) {
	status := []byte{0x08, 0x03, 0x12, 0x03, 'b', 'a', 'd'}
	tests := []struct {
		ctype string
		body  []byte
		want  string
	}{
		{"application/x-protobuf", status, "bad"},
		{"application/x-protobuf", []byte{0xff}, ""},
		{"text/plain; charset=utf-8", []byte("no  such\n\tpath \xff"), "no such path \uFFFD"},
		{"text/html", []byte(strings.Repeat("x", 500)), strings.Repeat("x", maxDetail)},
	}
	for _, tt := range tests {
		if got := statusMessage(tt.ctype, tt.body); got != tt.want {
			t.Errorf("statusMessage(%q, %q): got %q, want %q", tt.ctype, tt.body, got, tt.want)
		}
	}
}

// FuzzOTLPResponse checks that no answer from a server crashes the
// decoders or yields a diagnostic that is not one line of valid UTF-8.
func FuzzOTLPResponse(f *testing.F) {
	f.Add([]byte{0x0a, 0x0b, 0x08, 0x02, 0x12, 0x07, 't', 'o', 'o', ' ', 'o', 'l', 'd'})
	f.Add([]byte{0x08, 0x03, 0x12, 0x03, 'b', 'a', 'd'})
	f.Add([]byte("<html>502 Bad Gateway</html>"))
	f.Fuzz(func(t *testing.T, body []byte) {
		_, msg := partialSuccess(body)
		for _, s := range []string{msg, statusMessage("application/x-protobuf", body), statusMessage("text/plain", body)} {
			if !utf8.ValidString(s) || strings.ContainsAny(s, "\n\r") || len(s) > 4*maxDetail {
				t.Fatalf("diagnostic %q: want one line of valid UTF-8, at most %d bytes", s, 4*maxDetail)
			}
		}
	})
}
