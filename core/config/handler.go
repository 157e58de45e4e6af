package config

import (
	"encoding/json"
	"time"

	"femtologging/core"
)

// Env is what building handlers needs from the process: where to report,
// and how to find formatters registered through the C API by handle.
type Env struct {
	Diagnostics *core.Diagnostics
	// Formatter resolves a callback formatter handle; nil means none are
	// registered.
	Formatter func(handle uint64) (core.Formatter, error)
	// OpenStream opens the sink for "stdout" or "stderr"; tests replace it.
	OpenStream func(target string) (core.Sink, error)
	// Formatters are the document's "formatters" section, by id, that a
	// handler's "formatter" may name.
	Formatters map[string]json.RawMessage
	// Filters are the document's "filters" section, by id, that a
	// handler's "filters" may name; nil outside a document.
	Filters map[string]core.Filter
	// StartNs is when logging started (stdlib's _startTime), the origin of
	// relativeCreated; 0 means each formatter's creation.
	StartNs int64
}

// Built is a handler with the settings its front ends need beside it.
type Built struct {
	Handler core.Handler
	// Kind is the spec's kind, e.g. "stream".
	Kind string
	// FlushTimeout is the default wait of flush().
	FlushTimeout time.Duration
	// Spec is the spec the handler was built from (a copy): a forked
	// child builds its own handler from it.
	Spec []byte
}

// DefaultFlushTimeout is flush()'s default wait (user guide: "up to one
// second by default").
const DefaultFlushTimeout = time.Second

// DefaultCapacity is every handler queue's default bound.
const DefaultCapacity = 1024

// handlerBuilders maps a spec's "kind" to the function that builds it.
// Each handler kind registers itself from its own file.
var handlerBuilders = map[string]func(env Env, path string, doc []byte) (Built, error){}

// BuildHandler validates a handler spec and builds the handler. The spec is
// a JSON object whose "kind" selects the rest of its schema.
func BuildHandler(env Env, doc []byte) (Built, error) {
	return buildHandlerAt(env, "$", doc)
}

func buildHandlerAt(env Env, path string, doc []byte) (Built, error) {
	var head struct {
		Kind *string `json:"kind"`
	}
	if err := json.Unmarshal(doc, &head); err != nil {
		return Built{}, jsonError(path, err)
	}
	if head.Kind == nil {
		return Built{}, errorf(path+".kind", "missing: want one of %s", kindList())
	}
	build, ok := handlerBuilders[*head.Kind]
	if !ok {
		return Built{}, errorf(path+".kind", "unknown handler kind %q: want one of %s", *head.Kind, kindList())
	}
	b, err := build(env, path, doc)
	if err == nil {
		b.Spec = append([]byte(nil), doc...)
	}
	return b, err
}

func kindList() string {
	names := make([]string, 0, len(handlerBuilders))
	for k := range handlerBuilders {
		names = append(names, k)
	}
	sortStrings(names)
	out := ""
	for i, n := range names {
		if i > 0 {
			out += ", "
		}
		out += `"` + n + `"`
	}
	return out
}
