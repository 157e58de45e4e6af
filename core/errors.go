package core

import (
	"errors"

	"femtologging/core/loss"
)

// ErrQueueFull reports that a bounded queue had no room for a record within
// the wait its overflow policy allows.
var ErrQueueFull = errors.New("queue full")

// ErrClosed reports use of a logger queue or handler after it was closed.
var ErrClosed = errors.New("closed")

// ErrDiscarded is wrapped by formatter and sink errors that mean "dropped on
// purpose" rather than "failed": those records are counted as dropped. It
// is loss.ErrDiscarded (see there), defined below core so that sinks need
// not import core.
var ErrDiscarded = loss.ErrDiscarded

// ErrRetry reports that a record met a full queue under the block policy
// and the caller's wait slice ran out: nothing was queued or dropped, and
// the caller should call again. Blocking in slices lets Python deliver
// Ctrl-C between them.
var ErrRetry = errors.New("queue full under block policy: call again")

// ErrWouldBlock reports that TryLog found the queue full: nothing was
// queued or counted, and Log (which may wait) should be called instead.
var ErrWouldBlock = errors.New("queue full: call Log, which may wait")

// ErrNeedCaller is TryLog's and TryLogEx's answer when a formatter of the
// logger's handlers uses the caller fields and the call carried no caller.
var ErrNeedCaller = errors.New("the handlers want caller information: call again with it")

// ErrRootLevel reports an attempt to unset the root logger's level: every
// other logger inherits from it, so it must have one.
var ErrRootLevel = errors.New("the root logger must have a level")

// ErrUnknownHandle reports an unknown or stale handle of a registered
// object.
var ErrUnknownHandle = errors.New("unknown or stale handle")
