package core

import "fmt"

// ConfigPlan is a whole configuration, validated and with its handlers
// built, ready to be swapped into a Manager by Apply.
type ConfigPlan struct {
	// Loggers are configured in order; the root is one of them (named
	// RootName). Each named logger and its ancestors are created.
	Loggers []LoggerPlan
	// DisableExisting clears the handlers and filters of every existing
	// logger that is neither configured nor an ancestor of a configured
	// one.
	DisableExisting bool
}

// LoggerPlan is the state one logger takes when a plan is applied. Its
// handler and filter lists replace the logger's own.
type LoggerPlan struct {
	Name string
	// Level is the logger's own level; LevelNotSet makes it inherit. For
	// the root, LevelNotSet keeps the root's current level.
	Level     Level
	Handlers  []Handler
	Filters   []Filter
	Propagate bool
}

// Apply swaps plan into the manager. Everything is checked before the
// first change and the changes happen under the manager's lock, so a
// plan is applied whole or not at all, and no logger sees half of it.
func (m *Manager) Apply(plan ConfigPlan) error {
	for _, lp := range plan.Loggers {
		if err := ValidateName(lp.Name); err != nil {
			return err
		}
		if lp.Level != LevelNotSet {
			if _, err := LevelFromInt(int(lp.Level)); err != nil {
				return fmt.Errorf("logger %q: %w", lp.Name, err)
			}
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	kept := map[*Logger]bool{}
	for _, lp := range plan.Loggers {
		l := m.loggerLocked(lp.Name)
		for p := l; p != nil; p = p.parent {
			kept[p] = true
		}
		if lp.Level != LevelNotSet || l.parent != nil {
			l.level.Store(int32(lp.Level))
		}
		l.handlers = append([]Handler(nil), lp.Handlers...)
		l.SetFilters(lp.Filters)
		l.propagate.Store(lp.Propagate)
	}
	if plan.DisableExisting {
		for _, l := range m.loggers {
			if !kept[l] {
				l.handlers = nil
				l.SetFilters(nil)
			}
		}
	}
	m.recomputeLocked()
	return nil
}

// AttachedHandlers returns every handler attached to some logger.
func (m *Manager) AttachedHandlers() map[Handler]bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[Handler]bool{}
	for _, l := range m.loggers {
		for _, h := range l.handlers {
			out[h] = true
		}
	}
	return out
}
