package config

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"time"

	"femtologging/core"
	"femtologging/core/coretest"
)

// testEnv builds handlers on memory sinks (never the real stderr) and
// resolves callback formatter handle 1 to an upper-casing formatter.
type testEnv struct {
	mu      sync.Mutex
	sinks   map[string]*coretest.MemorySink // by target, the latest opened
	openErr error
}

func newTestEnv() *testEnv { return &testEnv{sinks: map[string]*coretest.MemorySink{}} }

func (e *testEnv) env() Env {
	return Env{
		Diagnostics: core.NewDiagnostics(nil, time.Hour),
		Formatter: func(handle uint64) (core.Formatter, error) {
			if handle != 1 {
				return nil, fmt.Errorf("unknown formatter handle")
			}
			return upperFormatter{}, nil
		},
		OpenStream: func(target string) (core.Sink, error) {
			if e.openErr != nil {
				return nil, e.openErr
			}
			s := coretest.NewMemorySink()
			e.mu.Lock()
			e.sinks[target] = s
			e.mu.Unlock()
			return s, nil
		},
	}
}

func (e *testEnv) sink(target string) *coretest.MemorySink {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.sinks[target]
}

type upperFormatter struct{}

func (upperFormatter) Format(dst []byte, rec *core.Record) ([]byte, error) {
	dst = append(dst, strings.ToUpper(string(rec.Message))...)
	return append(dst, '\n'), nil
}

// badSpecs is the table of invalid handler specs and the start of the
// error each must give: the JSON path of the bad item, then what is wrong,
// naming the bad value. It also seeds FuzzBuildHandlerSpec.
var badSpecs = []struct {
	name string
	doc  string
	want string
}{
	{"malformed", `{"kind":`, `$: unexpected end of JSON input`},
	{"not an object", `[1]`, `$: got JSON array, want an object`},
	{"trailing data", `{"kind":"stream"} {}`, `$: invalid character '{' after top-level value`},
	{"missing kind", `{}`, `$.kind: missing: want one of "file", `},
	{"null document", `null`, `$.kind: missing`},
	{"unknown kind", `{"kind":"carrier-pigeon"}`, `$.kind: unknown handler kind "carrier-pigeon": want one of "file", `},
	{"kind of wrong type", `{"kind":5}`, `$.kind: got JSON number, want a string`},
	{"unknown field", `{"kind":"stream","colour":"red"}`, `$.colour: unknown field "colour"`},
	{"capacity zero", `{"kind":"stream","capacity":0}`, `$.capacity: 0: must be greater than zero`},
	{"capacity negative", `{"kind":"stream","capacity":-4}`, `$.capacity: -4: must be greater than zero`},
	{"capacity too large", `{"kind":"stream","capacity":1000000000000}`, `$.capacity: 1000000000000: must be at most 1048576`},
	{"capacity string", `{"kind":"stream","capacity":"big"}`, `$.capacity: got JSON string, want an integer`},
	{"capacity fraction", `{"kind":"stream","capacity":1.5}`, `$.capacity: got JSON number 1.5, want an integer`},
	{"capacity beyond int64", `{"kind":"stream","capacity":1e30}`, `$.capacity: got JSON number 1e30, want an integer`},
	{"flush timeout zero", `{"kind":"stream","flush_timeout_ms":0}`, `$.flush_timeout_ms: 0: must be greater than zero`},
	{"flush timeout negative", `{"kind":"stream","flush_timeout_ms":-1}`, `$.flush_timeout_ms: -1: must be greater than zero`},
	{"flush timeout overflows", `{"kind":"stream","flush_timeout_ms":10000000000000}`, `$.flush_timeout_ms: 10000000000000: must be at most 86400000 (a day)`},
	{"flush timeout bool", `{"kind":"stream","flush_timeout_ms":true}`, `$.flush_timeout_ms: got JSON bool, want an integer`},
	{"unknown target", `{"kind":"stream","target":"stdin"}`, `$.target: "stdin": want "stdout" or "stderr"`},
	{"target of wrong type", `{"kind":"stream","target":2}`, `$.target: got JSON number, want a string`},
	{"unknown formatter id", `{"kind":"stream","formatter":"fancy"}`, `$.formatter: unknown formatter id "fancy": want "default", "json"`},
	{"formatter number", `{"kind":"stream","formatter":5}`, `$.formatter: got JSON number, want an object`},
	{"formatter bad format", `{"kind":"stream","formatter":{"format":"%(x"}}`, `$.formatter.format: format "%(x": invalid format: incomplete format key`},
	{"formatter bad style", `{"kind":"stream","formatter":{"style":"#"}}`, `$.formatter.style: "#": want one of`},
	{"formatter no fields", `{"kind":"stream","formatter":{"format":"plain"}}`, `$.formatter.format: invalid format: format "plain" has no fields`},
	{"formatter json unknown field", `{"kind":"stream","formatter":{"json":{"fields":["nope"]}}}`, `$.formatter.json.fields: invalid format: unknown JSON field "nope"`},
	{"handler level", `{"kind":"stream","level":"LOUD"}`, `$.level: invalid level "LOUD"`},
	{"handler filters not a list", `{"kind":"stream","filters":"app"}`, `$.filters: want a list of filter ids or filter objects`},
	{"handler filter id outside a document", `{"kind":"stream","filters":["app"]}`, `$.filters[0]: unknown filter id "app": a handler spec outside a configuration document has no filters section`},
	{"handler filter number", `{"kind":"stream","filters":[5]}`, `$.filters[0]: 5: want a filter id or a filter object`},
	{"handler filter no kind", `{"kind":"stream","filters":[{"name":"a"}]}`, `$.filters[0].kind: missing`},
	{"handler filter unknown field", `{"kind":"file","path":"/tmp/x.log","filters":[{"kind":"name","nmae":"a"}]}`, `$.filters[0].nmae: unknown field "nmae"`},
	{"handler filter prefix and name", `{"kind":"socket","filters":[{"kind":"name","prefix":"a","name":"a"}]}`, `$.filters[0].name: give either "prefix" or "name", not both`},
	{"formatter unknown field", `{"kind":"stream","formatter":{"callback":1,"style":"%"}}`, `$.formatter: want one of "callback", "json" or format-string fields, not several`},
	{"formatter handle string", `{"kind":"stream","formatter":{"callback":"one"}}`, `$.formatter.callback: got JSON string, want a non-negative integer`},
	{"formatter handle negative", `{"kind":"stream","formatter":{"callback":-1}}`, `$.formatter.callback: got JSON number -1, want a non-negative integer`},
	{"formatter handle unknown", `{"kind":"stream","formatter":{"callback":7}}`, `$.formatter.callback: 7: unknown formatter handle`},
	// The shared queue fields are checked alike for every kind.
	{"file capacity too large", `{"kind":"file","path":"/tmp/x.log","capacity":2000000}`, `$.capacity: 2000000: must be at most 1048576`},
	{"file capacity string", `{"kind":"file","path":"/tmp/x.log","capacity":"big"}`, `$.capacity: got JSON string, want an integer`},
	{"socket flush timeout too long", `{"kind":"socket","flush_timeout_ms":100000000000}`, `$.flush_timeout_ms: 100000000000: must be at most 86400000 (a day)`},
	{"socket formatter", `{"kind":"socket","formatter":"default"}`, `$.formatter: unknown field "formatter"`},
	// Keys match exactly: encoding/json alone would take "pAth" as "path".
	{"key in other case", `{"kind":"file","pAth":"x"}`, `$.pAth: unknown field "pAth"`},
	{"kind in other case", `{"Kind":"stream"}`, `$.Kind: unknown field "Kind"`},
	{"kind twice in two cases", `{"kind":"stream","KIND":"file"}`, `$.KIND: unknown field "KIND"`},
	{"nested key in other case", `{"kind":"socket","backoff":{"Base_ms":5}}`, `$.backoff.Base_ms: unknown field "Base_ms"`},
	{"formatter key in other case", `{"kind":"stream","formatter":{"Callback":1}}`, `$.formatter.Callback: unknown field "Callback"`},
	{"key with odd characters", `{"kind":"stream","ca pacity":1}`, `$["ca pacity"]: unknown field "ca pacity"`},
}

func TestBuildHandlerRejectsBadSpecs(t *testing.T) {
	for _, tt := range badSpecs {
		t.Run(tt.name, func(t *testing.T) {
			b, err := BuildHandler(newTestEnv().env(), []byte(tt.doc))
			if err == nil {
				b.Handler.Close(time.Second)
				t.Fatalf("got nil error, want %q", tt.want)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("got %v, want an error wrapping ErrInvalid", err)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("got %q, want it to start with %q", err, tt.want)
			}
		})
	}
}

func TestBuildHandlerWithoutFormatterRegistry(t *testing.T) {
	env := newTestEnv().env()
	env.Formatter = nil
	_, err := BuildHandler(env, []byte(`{"kind":"stream","formatter":{"callback":1}}`))
	want := `$.formatter.callback: 1: no callback formatters are registered`
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %q", err, want)
	}
}

func TestBuildStreamOpenFailureNamesTarget(t *testing.T) {
	e := newTestEnv()
	e.openErr = errors.New("bad file descriptor")
	_, err := BuildHandler(e.env(), []byte(`{"kind":"stream","target":"stdout"}`))
	if want := `$.target: bad file descriptor`; err == nil || err.Error() != want {
		t.Fatalf("got %v, want %q", err, want)
	}
}

func TestBuildStream(t *testing.T) {
	tests := []struct {
		name         string
		doc          string
		target       string
		flushTimeout time.Duration
		wantLine     string
	}{
		{"defaults", `{"kind":"stream"}`, "stderr", time.Second, "app [INFO] hello"},
		{"stdout with settings", `{"kind":"stream","target":"stdout","capacity":8,"flush_timeout_ms":250,"formatter":"default"}`,
			"stdout", 250 * time.Millisecond, "app [INFO] hello"},
		{"null formatter", `{"kind":"stream","formatter":null}`, "stderr", time.Second, "app [INFO] hello"},
		{"callback formatter", `{"kind":"stream","formatter":{"callback":1}}`, "stderr", time.Second, "HELLO"},
		{"largest values", `{"kind":"stream","capacity":1048576,"flush_timeout_ms":86400000}`, "stderr", 24 * time.Hour, "app [INFO] hello"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv()
			b, err := BuildHandler(e.env(), []byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			defer b.Handler.Close(coretest.WaitTimeout)
			if b.Kind != "stream" || b.FlushTimeout != tt.flushTimeout {
				t.Fatalf("got kind %q, flush timeout %v, want stream, %v", b.Kind, b.FlushTimeout, tt.flushTimeout)
			}
			if err := b.Handler.Handle(&core.Record{Logger: "app", Level: core.LevelInfo, Message: []byte("hello")}); err != nil {
				t.Fatal(err)
			}
			if !b.Handler.Flush(coretest.WaitTimeout) {
				t.Fatal("Flush: got false, want true")
			}
			s := e.sink(tt.target)
			if s == nil {
				t.Fatalf("no sink opened for %q", tt.target)
			}
			if got := s.Lines(); len(got) != 1 || got[0] != tt.wantLine {
				t.Fatalf("got %q, want [%q]", got, tt.wantLine)
			}
		})
	}
}

// TestStreamHandlerContract runs the handler contract over a handler built
// from a spec, as every front end builds them.
func TestStreamHandlerContract(t *testing.T) {
	coretest.RunHandlerContract(t, func(t *testing.T) (core.Handler, func() []string) {
		e := newTestEnv()
		b, err := BuildHandler(e.env(), []byte(`{"kind":"stream","capacity":64}`))
		if err != nil {
			t.Fatal(err)
		}
		return b.Handler, e.sink("stderr").Lines
	})
}

// FuzzBuildHandlerSpec checks that no document crashes the builder or
// escapes validation: every error wraps ErrInvalid and starts with a JSON
// path, and every accepted spec builds a working handler.
func FuzzBuildHandlerSpec(f *testing.F) {
	for _, tt := range badSpecs {
		f.Add(tt.doc)
	}
	f.Add(`{"kind":"stream","target":"stdout","capacity":8,"flush_timeout_ms":250,"formatter":{"callback":1}}`)
	f.Add(`{"kind":"file","path":"0/"}`) // a path that cannot be opened
	f.Add(`{"kind":"file","pAth":"0/"}`) // a key in another case: unknown
	f.Add(`{"kind":"socket","tls":{"CA_file":"x"},"backoff":{"cap_MS":1}}`)
	f.Add(`{"kind":"socket","flush_timeout_ms":1000000}`) // valid, nothing listens: hung the fuzzer
	// File specs open real paths: keep them out of the source tree. Not in
	// the coordinator of a fuzzing run, which writes failing inputs to
	// testdata/fuzz in the working directory: in a temporary one they
	// would be deleted with it.
	if !fuzzCoordinator() {
		f.Chdir(f.TempDir())
	}
	f.Fuzz(func(t *testing.T, doc string) {
		b, err := BuildHandler(newTestEnv().env(), []byte(doc))
		if err != nil {
			var perr *fs.PathError
			if errors.As(err, &perr) && strings.HasPrefix(err.Error(), "$") {
				return // a valid spec whose file cannot be opened (say "0/"): an IO error, not ErrInvalid
			}
			var cerr *Error
			if !errors.Is(err, ErrInvalid) || !errors.As(err, &cerr) {
				t.Fatalf("%q: got %v, want a *config.Error wrapping ErrInvalid", doc, err)
			}
			if !strings.HasPrefix(cerr.Path, "$") || !strings.HasPrefix(err.Error(), cerr.Path+": ") {
				t.Fatalf("%q: got %q, want it to start with a JSON path", doc, err)
			}
			return
		}
		defer b.Handler.Close(coretest.WaitTimeout)
		if b.FlushTimeout <= 0 || b.FlushTimeout > 24*time.Hour {
			t.Fatalf("%q: flush timeout %v out of range", doc, b.FlushTimeout)
		}
		if networkKind(doc) {
			// A valid spec for a destination that does not listen: a
			// record would wait for it (past the fuzzer's hang limit) and
			// prove nothing about validation. Building and closing is
			// what is checked.
			return
		}
		if err := b.Handler.Handle(&core.Record{Logger: "fuzz", Level: core.LevelInfo, Message: []byte("m")}); err != nil {
			t.Fatalf("%q: Handle: %v", doc, err)
		}
		if !b.Handler.Flush(coretest.WaitTimeout) {
			t.Fatalf("%q: Flush: got false", doc)
		}
	})
}

// fuzzCoordinator reports whether this process coordinates a fuzzing run
// (go test -fuzz) rather than running the fuzz function: a plain test run
// or a fuzzing worker.
func fuzzCoordinator() bool {
	fuzz, worker := flag.Lookup("test.fuzz"), flag.Lookup("test.fuzzworker")
	return fuzz != nil && fuzz.Value.String() != "" && (worker == nil || worker.Value.String() != "true")
}

// networkKind reports whether a handler spec (one that built) sends over
// the network, where delivery depends on a server being there.
func networkKind(doc string) bool {
	var head struct {
		Kind string `json:"kind"`
	}
	if err := json.Unmarshal([]byte(doc), &head); err != nil {
		return true // cannot tell: do not wait on it
	}
	switch head.Kind {
	case "stream", "file", "rotating_file", "timed_rotating_file":
		return false
	}
	return true
}
