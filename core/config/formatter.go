package config

import (
	"bytes"
	"encoding/json"
	"sort"

	"femtologging/core"
)

// decodeFormatter reads a handler's "formatter" field: absent or "default"
// for the default text layout, or {"callback": handle} for a formatter
// registered through the C API (a Python callable, or a C function).
// Any other formatter id is rejected: formatter resolution by id is not
// implemented yet (user guide, "Formatter identifiers are limited to
// \"default\" for now").
func decodeFormatter(env Env, path string, raw json.RawMessage) (core.Formatter, error) {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return core.TextFormatter{}, nil
	}
	var id string
	if err := json.Unmarshal(raw, &id); err == nil {
		if id == "default" {
			return core.TextFormatter{}, nil
		}
		return nil, errorf(path, "unknown formatter id %q: only \"default\" or a callable is supported", id)
	}
	var cb struct {
		Callback *uint64 `json:"callback"`
	}
	if err := decodeStrict(path, raw, &cb); err != nil {
		return nil, err
	}
	if cb.Callback == nil {
		return nil, errorf(path, "want \"default\" or {\"callback\": handle}")
	}
	if env.Formatter == nil {
		return nil, errorf(path+".callback", "%d: no callback formatters are registered", *cb.Callback)
	}
	f, err := env.Formatter(*cb.Callback)
	if err != nil {
		return nil, errorf(path+".callback", "%d: %v", *cb.Callback, err)
	}
	return f, nil
}

func sortStrings(s []string) { sort.Strings(s) }
