package sink

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"testing"
	"time"
)

// The differential test runs CPython's own TimedRotatingFileHandler
// (testdata/cpython_rollover.py) with TZ set to zones that change to and
// from daylight saving time, and compares every rollover time and backup
// name with ours, for every unit, UTC on and off, at_time, intervals 1
// and 3, and times spread over a year plus the hours around each DST
// change. FEMTOLOG_PYTHON names the interpreter (default python3 on
// PATH); without one the test is skipped.

type diffConfig struct {
	When     string `json:"when"`
	Interval int    `json:"interval"`
	UTC      bool   `json:"utc"`
	At       []int  `json:"at"` // hour, minute, second; nil for none
}

func diffConfigs() []diffConfig {
	var out []diffConfig
	ats := [][]int{nil, {0, 0, 0}, {2, 30, 0}, {13, 45, 10}}
	for _, when := range []string{"S", "M", "H", "D", "midnight", "W0", "W1", "W2", "W3", "W4", "W5", "W6"} {
		for _, interval := range []int{1, 3} {
			for _, utc := range []bool{false, true} {
				for _, at := range ats {
					if at != nil && when != "midnight" && when[0] != 'W' {
						continue // at_time only matters for daily units
					}
					out = append(out, diffConfig{when, interval, utc, at})
				}
			}
		}
	}
	return out
}

// diffTimes spreads times over 2026 at an odd step (so they land on every
// hour and weekday), adds each exact local midnight and 02:30 near the DST
// changes, and every 30 minutes around them.
func diffTimes(loc *time.Location) []int64 {
	var out []int64
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, loc).Unix()
	for t := start; t < start+366*daySeconds; t += 17*3600 + 13*60 + 7 {
		out = append(out, t)
	}
	for _, day := range []time.Time{
		time.Date(2026, 3, 8, 0, 0, 0, 0, loc), time.Date(2026, 3, 29, 0, 0, 0, 0, loc),
		time.Date(2026, 11, 1, 0, 0, 0, 0, loc), time.Date(2026, 10, 25, 0, 0, 0, 0, loc),
	} {
		for d := -30 * time.Hour; d <= 30*time.Hour; d += 30 * time.Minute {
			out = append(out, day.Add(d).Unix())
		}
		out = append(out, day.Add(2*time.Hour+30*time.Minute).Unix(), day.Add(13*time.Hour+45*time.Minute+10*time.Second).Unix())
	}
	return out
}

func TestTimedScheduleMatchesCPython(t *testing.T) {
	python := os.Getenv("FEMTOLOG_PYTHON")
	if python == "" {
		var err error
		if python, err = exec.LookPath("python3"); err != nil {
			t.Skip("no python3 on PATH (set FEMTOLOG_PYTHON)")
		}
	}
	for _, zone := range []string{"America/New_York", "Europe/Berlin"} {
		t.Run(zone, func(t *testing.T) {
			loc, err := time.LoadLocation(zone)
			if err != nil {
				t.Skipf("no zone data: %v", err)
			}
			compareWithCPython(t, python, zone, loc)
		})
	}
}

func compareWithCPython(t *testing.T, python, zone string, loc *time.Location) {
	configs, times := diffConfigs(), diffTimes(loc)
	job, _ := json.Marshal(map[string]any{"configs": configs, "times": times})
	cmd := exec.Command(python, "testdata/cpython_rollover.py")
	cmd.Env = append(os.Environ(), "TZ="+zone)
	cmd.Stdin = bytes.NewReader(job)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", python, err, stderr.String())
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	checked, differs311 := 0, 0
	for sc.Scan() {
		var res struct {
			Config  *diffConfig          `json:"config"`
			Rows    [][4]json.RawMessage `json:"rows"`
			Version []int                `json:"version"`
		}
		if err := json.Unmarshal(sc.Bytes(), &res); err != nil {
			t.Fatal(err)
		}
		if res.Config == nil {
			t.Logf("CPython %v: %d cases checked; %d where this interpreter's own computeRollover differs from 3.13's rule", res.Version, checked, differs311)
			continue
		}
		c := *res.Config
		sc := Schedule{When: c.When, Interval: c.Interval, UTC: c.UTC, Location: loc}
		if c.At != nil {
			sc.HasAtTime = true
			sc.AtTime = time.Duration(c.At[0])*time.Hour + time.Duration(c.At[1])*time.Minute + time.Duration(c.At[2])*time.Second
		}
		s, err := sc.compile()
		if err != nil {
			t.Fatal(err)
		}
		bad := 0
		for i, row := range res.Rows {
			var want, std int64
			var name1, name2 string
			json.Unmarshal(row[0], &want)
			json.Unmarshal(row[1], &std)
			json.Unmarshal(row[2], &name1)
			json.Unmarshal(row[3], &name2)
			if std != want {
				differs311++
			}
			got := s.next(times[i])
			g1, g2 := s.suffix(want, want+1), s.suffix(want, want+5400)
			if (got != want || g1 != name1 || g2 != name2) && bad < 5 {
				bad++
				t.Errorf("%+v at %d (%v): got rollover %d, names %s %s; want %d (%v), names %s %s",
					c, times[i], s.at(times[i]), got, g1, g2, want, s.at(want), name1, name2)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("CPython returned no cases")
	}
}
