package core_test

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"femtologging/core"
)

// formatRecord is the record testdata/format_cases.json was made from:
// the expected lines are what CPython's logging.Formatter printed for a
// LogRecord with the same attributes (see python/tests for the
// differential test that generates many more).
func formatRecord() *core.Record {
	rec := &core.Record{Logger: "app.db", Level: core.LevelWarn, Message: []byte("hello world"),
		TimeNs: 1700000000125000000, ThreadID: 7, ThreadName: "MainThread"}
	rec.SetDetails(&core.RecordDetails{HasCaller: true, Pathname: "/src/app/main.py", Filename: "main.py",
		Module: "main", FuncName: "handler", LineNumber: 42, KeyValues: []core.KeyValue{
			core.StringValue("s", "it's"), core.FloatValue("f", 3.14159), core.IntValue("i", 255),
			core.BoolValue("b", true), core.NoneValue("n"), core.StringValue("u", "caf\u00e9\u2028x"),
			core.StringValue("q", "a\"b'c\n"), core.IntValue("big", 12345678901), core.IntValue("neg", -42),
		}})
	return rec
}

func TestStringFormatterMatchesCPython(t *testing.T) {
	data, err := os.ReadFile("testdata/format_cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var rows [][3]string
	if err := json.Unmarshal(data, &rows); err != nil {
		t.Fatal(err)
	}
	for _, row := range rows {
		f, err := core.NewStringFormatter(core.FormatOptions{Format: row[1], Style: core.FormatStyle(row[0][0]), Validate: true})
		if err != nil {
			t.Errorf("%q: %v", row[1], err)
			continue
		}
		got, err := f.Format(nil, formatRecord())
		if err != nil {
			t.Errorf("%q: %v", row[1], err)
			continue
		}
		if want := row[2] + "\n"; string(got) != want {
			t.Errorf("format %q:\n got %q\nwant %q", row[1], got, want)
		}
	}
}

func TestStringFormatterAsctimeAndSections(t *testing.T) {
	f, err := core.NewStringFormatter(core.FormatOptions{Format: "%(asctime)s %(message)s", UTC: true})
	if err != nil {
		t.Fatal(err)
	}
	rec := formatRecord()
	rec.ExcText = []byte("Traceback (most recent call last):\nValueError: x")
	rec.StackText = []byte("Stack (most recent call last):\n  frame")
	got, _ := f.Format(nil, rec)
	want := "2023-11-14 22:13:20,125 hello world\nTraceback (most recent call last):\nValueError: x\nStack (most recent call last):\n  frame\n"
	if string(got) != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	f, _ = core.NewStringFormatter(core.FormatOptions{Format: "{asctime}", Style: core.StyleBrace, Datefmt: "%d/%b/%Y %I%p %j %a %%", UTC: true})
	got, _ = f.Format(nil, formatRecord())
	if want := "14/Nov/2023 10PM 318 Tue %\n"; string(got) != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestStringFormatterLocalTimeByDefault(t *testing.T) {
	f, _ := core.NewStringFormatter(core.FormatOptions{Format: "%(asctime)s", Datefmt: "%H:%M %z"})
	rec := formatRecord()
	got, _ := f.Format(nil, rec)
	want := time.Unix(0, rec.TimeNs).Local().Format("15:04 -0700") + "\n"
	if string(got) != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestStringFormatterRejectsBadFormats(t *testing.T) {
	tests := []struct {
		style  core.FormatStyle
		format string
		want   string
	}{
		{core.StylePercent, "%(message)", "incomplete format"},
		{core.StylePercent, "%(message)y", "unsupported format character 'y'"},
		{core.StylePercent, "%s", "conversion without a (name)"},
		{core.StylePercent, "%(message)*d", "'*' width"},
		{core.StylePercent, "no fields", "has no fields"},
		{core.StyleBrace, "{message", "expected '}'"},
		{core.StyleBrace, "message}", "single '}'"},
		{core.StyleBrace, "{0}", "invalid field name"},
		{core.StyleBrace, "{a.b}", "invalid field name"},
		{core.StyleBrace, "{message!x}", "invalid conversion"},
		{core.StyleBrace, "{message:<<<}", "bad specifier"},
		{core.StyleBrace, "{message:{w}}", "nested fields"},
		{core.StyleTemplate, "$ x", "bare '$'"},
		{core.StyleTemplate, "${message", "bare '$'"},
		{core.StylePercent, "%(message)999999999s", "too large"},
		{core.StyleBrace, "{message:.100000}", "too large"},
	}
	for _, tt := range tests {
		_, err := core.NewStringFormatter(core.FormatOptions{Format: tt.format, Style: tt.style, Validate: true})
		if err == nil || !errors.Is(err, core.ErrBadFormat) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%c %q: got %v, want an error containing %q", tt.style, tt.format, err, tt.want)
		}
	}
}

func TestStringFormatterFailsOnMissingOrMistypedValues(t *testing.T) {
	for _, format := range []string{"%(nope)s", "%(s)d", "%(f)x"} {
		f, err := core.NewStringFormatter(core.FormatOptions{Format: format})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Format(nil, formatRecord()); err == nil {
			t.Errorf("%q: got no error", format)
		}
	}
}

func TestStringFormatterWantsCallerOnlyForCallerFields(t *testing.T) {
	for format, want := range map[string]bool{"%(message)s": false, "%(lineno)d": true, "%(funcName)s": true, "%(asctime)s": false} {
		f, _ := core.NewStringFormatter(core.FormatOptions{Format: format})
		if f.WantsCaller() != want {
			t.Errorf("%q: WantsCaller got %v, want %v", format, !want, want)
		}
	}
}

func TestStringFormatterWithoutCallerUsesStdlibPlaceholders(t *testing.T) {
	f, _ := core.NewStringFormatter(core.FormatOptions{Format: "%(pathname)s|%(filename)s|%(module)s|%(lineno)d|%(funcName)s"})
	got, _ := f.Format(nil, &core.Record{Level: core.LevelInfo})
	if want := "(unknown file)|(unknown file)|(unknown file)|0|(unknown function)\n"; string(got) != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestJSONFormatterWritesValidJSONForHostileText(t *testing.T) {
	f, err := core.NewJSONFormatter(append([]string(nil), core.JSONFields...), true)
	if err != nil {
		t.Fatal(err)
	}
	hostile := "quote\" back\\ nl\n nul\x00 bell\x07 ls\u2028 bad\xff\xfe é 😀 </script>"
	rec := formatRecord()
	rec.Message = []byte(hostile)
	rec.ExcText = []byte("Traceback\n\"x\"")
	rec.KeyValues = append(rec.KeyValues, core.FloatValue("nan", nanValue()), core.StringValue(hostile, hostile))
	line, _ := f.Format(nil, rec)
	if strings.Count(string(line), "\n") != 1 || !strings.HasSuffix(string(line), "\n") {
		t.Fatalf("not one line: %q", line)
	}
	var got map[string]any
	if err := json.Unmarshal(line, &got); err != nil {
		t.Fatalf("invalid JSON %q: %v", line, err)
	}
	wantMsg := strings.ToValidUTF8(hostile, "\ufffd")
	wantMsg = strings.Replace(wantMsg, "\ufffd", "\ufffd\ufffd", 1) // one U+FFFD per bad byte
	if got["message"] != wantMsg {
		t.Errorf("message: got %q, want %q", got["message"], wantMsg)
	}
	if got["time"] != "2023-11-14T22:13:20.125000Z" || got["level"] != "WARNING" || got["lineno"] != float64(42) {
		t.Errorf("got %v", got)
	}
	fields := got["fields"].(map[string]any)
	if fields["i"] != float64(255) || fields["b"] != true || fields["n"] != nil || fields["nan"] != "nan" {
		t.Errorf("fields: got %v", fields)
	}
}

func TestJSONFormatterDefaultFieldsOmitCaller(t *testing.T) {
	f, _ := core.NewJSONFormatter(nil, true)
	if f.WantsCaller() {
		t.Fatal("the default JSON fields must not ask for the caller")
	}
	line, _ := f.Format(nil, &core.Record{Logger: "a", Level: core.LevelInfo, Message: []byte("m")})
	var got map[string]any
	if err := json.Unmarshal(line, &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"lineno", "exception", "stack", "fields"} {
		if _, ok := got[k]; ok {
			t.Errorf("key %q present in %s", k, line)
		}
	}
}

func nanValue() float64 { var z float64; return z / z }

// FuzzStringFormatter checks that no format string, in any style, makes
// the compiler or the formatter panic, and that a compiled format either
// formats a record or returns an error.
func FuzzStringFormatter(f *testing.F) {
	data, _ := os.ReadFile("testdata/format_cases.json")
	var rows [][3]string
	_ = json.Unmarshal(data, &rows)
	for _, row := range rows {
		f.Add(row[1], row[0][0], "%Y %b %%")
	}
	f.Add("%(message)s %(x)#-+ 012.5g", byte('%'), "%c %x %X")
	f.Add("{f:_^+#020,.3%}", byte('{'), "")
	f.Add("{f:.0} {f:#} {f:.3n}", byte('{'), "")
	f.Fuzz(func(t *testing.T, format string, style byte, datefmt string) {
		sf, err := core.NewStringFormatter(core.FormatOptions{Format: format, Style: core.FormatStyle(style), Datefmt: datefmt})
		if err != nil {
			if !errors.Is(err, core.ErrBadFormat) {
				t.Fatalf("error not wrapping ErrBadFormat: %v", err)
			}
			return
		}
		line, err := sf.Format([]byte("x"), formatRecord())
		if err == nil && (len(line) < 2 || line[len(line)-1] != '\n') {
			t.Fatalf("line %q does not end in a newline", line)
		}
	})
}

func TestNonFiniteFloatsFormatLikePython(t *testing.T) {
	rec := &core.Record{Level: core.LevelInfo}
	rec.SetDetails(&core.RecordDetails{KeyValues: []core.KeyValue{
		core.FloatValue("inf", math.Inf(1)), core.FloatValue("ninf", math.Inf(-1)), core.FloatValue("nan", math.NaN())}})
	tests := []struct{ format, want string }{ // wants printed by CPython 3.11
		{"{inf:.0}", "inf"}, {"{nan:.3}", "nan"}, {"{ninf:#}", "-inf"}, {"{inf:010.2f}", "0000000inf"},
		{"{inf:%}", "inf%"}, {"{ninf:+.2e}", "-inf"}, {"{nan:n}", "nan"},
	}
	for _, tt := range tests {
		f, err := core.NewStringFormatter(core.FormatOptions{Format: tt.format, Style: core.StyleBrace})
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.Format(nil, rec)
		if err != nil || string(got) != tt.want+"\n" {
			t.Errorf("%q: got %q, %v, want %q", tt.format, got, err, tt.want)
		}
	}
	f, _ := core.NewStringFormatter(core.FormatOptions{Format: "%(inf)g"})
	if got, _ := f.Format(nil, rec); string(got) != "inf\n" {
		t.Errorf("%%(inf)g: got %q", got)
	}
}
