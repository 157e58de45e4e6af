package core

import "femtologging/core/loss"

// LostRecordsError is returned by a sink's Write or Flush when the sink
// knows exactly how many records a failure cost: see loss.LostRecordsError,
// where it is defined so that sinks need not import core.
type LostRecordsError = loss.LostRecordsError

// LostRecords returns how many records err says were lost, and whether it
// said (false for an error that does not count them).
func LostRecords(err error) (int, bool) { return loss.LostRecords(err) }
