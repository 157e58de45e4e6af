package core

// SetLevel sets l's own level; LevelNotSet makes it inherit again.
func (l *Logger) SetLevel(level Level) error {
	if level != LevelNotSet {
		if _, err := LevelFromInt(int(level)); err != nil {
			return err
		}
	} else if l.parent == nil {
		return ErrRootLevel
	}
	m := l.mgr
	m.mu.Lock()
	defer m.mu.Unlock()
	l.level.Store(int32(level))
	m.recomputeLocked()
	return nil
}

// SetPropagate turns delivery to the ancestors' handlers on or off.
func (l *Logger) SetPropagate(on bool) {
	m := l.mgr
	m.mu.Lock()
	defer m.mu.Unlock()
	l.propagate.Store(on)
	m.recomputeLocked()
}

// AddHandler appends h to the logger's handlers.
func (l *Logger) AddHandler(h Handler) {
	m := l.mgr
	m.mu.Lock()
	defer m.mu.Unlock()
	l.handlers = append(l.handlers[:len(l.handlers):len(l.handlers)], h)
	m.recomputeLocked()
}

// RemoveHandler detaches the first occurrence of h and reports whether it
// was attached.
func (l *Logger) RemoveHandler(h Handler) bool {
	m := l.mgr
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, x := range l.handlers {
		if x == h {
			next := make([]Handler, 0, len(l.handlers)-1)
			next = append(next, l.handlers[:i]...)
			l.handlers = append(next, l.handlers[i+1:]...)
			m.recomputeLocked()
			return true
		}
	}
	return false
}

// ClearHandlers detaches every handler.
func (l *Logger) ClearHandlers() {
	m := l.mgr
	m.mu.Lock()
	defer m.mu.Unlock()
	l.handlers = nil
	m.recomputeLocked()
}

// Handlers returns the logger's own handlers.
func (l *Logger) Handlers() []Handler {
	l.mgr.mu.Lock()
	defer l.mgr.mu.Unlock()
	return append([]Handler(nil), l.handlers...)
}

// SetFilters replaces the logger's filters; they run in the given order.
func (l *Logger) SetFilters(filters []Filter) {
	if len(filters) == 0 {
		l.filters.Store(nil)
		return
	}
	fs := append([]Filter(nil), filters...)
	l.filters.Store(&fs)
}
