package core

import "testing"

func TestFilters(t *testing.T) {
	tests := []struct {
		name   string
		filter Filter
		rec    Record
		want   bool
	}{
		{"level below max", LevelFilter{MaxLevel: LevelInfo}, Record{Level: LevelDebug}, true},
		{"level at max", LevelFilter{MaxLevel: LevelInfo}, Record{Level: LevelInfo}, true},
		{"level above max", LevelFilter{MaxLevel: LevelInfo}, Record{Level: LevelWarn}, false},
		{"name with prefix", NameFilter{Prefix: "app."}, Record{Logger: "app.db"}, true},
		{"name without prefix", NameFilter{Prefix: "app."}, Record{Logger: "web"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.filter.Allow(&tt.rec); got != tt.want {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}
