package main

/*
#include "femtolog.h"

static const char *line_after_logger(void) { return FEMTOLOG_LINE_AFTER_LOGGER; }
static const char *line_after_level(void) { return FEMTOLOG_LINE_AFTER_LEVEL; }
*/
import "C"

// The default line's layout is defined once, in femtolog.h, for every
// front end (_fastlog.c builds log()'s return value from it). core's
// TextFormatter writes it without cgo; default_line_test.go holds the two
// to the same text.
var (
	lineAfterLogger = C.GoString(C.line_after_logger())
	lineAfterLevel  = C.GoString(C.line_after_level())
)
