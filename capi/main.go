// Command capi is built with -buildmode=c-shared into libfemtolog.so: the
// C interface of the Go core, declared in include/femtolog.h. It is the
// only package that uses cgo. Every export runs its body under one guard
// that turns panics and errors into status codes, so no failure in Go can
// crash the host process.
package main

/*
#cgo CFLAGS: -O2 -Wall -DFEMTOLOG_CGO_BUILD
#include "femtolog.h"
#include "helpers.h"
*/
import "C"

func main() {}
