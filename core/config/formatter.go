package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"sort"

	"femtologging/core"
)

// formatterSpec is the object form of a handler's "formatter": a format
// string ({"format", "datefmt", "style", "validate", "utc"}), the JSON
// formatter ({"json": {"fields", "utc"}}), or a callback
// ({"callback": handle}).
type formatterSpec struct {
	Callback *uint64   `json:"callback"`
	Format   *string   `json:"format"`
	Datefmt  *string   `json:"datefmt"`
	Style    *string   `json:"style"`
	Validate *bool     `json:"validate"`
	UTC      *bool     `json:"utc"`
	JSON     *jsonSpec `json:"json"`
}

// jsonSpec configures the JSON-lines formatter.
type jsonSpec struct {
	Fields []string `json:"fields"`
	UTC    *bool    `json:"utc"`
}

// decodeFormatter reads a handler's "formatter" field: absent or "default"
// for the default text layout, "json" for JSON lines, the id of an entry
// of the document's "formatters" section, or an object (formatterSpec).
func decodeFormatter(env Env, path string, raw json.RawMessage) (core.Formatter, error) {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return core.TextFormatter{}, nil
	}
	var id string
	if err := json.Unmarshal(raw, &id); err == nil {
		switch id {
		case "default":
			return core.TextFormatter{}, nil
		case "json":
			return core.NewJSONFormatter(nil, true)
		}
		if spec, ok := env.Formatters[id]; ok {
			return decodeFormatterObject(env, pathKey("$.formatters", id), spec)
		}
		return nil, errorf(path, "unknown formatter id %q: want \"default\", \"json\", an id of the formatters section or an object", id)
	}
	return decodeFormatterObject(env, path, raw)
}

// decodeFormatterObject builds a formatter from its object form.
func decodeFormatterObject(env Env, path string, raw json.RawMessage) (core.Formatter, error) {
	var spec formatterSpec
	if err := decodeStrict(path, raw, &spec); err != nil {
		return nil, err
	}
	stringFields := spec.Format != nil || spec.Datefmt != nil || spec.Style != nil || spec.Validate != nil
	kinds := 0
	for _, set := range []bool{spec.Callback != nil, spec.JSON != nil, stringFields} {
		if set {
			kinds++
		}
	}
	switch {
	case kinds > 1:
		return nil, errorf(path, "want one of \"callback\", \"json\" or format-string fields, not several")
	case spec.Callback != nil:
		return callbackFormatter(env, path, *spec.Callback)
	case spec.JSON != nil:
		utc := true
		if spec.JSON.UTC != nil {
			utc = *spec.JSON.UTC
		}
		f, err := core.NewJSONFormatter(spec.JSON.Fields, utc)
		if err != nil {
			return nil, errorf(path+".json.fields", "%v", err)
		}
		return f, nil
	}
	return stringFormatter(env, path, &spec)
}

// stringFormatter builds a format-string formatter.
func stringFormatter(env Env, path string, spec *formatterSpec) (core.Formatter, error) {
	opts := core.FormatOptions{Validate: true, StartNs: env.StartNs}
	if spec.Style != nil {
		switch *spec.Style {
		case "%", "{", "$":
			opts.Style = core.FormatStyle((*spec.Style)[0])
		default:
			return nil, errorf(path+".style", "%q: want one of \"%%\", \"{\", \"$\"", *spec.Style)
		}
	}
	if spec.Format != nil {
		opts.Format = *spec.Format
	}
	if spec.Datefmt != nil {
		opts.Datefmt = *spec.Datefmt
	}
	if spec.Validate != nil {
		opts.Validate = *spec.Validate
	}
	if spec.UTC != nil {
		opts.UTC = *spec.UTC
	}
	f, err := core.NewStringFormatter(opts)
	if err != nil {
		if errors.Is(err, core.ErrBadFormat) {
			return nil, errorf(path+".format", "%v", err)
		}
		return nil, errorf(path, "%v", err)
	}
	return f, nil
}

// callbackFormatter resolves a formatter registered through the C API.
func callbackFormatter(env Env, path string, handle uint64) (core.Formatter, error) {
	if env.Formatter == nil {
		return nil, errorf(path+".callback", "%d: no callback formatters are registered", handle)
	}
	f, err := env.Formatter(handle)
	if err != nil {
		return nil, errorf(path+".callback", "%d: %v", handle, err)
	}
	return f, nil
}

// BuildFormatter builds a formatter from the JSON form a handler's
// "formatter" field takes; it is how the C API renders a single record
// with a formatter (femtolog_format_record).
func BuildFormatter(env Env, raw []byte) (core.Formatter, error) {
	return decodeFormatter(env, "$", raw)
}

func sortStrings(s []string) { sort.Strings(s) }
