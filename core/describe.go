package core

import "sort"

// LoggerState is one logger's configuration as Describe reports it.
type LoggerState struct {
	Name string
	// Level is the logger's own level; LevelNotSet means it inherits.
	Level     Level
	Propagate bool
	Handlers  []Handler
	Filters   []Filter
}

// Describe returns the configuration of every registered logger, the root
// first, then by name. It reads under the manager's lock, so no logger is
// seen half-changed by a concurrent Apply or SetLevel. A forked child
// rebuilds its loggers from it (capi's fork support), and the parent calls
// it just before fork() while other threads may be logging, so it only
// copies: it formats nothing and waits for nothing but the lock, which is
// never held across a wait.
func (m *Manager) Describe() []LoggerState {
	m.mu.Lock()
	out := make([]LoggerState, 0, len(m.loggers))
	for _, l := range m.loggers {
		st := LoggerState{
			Name:      l.name,
			Level:     Level(l.level.Load()),
			Propagate: l.propagate.Load(),
			Handlers:  append([]Handler(nil), l.handlers...),
		}
		if fs := l.filters.Load(); fs != nil {
			st.Filters = append([]Filter(nil), (*fs)...)
		}
		out = append(out, st)
	}
	m.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if (out[i].Name == RootName) != (out[j].Name == RootName) {
			return out[i].Name == RootName
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// Default reports whether the logger is as a fresh one: inheriting its
// level, propagating, with no handlers or filters of its own.
func (s LoggerState) Default() bool {
	return s.Level == LevelNotSet && s.Propagate && len(s.Handlers) == 0 && len(s.Filters) == 0
}
