package core

import (
	"sync"
	"sync/atomic"
	"time"
)

// ring is the bounded queue between producers and the single worker that
// drains it. Producers fill a free slot in place under a mutex (no channel
// send per item); the worker takes every queued slot in one batch and
// processes them where they lie, so steady-state logging neither copies
// records between buffers nor allocates.
type ring[T any] struct {
	mu            sync.Mutex
	slots         []T
	head, count   int
	closed        bool
	workerIdle    bool
	congested     bool          // a drop-policy grace ran out: drop at once for now
	grace         time.Duration // the drop policy's wait for room: dropGrace (tests set others)
	spaceWaiters  int
	progressWatch chan struct{} // closed when done advances; nil if no watcher

	wake        chan struct{} // capacity 1: tells the worker there is work
	space       chan struct{} // capacity 1: tells one blocked producer there is room
	wakeAt      int           // queue length at which a push wakes a lingering worker
	lingerTimer *time.Timer   // used by the worker only

	pushed uint64 // items accepted, guarded by mu
	// scrub, if set, clears what a used slot no longer needs (a logger's
	// slots point at handler lists) once the worker parks on an empty
	// queue. The worker does not clear slots as it goes: a slot line it
	// wrote is a cache miss for the producer that fills the slot next,
	// which made a steady producer up to half again slower.
	scrub      func(*T)
	scrubbedAt uint64        // pushed when the slots were last scrubbed
	done       atomic.Uint64 // items the worker has finished with
}

func newRing[T any](capacity int) *ring[T] {
	return &ring[T]{
		slots:  make([]T, capacity),
		wake:   make(chan struct{}, 1),
		space:  make(chan struct{}, 1),
		wakeAt: max(1, capacity/8),
		grace:  dropGrace,
	}
}

// dropGrace is how long a push under the drop policy waits for room before
// it drops. A full queue is most often a worker that the OS has not
// scheduled yet, not a stuck destination: the grace absorbs that without
// losing records. When a grace runs out the ring is congested and later
// pushes drop at once, until the worker has freed half the ring.
const dropGrace = 5 * time.Millisecond

// push fills a free slot with fill. wait says how long to wait for room: 0
// is the drop policy (at most the ring's grace, dropGrace, none while
// congested), negative
// waits until there is room or the ring closes. It returns ErrQueueFull
// when there is still no room and ErrClosed after close.
func (q *ring[T]) push(wait time.Duration, fill func(*T)) error {
	dropPolicy := wait == 0
	if dropPolicy {
		wait = q.grace
	}
	var timer *time.Timer
	lastTry := false
	for {
		q.mu.Lock()
		if q.closed {
			q.mu.Unlock()
			notify(q.space) // pass the wake-up on to the next blocked producer
			return ErrClosed
		}
		if q.count < len(q.slots) {
			q.fillLocked(fill)
			return nil
		}
		if lastTry || (dropPolicy && q.congested) {
			q.mu.Unlock()
			return ErrQueueFull
		}
		q.spaceWaiters++
		q.mu.Unlock()
		notify(q.wake) // the worker may be lingering: room is what we need
		if wait > 0 && timer == nil {
			timer = time.NewTimer(wait)
			defer timer.Stop()
		}
		timedOut := false
		if timer != nil {
			select {
			case <-q.space:
			case <-timer.C:
				timedOut = true
			}
		} else {
			<-q.space
		}
		q.mu.Lock()
		q.spaceWaiters--
		if timedOut && dropPolicy {
			q.congested = true
		}
		q.mu.Unlock()
		lastTry = timedOut
	}
}

// tryPush is push that never waits: it returns ErrQueueFull at once when
// there is no room (counting nothing), and ErrClosed after close.
func (q *ring[T]) tryPush(fill func(*T)) error {
	q.mu.Lock()
	switch {
	case q.closed:
		q.mu.Unlock()
		return ErrClosed
	case q.count == len(q.slots):
		q.mu.Unlock()
		return ErrQueueFull
	}
	q.fillLocked(fill)
	return nil
}

// fillLocked fills the next free slot, unlocks, and wakes the worker (and
// the next producer waiting for room) if they need it. The caller holds mu
// and has seen a free slot.
func (q *ring[T]) fillLocked(fill func(*T)) {
	fill(&q.slots[(q.head+q.count)%len(q.slots)])
	q.count++
	q.pushed++
	wakeWorker := q.workerIdle || q.count == q.wakeAt
	q.workerIdle = false
	moreRoom := q.count < len(q.slots) && q.spaceWaiters > 0
	q.mu.Unlock()
	if wakeWorker {
		notify(q.wake)
	}
	if moreRoom {
		notify(q.space)
	}
}

// pushBatch fills free slots for items 0..n-1 in order under one lock, so
// a worker forwarding a batch pays for one lock, not one per item. It never
// waits: it returns how many items it queued, stopping at the first that
// found no room (the caller queues the rest one by one, under its policy).
func (q *ring[T]) pushBatch(n int, fill func(i int, slot *T)) (int, error) {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return 0, ErrClosed
	}
	before := q.count
	pushed := 0
	for ; pushed < n && q.count < len(q.slots); pushed++ {
		fill(pushed, &q.slots[(q.head+q.count)%len(q.slots)])
		q.count++
	}
	q.pushed += uint64(pushed)
	wakeWorker := pushed > 0 && (q.workerIdle || (before < q.wakeAt && q.count >= q.wakeAt))
	if wakeWorker {
		q.workerIdle = false
	}
	q.mu.Unlock()
	if wakeWorker {
		notify(q.wake)
	}
	return pushed, nil
}

// acquire returns the queued items, oldest first, as up to two slices (the
// ring wraps around). They stay in their slots, owned by the worker, until
// release: producers only ever fill free slots. Processing in place means
// no record is copied on its way through the queue, and each slot's
// message buffer is reused by the next record that lands in it.
func (q *ring[T]) acquire() (first, second []T) {
	q.mu.Lock()
	start, n := q.head, q.count
	q.mu.Unlock()
	end := start + n
	if end <= len(q.slots) {
		return q.slots[start:end], nil
	}
	return q.slots[start:], q.slots[:end-len(q.slots)]
}

// release gives the oldest n acquired slots back to producers.
func (q *ring[T]) release(n int) {
	if n == 0 {
		return
	}
	q.mu.Lock()
	q.head = (q.head + n) % len(q.slots)
	q.count -= n
	if q.congested && q.count <= len(q.slots)/2 {
		q.congested = false
	}
	waiters := q.spaceWaiters > 0
	q.mu.Unlock()
	if waiters {
		notify(q.space)
	}
}

// finish records that the worker is done with n more items and wakes
// anyone waiting in waitDone.
func (q *ring[T]) finish(n int) {
	if n == 0 {
		return
	}
	q.done.Add(uint64(n))
	q.mu.Lock()
	w := q.progressWatch
	q.progressWatch = nil
	q.mu.Unlock()
	if w != nil {
		close(w)
	}
}

// mark returns the number of items pushed so far: a target for waitDone.
func (q *ring[T]) mark() uint64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.pushed
}

// waitDone waits until the worker has finished every item up to target, or
// until the timeout. It reports whether target was reached.
func (q *ring[T]) waitDone(target uint64, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for {
		if q.done.Load() >= target {
			return true
		}
		q.mu.Lock()
		if q.done.Load() >= target {
			q.mu.Unlock()
			return true
		}
		if q.progressWatch == nil {
			q.progressWatch = make(chan struct{})
		}
		w := q.progressWatch
		q.workerIdle = false
		q.mu.Unlock()
		notify(q.wake) // someone waits: the worker must not linger for a batch
		left := time.Until(deadline)
		if left <= 0 {
			return false
		}
		t := time.NewTimer(left)
		select {
		case <-w:
			t.Stop()
		case <-t.C:
			return q.done.Load() >= target
		}
	}
}

// Lingering: after the queue runs empty the worker waits lingerSpins times
// up to lingerNap for work before it parks. While it lingers, producers push
// without waking it (waking a goroutine costs the producer microseconds,
// more than the record itself) until the queue holds wakeAt items; once it
// has parked, the first push wakes it.
const (
	lingerSpins = 3
	lingerNap   = 500 * time.Microsecond
)

// park is called by the worker when acquire found nothing. spins counts
// the empty acquires in a row; the worker resets it when it gets work.
func (q *ring[T]) park(spins *int) {
	if *spins < lingerSpins {
		*spins++
		q.nap()
		return
	}
	q.mu.Lock()
	if q.count > 0 || q.closed {
		q.mu.Unlock()
		return
	}
	q.workerIdle = true
	q.scrubUsedLocked()
	q.mu.Unlock()
	<-q.wake
}

// scrubUsedLocked applies scrub to the slots filled since the last scrub.
// The caller holds mu and the queue is empty, so no slot is in use.
func (q *ring[T]) scrubUsedLocked() {
	if q.scrub == nil {
		return
	}
	used := int(min(q.pushed-q.scrubbedAt, uint64(len(q.slots))))
	for i := 1; i <= used; i++ { // backwards from the last filled slot
		q.scrub(&q.slots[(q.head-i+len(q.slots))%len(q.slots)])
	}
	q.scrubbedAt = q.pushed
}

// awaitBatch is called by the worker after a non-empty batch: unless wakeAt
// items are queued already, it waits (one linger nap at most) until a push
// reaches wakeAt, a poke, or close. A worker that went straight back for
// the few items a producer queued meanwhile would take turns with it on
// the lock and the slots' cache lines item by item, which costs the
// producer more than the items themselves.
func (q *ring[T]) awaitBatch() {
	q.mu.Lock()
	enough := q.count >= q.wakeAt || q.closed
	q.mu.Unlock()
	if !enough {
		q.nap()
	}
}

// nap waits for a wake-up, at most lingerNap. Worker only.
func (q *ring[T]) nap() {
	if q.lingerTimer == nil {
		q.lingerTimer = time.NewTimer(lingerNap)
	} else {
		q.lingerTimer.Reset(lingerNap)
	}
	select {
	case <-q.wake:
	case <-q.lingerTimer.C:
	}
}

// poke wakes the worker without pushing, e.g. to make it flush.
func (q *ring[T]) poke() {
	q.mu.Lock()
	q.workerIdle = false
	q.mu.Unlock()
	notify(q.wake)
}

// close stops accepting items and wakes the worker so it can drain what is
// left and exit. Blocked producers get ErrClosed.
func (q *ring[T]) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	notify(q.wake)
	notify(q.space)
}

// isClosed reports whether close was called.
func (q *ring[T]) isClosed() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.closed
}

// length returns the number of queued items.
func (q *ring[T]) length() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.count
}

// notify does a non-blocking send on a capacity-1 signal channel.
func notify(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}
