package config

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"femtologging/core"
	"femtologging/core/coretest"
)

// Building a handler from a spec and closing it must leave no goroutine
// behind: dictConfig swaps handlers for the life of a process. The test
// counts goroutines as core's leak tests do and does not run in parallel.
func TestBuiltHandlersCloseLeavesNoGoroutine(t *testing.T) {
	dir := t.TempDir()
	specs := map[string]string{
		"stream":        `{"kind":"stream","target":"stderr"}`,
		"file":          fmt.Sprintf(`{"kind":"file","path":%q}`, filepath.Join(dir, "f.log")),
		"rotating gzip": fmt.Sprintf(`{"kind":"rotating_file","path":%q,"max_bytes":64,"backup_count":2,"compression":"gzip"}`, filepath.Join(dir, "r.log")),
		"socket":        `{"kind":"socket","host":"127.0.0.1","port":9}`,
	}
	env := Env{OpenStream: func(string) (core.Sink, error) { return coretest.NewMemorySink(), nil }}
	for name, spec := range specs {
		t.Run(name, func(t *testing.T) {
			check := coretest.CheckNoGoroutineLeak(t)
			b, err := BuildHandler(env, []byte(spec))
			if err != nil {
				t.Fatal(err)
			}
			_ = b.Handler.Handle(&core.Record{Logger: "leak", Level: core.LevelInfo, Message: []byte("x")})
			if err := b.Handler.Close(5 * time.Second); err != nil {
				t.Fatal(err)
			}
			check()
		})
	}
}

// A configuration applied to a runtime, replaced by another and shut
// down leaves no goroutine: the retired handlers are closed too.
func TestConfigureAndShutdownLeaveNoGoroutine(t *testing.T) {
	check := coretest.CheckNoGoroutineLeak(t)
	rt := core.NewRuntime(core.RuntimeOptions{})
	env := Env{OpenStream: func(string) (core.Sink, error) { return coretest.NewMemorySink(), nil }}
	doc := `{"version":1,"handlers":{"h":{"kind":"stream","target":"stdout"}},"root":{"level":"INFO","handlers":["h"]}}`
	for i := 0; i < 3; i++ {
		if err := Configure(rt, env, []byte(doc)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := rt.Manager().Root().Log(core.LevelInfo, []byte("x"), nil, -1); err != nil {
		t.Fatal(err)
	}
	if err := rt.Shutdown(5*time.Second, nil); err != nil {
		t.Fatal(err)
	}
	check()
}
