package config

import (
	"bytes"
	"encoding/json"

	"femtologging/core"
)

// decodeHandlerFilters reads a handler's "filters": a list whose entries
// are filter objects, as in a document's "filters" section, or ids of that
// section (only inside a configuration document, where env.Filters holds
// it). Absent or null means none.
func decodeHandlerFilters(env Env, path string, raw json.RawMessage) ([]core.Filter, error) {
	if len(raw) == 0 || isNull(raw) {
		return nil, nil
	}
	var entries []json.RawMessage
	if err := json.Unmarshal(raw, &entries); err != nil {
		return nil, errorf(path, "want a list of filter ids or filter objects")
	}
	filters := make([]core.Filter, 0, len(entries))
	for i, entry := range entries {
		at := path + "[" + itoa(i) + "]"
		entry = bytes.TrimSpace(entry)
		switch {
		case len(entry) > 0 && entry[0] == '"':
			var id string
			if err := json.Unmarshal(entry, &id); err != nil {
				return nil, errorf(at, "%s", describeJSONError(err))
			}
			f, ok := env.Filters[id]
			if !ok {
				if env.Filters == nil {
					return nil, errorf(at, "unknown filter id %q: a handler spec outside a configuration document has no filters section; give the filter object", id)
				}
				return nil, errorf(at, "unknown filter id %q", id)
			}
			filters = append(filters, f)
		case len(entry) > 0 && entry[0] == '{':
			f, err := decodeFilter(at, entry)
			if err != nil {
				return nil, err
			}
			filters = append(filters, f)
		default:
			return nil, errorf(at, "%s: want a filter id or a filter object", entry)
		}
	}
	return filters, nil
}
