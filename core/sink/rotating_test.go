package sink

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"femtologging/core"
)

// files returns the contents of path, path.1, path.2 ... that exist, newest
// first, stopping at the first missing backup.
func rotated(t *testing.T, path string) []string {
	t.Helper()
	out := []string{readFile(t, path)}
	for n := 1; ; n++ {
		b, err := os.ReadFile(fmt.Sprintf("%s.%d", path, n))
		if err != nil {
			return out
		}
		out = append(out, string(b))
	}
}

func TestOpenRotatingFileRejectsBadPairs(t *testing.T) {
	tests := []struct {
		max     int64
		backups int
	}{{-1, 0}, {0, -1}, {100, 0}, {0, 3}, {-5, -5}}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d,%d", tt.max, tt.backups), func(t *testing.T) {
			_, err := OpenRotatingFile(filepath.Join(t.TempDir(), "a.log"), FileOptions{MaxBytes: tt.max, BackupCount: tt.backups})
			if err == nil {
				t.Fatalf("got nil error, want one for (%d, %d)", tt.max, tt.backups)
			}
		})
	}
}

func TestRotatingFileRollsOverBeforeExceeding(t *testing.T) {
	tests := []struct {
		name    string
		max     int64
		backups int
		records []string
		want    []string // live file first, then .1, .2 ...
	}{
		{"no rotation", 0, 0, []string{"aaa", "bbb", "ccc"}, []string{"aaa\nbbb\nccc\n"}},
		{"exact fit stays", 8, 2, []string{"aaa", "bbb"}, []string{"aaa\nbbb\n"}},
		{"one over rolls", 7, 2, []string{"aaa", "bbb"}, []string{"bbb\n", "aaa\n"}},
		{"oldest dropped", 4, 2, []string{"a1", "b2", "c3", "d4"}, []string{"d4\n", "c3\n", "b2\n"}},
		{"oversize record alone", 5, 3, []string{"ab", "0123456789", "cd"}, []string{"cd\n", "0123456789\n", "ab\n"}},
		{"oversize first record", 5, 3, []string{"0123456789", "ab"}, []string{"ab\n", "0123456789\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "app.log")
			s, err := OpenRotatingFile(path, FileOptions{MaxBytes: tt.max, BackupCount: tt.backups})
			if err != nil {
				t.Fatal(err)
			}
			mustWrite(t, s, tt.records...)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			got := rotated(t, path)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got files %q, want %q", got, tt.want)
			}
			if _, err := os.Stat(fmt.Sprintf("%s.%d", path, tt.backups+1)); tt.backups > 0 && err == nil {
				t.Errorf("backup .%d exists, want at most %d backups", tt.backups+1, tt.backups)
			}
		})
	}
}

func TestRotatingFileCountsExistingSize(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.log")
	if err := os.WriteFile(path, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := OpenRotatingFile(path, FileOptions{MaxBytes: 6, BackupCount: 1})
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, s, "new")
	s.Close()
	got := rotated(t, path)
	if want := []string{"new\n", "old\n"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestRotatingFileFailedRenameAppendsAndRetriesLater(t *testing.T) {
	clock := newClock()
	var diag strings.Builder
	d := core.NewDiagnostics(&diag, time.Hour)
	path := filepath.Join(t.TempDir(), "app.log")
	s, err := OpenRotatingFile(path, FileOptions{MaxBytes: 4, BackupCount: 2, Now: clock.now, CheckInterval: time.Second, Diagnostics: d})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// A non-empty directory where the live file must be renamed to makes
	// the rename fail, as an append-only file or read-only directory would.
	blocker := path + ".rotating"
	if err := os.MkdirAll(filepath.Join(blocker, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, s, "a1", "b2", "c3", "d4")
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	source := "rotating file " + path + ": rotation failed"
	if got := d.Count(source); got != 1 {
		t.Errorf("rotation attempts within the retry interval: got %d, want 1", got)
	}
	if got, want := readFile(t, path), "a1\nb2\nc3\nd4\n"; got != want {
		t.Errorf("live file while rotation fails: got %q, want %q", got, want)
	}
	if !strings.Contains(diag.String(), path) {
		t.Errorf("diagnostics: got %q, want the path %s", diag.String(), path)
	}

	os.RemoveAll(blocker)
	clock.advance(time.Second)
	mustWrite(t, s, "e5")
	s.Flush()
	got := rotated(t, path)
	if want := []string{"e5\n", "a1\nb2\nc3\nd4\n"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("after the fault cleared: got %q, want %q", got, want)
	}
}

func TestRotatingFileFailedFreshOpenKeepsAppendingThenRecovers(t *testing.T) {
	clock := newClock()
	d := core.NewDiagnostics(nil, time.Hour)
	path := filepath.Join(t.TempDir(), "app.log")
	s, err := OpenRotatingFile(path, FileOptions{MaxBytes: 4, BackupCount: 2, Now: clock.now, CheckInterval: time.Second, Diagnostics: d})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.openFile = func(string, int, os.FileMode) (*os.File, error) { return nil, os.ErrPermission }
	mustWrite(t, s, "a1", "b2", "c3")
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	// The live file was renamed to .1 but no fresh one could be opened:
	// records go on to the renamed file, and there is no live file.
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("live file: got %v, want it absent while opens fail", err)
	}
	if got, want := readFile(t, path+".1"), "a1\nb2\nc3\n"; got != want {
		t.Errorf(".1 while the fresh open fails: got %q, want %q", got, want)
	}
	if got := d.Count("rotating file " + path + ": rotation failed"); got != 1 {
		t.Errorf("rotation attempts within the retry interval: got %d, want 1", got)
	}
	s.openFile = os.OpenFile
	clock.advance(time.Second)
	mustWrite(t, s, "d4")
	s.Flush()
	got := rotated(t, path)
	if want := []string{"d4\n", "a1\nb2\nc3\n"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("after recovery: got %q, want %q", got, want)
	}
}
