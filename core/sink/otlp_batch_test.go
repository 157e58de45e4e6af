package sink

import (
	"testing"

	logspb "go.opentelemetry.io/proto/otlp/logs/v1"
	"google.golang.org/protobuf/proto"

	"femtologging/core"
	"femtologging/core/encode"
)

// decodeRequest decodes an ExportLogsServiceRequest; LogsData has the
// same encoding and keeps the collector's gRPC package out of the module.
func decodeRequest(t *testing.T, b []byte) *logspb.LogsData {
	t.Helper()
	var req logspb.LogsData
	if err := proto.Unmarshal(b, &req); err != nil {
		t.Fatalf("decode request: %v", err)
	}
	return &req
}

func envelope(t *testing.T, logger, msg string) []byte {
	t.Helper()
	rec := core.Record{Logger: logger, Level: core.LevelInfo, Message: []byte(msg)}
	out, err := encode.OTLPFormatter{}.Format(nil, &rec)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestOTLPBatchGroupsByScope(t *testing.T) {
	b := newOTLPBatch(EncodeResource(map[string]string{"service.name": "shop", "deployment.environment": "test"}))
	for _, e := range [][2]string{{"a", "1"}, {"b", "2"}, {"a", "3"}, {"", "4"}, {"b", "5"}} {
		if !b.add(envelope(t, e[0], e[1])) {
			t.Fatal("add refused a well-formed envelope")
		}
	}
	req := decodeRequest(t, b.encode(nil))
	if n := len(req.GetResourceLogs()); n != 1 {
		t.Fatalf("got %d ResourceLogs, want 1", n)
	}
	rl := req.GetResourceLogs()[0]
	res := map[string]any{} // the resource's attributes are strings
	for _, kv := range rl.GetResource().GetAttributes() {
		res[kv.GetKey()] = kv.GetValue().GetStringValue()
	}
	if res["service.name"] != "shop" || res["deployment.environment"] != "test" || len(res) != 2 {
		t.Errorf("resource: got %v", res)
	}
	want := []struct {
		scope string
		msgs  []string
	}{{"a", []string{"1", "3"}}, {"b", []string{"2", "5"}}, {"", []string{"4"}}}
	if len(rl.GetScopeLogs()) != len(want) {
		t.Fatalf("got %d ScopeLogs, want %d", len(rl.GetScopeLogs()), len(want))
	}
	for i, w := range want {
		sl := rl.GetScopeLogs()[i]
		if sl.GetScope().GetName() != w.scope {
			t.Errorf("scope %d: got %q, want %q", i, sl.GetScope().GetName(), w.scope)
		}
		var msgs []string
		for _, lr := range sl.GetLogRecords() {
			msgs = append(msgs, lr.GetBody().GetStringValue())
		}
		if len(msgs) != len(w.msgs) || msgs[0] != w.msgs[0] || msgs[len(msgs)-1] != w.msgs[len(w.msgs)-1] {
			t.Errorf("scope %q: got %v, want %v", w.scope, msgs, w.msgs)
		}
	}
	if b.records != 5 {
		t.Errorf("records: got %d, want 5", b.records)
	}
	b.reset()
	if b.records != 0 || b.size != 0 || len(b.order) != 0 {
		t.Errorf("after reset: got %d records, %d bytes, %d scopes, want none", b.records, b.size, len(b.order))
	}
	b.add(envelope(t, "b", "6"))
	req = decodeRequest(t, b.encode(nil))
	if sl := req.GetResourceLogs()[0].GetScopeLogs(); len(sl) != 1 || sl[0].GetScope().GetName() != "b" {
		t.Errorf("after reset: got %v, want one scope \"b\"", sl)
	}
}

func TestOTLPBatchRejectsMalformed(t *testing.T) {
	b := newOTLPBatch(nil)
	if b.add([]byte{0xff}) {
		t.Error("add accepted a truncated envelope")
	}
}

func TestOTLPBatchForgetsIdleScopes(t *testing.T) {
	b := newOTLPBatch(nil)
	for i := range maxIdleScopes + 1 {
		b.add(envelope(t, "l"+string(rune('A'+i%26))+string(rune('a'+i/26)), "m"))
	}
	b.reset()
	if len(b.scopes) != 0 {
		t.Errorf("got %d scopes kept, want none past %d", len(b.scopes), maxIdleScopes)
	}
}
