package encode

import (
	"testing"

	"femtologging/core"
)

func TestJSONRecordFormatter(t *testing.T) {
	rec := core.Record{Logger: "app", Level: core.LevelWarn, Message: []byte("a\"b\n\x01\xff"), TimeNs: at,
		ThreadID: 3, ThreadName: "T", KeyValues: []core.KeyValue{{Key: "k", Str: "v"}}}
	got, _ := JSONRecordFormatter{}.Format(nil, &rec)
	want := `{"time":"2026-12-07T18:39:33.123456789Z","logger":"app","level":"WARN","levelno":30,"message":"a\"b\n\u0001\ufffd","thread_id":3,"thread_name":"T","fields":{"k":"v"}}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
