package main

/*
#include "femtolog.h"
*/
import "C"

import (
	"encoding/json"
	"unsafe"

	"femtologging/core"
	"femtologging/core/config"
)

//export femtolog_config_apply
func femtolog_config_apply(configJSON *C.char, configLen C.size_t) (rc C.int) {
	defer guard(&rc)
	if lib.rt.IsShutDown() {
		return failErr(errShutDown)
	}
	doc, err := borrow(configJSON, configLen)
	if err != nil {
		return failErr(err)
	}
	if err := config.Configure(lib.rt, lib.configEnv(), doc); err != nil {
		return failErr(err)
	}
	return statusOK
}

//export femtolog_config_get_handler
func femtolog_config_get_handler(outHandler *C.uint64_t, id *C.char, idLen C.size_t) (rc C.int) {
	defer guard(&rc)
	if outHandler == nil {
		return failErr(errNilPointer)
	}
	name, err := borrowString(id, idLen)
	if err != nil {
		return failErr(err)
	}
	h, ok := lib.rt.ConfiguredHandler(name)
	if !ok {
		return failErr(errHandle)
	}
	*outHandler = C.uint64_t(h)
	return statusOK
}

//export femtolog_logger_get_handler_count
func femtolog_logger_get_handler_count(outCount *C.size_t, logger C.uint64_t) (rc C.int) {
	defer guard(&rc)
	return withLogger(logger, func(l *core.Logger) error {
		if outCount == nil {
			return errNilPointer
		}
		*outCount = C.size_t(len(l.Handlers()))
		return nil
	})
}

//export femtolog_logger_get_handlers
func femtolog_logger_get_handlers(outHandlers *C.uint64_t, outCap C.size_t, outLen *C.size_t, logger C.uint64_t) (rc C.int) {
	defer guard(&rc)
	if outLen == nil || (outHandlers == nil && outCap > 0) {
		return failErr(errNilPointer)
	}
	l, err := lookupLogger(logger)
	if err != nil {
		return failErr(err)
	}
	ids := lib.rt.HandlesOf(l.Handlers())
	if len(ids) > 0 && outCap > 0 {
		out := unsafe.Slice(outHandlers, int(outCap))
		for i, id := range ids {
			if i == len(out) {
				break
			}
			out[i] = C.uint64_t(id)
		}
	}
	*outLen = C.size_t(len(ids))
	return statusOK
}

//export femtolog_ini_translate
func femtolog_ini_translate(outJSON *C.uint8_t, outCap C.size_t, outLen *C.size_t, iniText *C.char, iniLen C.size_t, defaultsJSON *C.char, defaultsLen C.size_t, disableExisting C.int) (rc C.int) {
	defer guard(&rc)
	if outLen == nil || (outJSON == nil && outCap > 0) {
		return failErr(errNilPointer)
	}
	text, err := borrow(iniText, iniLen)
	if err != nil {
		return failErr(err)
	}
	rawDefaults, err := borrow(defaultsJSON, defaultsLen)
	if err != nil {
		return failErr(err)
	}
	var defaults map[string]string
	if len(rawDefaults) > 0 {
		if err := json.Unmarshal(rawDefaults, &defaults); err != nil {
			return failErr(&config.Error{Path: "defaults", Msg: "want a JSON object of strings: " + err.Error()})
		}
	}
	out, err := config.TranslateINI(text, defaults, disableExisting != 0)
	if err != nil {
		return failErr(err)
	}
	*outLen = C.size_t(len(out))
	if int(outCap) >= len(out) && len(out) > 0 {
		copy(unsafe.Slice((*byte)(unsafe.Pointer(outJSON)), len(out)), out)
	}
	return statusOK
}
