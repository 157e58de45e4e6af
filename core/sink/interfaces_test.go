package sink

import "femtologging/core"

// Compile-time checks that every sink is a core.Sink. They live in a test
// file: the sink package itself does not import core.
var (
	_ core.Sink = (*File)(nil)
	_ core.Sink = (*RotatingFile)(nil)
	_ core.Sink = (*TimedFile)(nil)
	_ core.Sink = (*Stream)(nil)
	_ core.Sink = (*Socket)(nil)
	_ core.Sink = (*HTTPBatch)(nil)
	_ core.Sink = (*OTLP)(nil)

	_ core.CloseStarter = (*Socket)(nil)
	_ core.CloseStarter = (*HTTPBatch)(nil)
	_ core.CloseStarter = (*OTLP)(nil)
)
