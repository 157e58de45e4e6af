package core

import "testing"

func TestTextFormatterLayout(t *testing.T) {
	tests := []struct {
		rec  Record
		want string
	}{
		{Record{Logger: "demo.app", Level: LevelInfo, Message: []byte("hello")}, "demo.app [INFO] hello\n"},
		{Record{Logger: "root", Level: LevelWarn, Message: []byte("")}, "root [WARN] \n"},
	}
	for _, tt := range tests {
		got, err := TextFormatter{}.Format(nil, &tt.rec)
		if err != nil || string(got) != tt.want {
			t.Fatalf("got %q, %v, want %q", got, err, tt.want)
		}
	}
}

func BenchmarkTextFormatter(b *testing.B) {
	rec := Record{Logger: "bench", Level: LevelInfo, Message: []byte("a message of ordinary length")}
	var buf []byte
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf, _ = TextFormatter{}.Format(buf[:0], &rec)
	}
}
