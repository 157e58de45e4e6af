package core

import (
	"sort"
	"testing"
	"time"
)

// TestMarksFor checks that a flush of one handler waits only for the
// loggers that may have queued records for it: those whose dispatch list
// holds (or once held) the handler, including children created after the
// handler was attached to a parent.
func TestMarksFor(t *testing.T) {
	h := NewCallbackHandler("h", func(*Record) error { return nil }, nil)
	other := NewCallbackHandler("other", func(*Record) error { return nil }, nil)
	tests := []struct {
		name  string
		setup func(m *Manager)
		want  []string
	}{
		{"own handler", func(m *Manager) {
			marksLogger(t, m, "a").AddHandler(h)
		}, []string{"a"}},
		{"unrelated logger excluded", func(m *Manager) {
			marksLogger(t, m, "a").AddHandler(h)
			marksLogger(t, m, "b").AddHandler(other)
		}, []string{"a"}},
		{"child created after parent got the handler", func(m *Manager) {
			marksLogger(t, m, "a").AddHandler(h)
			marksLogger(t, m, "a.child")
		}, []string{"a", "a.child"}},
		{"child not propagating excluded", func(m *Manager) {
			quiet := marksLogger(t, m, "a.quiet")
			quiet.SetPropagate(false)
			quiet.AddHandler(other)
			marksLogger(t, m, "a").AddHandler(h)
		}, []string{"a"}},
		{"removed handler still waited for", func(m *Manager) {
			// Records queued before the removal still go to h.
			l := marksLogger(t, m, "a")
			l.AddHandler(h)
			marksLog(t, l)
			l.RemoveHandler(h)
		}, []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewManager(ManagerOptions{})
			tt.setup(m)
			// Every logger logs once: those with handlers start their worker.
			for _, l := range m.Loggers() {
				marksLog(t, l)
			}
			var got []string
			for _, mk := range m.MarksFor(h) {
				got = append(got, mk.logger.Name())
			}
			sort.Strings(got)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			}
			if err := m.Close(marksTestTimeout); err != nil {
				t.Fatal(err)
			}
		})
	}
}

const marksTestTimeout = 5 * time.Second

func marksLog(t *testing.T, l *Logger) {
	t.Helper()
	if _, err := l.Log(LevelCritical, []byte("m"), nil, 0); err != nil {
		t.Fatal(err)
	}
}

func marksLogger(t *testing.T, m *Manager, name string) *Logger {
	t.Helper()
	l, err := m.Logger(name)
	if err != nil {
		t.Fatal(err)
	}
	return l
}
