package core

import "strings"

// Filter decides whether a logger or a handler accepts a record. A
// logger's filters run in the order declared, before the record is queued,
// and apply only to records logged on that logger (as in stdlib logging); a
// handler's filters run when a logger hands it a record. Allow may be
// called from many goroutines at once.
type Filter interface {
	Allow(rec *Record) bool
}

// LevelFilter passes records at or below MaxLevel.
type LevelFilter struct {
	MaxLevel Level
}

// Allow reports whether rec's level is at most MaxLevel.
func (f LevelFilter) Allow(rec *Record) bool { return rec.Level <= f.MaxLevel }

// NameFilter passes records whose logger name starts with Prefix.
type NameFilter struct {
	Prefix string
}

// Allow reports whether rec's logger name starts with Prefix.
func (f NameFilter) Allow(rec *Record) bool { return strings.HasPrefix(rec.Logger, f.Prefix) }

// SubtreeFilter passes the records of the logger Name and of its
// descendants, as stdlib's logging.Filter(name) does: "a.b" passes "a.b"
// and "a.b.c" but not "a.bc"; an empty Name passes every record.
type SubtreeFilter struct {
	Name string
}

// Allow reports whether rec's logger is Name or a descendant of it.
func (f SubtreeFilter) Allow(rec *Record) bool {
	if f.Name == "" || rec.Logger == f.Name {
		return true
	}
	return len(rec.Logger) > len(f.Name) && rec.Logger[len(f.Name)] == '.' && strings.HasPrefix(rec.Logger, f.Name)
}
