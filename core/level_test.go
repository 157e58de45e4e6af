package core

import (
	"errors"
	"testing"
)

func TestParseLevel(t *testing.T) {
	tests := []struct {
		in   string
		want Level
		err  bool
	}{
		{"TRACE", LevelTrace, false},
		{"debug", LevelDebug, false},
		{"Info", LevelInfo, false},
		{"WARN", LevelWarn, false},
		{"warning", LevelWarn, false},
		{"ERROR", LevelError, false},
		{"critical", LevelCritical, false},
		{"", 0, true},
		{"FATAL", 0, true},
		{"NOTSET", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseLevel(tt.in)
			if tt.err {
				if !errors.Is(err, ErrInvalidLevel) {
					t.Fatalf("got err %v, want ErrInvalidLevel", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %v, %v, want %v", got, err, tt.want)
			}
		})
	}
}

func TestLevelStringRoundTrips(t *testing.T) {
	for _, l := range []Level{LevelTrace, LevelDebug, LevelInfo, LevelWarn, LevelError, LevelCritical} {
		got, err := ParseLevel(l.String())
		if err != nil || got != l {
			t.Fatalf("got %v, %v, want %v", got, err, l)
		}
		if _, err := LevelFromInt(int(l)); err != nil {
			t.Fatalf("LevelFromInt(%d): %v", l, err)
		}
	}
	if LevelWarn.String() != "WARN" {
		t.Fatalf("got %q, want WARN", LevelWarn.String())
	}
	if _, err := LevelFromInt(7); !errors.Is(err, ErrInvalidLevel) {
		t.Fatalf("got %v, want ErrInvalidLevel", err)
	}
}

func FuzzParseLevel(f *testing.F) {
	for _, s := range []string{"INFO", "warning", "", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseLevel(s)
		if err == nil && l.String() == "" {
			t.Fatalf("empty name for %q", s)
		}
	})
}
