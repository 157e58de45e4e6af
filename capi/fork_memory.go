package main

/*
#include "fork_image.h"
*/
import "C"

import (
	"bufio"
	"bytes"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"unsafe"
)

// The dead copy's memory in a forked child.
//
// A child of fork() keeps a copy of everything its parent had mapped,
// including the parent's copy of the library, whose Go runtime is dead
// there. The child's own copy gives back to the kernel (MADV_DONTNEED),
// as it restores the description, what nothing in the child reads again,
// so that a chain of forks of forks does not keep every ancestor's copy
// resident:
//
//   - the dead Go heap (arenas, goroutine stacks): the dead copy's code
//     runs at most to pass a signal on, which reads its static data only;
//   - the dead copy's read-only segments (code, constants): clean pages of
//     the file, which read back the same if anything touches them;
//   - the inside of its relocated read-only data (Go's type descriptors
//     and tables), which only its Go code reads.
//
// What stays: the pages holding its headers, init and fini arrays,
// dynamic section and GOT (the loader and the C library use them: at exit,
// at every later fork for the copy's atfork hook), its writable data and
// bss (its signal handler's forwarding table). The mappings themselves
// stay (Go never unmaps its arenas; a loaded library cannot be unloaded),
// so nothing else can be mapped where they are.

// memRange is [Start, End) in the process's address space.
type memRange struct {
	Start uint64 `json:"start"`
	End   uint64 `json:"end"`
}

// heapSamples are addresses in this runtime's heap: a small object, a
// large one (allocated straight from the page heap) and this goroutine's
// stack (stacks come from the heap too).
func heapSamples() []uintptr {
	small := new([64]byte)
	large := make([]byte, 64<<10)
	var onStack byte
	samples := []uintptr{
		uintptr(unsafe.Pointer(small)),
		uintptr(unsafe.Pointer(&large[0])),
		uintptr(unsafe.Pointer(&onStack)),
	}
	runtime.KeepAlive(small)
	runtime.KeepAlive(large)
	return samples
}

// ownHeapMappings finds, in /proc/self/maps, the private anonymous
// writable mappings that hold this runtime's heap: where its objects are
// (Go maps its arenas at addresses of its own choosing, apart from other
// mappings). None if the maps cannot be read: the child then only keeps
// the memory, as before.
func ownHeapMappings() []memRange {
	maps, err := readMaps(true)
	if err != nil {
		return nil
	}
	var found []memRange
	for _, addr := range heapSamples() {
		for _, m := range maps {
			if uint64(addr) >= m.Start && uint64(addr) < m.End && !within(found, m) {
				found = append(found, m)
			}
		}
	}
	return found
}

// ownImage is the part of this copy's image a child may give back
// (fork_image.c says which).
func ownImage() []memRange {
	var starts, ends [C.FEMTOLOG_IMAGE_RANGES_MAX]C.uintptr_t
	n := int(C.femtolog_image_ranges_(&starts[0], &ends[0], C.FEMTOLOG_IMAGE_RANGES_MAX))
	out := make([]memRange, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, memRange{Start: uint64(starts[i]), End: uint64(ends[i])})
	}
	return out
}

// releaseDeadCopy gives back the dead copy's heap and image ranges and
// returns the bytes advised. A range is skipped unless it lies inside a
// mapping of the right kind (anonymous for the heap), or when it overlaps
// this copy's own heap or image: that cannot happen while the dead
// mappings still exist, but a wrong description must not be able to drop
// live memory.
func releaseDeadCopy(heap, image []memRange) uint64 {
	anon, err1 := readMaps(true)
	all, err2 := readMaps(false)
	if err1 != nil || err2 != nil {
		return 0
	}
	var live []memRange
	for _, a := range heapSamples() {
		live = append(live, memRange{Start: uint64(a), End: uint64(a) + 1})
	}
	live = append(live, ownImage()...)
	return adviseDontNeed(heap, anon, live) + adviseDontNeed(image, all, live)
}

// adviseDontNeed applies MADV_DONTNEED to each range of dead that lies
// inside one of maps and overlaps none of live.
func adviseDontNeed(dead, maps, live []memRange) uint64 {
	var released uint64
	for _, d := range dead {
		if d.End <= d.Start || !within(maps, d) || overlapsAny(d, live) {
			continue
		}
		_, _, errno := syscall.Syscall(syscall.SYS_MADVISE, uintptr(d.Start), uintptr(d.End-d.Start), syscall.MADV_DONTNEED)
		if errno == 0 {
			released += d.End - d.Start
		}
	}
	return released
}

// readMaps lists this process's mappings: with anonOnly, only the
// private, anonymous, read-write ones (where a Go heap lives).
func readMaps(anonOnly bool) ([]memRange, error) {
	data, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return nil, err
	}
	var out []memRange
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		// start-end perms offset dev inode [path]
		f := bytes.Fields(sc.Bytes())
		if len(f) < 5 || anonOnly && (len(f) != 5 || string(f[1]) != "rw-p" || string(f[4]) != "0") {
			continue
		}
		span := bytes.SplitN(f[0], []byte("-"), 2)
		if len(span) != 2 {
			continue
		}
		start, err1 := strconv.ParseUint(string(span[0]), 16, 64)
		end, err2 := strconv.ParseUint(string(span[1]), 16, 64)
		if err1 == nil && err2 == nil {
			out = append(out, memRange{Start: start, End: end})
		}
	}
	return out, sc.Err()
}

// within reports whether m lies inside one range of maps. Adjacent
// mappings are not joined: a range must fit one mapping.
func within(maps []memRange, m memRange) bool {
	for _, x := range maps {
		if m.Start >= x.Start && m.End <= x.End {
			return true
		}
	}
	return false
}

func overlapsAny(m memRange, others []memRange) bool {
	for _, o := range others {
		if m.Start < o.End && o.Start < m.End {
			return true
		}
	}
	return false
}
