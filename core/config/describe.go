package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"femtologging/core"
)

// ErrUndescribable reports a logger state that has no configuration
// document form (a filter or handler the schema cannot name).
var ErrUndescribable = errors.New("cannot describe the configuration")

// Describe renders loggers (core.Manager.Describe) as a configuration
// document of docs/config-schema.md. Handlers appear as references to
// existing handlers, {"handle": N}, with handleOf giving each one's handle:
// the document rebuilds the logger tree around handlers that exist already
// (a forked child restores them under the same handles first). Loggers in
// their default state are left out, except the root, which a document
// must configure; the result applied to a fresh manager gives each
// described logger the level, propagation, handlers and filters it had.
func Describe(loggers []core.LoggerState, handleOf func(core.Handler) (uint64, bool)) ([]byte, error) {
	doc := describedDocument{
		Version:  DocumentVersion,
		Handlers: map[string]map[string]uint64{},
		Filters:  map[string]map[string]string{},
		Loggers:  map[string]describedLogger{},
	}
	for _, st := range loggers {
		if st.Name != core.RootName && st.Default() {
			continue
		}
		dl := describedLogger{Level: st.Level.String(), Handlers: []string{}, Filters: []string{}}
		for _, h := range st.Handlers {
			handle, ok := handleOf(h)
			if !ok {
				return nil, fmt.Errorf("%w: logger %q has a handler without a handle", ErrUndescribable, st.Name)
			}
			id := "h" + strconv.FormatUint(handle, 10)
			doc.Handlers[id] = map[string]uint64{"handle": handle}
			dl.Handlers = append(dl.Handlers, id)
		}
		for _, f := range st.Filters {
			spec, err := describeFilter(f)
			if err != nil {
				return nil, fmt.Errorf("logger %q: %w", st.Name, err)
			}
			id := "f" + strconv.Itoa(len(doc.Filters))
			doc.Filters[id] = spec
			dl.Filters = append(dl.Filters, id)
		}
		if st.Name == core.RootName {
			doc.Root = dl
			continue
		}
		propagate := st.Propagate
		dl.Propagate = &propagate
		doc.Loggers[st.Name] = dl
	}
	return json.Marshal(doc)
}

type describedDocument struct {
	Version  int                          `json:"version"`
	Handlers map[string]map[string]uint64 `json:"handlers"`
	Filters  map[string]map[string]string `json:"filters"`
	Loggers  map[string]describedLogger   `json:"loggers"`
	Root     describedLogger              `json:"root"`
}

type describedLogger struct {
	Level     string   `json:"level"`
	Handlers  []string `json:"handlers"`
	Filters   []string `json:"filters"`
	Propagate *bool    `json:"propagate,omitempty"`
}

// describeFilter is decodeFilter's inverse.
func describeFilter(f core.Filter) (map[string]string, error) {
	switch f := f.(type) {
	case core.LevelFilter:
		return map[string]string{"kind": "level", "max_level": f.MaxLevel.String()}, nil
	case core.NameFilter:
		return map[string]string{"kind": "name", "prefix": f.Prefix}, nil
	}
	return nil, fmt.Errorf("%w: filter of type %T", ErrUndescribable, f)
}
