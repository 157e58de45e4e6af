package core

// Compile-time checks that each implementation keeps its interfaces.
var (
	_ Handler      = (*QueuedHandler)(nil)
	_ BatchHandler = (*QueuedHandler)(nil)
	_ HandlerStats = (*QueuedHandler)(nil)
	_ Handler      = (*CallbackHandler)(nil)
	_ HandlerStats = (*CallbackHandler)(nil)

	_ Formatter = TextFormatter{}
	_ Formatter = (*StringFormatter)(nil)
	_ Formatter = (*JSONFormatter)(nil)
)
