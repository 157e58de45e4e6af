package config

import (
	"strings"
	"time"

	"femtologging/core"
	"femtologging/core/sink"
)

// timedSpec is the schema of {"kind": "timed_rotating_file"}: every field
// of "file", the schedule of CPython's TimedRotatingFileHandler, and the
// retention of the backups.
type timedSpec struct {
	fileSpec
	retentionSpec
	When        *string `json:"when"`
	Interval    *int    `json:"interval"`
	BackupCount *int    `json:"backup_count"`
	UTC         *bool   `json:"utc"`
	AtTime      *string `json:"at_time"`
}

func init() { handlerBuilders["timed_rotating_file"] = buildTimedRotatingFile }

// buildTimedRotatingFile builds a handler appending to a file that rolls
// over by time. Defaults follow the TimedHandlerOptions: midnight,
// interval 1, 7 backups, local time.
func buildTimedRotatingFile(env Env, path string, doc []byte) (Built, error) {
	var spec timedSpec
	if err := decodeStrict(path, doc, &spec); err != nil {
		return Built{}, err
	}
	topts, err := spec.options(path)
	if err != nil {
		return Built{}, err
	}
	return buildFileHandlerWith(env, path, "timed_rotating_file", &spec.fileSpec, sink.FileOptions{},
		func(p string, o sink.FileOptions) (core.Sink, error) { return sink.OpenTimedRotatingFile(p, o, topts) })
}

// options validates the schedule and retention fields.
func (s *timedSpec) options(path string) (sink.TimedOptions, error) {
	var o sink.TimedOptions
	o.When = "midnight"
	if s.When != nil {
		o.When = *s.When
	}
	o.Interval = orDefault(s.Interval, 1)
	o.BackupCount = orDefault(s.BackupCount, 7)
	o.UTC = s.UTC != nil && *s.UTC
	if err := positive(path, "interval", &o.Interval); err != nil {
		return o, err
	}
	if err := nonNegative(path, "backup_count", o.BackupCount); err != nil {
		return o, err
	}
	if s.AtTime != nil {
		at, err := checkAtTime(path, *s.AtTime)
		if err != nil {
			return o, err
		}
		o.AtTime, o.HasAtTime = at, true
	}
	if _, err := checkWhen(path, o.When); err != nil {
		return o, err
	}
	r, err := s.retention(path)
	if err != nil {
		return o, err
	}
	o.Retention = r
	return o, nil
}

// checkWhen validates a "when" with the schedule's own rules (the rest
// of the schedule is checked above, so only the unit can be wrong) and
// returns it in upper case, as the schedule compares it.
func checkWhen(path, when string) (string, error) {
	if _, err := sink.CheckSchedule(sink.Schedule{When: when, Interval: 1}); err != nil {
		return "", &Error{Path: path + ".when", Reason: "want " + sink.WhenForms,
			Msg: strings.TrimPrefix(err.Error(), sink.ErrBadSchedule.Error()+": ")}
	}
	return strings.ToUpper(when), nil
}

// checkAtTime reads an "at_time", "HH:MM" or "HH:MM:SS", as the time
// since midnight.
func checkAtTime(path, text string) (time.Duration, error) {
	for _, layout := range []string{"15:04:05", "15:04"} {
		if t, err := time.Parse(layout, text); err == nil {
			return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute +
				time.Duration(t.Second())*time.Second, nil
		}
	}
	return 0, badValue(path+".at_time", text, `want a time of day "HH:MM:SS" or "HH:MM"`)
}
