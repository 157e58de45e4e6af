package core

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// appendStr appends Python's str(v).
func appendStr(dst []byte, v fvalue) []byte {
	switch v.kind {
	case ValueString:
		return append(dst, v.s...)
	case ValueInt:
		return strconv.AppendInt(dst, v.i, 10)
	case ValueFloat:
		return AppendPyFloat(dst, v.f)
	case ValueBool:
		if v.i != 0 {
			return append(dst, "True"...)
		}
		return append(dst, "False"...)
	}
	return append(dst, "None"...)
}

// appendRepr appends Python's repr(v) (ascii(v) when ascii is set): for
// strings, quoted and escaped the way Python does; for the other types
// the same as str.
func appendRepr(dst []byte, v fvalue, ascii bool) []byte {
	if v.kind != ValueString {
		return appendStr(dst, v)
	}
	quote := byte('\'')
	if strings.IndexByte(v.s, '\'') >= 0 && strings.IndexByte(v.s, '"') < 0 {
		quote = '"'
	}
	dst = append(dst, quote)
	s := v.s
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		if r == utf8.RuneError && size == 1 {
			// Not UTF-8 (cannot come from Python, whose text crosses as
			// UTF-8): shown as the byte, escaped.
			dst = appendHexEscape(dst, 'x', uint32(s[0]), 2)
			s = s[1:]
			continue
		}
		s = s[size:]
		switch {
		case r == rune(quote) || r == '\\':
			dst = append(dst, '\\', byte(r))
		case r == '\n':
			dst = append(dst, '\\', 'n')
		case r == '\r':
			dst = append(dst, '\\', 'r')
		case r == '\t':
			dst = append(dst, '\\', 't')
		case r < 0x20 || r == 0x7f:
			dst = appendHexEscape(dst, 'x', uint32(r), 2)
		case r < 0x7f:
			dst = append(dst, byte(r))
		case ascii || !pyPrintable(r):
			switch {
			case r <= 0xff:
				dst = appendHexEscape(dst, 'x', uint32(r), 2)
			case r <= 0xffff:
				dst = appendHexEscape(dst, 'u', uint32(r), 4)
			default:
				dst = appendHexEscape(dst, 'U', uint32(r), 8)
			}
		default:
			dst = utf8.AppendRune(dst, r)
		}
	}
	return append(dst, quote)
}

// pyPrintable is Python's str.isprintable for one code point: letters,
// marks, numbers, punctuation, symbols and the ASCII space; not control,
// format, surrogate, private-use, unassigned or separator characters.
func pyPrintable(r rune) bool {
	return unicode.IsPrint(r) && !unicode.Is(unicode.Cf, r)
}

func appendHexEscape(dst []byte, kind byte, n uint32, digits int) []byte {
	dst = append(dst, '\\', kind)
	const hex = "0123456789abcdef"
	for i := digits - 1; i >= 0; i-- {
		dst = append(dst, hex[(n>>(4*uint(i)))&0xf])
	}
	return dst
}
