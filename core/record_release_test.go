package core

import "testing"

func TestRecordReleaseLarge(t *testing.T) {
	tests := []struct {
		name     string
		capacity int
		wantKept bool
	}{
		{"empty", 0, true},
		{"small", 100, true},
		{"at the bound", maxRetainedMessage, true},
		{"above the bound", maxRetainedMessage + 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Record{Message: make([]byte, 0, tt.capacity)}
			r.releaseLarge()
			if got := r.Message != nil || tt.capacity == 0; got != tt.wantKept {
				t.Fatalf("got kept %v, want %v", got, tt.wantKept)
			}
		})
	}
}
