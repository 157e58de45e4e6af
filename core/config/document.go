package config

import (
	"bytes"
	"encoding/json"
	"regexp"
	"sort"
	"strings"

	"femtologging/core"
)

// documentSpec is the schema of a whole configuration document (see
// docs/config-schema.md).
type documentSpec struct {
	Version                *int                       `json:"version"`
	Handlers               map[string]json.RawMessage `json:"handlers"`
	Filters                map[string]json.RawMessage `json:"filters"`
	Formatters             map[string]json.RawMessage `json:"formatters"`
	Loggers                map[string]json.RawMessage `json:"loggers"`
	Root                   json.RawMessage            `json:"root"`
	DefaultLevel           json.RawMessage            `json:"default_level"`
	DisableExistingLoggers *bool                      `json:"disable_existing_loggers"`
}

// loggerSpec is the schema of one entry of "loggers", and of "root".
type loggerSpec struct {
	Level     json.RawMessage `json:"level"`
	Handlers  []string        `json:"handlers"`
	Filters   []string        `json:"filters"`
	Propagate *bool           `json:"propagate"`
}

// filterSpec is the schema of one entry of "filters".
type filterSpec struct {
	Kind     *string         `json:"kind"`
	MaxLevel json.RawMessage `json:"max_level"`
	Prefix   *string         `json:"prefix"`
	// Name is stdlib's logging.Filter(name): the logger and its
	// descendants, where Prefix is a plain string prefix.
	Name *string `json:"name"`
}

// DocumentVersion is the only "version" a document may have.
const DocumentVersion = 1

// Document is a decoded and validated configuration whose handlers are not
// built yet: decoding has no side effects.
type Document struct {
	handlers map[string]json.RawMessage // id -> handler spec, or {"handle": N}
	existing map[string]uint64          // id -> handle of an existing handler
	filters  map[string]core.Filter
	loggers  []loggerDoc // root first, then by name
	disable  bool
	// formatters is the "formatters" section, validated, by id.
	formatters map[string]json.RawMessage
}

// callbackResolvedLater stands in for callback resolution while a
// document's formatters are validated: handles are resolved when the
// handlers that use them are built.
func callbackResolvedLater(uint64) (core.Formatter, error) { return core.TextFormatter{}, nil }

type loggerDoc struct {
	name      string
	level     core.Level
	handlers  []string
	filters   []string
	propagate bool
}

// pathKey renders one step of a JSON path: .id for plain ids, ["id"]
// otherwise (logger names contain dots).
var plainID = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func pathKey(parent, key string) string {
	if plainID.MatchString(key) {
		return parent + "." + key
	}
	b, _ := json.Marshal(key)
	return parent + "[" + string(b) + "]"
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// DecodeDocument validates a whole configuration document without building
// anything. Errors are *Error values whose path names the bad item;
// problems are reported in document order (version, filters, formatters,
// handlers, root, loggers), ids sorted.
func DecodeDocument(data []byte) (*Document, error) {
	var spec documentSpec
	if err := decodeStrict("$", data, &spec); err != nil {
		return nil, err
	}
	if spec.Version == nil {
		return nil, errorf("$.version", "missing: want %d", DocumentVersion)
	}
	if *spec.Version != DocumentVersion {
		return nil, errorf("$.version", "%d: want %d", *spec.Version, DocumentVersion)
	}
	doc := &Document{handlers: map[string]json.RawMessage{}, existing: map[string]uint64{}, filters: map[string]core.Filter{}}
	doc.disable = spec.DisableExistingLoggers != nil && *spec.DisableExistingLoggers
	for _, id := range sortedKeys(spec.Filters) {
		f, err := decodeFilter(pathKey("$.filters", id), spec.Filters[id])
		if err != nil {
			return nil, err
		}
		doc.filters[id] = f
	}
	doc.formatters = map[string]json.RawMessage{}
	for _, id := range sortedKeys(spec.Formatters) {
		raw := bytes.TrimSpace(spec.Formatters[id])
		if len(raw) == 0 || raw[0] != '{' {
			return nil, errorf(pathKey("$.formatters", id), "want an object")
		}
		// Built here only to validate: each handler builds its own.
		if _, err := decodeFormatterObject(Env{Formatter: callbackResolvedLater}, pathKey("$.formatters", id), raw); err != nil {
			return nil, err
		}
		doc.formatters[id] = raw
	}
	for _, id := range sortedKeys(spec.Handlers) {
		if err := doc.addHandler(pathKey("$.handlers", id), id, spec.Handlers[id]); err != nil {
			return nil, err
		}
	}
	defaultLevel := core.LevelNotSet
	if len(spec.DefaultLevel) > 0 && !isNull(spec.DefaultLevel) {
		lv, err := decodeLevel("$.default_level", spec.DefaultLevel, false)
		if err != nil {
			return nil, err
		}
		defaultLevel = lv
	}
	if len(spec.Root) == 0 || isNull(spec.Root) {
		return nil, errorf("$.root", "missing: a configuration must configure the root logger")
	}
	if err := doc.addLogger("$.root", core.RootName, spec.Root, defaultLevel); err != nil {
		return nil, err
	}
	for _, name := range sortedKeys(spec.Loggers) {
		path := pathKey("$.loggers", name)
		if name == core.RootName {
			return nil, errorf(path, "configure the root logger under $.root")
		}
		if err := core.ValidateName(name); err != nil {
			return nil, errorf(path, "%v", err)
		}
		if err := doc.addLogger(path, name, spec.Loggers[name], defaultLevel); err != nil {
			return nil, err
		}
	}
	return doc, nil
}

func isNull(raw json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(raw), []byte("null")) }

// addHandler checks the head of a handler entry: either a spec with a
// known "kind" (validated in full when built) or {"handle": N}, an
// existing handler created through the C API.
func (d *Document) addHandler(path, id string, raw json.RawMessage) error {
	var head struct {
		Kind   *string `json:"kind"`
		Handle *uint64 `json:"handle"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return errorf(path, "%s", describeJSONError(err))
	}
	if head.Handle != nil {
		var only struct {
			Handle uint64 `json:"handle"`
		}
		if err := decodeStrict(path, raw, &only); err != nil {
			return err
		}
		if only.Handle == 0 {
			return errorf(path+".handle", "0 is never a valid handle")
		}
		d.existing[id] = only.Handle
		return nil
	}
	if head.Kind == nil {
		return errorf(path+".kind", "missing: want one of %s, or {\"handle\": N}", kindList())
	}
	if _, ok := handlerBuilders[*head.Kind]; !ok {
		return errorf(path+".kind", "unknown handler kind %q: want one of %s", *head.Kind, kindList())
	}
	d.handlers[id] = raw
	return nil
}

func (d *Document) addLogger(path, name string, raw json.RawMessage, defaultLevel core.Level) error {
	var spec loggerSpec
	if err := decodeStrict(path, raw, &spec); err != nil {
		return err
	}
	isRoot := name == core.RootName
	level := defaultLevel
	if len(spec.Level) > 0 && !isNull(spec.Level) {
		lv, err := decodeLevel(path+".level", spec.Level, !isRoot)
		if err != nil {
			return err
		}
		level = lv
	}
	for i, id := range spec.Handlers {
		if _, ok := d.handlers[id]; ok {
			continue
		}
		if _, ok := d.existing[id]; !ok {
			return errorf(path+".handlers["+itoa(i)+"]", "unknown handler id %q", id)
		}
	}
	for i, id := range spec.Filters {
		if _, ok := d.filters[id]; !ok {
			return errorf(path+".filters["+itoa(i)+"]", "unknown filter id %q", id)
		}
	}
	if isRoot && spec.Propagate != nil {
		return errorf(path+".propagate", "the root logger has no parent to propagate to")
	}
	d.loggers = append(d.loggers, loggerDoc{
		name: name, level: level, handlers: spec.Handlers, filters: spec.Filters,
		propagate: spec.Propagate == nil || *spec.Propagate,
	})
	return nil
}

// decodeLevel reads a level given as a case-insensitive name or a number.
// "NOTSET" (or 0) means "inherit", allowed only where inherit is.
func decodeLevel(path string, raw json.RawMessage, allowNotSet bool) (core.Level, error) {
	var name string
	if err := json.Unmarshal(raw, &name); err == nil {
		if strings.EqualFold(name, "NOTSET") {
			if allowNotSet {
				return core.LevelNotSet, nil
			}
			return 0, errorf(path, "%q: this logger must have a level", name)
		}
		lv, err := core.ParseLevel(name)
		if err != nil {
			return 0, errorf(path, "%v", err)
		}
		return lv, nil
	}
	var n int
	if err := json.Unmarshal(raw, &n); err != nil {
		return 0, errorf(path, "%s: want a level name such as \"INFO\" or a number", strings.TrimSpace(string(raw)))
	}
	if n == 0 && allowNotSet {
		return core.LevelNotSet, nil
	}
	lv, err := core.LevelFromInt(n)
	if err != nil {
		return 0, errorf(path, "%v", err)
	}
	return lv, nil
}

// decodeFilter reads {"kind": "level", "max_level": L},
// {"kind": "name", "prefix": P} or {"kind": "name", "name": N}.
func decodeFilter(path string, raw json.RawMessage) (core.Filter, error) {
	var spec filterSpec
	if err := decodeStrict(path, raw, &spec); err != nil {
		return nil, err
	}
	if spec.Kind == nil {
		return nil, errorf(path+".kind", `missing: want "level" or "name"`)
	}
	switch *spec.Kind {
	case "level":
		if spec.Prefix != nil {
			return nil, errorf(path+".prefix", `not a field of a "level" filter`)
		}
		if spec.Name != nil {
			return nil, errorf(path+".name", `not a field of a "level" filter`)
		}
		if len(spec.MaxLevel) == 0 || isNull(spec.MaxLevel) {
			return nil, errorf(path+".max_level", "missing")
		}
		lv, err := decodeLevel(path+".max_level", spec.MaxLevel, false)
		if err != nil {
			return nil, err
		}
		return core.LevelFilter{MaxLevel: lv}, nil
	case "name":
		if len(spec.MaxLevel) > 0 {
			return nil, errorf(path+".max_level", `not a field of a "name" filter`)
		}
		switch {
		case spec.Prefix != nil && spec.Name != nil:
			return nil, errorf(path+".name", `give either "prefix" or "name", not both`)
		case spec.Name != nil:
			return core.SubtreeFilter{Name: *spec.Name}, nil
		case spec.Prefix == nil:
			return nil, errorf(path+".prefix", `missing: give "prefix" (a string prefix) or "name" (a logger and its descendants)`)
		}
		return core.NameFilter{Prefix: *spec.Prefix}, nil
	}
	return nil, errorf(path+".kind", `unknown filter kind %q: want "level" or "name"`, *spec.Kind)
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}
