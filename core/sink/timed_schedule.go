package sink

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// ErrBadSchedule is wrapped by every error about a timed rotation's
// settings (when, interval, at_time).
var ErrBadSchedule = errors.New("bad rotation schedule")

// WhenForms lists the units a Schedule's When accepts, for messages.
const WhenForms = "S, M, H, D, MIDNIGHT or W0-W6 (W0 is Monday)"

const daySeconds = 24 * 60 * 60

// Schedule is when a timed rotating file rolls over, with the rules of
// CPython 3.13's logging.handlers.TimedRotatingFileHandler: the unit
// ("S", "M", "H", "D", "MIDNIGHT", "W0"-"W6"), how many units make one
// period, UTC or local time, and for MIDNIGHT and W* the time of day.
type Schedule struct {
	// When is the unit, case-insensitive; Interval multiplies it.
	When     string
	Interval int
	// UTC computes day boundaries and backup names in UTC instead of
	// Location.
	UTC bool
	// AtTime is the time of day (since midnight) of a MIDNIGHT or W*
	// rollover when HasAtTime is set; it is ignored for other units, as
	// in CPython.
	AtTime    time.Duration
	HasAtTime bool
	// Location is the local zone; nil means time.Local. Tests set a zone
	// with daylight saving time here.
	Location *time.Location
}

// schedule is a validated Schedule, in whole seconds as CPython counts.
type schedule struct {
	when      string // upper case
	interval  int64  // seconds of one period
	dayOfWeek int    // 0 is Monday, for W*
	atTime    int64  // seconds after midnight; daySeconds when unset
	atSet     bool
	utc       bool
	loc       *time.Location
	layout    string         // the Go layout of CPython's suffix
	ext       *regexp.Regexp // the timestamp part of a backup's name
}

// whenUnits holds each unit's seconds, name layout and name pattern.
var whenUnits = map[string]struct {
	seconds int64
	layout  string
	pattern string
}{
	"S":        {1, "2006-01-02_15-04-05", `\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}`},
	"M":        {60, "2006-01-02_15-04", `\d{4}-\d{2}-\d{2}_\d{2}-\d{2}`},
	"H":        {3600, "2006-01-02_15", `\d{4}-\d{2}-\d{2}_\d{2}`},
	"D":        {daySeconds, "2006-01-02", `\d{4}-\d{2}-\d{2}`},
	"MIDNIGHT": {daySeconds, "2006-01-02", `\d{4}-\d{2}-\d{2}`},
	"W":        {7 * daySeconds, "2006-01-02", `\d{4}-\d{2}-\d{2}`},
}

// compile validates the schedule.
func (c Schedule) compile() (*schedule, error) {
	when := strings.ToUpper(c.When)
	unit := when
	dow := 0
	if len(when) == 2 && when[0] == 'W' && when[1] >= '0' && when[1] <= '6' {
		unit, dow = "W", int(when[1]-'0')
	}
	u, ok := whenUnits[unit]
	if !ok || unit == "W" && len(when) != 2 {
		return nil, fmt.Errorf("%w: when %q: want %s", ErrBadSchedule, c.When, WhenForms)
	}
	if c.Interval < 1 {
		return nil, fmt.Errorf("%w: interval %d: must be at least 1", ErrBadSchedule, c.Interval)
	}
	if c.HasAtTime && (c.AtTime < 0 || c.AtTime >= daySeconds*time.Second) {
		return nil, fmt.Errorf("%w: at_time %v: want a time of day, 00:00:00 to 23:59:59", ErrBadSchedule, c.AtTime)
	}
	s := &schedule{
		when: when, interval: u.seconds * int64(c.Interval), dayOfWeek: dow,
		atTime: daySeconds, atSet: c.HasAtTime, utc: c.UTC, loc: c.Location,
		layout: u.layout, ext: regexp.MustCompile(`^` + u.pattern + `$`),
	}
	if c.HasAtTime {
		s.atTime = int64(c.AtTime / time.Second)
	}
	if s.utc {
		s.loc = time.UTC
	} else if s.loc == nil {
		s.loc = time.Local
	}
	return s, nil
}

// at is CPython's time.localtime (or gmtime) of a Unix time in seconds.
func (s *schedule) at(t int64) time.Time { return time.Unix(t, 0).In(s.loc) }

// daily reports whether the period is anchored to a time of day.
func (s *schedule) daily() bool { return s.when == "MIDNIGHT" || s.when[0] == 'W' }

// next is CPython 3.13's computeRollover: the first rollover after t.
// For S, M, H and D it is one period after t; for MIDNIGHT and W* it is
// the next at_time (midnight by default) on the right day, plus the
// extra periods of an interval above 1, corrected by an hour when a
// daylight saving change in local time falls in between.
func (s *schedule) next(t int64) int64 {
	if !s.daily() {
		return t + s.interval
	}
	now := s.at(t)
	r := s.atTime - int64(now.Hour()*3600+now.Minute()*60+now.Second())
	day := (int(now.Weekday()) + 6) % 7 // CPython counts from Monday
	if r <= 0 {
		r += daySeconds
		day = (day + 1) % 7
	}
	result := t + r
	if s.when[0] == 'W' {
		if day != s.dayOfWeek {
			wait := s.dayOfWeek - day
			if wait < 0 {
				wait += 7
			}
			result += int64(wait) * daySeconds
		}
		result += s.interval - 7*daySeconds
	} else {
		result += s.interval - daySeconds
	}
	if !s.utc {
		dstNow, dstThen := now.IsDST(), s.at(result).IsDST()
		switch {
		case dstNow == dstThen:
		case !dstNow && s.at(result-3600).IsDST():
			result -= 3600 // DST starts before the rollover
		case dstNow:
			result += 3600 // DST ends before the rollover
		}
	}
	return result
}

// suffix is the timestamp part of the name of the backup made by a
// rollover due at rolloverAt and done at now: the start of the period
// that ends, with CPython's correction when daylight saving changed in
// between.
func (s *schedule) suffix(rolloverAt, now int64) string {
	t := rolloverAt - s.interval
	start := s.at(t)
	if !s.utc {
		if dstNow := s.at(now).IsDST(); dstNow != start.IsDST() {
			if dstNow {
				start = s.at(t + 3600)
			} else {
				start = s.at(t - 3600)
			}
		}
	}
	return start.Format(s.layout)
}

// CheckSchedule validates a schedule without opening anything, returning
// the length of one period.
func CheckSchedule(c Schedule) (time.Duration, error) {
	s, err := c.compile()
	if err != nil {
		return 0, err
	}
	return time.Duration(s.interval) * time.Second, nil
}
