package core

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

// ringWait bounds the waits of the ring tests; see coretest.WaitTimeout
// (not imported here: coretest imports core).
const ringWait = 10 * time.Second

// pollUntil polls cond with a deadline: the ring tests use it to see a
// goroutine reach a blocking point, instead of sleeping.
func pollUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(ringWait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Microsecond) // poll interval, not synchronisation
	}
}

// recvErr waits, bounded, for a producer's result.
func recvErr(t *testing.T, what string, c <-chan error) error {
	t.Helper()
	select {
	case err := <-c:
		return err
	case <-time.After(ringWait):
		t.Fatalf("timed out waiting for %s", what)
		return nil
	}
}

// drainRing takes every queued item the way a worker does (acquire, use,
// release) and returns copies of them.
func drainRing[T any](q *ring[T], batch []T) []T {
	first, second := q.acquire()
	batch = append(append(batch[:0], first...), second...)
	q.release(len(first) + len(second))
	return batch
}

func pushInt(q *ring[int], wait time.Duration, v int) error {
	return q.push(wait, func(slot *int) { *slot = v })
}

// spaceWaiters reads the count of producers blocked for room.
func (q *ring[T]) waitingProducers() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.spaceWaiters
}

func TestRingPushDrainOrderAndWrapAround(t *testing.T) {
	tests := []struct {
		name   string
		rounds [][]int // values pushed before each drain
	}{
		{"single batch", [][]int{{1, 2, 3}}},
		{"fills exactly", [][]int{{1, 2, 3, 4}}},
		{"wraps around", [][]int{{1, 2, 3}, {4, 5, 6, 7}, {8}, {9, 10, 11}}},
		{"empty drain", [][]int{{}, {1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := newRing[int](4)
			var batch []int
			var pushed uint64
			for _, round := range tt.rounds {
				for _, v := range round {
					if err := pushInt(q, 0, v); err != nil {
						t.Fatalf("push %d: got %v, want nil", v, err)
					}
				}
				pushed += uint64(len(round))
				if got := q.mark(); got != pushed {
					t.Fatalf("mark: got %d, want %d", got, pushed)
				}
				batch = drainRing(q, batch)
				if !slices.Equal(batch, round) && !(len(batch) == 0 && len(round) == 0) {
					t.Fatalf("drain: got %v, want %v", batch, round)
				}
				if got := q.length(); got != 0 {
					t.Fatalf("length after drain: got %d, want 0", got)
				}
				q.finish(len(batch))
				if !q.waitDone(pushed, 0) {
					t.Fatalf("waitDone(%d) after finish: got false, want true", pushed)
				}
			}
		})
	}
}

// TestRingReusesSlotBuffers checks that a slot keeps its buffer after the
// worker released it, which is what keeps logging free of allocations: a
// later push into the same slot fills the same buffer.
func TestRingReusesSlotBuffers(t *testing.T) {
	q := newRing[[]byte](2)
	fill := func(s string) func(*[]byte) {
		return func(slot *[]byte) { *slot = append((*slot)[:0], s...) }
	}
	var batch [][]byte
	seen := map[*byte]bool{}
	for round := 0; round < 4; round++ {
		for i := 0; i < 2; i++ {
			if err := q.push(0, fill(fmt.Sprintf("message %d.%d", round, i))); err != nil {
				t.Fatal(err)
			}
		}
		batch = drainRing(q, batch)
		for i, b := range batch {
			if want := fmt.Sprintf("message %d.%d", round, i); string(b) != want {
				t.Fatalf("got %q, want %q", b, want)
			}
			seen[&b[:1][0]] = true
		}
	}
	// Two slots: two distinct buffers, however many rounds.
	if len(seen) > 2 {
		t.Fatalf("got %d distinct buffers, want at most 2", len(seen))
	}
}

func TestRingFullWithZeroWait(t *testing.T) {
	q := newRing[int](2)
	for i := 0; i < 2; i++ {
		if err := pushInt(q, 0, i); err != nil {
			t.Fatal(err)
		}
	}
	if err := pushInt(q, 0, 2); !errors.Is(err, ErrQueueFull) {
		t.Fatalf("got %v, want ErrQueueFull", err)
	}
	if got := q.mark(); got != 2 {
		t.Fatalf("mark: got %d, want 2 (a refused item is not counted)", got)
	}
}

func TestRingTryPushNeverWaits(t *testing.T) {
	q := newRing[int](2)
	for i := 0; i < 2; i++ {
		if err := q.tryPush(func(slot *int) { *slot = i }); err != nil {
			t.Fatal(err)
		}
	}
	// No grace, no congestion: a full ring refuses at once, counting nothing.
	if err := q.tryPush(func(*int) { t.Fatal("filled a slot of a full ring") }); !errors.Is(err, ErrQueueFull) {
		t.Fatalf("got %v, want ErrQueueFull", err)
	}
	if got := q.mark(); got != 2 {
		t.Fatalf("mark: got %d, want 2", got)
	}
	if got := drainRing(q, nil); !slices.Equal(got, []int{0, 1}) {
		t.Fatalf("drained %v, want [0 1]", got)
	}
	q.close()
	if err := q.tryPush(func(*int) {}); !errors.Is(err, ErrClosed) {
		t.Fatalf("after close: got %v, want ErrClosed", err)
	}
}

// TestRingDropGraceThenCongested checks the drop policy's grace: a full
// ring first waits up to dropGrace, then drops at once until the worker has
// freed half of it.
func TestRingDropGraceThenCongested(t *testing.T) {
	q := newRing[int](4)
	for i := 0; i < 4; i++ {
		if err := pushInt(q, 0, i); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	if err := pushInt(q, 0, 4); !errors.Is(err, ErrQueueFull) {
		t.Fatalf("first push on a full ring: got %v, want ErrQueueFull", err)
	}
	if took := time.Since(start); took < dropGrace {
		t.Fatalf("gave up after %v, want the %v grace", took, dropGrace)
	}
	q.mu.Lock()
	congested := q.congested
	q.mu.Unlock()
	if !congested {
		t.Fatal("congested after a grace ran out: got false, want true")
	}
	// One slot freed is not enough to leave congestion: drop at once.
	first, _ := q.acquire()
	q.release(1)
	if err := pushInt(q, 0, 5); err != nil {
		t.Fatalf("push with a free slot: got %v, want nil", err)
	}
	_ = first
	q.release(2) // down to half: congestion over
	q.mu.Lock()
	congested = q.congested
	q.mu.Unlock()
	if congested {
		t.Fatal("congested after the worker freed half the ring: got true, want false")
	}
}

// TestRingDropGraceAbsorbsSlowWorker checks that a full ring whose worker
// frees room within the grace loses nothing. The grace is made long here:
// with the real 5 ms one, whether the test's own goroutine drains in time
// depends on scheduling, which a busy machine does not give.
func TestRingDropGraceAbsorbsSlowWorker(t *testing.T) {
	q := newRing[int](1)
	q.grace = ringWait
	if err := pushInt(q, 0, 0); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 1)
	go func() { errs <- pushInt(q, 0, 1) }()
	pollUntil(t, "the producer to wait for room", func() bool { return q.waitingProducers() == 1 })
	drainRing(q, nil)
	if err := recvErr(t, "the waiting producer", errs); err != nil {
		t.Fatalf("got %v, want nil: the grace should have waited for room", err)
	}
}

func TestRingFullWithTimeoutWaitsThenGivesUp(t *testing.T) {
	q := newRing[int](1)
	if err := pushInt(q, 0, 0); err != nil {
		t.Fatal(err)
	}
	const wait = 30 * time.Millisecond
	start := time.Now()
	err := pushInt(q, wait, 1)
	if !errors.Is(err, ErrQueueFull) {
		t.Fatalf("got %v, want ErrQueueFull", err)
	}
	if took := time.Since(start); took < wait {
		t.Fatalf("gave up after %v, want at least %v", took, wait)
	}
	if got := q.waitingProducers(); got != 0 {
		t.Fatalf("waiting producers after timeout: got %d, want 0", got)
	}
}

func TestRingBlockedProducersReleasedByDrain(t *testing.T) {
	tests := []struct {
		name string
		wait time.Duration
	}{
		{"no bound", -1},
		{"long timeout", ringWait},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := newRing[int](2)
			for i := 0; i < 2; i++ {
				if err := pushInt(q, 0, i); err != nil {
					t.Fatal(err)
				}
			}
			const producers = 3
			errs := make(chan error, producers)
			for p := 0; p < producers; p++ {
				go func() { errs <- pushInt(q, tt.wait, 10+p) }()
			}
			pollUntil(t, "producers to block", func() bool { return q.waitingProducers() == producers })
			// Each drain frees room for two; a released producer passes
			// the wake-up on while room remains.
			var got []int
			var batch []int
			for released := 0; released < producers; {
				batch = drainRing(q, batch)
				got = append(got, batch...)
				select {
				case err := <-errs:
					if err != nil {
						t.Fatalf("released producer: got %v, want nil", err)
					}
					released++
				case <-time.After(ringWait):
					t.Fatalf("timed out: %d of %d producers released", released, producers)
				}
			}
			got = append(got, drainRing(q, batch)...)
			slices.Sort(got)
			if want := []int{0, 1, 10, 11, 12}; !slices.Equal(got, want) {
				t.Fatalf("got %v, want %v", got, want)
			}
		})
	}
}

func TestRingCloseReleasesBlockedProducers(t *testing.T) {
	q := newRing[int](1)
	if err := pushInt(q, 0, 0); err != nil {
		t.Fatal(err)
	}
	const producers = 4
	errs := make(chan error, producers)
	for p := 0; p < producers; p++ {
		wait := time.Duration(-1)
		if p%2 == 1 {
			wait = ringWait
		}
		go func() { errs <- pushInt(q, wait, p) }()
	}
	pollUntil(t, "producers to block", func() bool { return q.waitingProducers() == producers })
	q.close()
	for p := 0; p < producers; p++ {
		if err := recvErr(t, "a blocked producer", errs); !errors.Is(err, ErrClosed) {
			t.Fatalf("got %v, want ErrClosed", err)
		}
	}
	if err := pushInt(q, 0, 9); !errors.Is(err, ErrClosed) {
		t.Fatalf("push after close: got %v, want ErrClosed", err)
	}
	// What was queued before close is still there for the worker.
	if got := drainRing(q, nil); !slices.Equal(got, []int{0}) {
		t.Fatalf("drain after close: got %v, want [0]", got)
	}
	if !q.isClosed() {
		t.Fatal("isClosed: got false, want true")
	}
}

func TestRingWaitDone(t *testing.T) {
	q := newRing[int](4)
	for i := 0; i < 3; i++ {
		if err := pushInt(q, 0, i); err != nil {
			t.Fatal(err)
		}
	}
	target := q.mark()
	start := time.Now()
	if q.waitDone(target, 20*time.Millisecond) {
		t.Fatal("waitDone before finish: got true, want false")
	}
	if took := time.Since(start); took < 20*time.Millisecond {
		t.Fatalf("waitDone gave up after %v, want at least 20ms", took)
	}
	done := make(chan bool, 1)
	go func() { done <- q.waitDone(target, ringWait) }()
	batch := drainRing(q, nil)
	q.finish(1)
	q.finish(0)
	select {
	case <-done:
		t.Fatal("waitDone returned before the target was reached")
	default:
	}
	q.finish(len(batch) - 1)
	select {
	case ok := <-done:
		if !ok {
			t.Fatal("waitDone: got false, want true")
		}
	case <-time.After(ringWait):
		t.Fatal("waitDone not woken by finish")
	}
}

// TestRingParkAndWake checks the worker's side: park returns at once when
// there is work or the ring is closed, and a parked worker is woken by a
// push, a poke and close.
func TestRingParkAndWake(t *testing.T) {
	tests := []struct {
		name string
		wake func(q *ring[int]) error
	}{
		{"push", func(q *ring[int]) error { return pushInt(q, 0, 1) }},
		{"poke", func(q *ring[int]) error { q.poke(); return nil }},
		{"close", func(q *ring[int]) error { q.close(); return nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := newRing[int](8)
			parked := make(chan error, 1)
			go func() {
				spins := 0
				for spins < lingerSpins {
					q.park(&spins) // lingers: returns after lingerNap
				}
				q.park(&spins) // parks until woken
				parked <- nil
			}()
			pollUntil(t, "the worker to park", func() bool {
				q.mu.Lock()
				defer q.mu.Unlock()
				return q.workerIdle
			})
			if err := tt.wake(q); err != nil {
				t.Fatal(err)
			}
			recvErr(t, "the parked worker to wake", parked)
		})
	}
}

func TestRingParkReturnsAtOnceWithWorkOrClosed(t *testing.T) {
	for _, closed := range []bool{false, true} {
		t.Run(fmt.Sprintf("closed=%v", closed), func(t *testing.T) {
			q := newRing[int](8)
			if closed {
				q.close()
				<-q.wake // consume close's wake-up: park must not need it
			} else {
				q.mu.Lock()
				q.slots[0], q.count = 1, 1 // work queued without a wake-up
				q.mu.Unlock()
			}
			done := make(chan error, 1)
			go func() {
				spins := lingerSpins
				q.park(&spins)
				done <- nil
			}()
			recvErr(t, "park to return", done)
		})
	}
}

// TestRingLingeringWorkerWokenAtThreshold checks the batching rule: while
// the worker lingers, pushes do not wake it until wakeAt items are queued.
func TestRingLingeringWorkerWokenAtThreshold(t *testing.T) {
	q := newRing[int](16) // wakeAt = 2
	for i := 0; i < q.wakeAt-1; i++ {
		if err := pushInt(q, 0, i); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case <-q.wake:
		t.Fatal("woken below the threshold")
	default:
	}
	if err := pushInt(q, 0, 99); err != nil {
		t.Fatal(err)
	}
	select {
	case <-q.wake:
	default:
		t.Fatalf("not woken at %d queued items", q.wakeAt)
	}
}

// TestRingPushBatch checks the one-lock batch push: items go in order, it
// stops at the first item without room, and it refuses a closed ring.
func TestRingPushBatch(t *testing.T) {
	q := newRing[int](4)
	if err := pushInt(q, 0, 0); err != nil {
		t.Fatal(err)
	}
	items := []int{1, 2, 3, 4, 5}
	n, err := q.pushBatch(len(items), func(i int, slot *int) { *slot = items[i] })
	if n != 3 || err != nil {
		t.Fatalf("pushBatch into 3 free slots: got %d, %v, want 3, nil", n, err)
	}
	if got := q.mark(); got != 4 {
		t.Fatalf("mark: got %d, want 4", got)
	}
	if got := drainRing(q, nil); !slices.Equal(got, []int{0, 1, 2, 3}) {
		t.Fatalf("drain: got %v, want [0 1 2 3]", got)
	}
	q.close()
	if n, err := q.pushBatch(1, func(int, *int) {}); n != 0 || !errors.Is(err, ErrClosed) {
		t.Fatalf("pushBatch after close: got %d, %v, want 0, ErrClosed", n, err)
	}
}

// TestRingPushBatchWakesParkedWorker: a batch into a ring whose worker has
// parked wakes it, like a single push.
func TestRingPushBatchWakesParkedWorker(t *testing.T) {
	q := newRing[int](8)
	q.mu.Lock()
	q.workerIdle = true
	q.mu.Unlock()
	if n, err := q.pushBatch(2, func(i int, slot *int) { *slot = i }); n != 2 || err != nil {
		t.Fatalf("got %d, %v, want 2, nil", n, err)
	}
	select {
	case <-q.wake:
	default:
		t.Fatal("a parked worker was not woken by a batch")
	}
}

// TestRingParkScrubsTheSlotsUsedSinceTheLastScrub: a worker parking on an
// empty queue clears the slots filled since it last did, and no others.
func TestRingParkScrubsTheSlotsUsedSinceTheLastScrub(t *testing.T) {
	q := newRing[int](4)
	q.scrub = func(slot *int) { *slot = -1 }
	park := func() {
		done := make(chan error, 1)
		go func() {
			spins := lingerSpins
			q.park(&spins)
			done <- nil
		}()
		pollUntil(t, "the worker to park", func() bool {
			q.mu.Lock()
			defer q.mu.Unlock()
			return q.workerIdle
		})
		q.poke()
		recvErr(t, "park to return", done)
	}
	for i := 0; i < 6; i++ { // wraps: every slot used
		if err := pushInt(q, 0, 10+i); err != nil {
			t.Fatal(err)
		}
		drainRing(q, nil)
	}
	park()
	if !slices.Equal(q.slots, []int{-1, -1, -1, -1}) {
		t.Fatalf("after parking: slots %v, want all scrubbed", q.slots)
	}
	q.slots[0], q.slots[1], q.slots[3] = 7, 7, 7 // slot 2 is the next to fill
	if err := pushInt(q, 0, 20); err != nil {
		t.Fatal(err)
	}
	drainRing(q, nil)
	park()
	if !slices.Equal(q.slots, []int{7, 7, -1, 7}) {
		t.Fatalf("after one more item: slots %v, want only slot 2 scrubbed", q.slots)
	}
}

// TestRingAwaitBatch: after a batch the worker goes on at once when wakeAt
// items wait or on a poke, and otherwise waits at most one linger nap.
func TestRingAwaitBatch(t *testing.T) {
	q := newRing[int](16) // wakeAt = 2
	for i := 0; i < q.wakeAt; i++ {
		if err := pushInt(q, 0, i); err != nil {
			t.Fatal(err)
		}
	}
	<-q.wake // the wake-up of the push that reached wakeAt: awaitBatch must not need it
	done := make(chan error, 1)
	go func() { q.awaitBatch(); done <- nil }()
	recvErr(t, "awaitBatch with wakeAt items queued", done)

	drainRing(q, nil)
	go func() { q.awaitBatch(); done <- nil }()
	q.poke()
	recvErr(t, "awaitBatch after a poke", done)

	start := time.Now()
	go func() { q.awaitBatch(); done <- nil }()
	recvErr(t, "awaitBatch with nothing queued (one nap)", done)
	if took := time.Since(start); took < lingerNap {
		t.Fatalf("returned after %v with nothing queued, want one nap (%v)", took, lingerNap)
	}
}
