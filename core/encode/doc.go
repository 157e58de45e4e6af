// Package encode turns records into the bytes of a wire format: socket
// frames (MessagePack behind a length prefix), syslog messages, OTLP log
// records and the HTTP handler's JSON objects. Encoders are Formatters
// (they know core.Record); the sinks that carry their output (package
// sink) see only bytes. Each encoder reuses its scratch buffers and is
// used by one handler worker at a time.
package encode
