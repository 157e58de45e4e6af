package core

import "strings"

// Filter decides whether a logger accepts a record. A logger's filters run
// in the order declared, before the record is queued, and apply only to
// records logged on that logger (as in stdlib logging).
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
