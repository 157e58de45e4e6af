package core_test

import (
	"fmt"
	"os"
	"time"

	"femtologging/core"
)

// stdoutSink writes each formatted record to standard output.
type stdoutSink struct{}

func (stdoutSink) Write(p []byte) error { _, err := os.Stdout.Write(p); return err }
func (stdoutSink) Flush() error         { return nil }
func (stdoutSink) Close() error         { return nil }

// A manager hands out loggers by name; a queued handler formats records on
// its own worker and writes them to a sink. Log returns once the record is
// on the logger's queue; Sync and Flush wait for it to be written.
func Example() {
	m := core.NewManager(core.ManagerOptions{})
	h, err := core.NewQueuedHandler(core.QueuedHandlerOptions{Name: "example", Capacity: 64,
		Policy: core.OverflowPolicy{Kind: core.PolicyBlock}}, core.TextFormatter{}, stdoutSink{})
	if err != nil {
		fmt.Println(err)
		return
	}
	log, err := m.Logger("app.db")
	if err != nil {
		fmt.Println(err)
		return
	}
	log.AddHandler(h)
	_, _ = log.Log(core.LevelWarn, []byte("disk 91% full"), nil, -1)
	_, _ = log.Log(core.LevelDebug, []byte("below the root's INFO: filtered"), nil, -1)
	m.Sync(time.Second)
	h.Flush(time.Second)
	_ = m.Close(time.Second)
	_ = h.Close(time.Second)
	// Output: app.db [WARN] disk 91% full
}

// A Runtime owns the manager and the registered handlers, and shuts them
// down in order: queued records reach their handlers, which write them
// and close.
func ExampleRuntime() {
	rt := core.NewRuntime(core.RuntimeOptions{})
	h, err := core.NewQueuedHandler(core.QueuedHandlerOptions{Name: "example", Capacity: 64}, core.TextFormatter{}, stdoutSink{})
	if err != nil {
		fmt.Println(err)
		return
	}
	id := rt.Register(h, "stdout", time.Second)
	e, _ := rt.Handler(id)
	if err := rt.Attach(rt.Manager().Root(), e); err != nil {
		fmt.Println(err)
		return
	}
	_, _ = rt.Manager().Root().Log(core.LevelError, []byte("written before shutdown returns"), nil, -1)
	if err := rt.Shutdown(time.Second, nil); err != nil {
		fmt.Println(err)
	}
	// Output: root [ERROR] written before shutdown returns
}

// A Ticket is a flush (or close) waited for in slices, as the C interface
// does so that Python sees Ctrl-C between them.
func ExampleTicket() {
	rt := core.NewRuntime(core.RuntimeOptions{})
	h, err := core.NewQueuedHandler(core.QueuedHandlerOptions{Name: "example", Capacity: 64}, core.TextFormatter{}, stdoutSink{})
	if err != nil {
		fmt.Println(err)
		return
	}
	rt.Register(h, "stdout", time.Second) // so that Shutdown closes it
	lg, _ := rt.Manager().Logger("job")
	lg.AddHandler(h)
	_, _ = lg.Log(core.LevelInfo, []byte("step 1 done"), nil, -1)
	t := rt.BeginFlush(h)
	st := core.TicketPending
	for i := 0; i < 100 && st == core.TicketPending; i++ {
		st = t.Wait(10 * time.Millisecond)
	}
	fmt.Println("flushed:", st == core.TicketDone)
	_ = rt.Shutdown(time.Second, nil)
	// Output:
	// job [INFO] step 1 done
	// flushed: true
}
