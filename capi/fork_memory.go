package main

import (
	"bufio"
	"bytes"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"unsafe"
)

// The dead runtime's memory in a forked child.
//
// A child of fork() keeps a copy of everything its parent had mapped,
// including the Go heap of the parent's copy of the library, whose runtime
// is dead there. Nothing in the child reads that heap again: the child's
// own copy runs a runtime of its own, and the dead copy's code runs at
// most to pass a signal on (which reads the dead library's static data,
// not its heap). So the child's copy gives those pages back to the kernel
// (MADV_DONTNEED) as it restores the description, and a chain of forks of
// forks does not keep every ancestor's heap resident. The mappings stay
// (Go never unmaps its arenas), so no later mapping of the child can land
// there. The dead library's code and static data stay resident: the
// loader, signal chaining and exit handlers may still touch them.

// heapMapping is one mapping holding part of a runtime's Go heap,
// [Start, End) in the process's address space.
type heapMapping struct {
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
// writable mappings that hold this runtime's heap. A heap object's mapping
// is the arena Go mapped for it (Go maps arenas at addresses of its own
// choosing, apart from other mappings). None if the maps cannot be read:
// the child then only keeps the memory, as before.
func ownHeapMappings() []heapMapping {
	maps, err := readMaps()
	if err != nil {
		return nil
	}
	var found []heapMapping
	for _, addr := range heapSamples() {
		for _, m := range maps {
			if uint64(addr) >= m.Start && uint64(addr) < m.End && !containsMapping(found, m) {
				found = append(found, m)
			}
		}
	}
	return found
}

// releaseDeadHeap gives back the pages of a dead runtime's heap mappings,
// skipping any that holds this runtime's own heap (which cannot happen
// while the dead mappings still exist, but a wrong description must not
// be able to zero live memory). It returns the bytes advised.
func releaseDeadHeap(dead []heapMapping) uint64 {
	if len(dead) == 0 {
		return 0
	}
	maps, err := readMaps()
	if err != nil {
		return 0
	}
	own := heapSamples()
	var released uint64
	for _, d := range dead {
		if d.End <= d.Start || !containsMapping(maps, d) || holdsAny(d, own) {
			continue
		}
		_, _, errno := syscall.Syscall(syscall.SYS_MADVISE, uintptr(d.Start), uintptr(d.End-d.Start), syscall.MADV_DONTNEED)
		if errno == 0 {
			released += d.End - d.Start
		}
	}
	return released
}

// readMaps lists the private, anonymous, read-write mappings of this
// process (the only kind a Go heap lives in).
func readMaps() ([]heapMapping, error) {
	data, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return nil, err
	}
	var out []heapMapping
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		// start-end perms offset dev inode [path]
		f := bytes.Fields(sc.Bytes())
		if len(f) != 5 || string(f[1]) != "rw-p" || string(f[4]) != "0" {
			continue // file-backed, named ([heap], [stack]) or not rw private
		}
		span := bytes.SplitN(f[0], []byte("-"), 2)
		if len(span) != 2 {
			continue
		}
		start, err1 := strconv.ParseUint(string(span[0]), 16, 64)
		end, err2 := strconv.ParseUint(string(span[1]), 16, 64)
		if err1 == nil && err2 == nil {
			out = append(out, heapMapping{Start: start, End: end})
		}
	}
	return out, sc.Err()
}

// containsMapping reports whether m is one of maps, or lies inside one
// (a mapping may have grown or merged since it was described).
func containsMapping(maps []heapMapping, m heapMapping) bool {
	for _, x := range maps {
		if m.Start >= x.Start && m.End <= x.End {
			return true
		}
	}
	return false
}

func holdsAny(m heapMapping, addrs []uintptr) bool {
	for _, a := range addrs {
		if uint64(a) >= m.Start && uint64(a) < m.End {
			return true
		}
	}
	return false
}
