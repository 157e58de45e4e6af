package sink

// Reporter receives rate-limited reports of trouble a sink works around
// (a failed connect, a rotation that will be retried). *core.Diagnostics is
// one; the sinks take the interface so that they need not import core.
type Reporter interface {
	Report(source, detail string)
}

// report passes an event to r, if there is one.
func report(r Reporter, source, detail string) {
	if r != nil {
		r.Report(source, detail)
	}
}

// Sink is what every sink here is: core.Sink, as the handlers see it.
type Sink interface {
	Write(p []byte) error
	Flush() error
	Close() error
}
