package sink

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"femtologging/core"
)

// sizeLimit is a fault-injecting writer that behaves like RLIMIT_FSIZE or
// a disk that fills up: it writes what fits under limit bytes of file and
// fails the rest with err. A limit below zero writes everything.
type sizeLimit struct {
	limit int64
	err   error
}

func (l *sizeLimit) write(f *os.File, p []byte) (int, error) {
	if l.limit < 0 {
		return f.Write(p)
	}
	info, err := f.Stat()
	if err != nil {
		return 0, err
	}
	room := max(l.limit-info.Size(), 0)
	if int64(len(p)) <= room {
		return f.Write(p)
	}
	n, err := f.Write(p[:room])
	if err != nil {
		return n, err
	}
	return n, l.err
}

// record is the i-th record of these tests: all of one length, so that
// once one does not fit, none after it does.
func record(i int) string { return fmt.Sprintf("record %05d %s\n", i, strings.Repeat("x", 80)) }

func TestFileWriteCutShortKeepsEveryWholeRecordThatFit(t *testing.T) {
	for _, fault := range []error{syscall.EFBIG, syscall.ENOSPC} {
		t.Run(fault.Error(), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "app.log")
			s, err := OpenFile(path, FileOptions{})
			if err != nil {
				t.Fatal(err)
			}
			size := int64(len(record(0)))
			// Room for 1,234.5 records: well past the first 64 KiB buffer,
			// ending half way through a record.
			limit := &sizeLimit{limit: size*1234 + size/2, err: fault}
			s.writeFile = limit.write
			const n = 2000
			lost := 0
			for i := range n {
				if err := s.Write([]byte(record(i))); err != nil {
					if !errors.Is(err, fault) {
						t.Fatalf("Write %d: got %v, want %v", i, err, fault)
					}
					k, ok := core.LostRecords(err)
					if !ok {
						t.Fatalf("Write %d: %v does not count the records lost", i, err)
					}
					lost += k
				}
			}
			if err := s.Flush(); err != nil {
				k, _ := core.LostRecords(err)
				lost += k
			}
			if lost != n-1234 {
				t.Errorf("records reported lost: got %d, want %d", lost, n-1234)
			}
			var want strings.Builder
			for i := range 1234 {
				want.WriteString(record(i))
			}
			if got := readFile(t, path); got != want.String() {
				t.Fatalf("file holds %d bytes, want the first 1234 records (%d bytes) and nothing else", len(got), want.Len())
			}

			// Once the fault clears, what is logged next follows the prefix.
			limit.limit = -1
			mustWrite(t, s, "after the fault")
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if got := readFile(t, path); got != want.String()+"after the fault\n" {
				t.Errorf("after the fault cleared the file ends %q", got[max(len(got)-40, 0):])
			}
		})
	}
}

func TestFileHandlerCountsOnlyTheRecordsNotWritten(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.log")
	s, err := OpenFile(path, FileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	size := int64(len(record(0)))
	s.writeFile = (&sizeLimit{limit: size*700 + 10, err: syscall.EFBIG}).write
	h, err := core.NewQueuedHandler(core.QueuedHandlerOptions{
		Name: "file " + path, Capacity: 4096, Policy: core.OverflowPolicy{Kind: core.PolicyBlock}, FlushEvery: 1000,
	}, rawFormatter{}, s)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 1500 {
		if err := h.Handle(&core.Record{Message: []byte(strings.TrimSuffix(record(i), "\n"))}); err != nil {
			t.Fatal(err)
		}
	}
	if h.Flush(10 * time.Second) {
		t.Error("Flush reported success although records were lost")
	}
	if err := h.Close(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	if got := [2]uint64{h.Delivered(), h.Failed()}; got != [2]uint64{700, 800} {
		t.Errorf("delivered, failed: got %v, want [700 800]", got)
	}
	if got := strings.Count(readFile(t, path), "\n"); got != 700 {
		t.Errorf("file holds %d records, want 700", got)
	}
}

// rawFormatter writes the message and a newline.
type rawFormatter struct{}

func (rawFormatter) Format(dst []byte, rec *core.Record) ([]byte, error) {
	return append(append(dst, rec.Message...), '\n'), nil
}
