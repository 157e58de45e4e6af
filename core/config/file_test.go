package config

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"femtologging/core"
)

func TestBuildFileSpecErrors(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "ok.log")
	tests := []struct {
		name, spec, want string
	}{
		{"missing path", `{"kind":"file"}`, "$.path: missing"},
		{"empty path", `{"kind":"file","path":""}`, "$.path: missing"},
		{"bad policy", `{"kind":"file","path":%q,"policy":"sometimes"}`, `$.policy: invalid overflow policy "sometimes": want "drop", "block" or "timeout:N"`},
		{"zero timeout", `{"kind":"file","path":%q,"policy":"timeout:0"}`, `$.policy: invalid overflow policy "timeout:0"`},
		{"zero capacity", `{"kind":"file","path":%q,"capacity":0}`, "$.capacity: 0: must be greater than zero"},
		{"zero flush interval", `{"kind":"file","path":%q,"flush_interval":0}`, "$.flush_interval: 0: must be greater than zero"},
		{"unknown field", `{"kind":"file","path":%q,"max_bytes":5}`, `unknown field "max_bytes"`},
		{"half rotation", `{"kind":"rotating_file","path":%q,"max_bytes":100}`, "max_bytes 100 and backup_count 0: rotation needs both"},
		{"negative max", `{"kind":"rotating_file","path":%q,"max_bytes":-1,"backup_count":2}`, "$.max_bytes: -1: must not be negative"},
		{"negative backups", `{"kind":"rotating_file","path":%q,"max_bytes":10,"backup_count":-2}`, "$.backup_count: -2: must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := tt.spec
			if strings.Contains(spec, "%q") {
				spec = fmt.Sprintf(spec, good)
			}
			_, err := BuildHandler(Env{}, []byte(spec))
			if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want a config error containing %q", err, tt.want)
			}
		})
	}
}

func TestBuildFileOpenErrorIsPathError(t *testing.T) {
	for _, kind := range []string{"file", "rotating_file"} {
		t.Run(kind, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "missing", "app.log")
			_, err := BuildHandler(Env{}, []byte(fmt.Sprintf(`{"kind":%q,"path":%q}`, kind, path)))
			var pe *fs.PathError
			if !errors.As(err, &pe) || errors.Is(err, ErrInvalid) {
				t.Fatalf("got %v, want a *fs.PathError that is not a config error", err)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("got %q, want the path %s in it", err, path)
			}
		})
	}
}

func TestBuildFileWritesWithSettings(t *testing.T) {
	tests := []struct{ kind, extra string }{
		{"file", `,"capacity":8,"flush_interval":3,"policy":"timeout:50","flush_timeout_ms":200`},
		{"rotating_file", `,"max_bytes":0,"backup_count":0,"policy":"block"`},
		{"rotating_file", `,"max_bytes":1000,"backup_count":2,"policy":"drop"`},
	}
	for _, tt := range tests {
		t.Run(tt.kind+tt.extra, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "app.log")
			b, err := BuildHandler(Env{}, []byte(fmt.Sprintf(`{"kind":%q,"path":%q%s}`, tt.kind, path, tt.extra)))
			if err != nil {
				t.Fatal(err)
			}
			rec := core.Record{Logger: "app", Level: core.LevelInfo, Message: []byte("hello")}
			if err := b.Handler.Handle(&rec); err != nil {
				t.Fatal(err)
			}
			if !b.Handler.Flush(time.Second) {
				t.Fatal("Flush: got false, want true")
			}
			if got, want := readText(t, path), "app [INFO] hello\n"; got != want {
				t.Errorf("got %q, want %q", got, want)
			}
			if err := b.Handler.Close(time.Second); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func readText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestBlockPolicyDropsNothingEndToEnd pushes records from several
// goroutines through a logger (whose queue adopts the handler's "block")
// into a small file handler queue: every record must arrive.
func TestBlockPolicyDropsNothingEndToEnd(t *testing.T) {
	const producers, each = 4, 20000
	path := filepath.Join(t.TempDir(), "app.log")
	b, err := BuildHandler(Env{}, []byte(fmt.Sprintf(`{"kind":"rotating_file","path":%q,"capacity":4,"policy":"block","max_bytes":65536,"backup_count":1000}`, path)))
	if err != nil {
		t.Fatal(err)
	}
	m := core.NewManager(core.ManagerOptions{})
	l, err := m.Logger("app")
	if err != nil {
		t.Fatal(err)
	}
	l.AddHandler(b.Handler)
	var wg sync.WaitGroup
	for p := 0; p < producers; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				msg := []byte(fmt.Sprintf("%d %d", p, i))
				for {
					_, err := l.Log(core.LevelInfo, msg, nil, 10*time.Millisecond)
					if !errors.Is(err, core.ErrRetry) {
						break
					}
				}
			}
		}(p)
	}
	wg.Wait()
	if err := m.Close(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	if err := b.Handler.Close(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	stats := b.Handler.(core.HandlerStats)
	if l.Dropped() != 0 || stats.Dropped() != 0 || stats.Failed() != 0 {
		t.Fatalf("dropped (logger %d, handler %d), failed %d: want all 0", l.Dropped(), stats.Dropped(), stats.Failed())
	}
	matches, _ := filepath.Glob(path + "*")
	lines := 0
	for _, f := range matches {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			lines++
		}
		fh.Close()
	}
	if lines != producers*each {
		t.Errorf("got %d lines across %d files, want %d", lines, len(matches), producers*each)
	}
}
