package config

import (
	"time"

	"femtologging/core"
)

// DocEnv is what preparing a whole configuration needs: the handler
// building Env, and a way to find handlers that already exist (created
// through the C API, e.g. Python objects passed to basicConfig).
type DocEnv struct {
	Env
	// Handler resolves the handle of an existing handler; nil means a
	// document may not reference any.
	Handler func(handle uint64) (core.Handler, error)
}

// Prepared is a configuration whose handlers are built and whose plan is
// ready for core.Manager.Apply. Until it is applied it owns the handlers
// it built: Discard closes them.
type Prepared struct {
	Plan core.ConfigPlan
	// Built holds the handlers built from specs, by id.
	Built map[string]Built
	// Existing holds the handles of the {"handle": N} entries, by id.
	Existing map[string]uint64
}

// discardTimeout bounds closing the handlers of a configuration that
// failed: they never received a record, so closing is quick.
const discardTimeout = time.Second

// Discard closes every handler the preparation built.
func (p *Prepared) Discard() {
	for _, b := range p.Built {
		_ = b.Handler.Close(discardTimeout)
	}
}

// Prepare validates a whole configuration document, then builds its
// handlers (in id order). If anything fails, the handlers built so far are
// closed and the error names the bad item by its JSON path; nothing else
// has changed.
func Prepare(env DocEnv, data []byte) (*Prepared, error) {
	doc, err := DecodeDocument(data)
	if err != nil {
		return nil, err
	}
	p := &Prepared{Built: map[string]Built{}, Existing: doc.existing}
	handlers := map[string]core.Handler{}
	for _, id := range sortedKeys(doc.existing) {
		h := doc.existing[id]
		if env.Handler == nil {
			return nil, errorf(pathKey("$.handlers", id)+".handle", "%d: existing handlers cannot be referenced here", h)
		}
		found, err := env.Handler(h)
		if err != nil {
			return nil, errorf(pathKey("$.handlers", id)+".handle", "%d: %v", h, err)
		}
		handlers[id] = found
	}
	henv := env.Env
	henv.Formatters = doc.formatters
	henv.Filters = doc.filters
	for _, id := range sortedKeys(doc.handlers) {
		b, err := buildHandlerAt(henv, pathKey("$.handlers", id), doc.handlers[id])
		if err != nil {
			p.Discard()
			return nil, err
		}
		p.Built[id] = b
		handlers[id] = b.Handler
	}
	p.Plan.DisableExisting = doc.disable
	for _, ld := range doc.loggers {
		lp := core.LoggerPlan{Name: ld.name, Level: ld.level, Propagate: ld.propagate}
		for _, id := range ld.handlers {
			lp.Handlers = append(lp.Handlers, handlers[id])
		}
		for _, id := range ld.filters {
			lp.Filters = append(lp.Filters, doc.filters[id])
		}
		p.Plan.Loggers = append(p.Plan.Loggers, lp)
	}
	return p, nil
}
