package core_test

import (
	"testing"
	"time"

	"femtologging/core"
	"femtologging/core/coretest"
)

// BenchmarkLoggerToDiscard measures the caller's cost of Logger.Log with a
// queued handler behind it, and checks every record is accounted for.
func BenchmarkLoggerToDiscard(b *testing.B) {
	m, l, h := benchPipeline(b, core.OverflowPolicy{})
	msg := []byte("hello world message")
	th := &core.ThreadInfo{ID: 1, Name: "main"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l.Log(core.LevelInfo, msg, th, -1)
	}
	b.StopTimer()
	m.Sync(5 * time.Second)
	h.Close(5 * time.Second)
	if got := h.Delivered() + h.Dropped() + l.Dropped(); got != uint64(b.N) {
		b.Fatalf("accounted %d of %d", got, b.N)
	}
	b.ReportMetric(float64(l.Dropped()+h.Dropped())/float64(b.N), "dropped/op")
}

// BenchmarkPipelineThroughput measures end-to-end records per second when
// the producer waits for room (block policy): the consumers' speed.
func BenchmarkPipelineThroughput(b *testing.B) {
	m, l, h := benchPipeline(b, core.OverflowPolicy{Kind: core.PolicyBlock})
	msg := []byte("hello world message")
	th := &core.ThreadInfo{ID: 1, Name: "main"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l.Log(core.LevelInfo, msg, th, -1)
	}
	m.Sync(5 * time.Second)
	h.Close(5 * time.Second)
	b.StopTimer()
	if got := h.Delivered(); got != uint64(b.N) {
		b.Fatalf("delivered %d of %d", got, b.N)
	}
}

// benchPipeline is a logger feeding one queued handler that discards.
func benchPipeline(b *testing.B, policy core.OverflowPolicy) (*core.Manager, *core.Logger, *core.QueuedHandler) {
	m := core.NewManager(core.ManagerOptions{})
	h, err := core.NewQueuedHandler(core.QueuedHandlerOptions{Name: "bench", Capacity: 1024, Policy: policy}, core.TextFormatter{}, coretest.DiscardSink{})
	if err != nil {
		b.Fatal(err)
	}
	l, err := m.Logger("bench")
	if err != nil {
		b.Fatal(err)
	}
	l.AddHandler(h)
	return m, l, h
}
