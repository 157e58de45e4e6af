package main

import (
	"sync"
	"sync/atomic"
)

// nextHandle numbers every handle of every kind from one counter, so a
// handle is never reused and a handle of one kind is never valid as another.
var nextHandle atomic.Uint64

// handleTable maps handles to objects. Reads are lock-free and allocation
// free (the log path looks up a logger and a thread on every call); writes
// copy the map, which is fine because handles are created rarely.
type handleTable[T any] struct {
	mu      sync.Mutex
	current atomic.Pointer[map[uint64]T]
}

// add registers v and returns its new handle.
func (t *handleTable[T]) add(v T) uint64 {
	h := nextHandle.Add(1)
	t.update(func(m map[uint64]T) { m[h] = v })
	return h
}

// get returns the object behind h.
func (t *handleTable[T]) get(h uint64) (T, bool) {
	if m := t.current.Load(); m != nil {
		v, ok := (*m)[h]
		return v, ok
	}
	var zero T
	return zero, false
}

// remove forgets h; later lookups fail.
func (t *handleTable[T]) remove(h uint64) {
	t.update(func(m map[uint64]T) { delete(m, h) })
}

// clear forgets every handle.
func (t *handleTable[T]) clear() {
	t.update(func(m map[uint64]T) { clear(m) })
}

// each calls fn for every registered object.
func (t *handleTable[T]) each(fn func(h uint64, v T)) {
	if m := t.current.Load(); m != nil {
		for h, v := range *m {
			fn(h, v)
		}
	}
}

func (t *handleTable[T]) update(change func(map[uint64]T)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	next := map[uint64]T{}
	if m := t.current.Load(); m != nil {
		for k, v := range *m {
			next[k] = v
		}
	}
	change(next)
	t.current.Store(&next)
}
