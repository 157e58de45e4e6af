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

// A test binary is not the shared library: the image ranges found are the
// executable's own (its segments have the same layout), page-aligned and
// inside its mappings, never its first page.
func TestOwnImageRangesArePageAlignedInsideMappings(t *testing.T) {
	image := ownImage()
	if len(image) == 0 {
		t.Fatal("no image range found")
	}
	all, err := readMaps(false)
	if err != nil {
		t.Fatal(err)
	}
	page := uint64(syscall.Getpagesize())
	for _, r := range image {
		if r.Start%page != 0 || r.End%page != 0 || r.End <= r.Start {
			t.Errorf("range %#x-%#x: want page-aligned and non-empty", r.Start, r.End)
		}
		if !within(all, r) {
			t.Errorf("range %#x-%#x is inside no single mapping", r.Start, r.End)
		}
	}
}

func TestAdviseDontNeedZeroesAnAnonymousMapping(t *testing.T) {
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
	anon, err := readMaps(true)
	if err != nil {
		t.Fatal(err)
	}
	got := adviseDontNeed([]memRange{{Start: start, End: start + size}}, anon, nil)
	if got != size {
		t.Fatalf("released %d bytes, want %d", got, size)
	}
	for i, b := range mem {
		if b != 0 {
			t.Fatalf("byte %d is %#x after release, want 0", i, b)
		}
	}
}

func TestReleaseNeverTouchesLiveMemory(t *testing.T) {
	if got := releaseDeadCopy(ownHeapMappings(), ownImage()); got != 0 {
		t.Fatalf("released %d bytes of this runtime's own heap or image", got)
	}
	// Ranges that are not (inside) a mapping of this process are skipped.
	junk := []memRange{{Start: 4096, End: 8192}, {Start: 9, End: 3}}
	if got := releaseDeadCopy(junk, junk); got != 0 {
		t.Fatalf("released %d bytes of unmapped or empty ranges", got)
	}
}
