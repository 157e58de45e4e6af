package main

import (
	"sync"
	"sync/atomic"
)

// nextHandle numbers every handle of every kind from one counter, so a
// handle is never reused and a handle of one kind is never valid as another.
var nextHandle atomic.Uint64

// found gives a handle look-up's (value, ok) as (value, error): every kind
// of handle reports an unknown or stale one as errHandle.
func found[T any](v T, ok bool) (T, error) {
	if !ok {
		var zero T
		return zero, errHandle
	}
	return v, nil
}

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

// addAt registers v under h, a handle issued by the parent of a forked
// child (see fork_exports.go).
func (t *handleTable[T]) addAt(h uint64, v T) {
	t.update(func(m map[uint64]T) { m[h] = v })
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

// each calls fn for every registered object (the fork description lists
// the callback formatters with it).
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

// growTable maps handles to objects registered all the process's life,
// like threads (a server starting a thread per request registers one per
// thread) and loggers (one per name ever used). Reads are lock-free and allocation-free like handleTable's, but
// adding does not copy the table (which made the n-th registration cost
// O(n)): it is an open-addressing hash table, doubled when half full, whose
// slots are written before their key is published. Entries are never
// removed, so a reader holding an older table still finds what it held.
type growTable[T any] struct {
	mu    sync.Mutex
	table atomic.Pointer[[]growSlot[T]]
	count int // guarded by mu
}

type growSlot[T any] struct {
	key atomic.Uint64 // 0: empty (0 is never a handle)
	val atomic.Pointer[T]
}

// add registers v and returns its new handle.
func (t *growTable[T]) add(v *T) uint64 {
	h := nextHandle.Add(1)
	t.addAt(h, v)
	return h
}

// addAt registers v under h, a new handle or one issued by the parent of
// a forked child (see fork_exports.go).
func (t *growTable[T]) addAt(h uint64, v *T) {
	t.mu.Lock()
	defer t.mu.Unlock()
	slots := t.table.Load()
	if slots == nil || 2*(t.count+1) > len(*slots) {
		size := 64
		if slots != nil {
			size = 2 * len(*slots)
		}
		grown := make([]growSlot[T], size)
		if slots != nil {
			for i := range *slots {
				if k := (*slots)[i].key.Load(); k != 0 {
					insertSlot(grown, k, (*slots)[i].val.Load())
				}
			}
		}
		t.table.Store(&grown)
		slots = &grown
	}
	insertSlot(*slots, h, v)
	t.count++
}

// get returns the object behind h.
func (t *growTable[T]) get(h uint64) (*T, bool) {
	slots := t.table.Load()
	if slots == nil || h == 0 {
		return nil, false
	}
	s := *slots
	mask := uint64(len(s) - 1)
	for i := slotIndex(h, mask); ; i = (i + 1) & mask {
		switch s[i].key.Load() {
		case h:
			return s[i].val.Load(), true
		case 0:
			return nil, false
		}
	}
}

// clear forgets every handle: later lookups of earlier handles fail.
func (t *growTable[T]) clear() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.table.Store(nil)
	t.count = 0
}

func insertSlot[T any](s []growSlot[T], h uint64, v *T) {
	mask := uint64(len(s) - 1)
	i := slotIndex(h, mask)
	for s[i].key.Load() != 0 {
		i = (i + 1) & mask
	}
	s[i].val.Store(v)
	s[i].key.Store(h) // publishes the slot: readers check the key first
}

// slotIndex spreads sequential handles over the table (Fibonacci hashing).
func slotIndex(h, mask uint64) uint64 {
	return (h * 0x9E3779B97F4A7C15 >> 32) & mask
}
