package encode

import (
	"strings"
	"testing"
	"time"

	"femtologging/core"
)

// at is 2026-12-07T18:39:33.123456789Z: the nanoseconds past the sixth
// digit must be cut, not rounded into a seventh.
var at = time.Date(2026, 12, 7, 18, 39, 33, 123456789, time.UTC).UnixNano()

func formatOne(t *testing.T, o SyslogFormatOptions, rec core.Record) string {
	t.Helper()
	out, err := NewSyslogFormatter(o).Format(nil, &rec)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestSyslogFormatRFC5424(t *testing.T) {
	base := SyslogFormatOptions{Facility: 16, Hostname: "web1", AppName: "app", ProcID: "42", MsgID: "ID7", SDID: "fields@32473"}
	tests := []struct {
		name string
		opts SyslogFormatOptions
		rec  core.Record
		want string
	}{
		{"info", base, core.Record{Level: core.LevelInfo, Message: []byte("hello"), TimeNs: at},
			"<134>1 2026-12-07T18:39:33.123456Z web1 app 42 ID7 - hello"},
		{"nil fields", SyslogFormatOptions{Facility: 1}, core.Record{Level: core.LevelError, Message: []byte("x"), TimeNs: at},
			"<11>1 2026-12-07T18:39:33.123456Z - - - - - x"},
		{"empty message", base, core.Record{Level: core.LevelWarn, TimeNs: at},
			"<132>1 2026-12-07T18:39:33.123456Z web1 app 42 ID7 -"},
		{"key-values escaped", base, core.Record{Level: core.LevelCritical, Message: []byte("m"), TimeNs: at,
			KeyValues: []core.KeyValue{{Key: "user id", Str: `a"b\c]d`}, {Key: "", Str: "e"}, {Key: "k=v", Str: "caf\xc3\xa9\xff"}}},
			`<130>1 2026-12-07T18:39:33.123456Z web1 app 42 ID7 [fields@32473 user_id="a\"b\\c\]d" _="e" k_v="café` + "\uFFFD" + `"] m`},
		{"long key cut", base, core.Record{Level: core.LevelInfo, TimeNs: at,
			KeyValues: []core.KeyValue{{Key: strings.Repeat("k", 40), Str: "v"}}},
			`<134>1 2026-12-07T18:39:33.123456Z web1 app 42 ID7 [fields@32473 ` + strings.Repeat("k", 32) + `="v"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formatOne(t, tt.opts, tt.rec); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestSyslogSeverities(t *testing.T) {
	tests := []struct {
		level core.Level
		want  int
	}{
		{core.LevelTrace, 7}, {core.LevelDebug, 7}, {core.LevelInfo, 6}, {25, 6},
		{core.LevelWarn, 4}, {core.LevelError, 3}, {core.LevelCritical, 2}, {60, 2}, {1, 7},
	}
	for _, tt := range tests {
		if got := SyslogSeverity(tt.level); got != tt.want {
			t.Errorf("level %d: got severity %d, want %d", tt.level, got, tt.want)
		}
	}
}

func TestSyslogFormatRFC3164(t *testing.T) {
	o := SyslogFormatOptions{RFC3164: true, Facility: 3, Hostname: "web1", AppName: "app", ProcID: "42", Location: time.UTC}
	rec := core.Record{Level: core.LevelDebug, Message: []byte("hi"), TimeNs: at, KeyValues: []core.KeyValue{{Key: "k", Str: "v"}}}
	if got, want := formatOne(t, o, rec), "<31>Dec  7 18:39:33 web1 app[42]: hi"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	o.ProcID = "-"
	if got, want := formatOne(t, o, rec), "<31>Dec  7 18:39:33 web1 app: hi"; got != want {
		t.Errorf("without a procid: got %q, want %q", got, want)
	}
}

func TestSyslogFraming(t *testing.T) {
	o := SyslogFormatOptions{Facility: 1, Hostname: "h", AppName: "a", ProcID: "1", MsgID: "m"}
	rec := core.Record{Level: core.LevelInfo, Message: []byte("two\nlines"), TimeNs: at}
	msg := "<14>1 2026-12-07T18:39:33.123456Z h a 1 m - two\nlines"
	tests := []struct {
		framing SyslogFraming
		want    string
	}{
		{FramingNone, msg},
		{FramingOctetCounting, "53 " + msg},
		{FramingNewline, strings.ReplaceAll(msg, "\n", " ") + "\n"},
	}
	for _, tt := range tests {
		o.Framing = tt.framing
		if got := formatOne(t, o, rec); got != tt.want {
			t.Errorf("framing %d: got %q, want %q", tt.framing, got, tt.want)
		}
	}
}

func TestSyslogTruncatesDatagramsWithoutSplittingCharacters(t *testing.T) {
	o := SyslogFormatOptions{Facility: 1, Hostname: "h", AppName: "a", ProcID: "1", MsgID: "m", SDID: "x@1", MaxSize: 60}
	head := "<14>1 2026-12-07T18:39:33.123456Z h a 1 m - " // 44 bytes
	rec := core.Record{Level: core.LevelInfo, Message: []byte(strings.Repeat("é", 20)), TimeNs: at}
	if got, want := formatOne(t, o, rec), head+strings.Repeat("é", 8); got != want {
		t.Errorf("max 60: got %q, want %q", got, want) // 44 + 8*2 = 60 exactly
	}
	o.MaxSize = 59 // 44 + 7*2 = 58: the 8th character would end at 60
	got := formatOne(t, o, rec)
	if want := head + strings.Repeat("é", 7); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	o.MaxSize = 60
	// Structured data that alone passes the limit is left out, so that
	// what arrives still parses.
	rec.KeyValues = []core.KeyValue{{Key: "k", Str: strings.Repeat("v", 100)}}
	got = formatOne(t, o, rec)
	if !strings.HasPrefix(got, head) || len(got) > 60 {
		t.Errorf("got %q (%d bytes), want the header without structured data, at most 60 bytes", got, len(got))
	}
	// Messages under the limit are whole.
	rec = core.Record{Level: core.LevelInfo, Message: []byte("short"), TimeNs: at}
	if got := formatOne(t, o, rec); got != head+"short" {
		t.Errorf("got %q", got)
	}
}

func TestSyslogFormatDoesNotAllocateInSteadyState(t *testing.T) {
	f := NewSyslogFormatter(SyslogFormatOptions{Facility: 1, Hostname: "h", AppName: "a", ProcID: "1", SDID: "x@1", Framing: FramingOctetCounting})
	rec := core.Record{Level: core.LevelInfo, Message: []byte("hello world"), TimeNs: at, KeyValues: []core.KeyValue{{Key: "k", Str: "v"}}}
	dst := make([]byte, 0, 512)
	f.Format(dst, &rec)
	allocs := testing.AllocsPerRun(100, func() { f.Format(dst[:0], &rec) })
	if allocs != 0 {
		t.Errorf("got %v allocations per record, want 0", allocs)
	}
}

func TestCheckSyslogFields(t *testing.T) {
	tests := []struct {
		name, value string
		max         int
		wantErr     string
	}{
		{"hostname", "web1.example.com", 255, ""},
		{"hostname", "", 255, `hostname "": must not be empty`},
		{"app_name", "my app", 48, `app_name "my app": byte 2 is not printable`},
		{"msgid", strings.Repeat("m", 33), 32, "33 bytes, more than the 32 allowed"},
	}
	for _, tt := range tests {
		err := CheckSyslogField(tt.name, tt.value, tt.max)
		if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("%s %q: got %v, want %q", tt.name, tt.value, err, tt.wantErr)
		}
	}
	for id, wantErr := range map[string]string{
		"fields@32473": "", "meta": "", "a@1.2.3": "",
		"@1": "no name before", "a@": "no enterprise number", "a@b": "not a private enterprise number",
		"a@1@2": "more than one", `a"b`: "not allowed", "a b": "not printable",
	} {
		err := CheckSDID(id)
		if (err == nil) != (wantErr == "") || (err != nil && !strings.Contains(err.Error(), wantErr)) {
			t.Errorf("sd_id %q: got %v, want %q", id, err, wantErr)
		}
	}
}
