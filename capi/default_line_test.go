package main

import (
	"testing"

	"femtologging/core"
)

func TestTextFormatterWritesTheHeadersDefaultLine(t *testing.T) {
	for _, level := range []core.Level{core.LevelTrace, core.LevelDebug, core.LevelInfo, core.LevelWarn, core.LevelError, core.LevelCritical} {
		rec := &core.Record{Logger: "app.db", Level: level, Message: []byte("connected")}
		got, err := core.TextFormatter{}.Format(nil, rec)
		if err != nil {
			t.Fatal(err)
		}
		want := "app.db" + lineAfterLogger + level.String() + lineAfterLevel + "connected\n"
		if string(got) != want {
			t.Errorf("level %v: got %q, want the header's layout %q", level, got, want)
		}
	}
}
