package sink

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"femtologging/core"
	"femtologging/core/coretest"
)

// syncClock is a settable clock safe to read from the background
// goroutine of a rotating file.
type syncClock struct{ ns atomic.Int64 }

func newSyncClock(t time.Time) *syncClock {
	c := &syncClock{}
	c.ns.Store(t.UnixNano())
	return c
}
func (c *syncClock) now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *syncClock) set(t time.Time)         { c.ns.Store(t.UnixNano()) }
func (c *syncClock) advance(d time.Duration) { c.ns.Add(int64(d)) }

// dirFiles maps each file name in dir to its content.
func dirFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		out[e.Name()] = readFile(t, filepath.Join(dir, e.Name()))
	}
	return out
}

// dirNames lists dir, sorted, without reading (files may vanish meanwhile).
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func newYork(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skipf("no zone data: %v", err)
	}
	return loc
}

func openTimed(t *testing.T, path string, clock *syncClock, d *core.Diagnostics, topts TimedOptions) *TimedFile {
	t.Helper()
	s, err := OpenTimedRotatingFile(path, FileOptions{Now: clock.now, CheckInterval: time.Second, Diagnostics: d}, topts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func writeTimed(t *testing.T, s *TimedFile, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if err := s.Write([]byte(l + "\n")); err != nil {
			t.Fatalf("Write(%q): %v", l, err)
		}
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
}

func TestOpenTimedRotatingFileRejectsBadSettings(t *testing.T) {
	tests := []struct {
		name string
		opts TimedOptions
		want string
	}{
		{"unknown unit", TimedOptions{Schedule: Schedule{When: "X", Interval: 1}}, `when "X"`},
		{"weekday out of range", TimedOptions{Schedule: Schedule{When: "W7", Interval: 1}}, `when "W7"`},
		{"bare W", TimedOptions{Schedule: Schedule{When: "W", Interval: 1}}, `when "W"`},
		{"zero interval", TimedOptions{Schedule: Schedule{When: "H"}}, "interval 0"},
		{"at_time past a day", TimedOptions{Schedule: Schedule{When: "midnight", Interval: 1, HasAtTime: true, AtTime: 25 * time.Hour}}, "at_time"},
		{"negative backups", TimedOptions{Schedule: Schedule{When: "H", Interval: 1}, BackupCount: -1}, "backup count -1"},
		{"unknown compression", TimedOptions{Schedule: Schedule{When: "H", Interval: 1}, Retention: Retention{Compression: "zip"}}, `compression "zip"`},
		{"negative max age", TimedOptions{Schedule: Schedule{When: "H", Interval: 1}, Retention: Retention{MaxAge: -time.Second}}, "max age"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := OpenTimedRotatingFile(filepath.Join(t.TempDir(), "a.log"), FileOptions{}, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error naming %s", err, tt.want)
			}
		})
	}
}

func TestTimedFileRollsOverAtLocalMidnightAcrossDST(t *testing.T) {
	loc := newYork(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	// Saturday 2026-03-07 10:00 EST; DST starts Sunday 02:00.
	clock := newSyncClock(time.Date(2026, 3, 7, 10, 0, 0, 0, loc))
	s := openTimed(t, path, clock, nil, TimedOptions{Schedule: Schedule{When: "midnight", Interval: 1, Location: loc}})
	defer s.Close()
	writeTimed(t, s, "sat")
	clock.set(time.Date(2026, 3, 7, 23, 59, 59, 0, loc))
	writeTimed(t, s, "sat late")
	clock.set(time.Date(2026, 3, 8, 0, 0, 0, 0, loc))
	writeTimed(t, s, "sun")
	clock.set(time.Date(2026, 3, 9, 0, 0, 1, 0, loc))
	writeTimed(t, s, "mon")
	want := map[string]string{
		"app.log":            "mon\n",
		"app.log.2026-03-07": "sat\nsat late\n",
		"app.log.2026-03-08": "sun\n",
	}
	if got := dirFiles(t, dir); !maps.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := s.RolloverAt(), time.Date(2026, 3, 10, 0, 0, 0, 0, loc).Unix(); got != want {
		t.Errorf("next rollover: got %v, want %v", time.Unix(got, 0).In(loc), time.Unix(want, 0).In(loc))
	}
}

func TestTimedFileWeeklyAtTime(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	// Wednesday 2026-12-02 12:00 UTC; W0 at 03:30 is Monday 2026-12-07 03:30.
	clock := newSyncClock(time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC))
	s := openTimed(t, path, clock, nil, TimedOptions{Schedule: Schedule{When: "w0", Interval: 1, UTC: true, HasAtTime: true, AtTime: 3*time.Hour + 30*time.Minute}})
	defer s.Close()
	writeTimed(t, s, "week 1")
	clock.set(time.Date(2026, 12, 7, 3, 29, 59, 0, time.UTC))
	writeTimed(t, s, "still week 1")
	clock.set(time.Date(2026, 12, 7, 3, 30, 0, 0, time.UTC))
	writeTimed(t, s, "week 2")
	want := map[string]string{"app.log": "week 2\n", "app.log.2026-11-30": "week 1\nstill week 1\n"}
	if got := dirFiles(t, dir); !maps.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := s.RolloverAt(), time.Date(2026, 12, 14, 3, 30, 0, 0, time.UTC).Unix(); got != want {
		t.Errorf("next rollover: got %v, want %v", time.Unix(got, 0).UTC(), time.Unix(want, 0).UTC())
	}
}

// After the clock goes back, a rollover can fall in a period that already
// has a backup: CPython 3.13 then skips the rollover and stays due,
// checking on every record; this sink keeps the old backup and names the
// new one .1.
func TestTimedFileNeverOverwritesABackupAfterTheClockWentBack(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	at := func(h, m int) time.Time { return time.Date(2026, 12, 7, h, m, 0, 0, time.UTC) }
	clock := newSyncClock(at(10, 0))
	s := openTimed(t, path, clock, nil, TimedOptions{Schedule: Schedule{When: "H", Interval: 1, UTC: true}})
	defer s.Close()
	steps := []struct {
		at   time.Time
		line string
	}{
		{at(10, 0), "10h00"}, {at(11, 0), "11h00"},
		{at(8, 30), "08h30"}, // back 2.5 h: the rollover moves to 09:30
		{at(9, 30), "09h30"}, {at(10, 30), "10h30"}, {at(11, 30), "11h30"},
	}
	for _, st := range steps {
		clock.set(st.at)
		writeTimed(t, s, st.line)
	}
	want := map[string]string{
		"app.log":                 "11h30\n",
		"app.log.2026-12-07_10":   "10h00\n",
		"app.log.2026-12-07_08":   "11h00\n08h30\n",
		"app.log.2026-12-07_09":   "09h30\n",
		"app.log.2026-12-07_10.1": "10h30\n",
	}
	if got := dirFiles(t, dir); !maps.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// A clock that jumps back by a day must not leave the next rollover a day
// away.
func TestTimedFilePullsTheRolloverBackWithTheClock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.log")
	clock := newSyncClock(time.Date(2026, 12, 7, 10, 15, 0, 0, time.UTC))
	s := openTimed(t, path, clock, nil, TimedOptions{Schedule: Schedule{When: "H", Interval: 1, UTC: true}})
	defer s.Close()
	writeTimed(t, s, "a")
	clock.advance(-24 * time.Hour)
	writeTimed(t, s, "b")
	if got, want := s.RolloverAt(), clock.now().Unix()+3600; got != want {
		t.Errorf("next rollover after the clock went back: got %v, want %v", time.Unix(got, 0).UTC(), time.Unix(want, 0).UTC())
	}
}

func TestTimedFileFirstRolloverFromModificationTime(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	old := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	if err := os.WriteFile(path, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(path, old, old)
	clock := newSyncClock(time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC))
	s := openTimed(t, path, clock, nil, TimedOptions{Schedule: Schedule{When: "D", Interval: 1, UTC: true}})
	defer s.Close()
	writeTimed(t, s, "new")
	want := map[string]string{"app.log": "new\n", "app.log.2026-12-01": "old\n"}
	if got := dirFiles(t, dir); !maps.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestTimedFileFailedRenameAppendsCountsAndRetries(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	var diag strings.Builder
	d := core.NewDiagnostics(&diag, time.Hour)
	clock := newSyncClock(time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC))
	s := openTimed(t, path, clock, d, TimedOptions{Schedule: Schedule{When: "H", Interval: 1, UTC: true}})
	defer s.Close()
	writeTimed(t, s, "10h")
	// As a read-only directory would (the tests may run as root).
	s.rename = func(string, string) error { return os.ErrPermission }
	clock.set(time.Date(2026, 12, 7, 11, 0, 0, 0, time.UTC))
	writeTimed(t, s, "11h a", "11h b")
	source := "timed rotating file " + path + ": rotation failed"
	if got := d.Count(source); got != 1 {
		t.Errorf("failed rollovers within the retry interval: got %d, want 1", got)
	}
	if got, want := readFile(t, path), "10h\n11h a\n11h b\n"; got != want {
		t.Errorf("live file while rotation fails: got %q, want %q", got, want)
	}
	if !strings.Contains(diag.String(), "will retry") {
		t.Errorf("diagnostics: got %q, want a report", diag.String())
	}
	s.rename = os.Rename
	clock.advance(time.Second)
	writeTimed(t, s, "11h c")
	if got, want := readFile(t, path+".2026-12-07_10"), "10h\n11h a\n11h b\n"; got != want {
		t.Errorf("backup after the retry: got %q, want %q", got, want)
	}
	if got, want := readFile(t, path), "11h c\n"; got != want {
		t.Errorf("live file after the retry: got %q, want %q", got, want)
	}
}

func TestTimedFileDeletesBeyondBackupCountInTheBackground(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	clock := newSyncClock(time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC))
	check := coretest.CheckNoGoroutineLeak(t)
	s := openTimed(t, path, clock, nil, TimedOptions{Schedule: Schedule{When: "M", Interval: 1, UTC: true}, BackupCount: 2})
	// Not a backup of this unit: never deleted.
	os.WriteFile(path+".2020-01-01", []byte("other\n"), 0o644)
	for i := 0; i < 5; i++ {
		writeTimed(t, s, "minute "+string(rune('0'+i)))
		clock.advance(time.Minute)
	}
	want := []string{"app.log", "app.log.2020-01-01", "app.log.2026-12-07_10-02", "app.log.2026-12-07_10-03"}
	coretest.Eventually(t, "two backups left", func() bool {
		return strings.Join(dirNames(t, dir), " ") == strings.Join(want, " ")
	})
	s.Close()
	check()
}

func TestTimedFileReportsASecondHandlerOnTheSameFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.log")
	var diag strings.Builder
	d := core.NewDiagnostics(&diag, time.Hour)
	clock := newSyncClock(time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC))
	a := openTimed(t, path, clock, d, TimedOptions{Schedule: Schedule{When: "H", Interval: 1, UTC: true}})
	defer a.Close()
	if got := d.Count("timed rotating file " + path + ": used by two handlers"); got != 0 {
		t.Fatalf("one handler: got %d reports, want 0", got)
	}
	b := openTimed(t, path, clock, d, TimedOptions{Schedule: Schedule{When: "H", Interval: 1, UTC: true}})
	defer b.Close()
	if got := d.Count("timed rotating file " + path + ": used by two handlers"); got != 1 {
		t.Errorf("second handler: got %d reports, want 1 (%q)", got, diag.String())
	}
	// b rotates first; a then finds its file renamed and follows the path
	// rather than renaming b's fresh file.
	writeTimed(t, a, "a1")
	writeTimed(t, b, "b1")
	clock.advance(time.Hour)
	writeTimed(t, b, "b2")
	writeTimed(t, a, "a2")
	if got, want := readFile(t, path+".2026-12-07_10"), "a1\nb1\n"; got != want {
		t.Errorf("backup: got %q, want %q", got, want)
	}
	if got, want := readFile(t, path), "b2\na2\n"; got != want {
		t.Errorf("live file: got %q, want %q", got, want)
	}
}

func TestTimedFileFailedFreshOpenMovesTheFileBack(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	d := core.NewDiagnostics(nil, time.Hour)
	clock := newSyncClock(time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC))
	s := openTimed(t, path, clock, d, TimedOptions{Schedule: Schedule{When: "H", Interval: 1, UTC: true}})
	defer s.Close()
	writeTimed(t, s, "10h")
	s.openFile = func(string, int, os.FileMode) (*os.File, error) { return nil, os.ErrPermission }
	clock.set(time.Date(2026, 12, 7, 11, 0, 0, 0, time.UTC))
	writeTimed(t, s, "11h")
	if got := d.Count("timed rotating file " + path + ": rotation failed"); got != 1 {
		t.Errorf("failed rollovers: got %d, want 1", got)
	}
	if got, want := dirNames(t, dir), []string{"app.log"}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("files while opens fail: got %q, want %q", got, want)
	}
	if got, want := readFile(t, path), "10h\n11h\n"; got != want {
		t.Errorf("live file: got %q, want %q", got, want)
	}
	s.openFile = os.OpenFile
	clock.advance(time.Second)
	writeTimed(t, s, "11h later")
	if got, want := readFile(t, path+".2026-12-07_10"), "10h\n11h\n"; got != want {
		t.Errorf("backup after recovery: got %q, want %q", got, want)
	}
}

// After the machine slept for days, one rollover names the period that
// was live and the next is computed from now: no rollover per record.
func TestTimedFileAfterSleepRollsOverOnce(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	clock := newSyncClock(time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC))
	s := openTimed(t, path, clock, nil, TimedOptions{Schedule: Schedule{When: "midnight", Interval: 1, UTC: true}})
	defer s.Close()
	writeTimed(t, s, "before sleep")
	clock.set(time.Date(2026, 12, 10, 15, 0, 0, 0, time.UTC))
	writeTimed(t, s, "after", "sleep", "more")
	want := map[string]string{"app.log": "after\nsleep\nmore\n", "app.log.2026-12-07": "before sleep\n"}
	if got := dirFiles(t, dir); !maps.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := s.RolloverAt(), time.Date(2026, 12, 11, 0, 0, 0, 0, time.UTC).Unix(); got != want {
		t.Errorf("next rollover: got %v, want %v", time.Unix(got, 0).UTC(), time.Unix(want, 0).UTC())
	}
}
