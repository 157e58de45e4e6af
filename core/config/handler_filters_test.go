package config

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"femtologging/core"
	"femtologging/core/coretest"
)

// handOver gives h one INFO record per logger name and waits until it has
// written them.
func handOver(t *testing.T, h core.Handler, loggers ...string) {
	t.Helper()
	for _, name := range loggers {
		if err := h.Handle(&core.Record{Logger: name, Level: core.LevelInfo, Message: []byte("m")}); err != nil {
			t.Fatal(err)
		}
	}
	if !h.Flush(coretest.WaitTimeout) {
		t.Fatal("Flush: got false, want true")
	}
}

// TestHandlerSpecFilterObjects: a standalone handler spec takes filter
// objects; "name" passes a logger and its descendants as stdlib's
// logging.Filter(name) does, "prefix" any name starting with it.
func TestHandlerSpecFilterObjects(t *testing.T) {
	e := newTestEnv()
	b, err := BuildHandler(e.env(), []byte(`{"kind":"stream","filters":[
		{"kind":"name","name":"app.db"},{"kind":"level","max_level":"WARNING"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Handler.Close(coretest.WaitTimeout)
	handOver(t, b.Handler, "app.db", "app.dbx", "app", "app.db.pool", "web")
	want := []string{"app.db [INFO] m", "app.db.pool [INFO] m"}
	if got := e.sink("stderr").Lines(); !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	stats := b.Handler.(core.HandlerStats)
	if stats.Dropped() != 0 || stats.Failed() != 0 {
		t.Fatalf("dropped %d failed %d: filtered records are neither", stats.Dropped(), stats.Failed())
	}
}

// TestPrepareHandlerFilterIDs: inside a document a handler names filters
// of the "filters" section by id, the same filters loggers name, and may
// mix ids and objects.
func TestPrepareHandlerFilterIDs(t *testing.T) {
	var sink *coretest.MemorySink
	env := docTestEnv(nil)
	env.OpenStream = func(string) (core.Sink, error) {
		sink = coretest.NewMemorySink()
		return sink, nil
	}
	p, err := Prepare(env, []byte(`{"version":1,
		"filters":{"db":{"kind":"name","name":"app.db"}},
		"handlers":{"console":{"kind":"stream","filters":["db",{"kind":"name","prefix":"app.db.p"}]}},
		"root":{"handlers":["console"]},
		"loggers":{"app":{"filters":["db"]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Discard()
	if got := p.Plan.Loggers[1].Filters; len(got) != 1 || got[0] != (core.SubtreeFilter{Name: "app.db"}) {
		t.Fatalf("logger filters: got %#v, want the SubtreeFilter of \"db\"", got)
	}
	handOver(t, p.Built["console"].Handler, "app.db", "app.db.pool", "app.db.q", "app")
	if got, want := sink.Lines(), []string{"app.db.pool [INFO] m"}; !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// TestPrepareUnknownHandlerFilterID: an id the document does not declare
// fails the whole document, naming the id and where it was used, and the
// handlers built so far are closed again.
func TestPrepareUnknownHandlerFilterID(t *testing.T) {
	var sinks []*coretest.MemorySink
	env := recordingDocEnv(&sinks)
	_, err := Prepare(env, []byte(`{"version":1,"root":{},
		"filters":{"db":{"kind":"name","name":"app.db"}},
		"handlers":{"a":{"kind":"stream","filters":["db"]},"b":{"kind":"stream","filters":["db","nope"]}}}`))
	want := `$.handlers.b.filters[1]: unknown filter id "nope"`
	if err == nil || !errors.Is(err, ErrInvalid) || err.Error() != want {
		t.Fatalf("got %v, want %q", err, want)
	}
	if len(sinks) != 1 || !sinks[0].Closed() {
		t.Fatalf("got %d sinks, want the one of handler a, closed", len(sinks))
	}
	if strings.Contains(err.Error(), "outside a configuration document") {
		t.Fatalf("got %q: inside a document the hint about standalone specs is wrong", err)
	}
}
