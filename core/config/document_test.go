package config

import (
	"errors"
	"strings"
	"testing"

	"femtologging/core"
	"femtologging/core/coretest"
)

// docTestEnv builds stream handlers on memory sinks and knows one existing
// handler, handle 7.
func docTestEnv(existing core.Handler) DocEnv {
	return DocEnv{
		Env: Env{OpenStream: func(string) (core.Sink, error) { return coretest.NewMemorySink(), nil }},
		Handler: func(h uint64) (core.Handler, error) {
			if h == 7 && existing != nil {
				return existing, nil
			}
			return nil, errors.New("unknown or stale handle")
		},
	}
}

// recordingDocEnv is docTestEnv whose stream handlers' sinks are kept in
// *sinks, in the order they were opened, so a test can see which were
// closed again.
func recordingDocEnv(sinks *[]*coretest.MemorySink) DocEnv {
	env := docTestEnv(nil)
	env.OpenStream = func(string) (core.Sink, error) {
		s := coretest.NewMemorySink()
		*sinks = append(*sinks, s)
		return s, nil
	}
	return env
}

func TestDecodeDocumentErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want string
	}{
		{"not json", `{`, "$: "},
		{"unknown field", `{"version":1,"root":{},"bogus":1}`, `$.bogus: unknown field "bogus"`},
		{"top key in other case", `{"version":1,"Root":{}}`, `$.Root: unknown field "Root"`},
		{"logger key in other case", `{"version":1,"root":{"Level":"INFO"}}`, `$.root.Level: unknown field "Level"`},
		{"named logger key in other case", `{"version":1,"root":{},"loggers":{"app.db":{"Propagate":false}}}`, `$.loggers["app.db"].Propagate: unknown field "Propagate"`},
		{"handler key in other case", `{"version":1,"root":{},"handlers":{"h":{"Handle":3}}}`, `$.handlers.h.Handle: unknown field "Handle"`},
		{"filter key in other case", `{"version":1,"root":{},"filters":{"f":{"kind":"level","Max_level":30}}}`, `$.filters.f.Max_level: unknown field "Max_level"`},
		{"no version", `{"root":{}}`, "$.version: missing: want 1"},
		{"bad version", `{"version":2,"root":{}}`, "$.version: 2: want 1"},
		{"no root", `{"version":1}`, "$.root: missing: a configuration must configure the root logger"},
		{"unknown handler kind", `{"version":1,"root":{},"handlers":{"h":{"kind":"carrier-pigeon"}}}`, `$.handlers.h.kind: unknown handler kind "carrier-pigeon"`},
		{"handler without kind", `{"version":1,"root":{},"handlers":{"h":{}}}`, "$.handlers.h.kind: missing"},
		{"handle zero", `{"version":1,"root":{},"handlers":{"h":{"handle":0}}}`, "$.handlers.h.handle: 0 is never a valid handle"},
		{"handle plus fields", `{"version":1,"root":{},"handlers":{"h":{"handle":3,"kind":"stream"}}}`, `$.handlers.h.kind: unknown field "kind"`},
		{"unknown handler id", `{"version":1,"root":{"handlers":["nope"]}}`, `$.root.handlers[0]: unknown handler id "nope"`},
		{"unknown filter id", `{"version":1,"root":{},"loggers":{"app.db":{"filters":["f"]}}}`, `$.loggers["app.db"].filters[0]: unknown filter id "f"`},
		{"bad level name", `{"version":1,"root":{"level":"LOUD"}}`, `$.root.level: invalid level "LOUD"`},
		{"bad level number", `{"version":1,"root":{"level":7}}`, "$.root.level: invalid level 7"},
		{"root notset", `{"version":1,"root":{"level":"NOTSET"}}`, `$.root.level: "NOTSET": this logger must have a level`},
		{"bad default level", `{"version":1,"root":{},"default_level":"x"}`, `$.default_level: invalid level "x"`},
		{"root propagate", `{"version":1,"root":{"propagate":false}}`, "$.root.propagate: the root logger has no parent"},
		{"root in loggers", `{"version":1,"root":{},"loggers":{"root":{}}}`, "$.loggers.root: configure the root logger under $.root"},
		{"bad logger name", `{"version":1,"root":{},"loggers":{"a..b":{}}}`, `$.loggers["a..b"]: invalid logger name "a..b"`},
		{"propagate not bool", `{"version":1,"root":{},"loggers":{"a":{"propagate":"no"}}}`, `$.loggers.a.propagate: got JSON string, want a boolean`},
		{"filter kind", `{"version":1,"root":{},"filters":{"f":{"kind":"regex"}}}`, `$.filters.f.kind: unknown filter kind "regex"`},
		{"filter no kind", `{"version":1,"root":{},"filters":{"f":{"prefix":"a"}}}`, "$.filters.f.kind: missing"},
		{"level filter no max", `{"version":1,"root":{},"filters":{"f":{"kind":"level"}}}`, "$.filters.f.max_level: missing"},
		{"level filter bad max", `{"version":1,"root":{},"filters":{"f":{"kind":"level","max_level":"LOUD"}}}`, `$.filters.f.max_level: invalid level "LOUD"`},
		{"level filter with prefix", `{"version":1,"root":{},"filters":{"f":{"kind":"level","max_level":"INFO","prefix":"a"}}}`, "$.filters.f.prefix: not a field"},
		{"name filter no prefix", `{"version":1,"root":{},"filters":{"f":{"kind":"name"}}}`, "$.filters.f.prefix: missing"},
		{"level filter with name", `{"version":1,"root":{},"filters":{"f":{"kind":"level","max_level":"INFO","name":"a"}}}`, "$.filters.f.name: not a field"},
		{"name filter name not a string", `{"version":1,"root":{},"filters":{"f":{"kind":"name","name":3}}}`, "$.filters.f.name: got JSON number, want a string"},
		{"name filter with max", `{"version":1,"root":{},"filters":{"f":{"kind":"name","prefix":"a","max_level":"INFO"}}}`, "$.filters.f.max_level: not a field"},
		{"formatter not object", `{"version":1,"root":{},"formatters":{"f":"x"}}`, "$.formatters.f: want an object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeDocument([]byte(tt.doc))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("got %v, want prefix %q", err, tt.want)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("got %v, want it to wrap ErrInvalid", err)
			}
		})
	}
}

func TestDecodeDocumentLevels(t *testing.T) {
	doc, err := DecodeDocument([]byte(`{"version":1,"default_level":"debug",
		"root":{},"loggers":{"a":{},"b":{"level":"NOTSET"},"c":{"level":40},"d":{"level":"warning"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]core.Level{"root": core.LevelDebug, "a": core.LevelDebug, "b": core.LevelNotSet, "c": core.LevelError, "d": core.LevelWarn}
	for _, ld := range doc.loggers {
		t.Run(ld.name, func(t *testing.T) {
			if ld.level != want[ld.name] {
				t.Errorf("got %v, want %v", ld.level, want[ld.name])
			}
		})
	}
}

func TestPrepareBuildsHandlersAndPlan(t *testing.T) {
	existing := core.NewCallbackHandler("mine", func(*core.Record) error { return nil }, nil)
	p, err := Prepare(docTestEnv(existing), []byte(`{"version":1,
		"handlers":{"console":{"kind":"stream","target":"stdout"},"mine":{"handle":7}},
		"filters":{"lvl":{"kind":"level","max_level":"INFO"},"nm":{"kind":"name","prefix":"app"}},
		"formatters":{"fancy":{"format":"%(message)s"}},
		"root":{"level":"WARN","handlers":["console"]},
		"loggers":{"app":{"handlers":["mine","console"],"filters":["nm","lvl"],"propagate":false}},
		"disable_existing_loggers":true}`))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Discard()
	if got := len(p.Built); got != 1 {
		t.Fatalf("built: got %d, want 1", got)
	}
	if got := p.Existing["mine"]; got != 7 {
		t.Errorf("existing: got %d, want 7", got)
	}
	if !p.Plan.DisableExisting {
		t.Errorf("disable: got false, want true")
	}
	app := p.Plan.Loggers[1]
	if app.Name != "app" || app.Handlers[0] != existing || app.Handlers[1] != p.Built["console"].Handler || app.Propagate {
		t.Errorf("app plan: got %+v", app)
	}
	if _, ok := app.Filters[0].(core.NameFilter); !ok {
		t.Errorf("filter order: got %T first, want core.NameFilter", app.Filters[0])
	}
}

func TestPrepareFailureClosesBuiltHandlers(t *testing.T) {
	var sinks []*coretest.MemorySink
	env := recordingDocEnv(&sinks)
	// "a" builds, "b" fails: "a" must be closed again.
	_, err := Prepare(env, []byte(`{"version":1,"root":{},"handlers":{
		"a":{"kind":"stream"},"b":{"kind":"stream","capacity":0}}}`))
	if err == nil || !strings.HasPrefix(err.Error(), "$.handlers.b.capacity: 0: must be greater than zero") {
		t.Fatalf("got %v, want the capacity error of b", err)
	}
	if len(sinks) != 1 || !sinks[0].Closed() {
		t.Errorf("got %d sinks (closed: %v), want 1 closed", len(sinks), len(sinks) == 1 && sinks[0].Closed())
	}
}

func TestPrepareUnknownExistingHandle(t *testing.T) {
	_, err := Prepare(docTestEnv(nil), []byte(`{"version":1,"root":{},"handlers":{"h":{"handle":9}}}`))
	if err == nil || !strings.HasPrefix(err.Error(), "$.handlers.h.handle: 9: unknown or stale handle") {
		t.Fatalf("got %v, want the unknown handle error", err)
	}
}

func TestPrepareUnknownFormatterIDRejected(t *testing.T) {
	_, err := Prepare(docTestEnv(nil), []byte(`{"version":1,"root":{},"formatters":{"plain":{}},
		"handlers":{"h":{"kind":"stream","formatter":"fancy"}}}`))
	if err == nil || !strings.Contains(err.Error(), `$.handlers.h.formatter: unknown formatter id "fancy"`) {
		t.Fatalf("got %v, want unknown formatter id", err)
	}
}
