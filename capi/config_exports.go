package main

/*
#include "femtolog.h"
*/
import "C"

import (
	"encoding/json"
	"sync"
	"unsafe"

	"femtologging/core"
	"femtologging/core/config"
)

// configState remembers what the configuration engine built, so that a
// later configuration can close the handlers the earlier one owned once
// nothing uses them, and front ends can find built handlers by id.
var configState struct {
	mu sync.Mutex
	// owned: handlers built by configurations and not closed yet.
	owned map[core.Handler]uint64
	// ids: handle of each handler of the last successful configuration.
	ids map[string]uint64
}

// configDocEnv is configEnv plus the lookup of existing handlers.
func (l *library) configDocEnv() config.DocEnv {
	return config.DocEnv{
		Env: l.configEnv(),
		Handler: func(h uint64) (core.Handler, error) {
			e, ok := l.handlers.get(h)
			if !ok {
				return nil, errHandle
			}
			return e.handler, nil
		},
	}
}

//export femtolog_config_apply
func femtolog_config_apply(configJSON *C.char, configLen C.size_t) (rc C.int) {
	defer guard(&rc)
	if lib.shutDown.Load() {
		return failErr(errShutDown)
	}
	doc, err := borrow(configJSON, configLen)
	if err != nil {
		return failErr(err)
	}
	configState.mu.Lock()
	defer configState.mu.Unlock()
	prepared, err := config.Prepare(lib.configDocEnv(), doc)
	if err != nil {
		return failErr(err)
	}
	mgr := lib.manager.Load()
	if err := mgr.Apply(prepared.Plan); err != nil {
		prepared.Discard()
		return failErr(err)
	}
	ids := map[string]uint64{}
	for id, h := range prepared.Existing {
		ids[id] = h
	}
	if configState.owned == nil {
		configState.owned = map[core.Handler]uint64{}
	}
	retired := retireOwned(mgr)
	for id, b := range prepared.Built {
		h := lib.handlers.add(&handlerEntry{handler: b.Handler, kind: b.Kind, flushTimeout: b.FlushTimeout, recipe: forkRecipe{spec: b.Spec}})
		ids[id] = h
		configState.owned[b.Handler] = h
	}
	configState.ids = ids
	if len(retired) > 0 {
		// Records already on logger queues may still name the retired
		// handlers: let them arrive, then close, off the caller's thread.
		go func() {
			mgr.Sync(defaultCloseTimeout)
			for _, h := range retired {
				_ = h.Close(defaultCloseTimeout)
			}
		}()
	}
	return statusOK
}

// retireOwned removes from the owned set the handlers an earlier
// configuration built that no logger uses any more, and returns them for
// closing. Handlers the caller created itself are never closed here.
func retireOwned(mgr *core.Manager) []core.Handler {
	attached := mgr.AttachedHandlers()
	var retired []core.Handler
	for h := range configState.owned {
		if !attached[h] {
			retired = append(retired, h)
			delete(configState.owned, h)
		}
	}
	return retired
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
	configState.mu.Lock()
	h, ok := configState.ids[name]
	configState.mu.Unlock()
	if !ok {
		return failErr(errHandle)
	}
	*outHandler = C.uint64_t(h)
	return statusOK
}

//export femtolog_logger_get_handler_count
func femtolog_logger_get_handler_count(outCount *C.size_t, logger C.uint64_t) (rc C.int) {
	defer guard(&rc)
	l, err := lookupLogger(logger)
	if err != nil {
		return failErr(err)
	}
	if outCount == nil {
		return failErr(errNilPointer)
	}
	*outCount = C.size_t(len(l.Handlers()))
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
