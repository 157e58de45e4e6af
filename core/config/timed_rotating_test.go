package config

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"femtologging/core"
)

func TestBuildTimedRotatingSpecErrors(t *testing.T) {
	good := filepath.Join(t.TempDir(), "ok.log")
	tests := []struct{ name, extra, want string }{
		{"bad when", `,"when":"fortnight"`, `$.when: when "fortnight": want S, M, H, D, MIDNIGHT or W0-W6`},
		{"bad weekday", `,"when":"W9"`, `$.when: when "W9"`},
		{"zero interval", `,"interval":0`, "$.interval: 0: must be greater than zero"},
		{"negative backups", `,"backup_count":-1`, "$.backup_count: -1: must not be negative"},
		{"bad at_time", `,"at_time":"25:00"`, `$.at_time: "25:00": want a time of day`},
		{"bad compression", `,"compression":"zip"`, `$.compression: "zip": want "gzip" or "none"`},
		{"negative max age", `,"max_age_s":-5`, "$.max_age_s: -5: want seconds"},
		{"size field", `,"max_bytes":10`, `unknown field "max_bytes"`},
		{"utc not bool", `,"utc":"yes"`, "$.utc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := BuildHandler(Env{}, []byte(fmt.Sprintf(`{"kind":"timed_rotating_file","path":%q%s}`, good, tt.extra)))
			if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want a config error containing %q", err, tt.want)
			}
		})
	}
	t.Run("rotating_file compression", func(t *testing.T) {
		_, err := BuildHandler(Env{}, []byte(fmt.Sprintf(`{"kind":"rotating_file","path":%q,"max_bytes":10,"backup_count":1,"compression":"xz"}`, good)))
		if err == nil || !strings.Contains(err.Error(), `$.compression: "xz"`) {
			t.Errorf("got %v, want the compression named", err)
		}
	})
}

func TestBuildTimedRotatingWrites(t *testing.T) {
	tests := []string{
		``,
		`,"when":"S","interval":2,"backup_count":3,"utc":true,"policy":"block","compression":"gzip","max_age_s":3600`,
		`,"when":"w6","at_time":"03:30","flush_interval":4`,
		`,"when":"midnight","at_time":"23:59:59","compression":"none","max_age_s":0.5`,
	}
	for _, extra := range tests {
		t.Run(extra, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "app.log")
			b, err := BuildHandler(Env{}, []byte(fmt.Sprintf(`{"kind":"timed_rotating_file","path":%q%s}`, path, extra)))
			if err != nil {
				t.Fatal(err)
			}
			if b.Kind != "timed_rotating_file" {
				t.Errorf("kind: got %q", b.Kind)
			}
			rec := core.Record{Logger: "app", Level: core.LevelInfo, Message: []byte("hello")}
			if err := b.Handler.Handle(&rec); err != nil {
				t.Fatal(err)
			}
			if err := b.Handler.Close(time.Second); err != nil {
				t.Fatal(err)
			}
			if got, want := readText(t, path), "app [INFO] hello\n"; got != want {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}
