package config

import (
	"encoding/json"
	"time"

	"femtologging/core"
)

// queueSpec holds the fields every queued handler kind shares; each kind's
// spec embeds it, so the fields are validated the same way everywhere.
type queueSpec struct {
	Kind           string `json:"kind"`
	Capacity       *int   `json:"capacity"`
	FlushTimeoutMS *int   `json:"flush_timeout_ms"`
	// Level is the handler's own level (stdlib's handler level).
	Level json.RawMessage `json:"level"`
	// Filters are the handler's own filters (stdlib's handler filters):
	// filter objects, or ids of the document's "filters" section.
	Filters json.RawMessage `json:"filters"`
}

// formattedSpec is a queueSpec whose formatter can be chosen.
type formattedSpec struct {
	queueSpec
	Formatter json.RawMessage `json:"formatter"`
}

// queueSettings are the validated shared fields.
type queueSettings struct {
	capacity     int
	flushTimeout time.Duration
	level        core.Level
	filters      []core.Filter
}

// settings validates the shared fields, filling defaults; env holds the
// document's filters that "filters" may name.
func (q *queueSpec) settings(env Env, path string) (queueSettings, error) {
	capacity, err := queueCapacity(path, q.Capacity)
	if err != nil {
		return queueSettings{}, err
	}
	flushTimeout, err := millis(path, "flush_timeout_ms", q.FlushTimeoutMS, DefaultFlushTimeout)
	if err != nil {
		return queueSettings{}, err
	}
	level := core.LevelNotSet
	if len(q.Level) > 0 && !isNull(q.Level) {
		if level, err = decodeLevel(path+".level", q.Level, true); err != nil {
			return queueSettings{}, err
		}
	}
	filters, err := decodeHandlerFilters(env, path+".filters", q.Filters)
	if err != nil {
		return queueSettings{}, err
	}
	return queueSettings{capacity: capacity, flushTimeout: flushTimeout, level: level, filters: filters}, nil
}

// startHandler starts a queued handler writing to s, closing s if the
// handler cannot start.
func startHandler(path, kind string, q queueSettings, opts core.QueuedHandlerOptions, format core.Formatter, s core.Sink) (Built, error) {
	opts.Capacity = q.capacity
	opts.Level = q.level
	opts.Filters = q.filters
	h, err := core.NewQueuedHandler(opts, format, s)
	if err != nil {
		s.Close()
		return Built{}, errorf(path, "%v", err)
	}
	return Built{Handler: h, Kind: kind, FlushTimeout: q.flushTimeout}, nil
}

// queued is a handler spec that embeds queueSpec.
type queued interface {
	settings(env Env, path string) (queueSettings, error)
}

// decodeQueued decodes a queued handler's spec strictly into spec and
// reads the queue settings every such kind shares.
func decodeQueued(env Env, path string, doc []byte, spec queued) (queueSettings, error) {
	if err := decodeStrict(path, doc, spec); err != nil {
		return queueSettings{}, err
	}
	return spec.settings(env, path)
}
