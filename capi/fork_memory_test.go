package main

import (
	"syscall"
	"testing"
	"unsafe"
)

func TestOwnHeapMappingsHoldTheHeap(t *testing.T) {
	maps := ownHeapMappings()
	if len(maps) == 0 {
		t.Fatal("no heap mapping found in /proc/self/maps")
	}
	obj := new([128]byte)
	addr := uint64(uintptr(unsafe.Pointer(obj)))
	found := false
	for _, m := range maps {
		if m.End <= m.Start {
			t.Fatalf("empty mapping %+v", m)
		}
		found = found || (addr >= m.Start && addr < m.End)
	}
	if !found {
		t.Errorf("heap object at %#x is in none of %+v", addr, maps)
	}
}

func TestReleaseDeadHeapZeroesAnAnonymousMapping(t *testing.T) {
	const size = 1 << 20
	mem, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Munmap(mem)
	for i := range mem {
		mem[i] = 0xAB
	}
	start := uint64(uintptr(unsafe.Pointer(&mem[0])))
	got := releaseDeadHeap([]heapMapping{{Start: start, End: start + size}})
	if got != size {
		t.Fatalf("released %d bytes, want %d", got, size)
	}
	for i, b := range mem {
		if b != 0 {
			t.Fatalf("byte %d is %#x after release, want 0", i, b)
		}
	}
}

func TestReleaseDeadHeapNeverTouchesLiveHeap(t *testing.T) {
	live := ownHeapMappings()
	if got := releaseDeadHeap(live); got != 0 {
		t.Fatalf("released %d bytes of this runtime's own heap", got)
	}
	// Ranges that are not (inside) a mapping of this process are skipped.
	if got := releaseDeadHeap([]heapMapping{{Start: 4096, End: 8192}, {Start: 9, End: 3}}); got != 0 {
		t.Fatalf("released %d bytes of unmapped or empty ranges", got)
	}
}
