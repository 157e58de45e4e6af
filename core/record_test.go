package core

import "testing"

// TestRecordCopyFrom checks the deep copy a queued handler makes: the copy
// owns its message and key/values, and reuses its own buffers.
func TestRecordCopyFrom(t *testing.T) {
	src := Record{Logger: "a", Level: LevelError, Message: []byte("hello"), TimeNs: 7, ThreadID: 3, ThreadName: "t",
		Filename: "f.py", LineNumber: 12, ModulePath: "m", KeyValues: []KeyValue{StringValue("k", "v")}}
	dst := Record{Message: make([]byte, 0, 64), KeyValues: make([]KeyValue, 0, 4)}
	msgBuf, kvBuf := &dst.Message[:1][0], &dst.KeyValues[:1][0]
	dst.CopyFrom(&src)
	src.Message[0] = 'X'
	src.KeyValues[0].Key = "changed"
	if string(dst.Message) != "hello" || dst.KeyValues[0].Key != "k" {
		t.Fatalf("copy shares buffers with the source: got %q, %v", dst.Message, dst.KeyValues)
	}
	if &dst.Message[0] != msgBuf || &dst.KeyValues[0] != kvBuf {
		t.Fatal("copy did not reuse the destination's buffers")
	}
	if dst.Logger != "a" || dst.Level != LevelError || dst.TimeNs != 7 || dst.ThreadID != 3 || dst.ThreadName != "t" ||
		dst.Filename != "f.py" || dst.LineNumber != 12 || dst.ModulePath != "m" {
		t.Fatalf("got %+v", dst)
	}
	var empty Record
	dst.CopyFrom(&empty)
	if len(dst.Message) != 0 || len(dst.KeyValues) != 0 || dst.Logger != "" {
		t.Fatalf("copy of an empty record: got %+v", dst)
	}
}
