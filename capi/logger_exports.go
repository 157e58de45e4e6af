package main

/*
#include "femtolog.h"
*/
import "C"

import (
	"fmt"

	"femtologging/core"
)

// lookupLogger resolves a logger handle.
func lookupLogger(h C.uint64_t) (*core.Logger, error) {
	return found(lib.loggers.get(uint64(h)))
}

// withLogger runs do on the logger behind h and gives do's error as a
// status: every call that works on one logger resolves its handle and
// reports its failure the same way.
func withLogger(h C.uint64_t, do func(*core.Logger) error) C.int {
	l, err := lookupLogger(h)
	if err != nil {
		return failErr(err)
	}
	if err := do(l); err != nil {
		return failErr(err)
	}
	return statusOK
}

//export femtolog_logger_get
func femtolog_logger_get(outLogger *C.uint64_t, name *C.char, nameLen C.size_t) (rc C.int) {
	defer guard(&rc)
	if outLogger == nil {
		return failErr(errNilPointer)
	}
	n, err := borrowString(name, nameLen)
	if err != nil {
		return failErr(err)
	}
	l, err := lib.rt.Manager().Logger(n)
	if err != nil {
		return failErr(err)
	}
	*outLogger = C.uint64_t(lib.loggerHandle(l))
	return statusOK
}

//export femtolog_logger_set_level
func femtolog_logger_set_level(logger C.uint64_t, level C.int) (rc C.int) {
	defer guard(&rc)
	return withLogger(logger, func(l *core.Logger) error { return l.SetLevel(core.Level(level)) })
}

// readLogger stores what read returns for the logger behind h in *out.
func readLogger(out *C.int, h C.uint64_t, read func(*core.Logger) int) C.int {
	if out == nil {
		return failErr(errNilPointer)
	}
	return withLogger(h, func(l *core.Logger) error {
		*out = C.int(read(l))
		return nil
	})
}

//export femtolog_logger_get_level
func femtolog_logger_get_level(outLevel *C.int, logger C.uint64_t) (rc C.int) {
	defer guard(&rc)
	return readLogger(outLevel, logger, func(l *core.Logger) int { return int(l.Level()) })
}

//export femtolog_logger_get_effective_level
func femtolog_logger_get_effective_level(outLevel *C.int, logger C.uint64_t) (rc C.int) {
	defer guard(&rc)
	return readLogger(outLevel, logger, func(l *core.Logger) int { return int(l.EffectiveLevel()) })
}

//export femtolog_logger_set_propagate
func femtolog_logger_set_propagate(logger C.uint64_t, propagate C.int) (rc C.int) {
	defer guard(&rc)
	return withLogger(logger, func(l *core.Logger) error {
		l.SetPropagate(propagate != 0)
		return nil
	})
}

//export femtolog_logger_get_propagate
func femtolog_logger_get_propagate(outPropagate *C.int, logger C.uint64_t) (rc C.int) {
	defer guard(&rc)
	return readLogger(outPropagate, logger, func(l *core.Logger) int {
		if l.Propagate() {
			return 1
		}
		return 0
	})
}

//export femtolog_logger_log
func femtolog_logger_log(logger C.uint64_t, level C.int, message *C.char, messageLen C.size_t, thread C.uint64_t) (rc C.int) {
	defer guard(&rc)
	return logRecord(logger, level, message, messageLen, thread, false)
}

//export femtolog_logger_try_log
func femtolog_logger_try_log(logger C.uint64_t, level C.int, message *C.char, messageLen C.size_t, thread C.uint64_t) (rc C.int) {
	defer guard(&rc)
	return logRecord(logger, level, message, messageLen, thread, true)
}

//export femtolog_logger_log_ex
func femtolog_logger_log_ex(logger C.uint64_t, level C.int, message *C.char, messageLen C.size_t, thread C.uint64_t, ex *C.femtolog_record_ex) (rc C.int) {
	defer guard(&rc)
	if ex == nil {
		return logRecord(logger, level, message, messageLen, thread, false)
	}
	var details core.RecordDetails
	var kvBuf [8]core.KeyValue // most records carry a few fields: no allocation
	noWait, err := detailsFromC(ex, &details, kvBuf[:0])
	if err != nil {
		return failErr(fmt.Errorf("femtolog_logger_log_ex: %w", err))
	}
	return logDetailed(logger, level, message, messageLen, thread, &details, noWait)
}

// logRecord is femtolog_logger_log, or femtolog_logger_try_log when
// noWait: a full queue then gives FEMTOLOG_RETRY at once, with nothing
// queued or counted.
func logRecord(logger C.uint64_t, level C.int, message *C.char, messageLen C.size_t, thread C.uint64_t, noWait bool) C.int {
	return logDetailed(logger, level, message, messageLen, thread, nil, noWait)
}

// logDetailed is logRecord for a record with details (nil: none).
func logDetailed(logger C.uint64_t, level C.int, message *C.char, messageLen C.size_t, thread C.uint64_t, details *core.RecordDetails, noWait bool) C.int {
	l, ok := lib.loggers.get(uint64(logger))
	if !ok {
		return failErr(errHandle)
	}
	lv := core.Level(level)
	if _, err := core.LevelFromInt(int(level)); err != nil {
		return failErr(err)
	}
	th, ok := lib.thread(uint64(thread))
	if !ok {
		return failErr(errHandle)
	}
	msg, err := borrow(message, messageLen)
	if err != nil {
		return failErr(err)
	}
	var status core.LogStatus
	if noWait {
		status, err = l.TryLogEx(lv, msg, th, details)
	} else {
		status, err = l.LogEx(lv, msg, th, details, blockSlice)
	}
	switch {
	case err == nil && status == core.LogQueued:
		return statusOK
	case err == core.ErrNeedCaller:
		return statusNeedCaller
	case err == core.ErrRetry || err == core.ErrWouldBlock:
		return statusRetry
	case err != nil:
		return failErr(err)
	case status == core.LogFiltered:
		return statusFiltered
	}
	return statusDropped
}

//export femtolog_logger_add_handler
func femtolog_logger_add_handler(logger C.uint64_t, handler C.uint64_t) (rc C.int) {
	defer guard(&rc)
	return withLogger(logger, func(l *core.Logger) error {
		e, err := lookupHandler(handler)
		if err != nil {
			return err
		}
		return lib.rt.Attach(l, e)
	})
}

//export femtolog_logger_remove_handler
func femtolog_logger_remove_handler(outRemoved *C.int, logger C.uint64_t, handler C.uint64_t) (rc C.int) {
	defer guard(&rc)
	if outRemoved == nil {
		return failErr(errNilPointer)
	}
	return withLogger(logger, func(l *core.Logger) error {
		e, err := lookupHandler(handler)
		if err != nil {
			return err
		}
		*outRemoved = 0
		if l.RemoveHandler(e.Handler) {
			*outRemoved = 1
		}
		return nil
	})
}

//export femtolog_logger_clear_handlers
func femtolog_logger_clear_handlers(logger C.uint64_t) (rc C.int) {
	defer guard(&rc)
	return withLogger(logger, func(l *core.Logger) error {
		l.ClearHandlers()
		return nil
	})
}

//export femtolog_logger_clear_filters
func femtolog_logger_clear_filters(logger C.uint64_t) (rc C.int) {
	defer guard(&rc)
	return withLogger(logger, func(l *core.Logger) error {
		l.SetFilters(nil)
		return nil
	})
}

//export femtolog_logger_get_dropped
func femtolog_logger_get_dropped(outDropped *C.uint64_t, logger C.uint64_t) (rc C.int) {
	defer guard(&rc)
	return withLogger(logger, func(l *core.Logger) error {
		if outDropped == nil {
			return errNilPointer
		}
		*outDropped = C.uint64_t(l.Dropped())
		return nil
	})
}

//export femtolog_manager_reset
func femtolog_manager_reset() (rc C.int) {
	defer guard(&rc)
	lib.reset()
	return statusOK
}
