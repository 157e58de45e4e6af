package sink

// recordBuffer holds formatted records waiting to be written, and where
// each ends, so that after a write cut short (EFBIG, ENOSPC, EPIPE) a sink
// knows which records made it whole and how many were lost.
type recordBuffer struct {
	b    []byte
	ends []int // end offset in b of each record, ascending
}

func newRecordBuffer(size int) recordBuffer {
	return recordBuffer{b: make([]byte, 0, size)}
}

// add appends one formatted record.
func (r *recordBuffer) add(p []byte) {
	r.b = append(r.b, p...)
	r.ends = append(r.ends, len(r.b))
}

// records is how many records are buffered.
func (r *recordBuffer) records() int { return len(r.ends) }

// reset empties the buffer, keeping its memory.
func (r *recordBuffer) reset() {
	r.b, r.ends = r.b[:0], r.ends[:0]
}

// whole reports, for a write that got n bytes out, how many records it
// wrote whole and where the last of them ends.
func (r *recordBuffer) whole(n int) (records, bytes int) {
	for records < len(r.ends) && r.ends[records] <= n {
		records++
	}
	if records > 0 {
		bytes = r.ends[records-1]
	}
	return records, bytes
}
