package core

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
)

// FormatStyle is a format string's placeholder syntax, as stdlib's
// Formatter style argument: '%' (printf), '{' (str.format), '$'
// (string.Template).
type FormatStyle byte

// The three styles.
const (
	StylePercent  FormatStyle = '%'
	StyleBrace    FormatStyle = '{'
	StyleTemplate FormatStyle = '$'
)

// DefaultFormat is stdlib's Formatter default for each style when no
// format is given: the message alone.
func DefaultFormat(style FormatStyle) string {
	switch style {
	case StyleBrace:
		return "{message}"
	case StyleTemplate:
		return "${message}"
	}
	return "%(message)s"
}

// FormatOptions configures a StringFormatter.
type FormatOptions struct {
	// Format is the format string; empty means DefaultFormat(Style).
	Format string
	// Datefmt is the strftime pattern of asctime; empty means stdlib's
	// default, "%Y-%m-%d %H:%M:%S,mmm".
	Datefmt string
	// Style is '%' (the default when 0), '{' or '$'.
	Style FormatStyle
	// Validate requires at least one field, as stdlib's validate=True.
	// The syntax is always checked: a line cannot be made from a broken
	// format.
	Validate bool
	// UTC formats times in UTC instead of local time.
	UTC bool
	// StartNs is the process's logging start (stdlib's _startTime), the
	// origin of relativeCreated; 0 means the formatter's creation.
	StartNs int64
}

// fmtPart is one piece of a compiled format string: literal text, or a
// field with its conversion.
type fmtPart struct {
	literal string
	isField bool
	field   fieldID
	key     string // the field's name (looked up among key-values for fieldExtra)
	style   FormatStyle
	pspec   percentSpec
	bspec   braceSpec
}

// StringFormatter formats records with a stdlib-compatible format string,
// natively: the same line logging.Formatter(fmt, datefmt, style) would
// make from the same record (stdlib's attribute names, Python's
// conversion rules, exc_text and stack_info appended on their own lines).
type StringFormatter struct {
	opts     FormatOptions
	parts    []fmtPart
	caller   bool
	loc      *time.Location
	pid      int64
	startSec float64

	mu      sync.Mutex // Format may be called by several goroutines (render, tests)
	asctime asctimeCache
	scratch []byte
}

// NewStringFormatter compiles a format string; a bad one is an error
// wrapping ErrBadFormat that says what is wrong.
func NewStringFormatter(opts FormatOptions) (*StringFormatter, error) {
	if opts.Style == 0 {
		opts.Style = StylePercent
	}
	if opts.Format == "" {
		opts.Format = DefaultFormat(opts.Style)
	}
	var parts []fmtPart
	var err error
	switch opts.Style {
	case StylePercent:
		parts, err = compilePercent(opts.Format)
	case StyleBrace:
		parts, err = compileBrace(opts.Format)
	case StyleTemplate:
		parts, err = compileTemplate(opts.Format)
	default:
		return nil, fmt.Errorf("%w: style %q: want one of '%%', '{', '$'", ErrBadFormat, string(rune(opts.Style)))
	}
	if err != nil {
		return nil, fmt.Errorf("format %q: %w", opts.Format, err)
	}
	f := &StringFormatter{opts: opts, parts: parts, loc: time.Local, pid: int64(os.Getpid())}
	if opts.UTC {
		f.loc = time.UTC
	}
	fields := 0
	for _, p := range parts {
		if p.isField {
			fields++
			f.caller = f.caller || p.field.callerField()
		}
	}
	if opts.Validate && fields == 0 {
		return nil, fmt.Errorf("%w: format %q has no fields for style '%c'", ErrBadFormat, opts.Format, opts.Style)
	}
	start := opts.StartNs
	if start == 0 {
		start = time.Now().UnixNano()
	}
	f.startSec = float64(start) / 1e9
	return f, nil
}

// WantsCaller reports whether the format uses a caller field.
func (f *StringFormatter) WantsCaller() bool { return f.caller }

// Format appends the record's line and a newline.
func (f *StringFormatter) Format(dst []byte, rec *Record) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	start := len(dst)
	for i := range f.parts {
		p := &f.parts[i]
		if !p.isField {
			dst = append(dst, p.literal...)
			continue
		}
		var err error
		if dst, err = f.appendField(dst, p, rec); err != nil {
			return dst[:start], err
		}
	}
	dst = appendSection(dst, start, rec.ExcText)
	dst = appendSection(dst, start, rec.StackText)
	return append(dst, '\n'), nil
}

// appendSection appends text on a line of its own, as stdlib appends
// exc_text and stack_info.
func appendSection(dst []byte, start int, text []byte) []byte {
	if len(text) == 0 {
		return dst
	}
	if len(dst) == start || dst[len(dst)-1] != '\n' {
		dst = append(dst, '\n')
	}
	return append(dst, text...)
}

func (f *StringFormatter) appendField(dst []byte, p *fmtPart, rec *Record) ([]byte, error) {
	// The common fields with plain conversions skip the general path.
	if p.style == StylePercent && p.pspec.conv == 's' && p.pspec.width < 0 && p.pspec.prec < 0 {
		switch p.field {
		case fieldMessage:
			return append(dst, rec.Message...), nil
		case fieldName:
			return append(dst, rec.Logger...), nil
		case fieldAscTime:
			return f.asctime.appendAsctime(dst, rec.TimeNs, f.opts.Datefmt, f.opts.Datefmt != "", f.loc), nil
		}
	}
	v, err := f.value(p, rec)
	if err != nil {
		return dst, err
	}
	switch p.style {
	case StylePercent:
		dst, f.scratch, err = appendPercent(dst, &p.pspec, v, f.scratch)
	case StyleBrace:
		dst, f.scratch, err = appendBrace(dst, &p.bspec, v, f.scratch)
	default:
		dst = appendStr(dst, v)
	}
	if err != nil {
		return dst, fmt.Errorf("field %q: %w", p.key, err)
	}
	return dst, nil
}

// value returns the attribute a field names, typed as stdlib's LogRecord
// has it.
func (f *StringFormatter) value(p *fmtPart, rec *Record) (fvalue, error) {
	str := func(s string) fvalue { return fvalue{kind: ValueString, s: s} }
	callerStr := func(s string) fvalue {
		if !rec.HasCaller {
			return str(unknownCaller)
		}
		return str(s)
	}
	textOrNone := func(b []byte) fvalue {
		if len(b) == 0 {
			return fvalue{kind: ValueNone}
		}
		return str(strView(b))
	}
	switch p.field {
	case fieldName:
		return str(rec.Logger), nil
	case fieldLevelName:
		return str(PythonLevelName(rec.Level)), nil
	case fieldLevelNo:
		return fvalue{kind: ValueInt, i: int64(rec.Level)}, nil
	case fieldMessage, fieldMsg:
		return str(strView(rec.Message)), nil
	case fieldAscTime:
		f.scratch = f.asctime.appendAsctime(f.scratch[:0], rec.TimeNs, f.opts.Datefmt, f.opts.Datefmt != "", f.loc)
		// Copied: the conversion reuses scratch.
		return str(string(f.scratch)), nil
	case fieldCreated:
		c, _ := createdSeconds(rec.TimeNs)
		return fvalue{kind: ValueFloat, f: c}, nil
	case fieldMsecs:
		_, ms := createdSeconds(rec.TimeNs)
		return fvalue{kind: ValueFloat, f: ms}, nil
	case fieldRelativeCreated:
		c, _ := createdSeconds(rec.TimeNs)
		return fvalue{kind: ValueFloat, f: (c - f.startSec) * 1000}, nil
	case fieldThread:
		return fvalue{kind: ValueInt, i: int64(rec.ThreadID)}, nil
	case fieldThreadName:
		return str(rec.ThreadName), nil
	case fieldProcess:
		return fvalue{kind: ValueInt, i: f.pid}, nil
	case fieldPathname:
		return callerStr(rec.Pathname), nil
	case fieldFilename:
		return callerStr(rec.Filename), nil
	case fieldModule:
		return callerStr(rec.ModulePath), nil
	case fieldLineNo:
		return fvalue{kind: ValueInt, i: int64(rec.LineNumber)}, nil
	case fieldFuncName:
		if !rec.HasCaller {
			return str(unknownFunc), nil
		}
		return str(rec.FuncName), nil
	case fieldExcText:
		return textOrNone(rec.ExcText), nil
	case fieldStackInfo:
		return textOrNone(rec.StackText), nil
	}
	for i := len(rec.KeyValues) - 1; i >= 0; i-- {
		kv := &rec.KeyValues[i]
		if kv.Key == p.key {
			return fvalue{kind: kv.Kind, s: kv.Str, i: kv.Int, f: kv.Float}, nil
		}
	}
	return fvalue{}, errMissingField{p.key}
}

// newField makes the part for a field called name.
func newField(name string, style FormatStyle) fmtPart {
	id, ok := recordFields[name]
	if !ok {
		id = fieldExtra
	}
	return fmtPart{isField: true, field: id, key: name, style: style}
}

// partsBuilder collects a compiled format: runs of literal text, each
// closed into one part when a field follows or the format ends.
type partsBuilder struct {
	parts []fmtPart
	lit   strings.Builder
}

func (b *partsBuilder) flush() {
	if b.lit.Len() > 0 {
		b.parts = append(b.parts, fmtPart{literal: b.lit.String()})
		b.lit.Reset()
	}
}

// field closes the literal text so far and appends a field.
func (b *partsBuilder) field(p fmtPart) {
	b.flush()
	b.parts = append(b.parts, p)
}

// done closes the literal text and returns the parts.
func (b *partsBuilder) done() []fmtPart {
	b.flush()
	return b.parts
}

// compilePercent parses a %-style format: "%(name)spec" fields and "%%".
// A conversion without a name cannot take its value from a record and is
// rejected.
func compilePercent(s string) ([]fmtPart, error) {
	var b partsBuilder
	for i := 0; i < len(s); {
		c := s[i]
		if c != '%' {
			b.lit.WriteByte(c)
			i++
			continue
		}
		if i+1 < len(s) && s[i+1] == '%' {
			b.lit.WriteByte('%')
			i += 2
			continue
		}
		if i+1 >= len(s) || s[i+1] != '(' {
			return nil, fmt.Errorf("%w: conversion without a (name) at index %d: every field must be %%(name)s-like", ErrBadFormat, i)
		}
		// Python matches parentheses inside the key: %(a(b))s has key "a(b)".
		depth, j := 1, i+2
		for ; j < len(s) && depth > 0; j++ {
			switch s[j] {
			case '(':
				depth++
			case ')':
				depth--
			}
		}
		if depth > 0 {
			return nil, fmt.Errorf("%w: incomplete format key at index %d", ErrBadFormat, i)
		}
		name := s[i+2 : j-1]
		spec, next, err := parsePercentSpec(s, j)
		if err != nil {
			return nil, err
		}
		p := newField(name, StylePercent)
		p.pspec = spec
		b.field(p)
		i = next
	}
	return b.done(), nil
}

// compileBrace parses a str.format format: "{name[!conv][:spec]}", "{{"
// and "}}". Attribute and index access, positional fields and nested
// fields in specs are rejected.
func compileBrace(s string) ([]fmtPart, error) {
	var b partsBuilder
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '{' && i+1 < len(s) && s[i+1] == '{', c == '}' && i+1 < len(s) && s[i+1] == '}':
			b.lit.WriteByte(c)
			i += 2
			continue
		case c == '}':
			return nil, fmt.Errorf("%w: single '}' encountered in format string", ErrBadFormat)
		case c != '{':
			b.lit.WriteByte(c)
			i++
			continue
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return nil, fmt.Errorf("%w: expected '}' before end of string", ErrBadFormat)
		}
		body := s[i+1 : i+end]
		if strings.IndexByte(body, '{') >= 0 {
			return nil, fmt.Errorf("%w: nested fields are not supported: %q", ErrBadFormat, body)
		}
		name, rest := body, ""
		if k := strings.IndexAny(body, "!:"); k >= 0 {
			name, rest = body[:k], body[k:]
		}
		if !isWordName(name) {
			return nil, fmt.Errorf("%w: invalid field name %q: want a record attribute or key", ErrBadFormat, name)
		}
		p := newField(name, StyleBrace)
		if strings.HasPrefix(rest, "!") {
			if len(rest) < 2 || (len(rest) > 2 && rest[2] != ':') {
				return nil, fmt.Errorf("%w: expected ':' after conversion specifier in %q", ErrBadFormat, body)
			}
			if rest[1] != 'r' && rest[1] != 's' && rest[1] != 'a' {
				return nil, fmt.Errorf("%w: invalid conversion %q", ErrBadFormat, rest[1:2])
			}
			p.bspec.conv = rest[1]
			rest = rest[2:]
		}
		spec := strings.TrimPrefix(rest, ":")
		bs, err := parseBraceSpec(spec)
		if err != nil {
			return nil, err
		}
		bs.conv = p.bspec.conv
		p.bspec = bs
		b.field(p)
		i += end + 1
	}
	return b.done(), nil
}

// isWordName reports whether s is one or more word characters and not
// all digits (a positional field).
func isWordName(s string) bool {
	if s == "" {
		return false
	}
	digits := true
	for _, r := range s {
		if !(r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return false
		}
		digits = digits && r >= '0' && r <= '9'
	}
	return !digits
}

// compileTemplate parses a string.Template format: "$name", "${name}" and
// "$$"; names are ASCII identifiers, as Template's default pattern.
func compileTemplate(s string) ([]fmtPart, error) {
	var b partsBuilder
	for i := 0; i < len(s); {
		if s[i] != '$' {
			b.lit.WriteByte(s[i])
			i++
			continue
		}
		if i+1 < len(s) && s[i+1] == '$' {
			b.lit.WriteByte('$')
			i += 2
			continue
		}
		braced := i+1 < len(s) && s[i+1] == '{'
		j := i + 1
		if braced {
			j++
		}
		k := j
		for k < len(s) && isIdentByte(s[k], k == j) {
			k++
		}
		if k == j || (braced && (k >= len(s) || s[k] != '}')) {
			return nil, fmt.Errorf("%w: invalid placeholder at index %d: bare '$' not allowed", ErrBadFormat, i)
		}
		b.field(newField(s[j:k], StyleTemplate))
		i = k
		if braced {
			i++
		}
	}
	return b.done(), nil
}

func isIdentByte(c byte, first bool) bool {
	return c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z') || (!first && c >= '0' && c <= '9')
}

// UsesTime reports whether the format uses asctime, with stdlib's test.
func (f *StringFormatter) UsesTime() bool {
	switch f.opts.Style {
	case StyleBrace:
		return strings.Contains(f.opts.Format, "{asctime")
	case StyleTemplate:
		return strings.Contains(f.opts.Format, "$asctime") || strings.Contains(f.opts.Format, "${asctime}")
	}
	return strings.Contains(f.opts.Format, "%(asctime)")
}

// String describes the formatter for diagnostics.
func (f *StringFormatter) String() string {
	return "format " + strconv.Quote(f.opts.Format)
}
