package main

/*
#include "femtolog.h"
*/
import "C"

import (
	"fmt"
	"runtime"
	"sync"
	"unsafe"

	"femtologging/core"
)

// detailsFromC converts a femtolog_record_ex into core.RecordDetails. The
// byte slices borrow the caller's memory (the logger copies them into the
// queue slot); strings that repeat from call to call (the caller's file
// and function, keys) are interned so steady logging does not allocate
// for them.
func detailsFromC(ex *C.femtolog_record_ex, d *core.RecordDetails, kvs []core.KeyValue) (noWait bool, err error) {
	flags := int(ex.flags)
	d.TimeNs = int64(ex.time_ns)
	if d.ExcText, err = borrow(ex.exc_text, ex.exc_text_len); err != nil {
		return false, fmt.Errorf("exc_text: %w", err)
	}
	if d.StackText, err = borrow(ex.stack_text, ex.stack_text_len); err != nil {
		return false, fmt.Errorf("stack_text: %w", err)
	}
	if flags&C.FEMTOLOG_EX_CALLER != 0 {
		if ex.lineno < 0 {
			return false, fmt.Errorf("lineno %d: %w", int(ex.lineno), errInvalidArg)
		}
		d.HasCaller = true
		d.LineNumber = uint32(ex.lineno)
		fields := []struct {
			dst  *string
			p    *C.char
			n    C.size_t
			name string
		}{
			{&d.Pathname, ex.pathname, ex.pathname_len, "pathname"},
			{&d.Filename, ex.filename, ex.filename_len, "filename"},
			{&d.Module, ex.module, ex.module_len, "module"},
			{&d.FuncName, ex.func_name, ex.func_name_len, "func_name"},
		}
		for _, f := range fields {
			b, err := borrow(f.p, f.n)
			if err != nil {
				return false, fmt.Errorf("%s: %w", f.name, err)
			}
			*f.dst = lib.interned.get(b)
		}
	}
	if ex.kv_count > 0 {
		if ex.kvs == nil {
			return false, fmt.Errorf("kvs: %w", errNilPointer)
		}
		src := unsafe.Slice(ex.kvs, int(ex.kv_count))
		for i := range src {
			kv, err := keyValueFromC(&src[i])
			if err != nil {
				return false, fmt.Errorf("kvs[%d]: %w", i, err)
			}
			kvs = append(kvs, kv)
		}
	}
	d.KeyValues = kvs
	return flags&C.FEMTOLOG_EX_NO_WAIT != 0, nil
}

// keyValueFromC converts one femtolog_kv.
func keyValueFromC(src *C.femtolog_kv) (core.KeyValue, error) {
	key, err := borrow(src.key, src.key_len)
	if err != nil {
		return core.KeyValue{}, fmt.Errorf("key: %w", err)
	}
	if len(key) == 0 {
		return core.KeyValue{}, fmt.Errorf("empty key: %w", errInvalidArg)
	}
	kv := core.KeyValue{Key: lib.interned.get(key), Kind: core.ValueKind(src.kind)}
	switch kv.Kind {
	case core.ValueString:
		s, err := borrowString(src.str, src.str_len)
		if err != nil {
			return core.KeyValue{}, fmt.Errorf("%q: %w", kv.Key, err)
		}
		kv.Str = s
	case core.ValueInt:
		kv.Int = int64(src.int_value)
	case core.ValueFloat:
		kv.Float = float64(src.float_value)
	case core.ValueBool:
		if src.int_value != 0 {
			kv.Int = 1
		}
	case core.ValueNone:
	default:
		return core.KeyValue{}, fmt.Errorf("%q: unknown value kind %d: %w", kv.Key, int(src.kind), errInvalidArg)
	}
	return kv, nil
}

// internTable maps byte strings to shared Go strings. It is bounded: past
// maxInterned entries it stops adding (later strings are copied per call),
// so hostile or generated names cannot grow it without limit.
type internTable struct {
	mu sync.Mutex
	m  map[string]string
}

const maxInterned = 4096

// get returns a string equal to b, shared when b was seen before.
func (t *internTable) get(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if s, ok := t.m[string(b)]; ok { // no allocation for the lookup
		return s
	}
	s := string(b)
	if t.m == nil {
		t.m = map[string]string{}
	}
	if len(t.m) < maxInterned {
		t.m[s] = s
	}
	return s
}

// exView is a femtolog_record_ex describing a core.Record, for callbacks.
// It lives in Go memory and points at the record's Go memory, so every
// pointer in it is pinned (cgo's rule for Go memory holding Go pointers)
// until release.
type exView struct {
	ex     C.femtolog_record_ex
	kvs    []C.femtolog_kv
	pinner runtime.Pinner
}

// pinStr pins s's bytes and returns them as a C pointer (nil if empty).
func (v *exView) pinStr(s string) *C.char {
	if s == "" {
		return nil
	}
	p := unsafe.StringData(s)
	v.pinner.Pin(p)
	return (*C.char)(unsafe.Pointer(p))
}

// pinBytes is pinStr for a byte slice.
func (v *exView) pinBytes(b []byte) *C.char {
	if len(b) == 0 {
		return nil
	}
	p := unsafe.SliceData(b)
	v.pinner.Pin(p)
	return (*C.char)(unsafe.Pointer(p))
}

// newExView describes rec's details; call release after the callback.
func newExView(rec *core.Record) *exView {
	v := &exView{}
	v.pinner.Pin(v)
	ex := &v.ex
	ex.time_ns = C.int64_t(rec.TimeNs)
	ex.exc_text, ex.exc_text_len = v.pinBytes(rec.ExcText), C.size_t(len(rec.ExcText))
	ex.stack_text, ex.stack_text_len = v.pinBytes(rec.StackText), C.size_t(len(rec.StackText))
	if rec.HasCaller {
		ex.flags |= C.FEMTOLOG_EX_CALLER
		ex.pathname, ex.pathname_len = v.pinStr(rec.Pathname), C.size_t(len(rec.Pathname))
		ex.filename, ex.filename_len = v.pinStr(rec.Filename), C.size_t(len(rec.Filename))
		ex.module, ex.module_len = v.pinStr(rec.ModulePath), C.size_t(len(rec.ModulePath))
		ex.func_name, ex.func_name_len = v.pinStr(rec.FuncName), C.size_t(len(rec.FuncName))
		ex.lineno = C.int(rec.LineNumber)
	}
	if len(rec.KeyValues) > 0 {
		v.kvs = make([]C.femtolog_kv, len(rec.KeyValues))
		v.pinner.Pin(&v.kvs[0])
		for i, kv := range rec.KeyValues {
			c := &v.kvs[i]
			c.key, c.key_len = v.pinStr(kv.Key), C.size_t(len(kv.Key))
			c.kind = C.int(kv.Kind)
			c.str, c.str_len = v.pinStr(kv.Str), C.size_t(len(kv.Str))
			c.int_value = C.int64_t(kv.Int)
			c.float_value = C.double(kv.Float)
		}
		ex.kvs, ex.kv_count = &v.kvs[0], C.size_t(len(v.kvs))
	}
	return v
}

// release unpins what newExView pinned.
func (v *exView) release() { v.pinner.Unpin() }
