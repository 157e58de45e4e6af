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
		{"subtree itself", SubtreeFilter{Name: "a.b"}, Record{Logger: "a.b"}, true},
		{"subtree child", SubtreeFilter{Name: "a.b"}, Record{Logger: "a.b.c"}, true},
		{"subtree sibling sharing a prefix", SubtreeFilter{Name: "a.b"}, Record{Logger: "a.bc"}, false},
		{"subtree parent", SubtreeFilter{Name: "a.b"}, Record{Logger: "a"}, false},
		{"subtree other", SubtreeFilter{Name: "a.b"}, Record{Logger: "x.a.b"}, false},
		{"subtree empty name passes all", SubtreeFilter{}, Record{Logger: "anything"}, true},
		{"subtree root", SubtreeFilter{Name: "root"}, Record{Logger: "root"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.filter.Allow(&tt.rec); got != tt.want {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}
