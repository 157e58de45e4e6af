package core

// Sink is a destination for formatted records. It knows nothing of
// records: each Write is one formatted record, which lets rotating sinks
// avoid splitting a record across files.
type Sink interface {
	Write(p []byte) error
	Flush() error
	Close() error
}

// CloseStarter is implemented by sinks that may wait inside Write or Flush,
// such as a socket waiting to reconnect. QueuedHandler.CloseBegin calls
// BeginClose so those waits end within a bound while the worker drains
// what is queued: close() must not wait for a reconnect schedule.
type CloseStarter interface {
	BeginClose()
}
