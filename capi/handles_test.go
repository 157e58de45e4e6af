package main

import (
	"sync"
	"testing"
)

func TestGrowTable(t *testing.T) {
	tests := []struct {
		name string
		n    int
	}{
		{"empty", 0},
		{"one", 1},
		{"below first growth", 31},
		{"across several growths", 5000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var table growTable[int]
			handles := make([]uint64, tt.n)
			for i := range handles {
				v := i
				handles[i] = table.add(&v)
			}
			for i, h := range handles {
				got, ok := table.get(h)
				if !ok || *got != i {
					t.Fatalf("get(%d): got %v, %v, want %d, true", h, got, ok, i)
				}
			}
			for _, h := range []uint64{0, 1 << 63, ^uint64(0)} {
				if _, ok := table.get(h); ok {
					t.Fatalf("get(%d): got ok, want a miss", h)
				}
			}
		})
	}
}

func TestGrowTableClear(t *testing.T) {
	var table growTable[int]
	v := 1
	old := table.add(&v)
	table.clear()
	if _, ok := table.get(old); ok {
		t.Fatalf("get(%d) after clear: got ok, want a miss", old)
	}
	fresh := table.add(&v)
	if got, ok := table.get(fresh); !ok || *got != 1 {
		t.Fatalf("get(%d): got %v, %v, want 1, true", fresh, got, ok)
	}
}

// TestGrowTableConcurrent reads every published handle while the table
// grows under it (run with -race).
func TestGrowTableConcurrent(t *testing.T) {
	var table growTable[int]
	published := make(chan uint64, 4096)
	var wg sync.WaitGroup
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var seen []uint64
			for h := range published {
				seen = append(seen, h)
				for _, s := range seen[max(0, len(seen)-8):] {
					if _, ok := table.get(s); !ok {
						t.Errorf("get(%d): miss after publication", s)
						return
					}
				}
			}
		}()
	}
	for i := 0; i < 3000; i++ {
		v := i
		published <- table.add(&v)
	}
	close(published)
	wg.Wait()
}

// TestGrowTableAddCostIsFlat guards against the table being copied per
// registration, which made the n-th registration cost O(n). It counts the
// copies (each grow publishes a new table) rather than timing the adds: a
// timing comparison fails whenever a busy machine preempts the test.
func TestGrowTableAddCostIsFlat(t *testing.T) {
	var table growTable[int]
	v := 0
	const adds = 100_000
	copies := 0
	var last *[]growSlot[int]
	for i := 0; i < adds; i++ {
		table.add(&v)
		if cur := table.table.Load(); cur != last {
			copies++
			last = cur
		}
	}
	// Doubling from 64 slots at half load: log2(2*adds/64) copies, ~12.
	if want := 13; copies > want {
		t.Fatalf("got %d table copies for %d adds, want at most %d (doubling)", copies, adds, want)
	}
}
