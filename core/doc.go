// Package core is the logging runtime behind libfemtolog: loggers, handlers,
// formatters and the lifecycle that ties them together. It knows nothing of
// C or Python; package capi translates the C interface into calls here.
//
// A record crosses two bounded queues. The first is its logger's: Logger.Log
// checks the level and filters on the caller's thread, then copies the
// record into a slot of the logger's ring (ring.go) and returns. One worker
// goroutine per logger drains that ring and hands each record to every
// handler on the logger's dispatch list (its own handlers, then its
// ancestors' while propagation allows); callback handlers (Python objects, C
// functions) run right there, on the logger worker. The second queue is a
// QueuedHandler's: Handle checks the handler's own level and filters (on
// the logger worker), copies the record again into the handler's own
// ring, and the handler's worker formats it (a Formatter) and writes the
// bytes to a Sink (package sink), so a slow destination holds up only its
// own handler. What a full queue does is the overflow policy: drop (counted),
// block, or wait up to a timeout; a logger takes the strongest policy of the
// handlers it feeds, so back pressure reaches the caller.
//
// Who owns what: a Manager owns the logger tree and the loggers' workers
// (Close stops them). A handler owns its queue, worker, formatter and sink
// (Close drains and releases them). A Runtime owns one manager at a time,
// the registered handlers, the handlers a configuration built (and closes
// them once a later configuration no longer uses them), and the order of
// shutdown: hand queued records over, stop the loggers, close every
// handler, then stop calling into the host. Flushes and closes the C
// interface waits for in slices are Tickets, over the Flusher interface.
//
// Nothing is lost silently: every record is delivered, or counted as
// dropped or failed in the handler's or logger's statistics and reported
// (rate-limited) through Diagnostics, or its caller got an error.
package core
