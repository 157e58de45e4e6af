// Package loss is how a sink or formatter tells the handler calling it
// that records were lost, and how many: the contract between package core
// (which counts) and the packages below it (sink, encode), which must not
// import core. Package core re-exports both names (core.ErrDiscarded,
// core.LostRecordsError), so they are the same error values everywhere.
package loss

import "errors"

// ErrDiscarded is wrapped by formatter and sink errors that mean "dropped on
// purpose" (a frame over its size limit, a destination unreachable past its
// deadline, a close that ran out of time) rather than "failed": those
// records are counted as dropped. From a formatter it covers that one
// record; from a sink's Write or Flush, the record being written and every
// record written since the last successful Flush.
var ErrDiscarded = errors.New("discarded")

// LostRecordsError is returned by a sink's Write or Flush when the sink
// knows exactly how many records a failure cost, so the handler counts
// those as failed and the rest as delivered. A file that hits its size
// limit half way through a buffer keeps the whole records that fit: only
// the records after them are lost.
//
// From Write, Lost counts the records lost among those accepted since the
// last Flush and the one being written; from Flush, among those accepted
// since the last Flush and not already reported lost. An error of any
// other type from Write or Flush means every record accepted since the
// last Flush (and the one being written) was lost.
type LostRecordsError struct {
	Lost int
	Err  error
}

func (e *LostRecordsError) Error() string { return e.Err.Error() }

// Unwrap returns the cause, so errors.Is sees the errno underneath.
func (e *LostRecordsError) Unwrap() error { return e.Err }

// LostRecords returns how many records err says were lost, and whether it
// said (false for an error that does not count them).
func LostRecords(err error) (int, bool) {
	var le *LostRecordsError
	if errors.As(err, &le) {
		return le.Lost, true
	}
	return 0, false
}
