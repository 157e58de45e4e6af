package encode

import (
	"errors"
	"strings"
	"testing"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	logspb "go.opentelemetry.io/proto/otlp/logs/v1"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"femtologging/core"
	"femtologging/core/otlpwire"
)

// decodeLogRecord decodes what appendLogRecord wrote with the generated
// OTLP types, which holds the hand encoding to the schema.
func decodeLogRecord(t *testing.T, b []byte) *logspb.LogRecord {
	t.Helper()
	var lr logspb.LogRecord
	if err := proto.Unmarshal(b, &lr); err != nil {
		t.Fatalf("decode LogRecord: %v", err)
	}
	return &lr
}

// attrMap flattens attributes to their string or integer values.
func attrMap(kvs []*commonpb.KeyValue) map[string]any {
	out := map[string]any{}
	for _, kv := range kvs {
		switch v := kv.GetValue().GetValue().(type) {
		case *commonpb.AnyValue_StringValue:
			out[kv.GetKey()] = v.StringValue
		case *commonpb.AnyValue_IntValue:
			out[kv.GetKey()] = v.IntValue
		case *commonpb.AnyValue_DoubleValue:
			out[kv.GetKey()] = v.DoubleValue
		case *commonpb.AnyValue_BoolValue:
			out[kv.GetKey()] = v.BoolValue
		case nil:
			out[kv.GetKey()] = nil
		default:
			out[kv.GetKey()] = v
		}
	}
	return out
}

// kvString builds a string key-value.
func kvString(k, v string) core.KeyValue { return core.StringValue(k, v) }

func TestSeverityNumber(t *testing.T) {
	tests := []struct {
		level core.Level
		num   logspb.SeverityNumber
		text  string
	}{
		{core.LevelTrace, logspb.SeverityNumber_SEVERITY_NUMBER_TRACE, "TRACE"},
		{core.LevelDebug, logspb.SeverityNumber_SEVERITY_NUMBER_DEBUG, "DEBUG"},
		{core.LevelInfo, logspb.SeverityNumber_SEVERITY_NUMBER_INFO, "INFO"},
		{core.LevelWarn, logspb.SeverityNumber_SEVERITY_NUMBER_WARN, "WARN"},
		{core.LevelError, logspb.SeverityNumber_SEVERITY_NUMBER_ERROR, "ERROR"},
		{core.LevelCritical, logspb.SeverityNumber_SEVERITY_NUMBER_FATAL, "CRITICAL"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			f := logFields{Level: tt.level, Body: []byte("m")}
			lr := decodeLogRecord(t, appendLogRecord(nil, &f))
			if lr.GetSeverityNumber() != tt.num || lr.GetSeverityText() != tt.text {
				t.Errorf("got %v %q, want %v %q", lr.GetSeverityNumber(), lr.GetSeverityText(), tt.num, tt.text)
			}
		})
	}
}

func TestLogRecordMapping(t *testing.T) {
	rec := core.Record{
		Logger: "app.db", Level: core.LevelWarn, Message: []byte("disk 91% full"),
		TimeNs: 1_700_000_000_123_456_789, ThreadID: 4242, ThreadName: "worker-1",
		HasCaller: true, Pathname: "/srv/app/db.py", Filename: "db.py", LineNumber: 17,
		ModulePath: "db", FuncName: "check",
		KeyValues: []core.KeyValue{kvString("disk", "/dev/sda"), core.IntValue("pct", 91),
			core.FloatValue("load", 2.5), core.BoolValue("full", true), core.NoneValue("owner")},
		ExcText:   []byte("Traceback (most recent call last):\n  File \"db.py\", line 17, in check\nOSError: disk full"),
		StackText: []byte("Stack (most recent call last):\n  File \"db.py\", line 17, in check"),
	}
	f := fieldsOf(&rec)
	lr := decodeLogRecord(t, appendLogRecord(nil, &f))
	if lr.GetTimeUnixNano() != uint64(rec.TimeNs) || lr.GetObservedTimeUnixNano() != uint64(rec.TimeNs) {
		t.Errorf("times: got %d, %d, want %d for both", lr.GetTimeUnixNano(), lr.GetObservedTimeUnixNano(), rec.TimeNs)
	}
	if got := lr.GetBody().GetStringValue(); got != "disk 91% full" {
		t.Errorf("body: got %q, want %q", got, "disk 91% full")
	}
	want := map[string]any{
		"disk": "/dev/sda", "pct": int64(91), "load": 2.5, "full": true, "owner": nil,
		"thread.id": int64(4242), "thread.name": "worker-1",
		"code.file.path": "/srv/app/db.py", "code.line.number": int64(17), "code.namespace": "db",
		"code.function.name": "check", "code.stacktrace": string(rec.StackText),
		"exception.type": "OSError", "exception.message": "disk full", "exception.stacktrace": string(rec.ExcText),
	}
	got := attrMap(lr.GetAttributes())
	if len(got) != len(want) {
		t.Errorf("attributes: got %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("attribute %q: got %v, want %v", k, got[k], v)
		}
	}
	if lr.GetAttributes()[0].GetKey() != "disk" {
		t.Errorf("first attribute: got %q, want the record's first key-value", lr.GetAttributes()[0].GetKey())
	}
}

func TestLogRecordCallerOnlyWhenCaptured(t *testing.T) {
	// A record whose caller was not captured may still hold stale caller
	// strings from its queue slot's last use; they must not be sent.
	rec := core.Record{Level: core.LevelInfo, Message: []byte("m"), Pathname: "/old.py", Filename: "old.py",
		ModulePath: "old", FuncName: "stale", LineNumber: 3}
	f := fieldsOf(&rec)
	for k := range attrMap(decodeLogRecord(t, appendLogRecord(nil, &f)).GetAttributes()) {
		if strings.HasPrefix(k, "code.") {
			t.Errorf("attribute %q sent for a record without a captured caller", k)
		}
	}
}

func TestLogRecordOptionalFieldsLeftOut(t *testing.T) {
	f := logFields{Level: core.LevelInfo, Body: []byte("bare")}
	lr := decodeLogRecord(t, appendLogRecord(nil, &f))
	if n := len(lr.GetAttributes()); n != 0 {
		t.Errorf("got %d attributes, want none for a record without thread, code or key-values", n)
	}
	if lr.GetTimeUnixNano() != 0 {
		t.Errorf("time: got %d, want 0 (unset)", lr.GetTimeUnixNano())
	}
}

func TestLogRecordException(t *testing.T) {
	tb := "Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\nValueError: bad value\n"
	f := logFields{
		Level: core.LevelError, Body: []byte("failed"), Exception: []byte(tb),
		Stack: []byte("Stack (most recent call last):\n  File \"x.py\", line 9"), Function: "run",
	}
	got := attrMap(decodeLogRecord(t, appendLogRecord(nil, &f)).GetAttributes())
	for k, v := range map[string]string{
		"exception.type": "ValueError", "exception.message": "bad value", "exception.stacktrace": tb,
		"code.function.name": "run", "code.stacktrace": string(f.Stack),
	} {
		if got[k] != v {
			t.Errorf("attribute %q: got %v, want %q", k, got[k], v)
		}
	}
}

func TestSplitException(t *testing.T) {
	tests := []struct{ text, typ, msg string }{
		{"Traceback (most recent call last):\n  File \"a\"\nValueError: bad: value\n", "ValueError", "bad: value"},
		{"KeyError: 'k'", "KeyError", "'k'"},
		{"Traceback...\nStopIteration", "StopIteration", ""},
		{"x\nmy.pkg.Error: boom", "my.pkg.Error", "boom"},
		{"something odd happened: here", "", "something odd happened: here"},
		{"", "", ""},
	}
	for _, tt := range tests {
		typ, msg := splitException([]byte(tt.text))
		if typ != tt.typ || msg != tt.msg {
			t.Errorf("splitException(%q): got %q %q, want %q %q", tt.text, typ, msg, tt.typ, tt.msg)
		}
	}
}

func TestAttributeValueKinds(t *testing.T) {
	var b []byte
	b = otlpwire.AppendAttr(b, lrAttributes, "s", otlpwire.AttrValue{Kind: otlpwire.AttrString, Str: "x"})
	b = otlpwire.AppendAttr(b, lrAttributes, "i", otlpwire.AttrValue{Kind: otlpwire.AttrInt, Int: -42})
	b = otlpwire.AppendAttr(b, lrAttributes, "f", otlpwire.AttrValue{Kind: otlpwire.AttrDouble, Float: 2.5})
	b = otlpwire.AppendAttr(b, lrAttributes, "t", otlpwire.AttrValue{Kind: otlpwire.AttrBool, Int: 1})
	b = otlpwire.AppendAttr(b, lrAttributes, "n", otlpwire.AttrValue{Kind: otlpwire.AttrEmpty})
	attrs := decodeLogRecord(t, b).GetAttributes()
	if len(attrs) != 5 {
		t.Fatalf("got %d attributes, want 5", len(attrs))
	}
	v := func(i int) *commonpb.AnyValue { return attrs[i].GetValue() }
	if v(0).GetStringValue() != "x" || v(1).GetIntValue() != -42 || v(2).GetDoubleValue() != 2.5 ||
		!v(3).GetBoolValue() || v(4).GetValue() != nil {
		t.Errorf("got %v", attrs)
	}
}

func TestLogRecordInvalidUTF8(t *testing.T) {
	f := logFields{
		Level: core.LevelInfo, Body: []byte("a\xffb\xed\xa0\x80c"), // a raw byte, a lone surrogate
		KeyValues: []core.KeyValue{kvString("k\xfe", "v\xc0")},
	}
	lr := decodeLogRecord(t, appendLogRecord(nil, &f)) // strict decoding fails on invalid UTF-8
	if got := lr.GetBody().GetStringValue(); !strings.HasPrefix(got, "a\uFFFDb") || !strings.HasSuffix(got, "c") {
		t.Errorf("body: got %q, want the invalid bytes replaced by U+FFFD", got)
	}
	if got := attrMap(lr.GetAttributes())["k\uFFFD"]; got != "v\uFFFD" {
		t.Errorf("attribute: got %v, want %q", got, "v\uFFFD")
	}
}

func TestOTLPFormatterEnvelope(t *testing.T) {
	rec := core.Record{Logger: "svc.api", Level: core.LevelInfo, Message: []byte("hello"), TimeNs: 5}
	out, err := OTLPFormatter{}.Format([]byte("prefix"), &rec)
	if err != nil {
		t.Fatal(err)
	}
	if string(out[:6]) != "prefix" {
		t.Fatalf("Format did not append to dst: %q", out[:6])
	}
	scope, field, ok := otlpwire.SplitEnvelope(out[6:])
	if !ok || string(scope) != "svc.api" {
		t.Fatalf("scope: got %q %v, want %q", scope, ok, "svc.api")
	}
	num, typ, n := protowire.ConsumeTag(field)
	if num != otlpwire.ScopeLogsRecords || typ != protowire.BytesType {
		t.Fatalf("field: got %d/%d, want log_records (2) bytes", num, typ)
	}
	body, m := protowire.ConsumeBytes(field[n:])
	if m != len(field)-n {
		t.Fatalf("log_records length %d covers %d of %d bytes", len(body), m, len(field)-n)
	}
	if got := decodeLogRecord(t, body).GetBody().GetStringValue(); got != "hello" {
		t.Errorf("body: got %q, want %q", got, "hello")
	}
}

func TestOTLPFormatterTooLarge(t *testing.T) {
	rec := core.Record{Logger: "big", Level: core.LevelInfo, Message: make([]byte, 2000)}
	out, err := OTLPFormatter{MaxRecordSize: 1000}.Format([]byte("x"), &rec)
	if !errors.Is(err, core.ErrDiscarded) || !errors.Is(err, ErrRecordTooLarge) {
		t.Fatalf("got %v, want ErrRecordTooLarge and ErrDiscarded", err)
	}
	if string(out) != "x" {
		t.Errorf("got %q, want dst unchanged", out)
	}
}

func BenchmarkOTLPFormat(b *testing.B) {
	rec := core.Record{
		Logger: "bench.otlp", Level: core.LevelInfo, Message: []byte("a typical log message of moderate length"),
		TimeNs: 1_700_000_000_000_000_000, ThreadID: 7, ThreadName: "MainThread",
	}
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = OTLPFormatter{}.Format(buf[:0], &rec)
	}
}
