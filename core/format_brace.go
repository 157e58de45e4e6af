package core

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// braceSpec is a parsed str.format format spec:
// [[fill]align][sign][z][#][0][width][grouping][.precision][type].
type braceSpec struct {
	empty   bool
	fill    rune
	fillSet bool
	align   byte // 0: the type's default
	sign    byte // 0, '+', '-' or ' '
	z, alt  bool
	zero    bool
	width   int // -1 when absent
	group   byte
	prec    int // -1 when absent
	typ     byte
	conv    byte // the field's !r, !s or !a; 0 when absent
}

func isAlign(c byte) bool { return c == '<' || c == '>' || c == '=' || c == '^' }

// parseBraceSpec parses a format spec; it does not know the value's type
// yet, so type-dependent errors come from appendBrace.
func parseBraceSpec(spec string) (braceSpec, error) {
	sp := braceSpec{width: -1, prec: -1, fill: ' ', empty: spec == ""}
	i := 0
	if r, size := utf8.DecodeRuneInString(spec); size > 0 && size < len(spec) && isAlign(spec[size]) {
		sp.fill, sp.fillSet, sp.align = r, true, spec[size]
		i = size + 1
	} else if len(spec) > 0 && isAlign(spec[0]) {
		sp.align = spec[0]
		i = 1
	}
	if i < len(spec) && (spec[i] == '+' || spec[i] == '-' || spec[i] == ' ') {
		sp.sign = spec[i]
		i++
	}
	if i < len(spec) && spec[i] == 'z' {
		sp.z = true
		i++
	}
	if i < len(spec) && spec[i] == '#' {
		sp.alt = true
		i++
	}
	if !sp.fillSet && i < len(spec) && spec[i] == '0' {
		sp.zero = true
		i++
	}
	i, sp.width = parseDigits(spec, i)
	if i < len(spec) && (spec[i] == ',' || spec[i] == '_') {
		sp.group = spec[i]
		i++
	}
	if i < len(spec) && spec[i] == '.' {
		i, sp.prec = parseDigits(spec, i+1)
		if sp.prec < 0 {
			return sp, fmt.Errorf("%w: format specifier %q is missing the precision", ErrBadFormat, spec)
		}
	}
	if i < len(spec) {
		sp.typ = spec[i]
		i++
	}
	if err := checkWidths(sp.width, sp.prec); err != nil {
		return sp, err
	}
	if i != len(spec) || (sp.typ != 0 && !strings.ContainsRune("bcdeEfFgGnosxX%", rune(sp.typ))) {
		return sp, fmt.Errorf("%w: bad specifier %q", ErrBadFormat, spec)
	}
	return sp, nil
}

// appendBrace appends v formatted as format(v, spec) would, after the
// field's conversion.
func appendBrace(dst []byte, sp *braceSpec, v fvalue, scratch []byte) ([]byte, []byte, error) {
	if sp.conv != 0 {
		body := scratch[:0]
		if sp.conv == 's' {
			body = appendStr(body, v)
		} else {
			body = appendRepr(body, v, sp.conv == 'a')
		}
		v, scratch = fvalue{kind: ValueString, s: strView(body)}, body
		// The converted text is read from scratch: format into a fresh
		// scratch so the two do not overlap.
		out, _, err := appendBrace(dst, &braceSpec{empty: sp.empty, fill: sp.fill, fillSet: sp.fillSet, align: sp.align,
			sign: sp.sign, z: sp.z, alt: sp.alt, zero: sp.zero, width: sp.width, group: sp.group, prec: sp.prec, typ: sp.typ}, v, nil)
		return out, scratch, err
	}
	switch v.kind {
	case ValueNone:
		if !sp.empty {
			return dst, scratch, fmt.Errorf("%w: unsupported format string passed to NoneType.__format__", ErrBadFormat)
		}
		return append(dst, "None"...), scratch, nil
	case ValueBool:
		if sp.empty {
			return appendStr(dst, v), scratch, nil
		}
		return braceInt(dst, sp, v.i, scratch)
	case ValueInt:
		return braceInt(dst, sp, v.i, scratch)
	case ValueFloat:
		return braceFloat(dst, sp, v.f, scratch)
	}
	return braceString(dst, sp, v.s)
}

func braceString(dst []byte, sp *braceSpec, s string) ([]byte, []byte, error) {
	switch {
	case sp.typ != 0 && sp.typ != 's':
		return dst, nil, fmt.Errorf("%w: unknown format code '%c' for object of type 'str'", ErrBadFormat, sp.typ)
	case sp.sign != 0:
		return dst, nil, fmt.Errorf("%w: sign not allowed in string format specifier", ErrBadFormat)
	case sp.alt:
		return dst, nil, fmt.Errorf("%w: alternate form (#) not allowed in string format specifier", ErrBadFormat)
	case sp.z:
		return dst, nil, fmt.Errorf("%w: negative zero coercion (z) not allowed in format specifier", ErrBadFormat)
	case sp.group != 0:
		return dst, nil, fmt.Errorf("%w: cannot specify '%c' with 's'", ErrBadFormat, sp.group)
	case sp.align == '=':
		return dst, nil, fmt.Errorf("%w: '=' alignment not allowed in string format specifier", ErrBadFormat)
	}
	if sp.prec >= 0 {
		s = truncateRunes(s, sp.prec)
	}
	fill := sp.fill
	if sp.zero {
		fill = '0'
	}
	align := sp.align
	if align == 0 {
		align = '<'
	}
	return alignText(dst, "", s, sp.width, fill, align), nil, nil
}

// alignText pads prefix+body to width with fill; '=' puts the fill
// between the prefix (sign, "0x") and the body.
func alignText(dst []byte, prefix, body string, width int, fill rune, align byte) []byte {
	pad := width - runeCount(prefix) - runeCount(body)
	if pad < 0 {
		pad = 0
	}
	left, right := 0, 0
	switch align {
	case '<':
		right = pad
	case '^':
		left = pad / 2
		right = pad - left
	default:
		left = pad
	}
	if align == '=' {
		dst = append(dst, prefix...)
		dst = appendFill(dst, fill, left)
		return append(dst, body...)
	}
	dst = appendFill(dst, fill, left)
	dst = append(append(dst, prefix...), body...)
	return appendFill(dst, fill, right)
}

func appendFill(dst []byte, fill rune, n int) []byte {
	for ; n > 0; n-- {
		dst = utf8.AppendRune(dst, fill)
	}
	return dst
}

// numberLayout applies the defaults numbers share: right alignment, and
// "0" meaning fill 0 with '=' alignment.
func (sp *braceSpec) numberLayout() (rune, byte) {
	fill, align := sp.fill, sp.align
	if sp.zero {
		fill = '0'
		if align == 0 {
			align = '='
		}
	}
	if align == 0 {
		align = '>'
	}
	return fill, align
}

func (sp *braceSpec) signText(neg bool) string {
	switch {
	case neg:
		return "-"
	case sp.sign == '+':
		return "+"
	case sp.sign == ' ':
		return " "
	}
	return ""
}

func braceInt(dst []byte, sp *braceSpec, n int64, scratch []byte) ([]byte, []byte, error) {
	switch sp.typ {
	case 'e', 'E', 'f', 'F', 'g', 'G', '%':
		return braceFloat(dst, sp, float64(n), scratch)
	case 's':
		return dst, scratch, fmt.Errorf("%w: unknown format code 's' for object of type 'int'", ErrBadFormat)
	}
	if sp.prec >= 0 {
		return dst, scratch, fmt.Errorf("%w: precision not allowed in integer format specifier", ErrBadFormat)
	}
	if sp.z {
		return dst, scratch, fmt.Errorf("%w: negative zero coercion (z) not allowed in integer format specifier", ErrBadFormat)
	}
	fill, align := sp.numberLayout()
	if sp.typ == 'c' {
		if sp.sign != 0 || sp.alt || sp.group != 0 {
			return dst, scratch, fmt.Errorf("%w: sign, alternate form or grouping not allowed with integer format specifier 'c'", ErrBadFormat)
		}
		if n < 0 || n > 0x10FFFF {
			return dst, scratch, fmt.Errorf("%w: %%c arg not in range(0x110000)", ErrBadFormat)
		}
		return alignText(dst, "", string(rune(n)), sp.width, fill, align), scratch, nil
	}
	base, prefix, groupEvery := 10, "", 3
	switch sp.typ {
	case 'b':
		base, prefix, groupEvery = 2, "0b", 4
	case 'o':
		base, prefix, groupEvery = 8, "0o", 4
	case 'x':
		base, prefix, groupEvery = 16, "0x", 4
	case 'X':
		base, prefix, groupEvery = 16, "0X", 4
	case 'n':
		if sp.group != 0 {
			return dst, scratch, fmt.Errorf("%w: cannot specify '%c' with 'n'", ErrBadFormat, sp.group)
		}
	}
	if sp.group == ',' && base != 10 {
		return dst, scratch, fmt.Errorf("%w: cannot specify ',' with '%c'", ErrBadFormat, sp.typ)
	}
	if !sp.alt {
		prefix = ""
	}
	neg := n < 0
	mag := uint64(n)
	if neg {
		mag = -mag
	}
	digits := strconv.AppendUint(scratch[:0], mag, base)
	if sp.typ == 'X' {
		for i, c := range digits {
			if c >= 'a' && c <= 'f' {
				digits[i] = c - 'a' + 'A'
			}
		}
	}
	head := sp.signText(neg) + prefix
	return alignNumber(dst, head, digits, len(digits), groupEvery, sp, fill, align), digits, nil
}

// alignNumber groups the integer digits (intLen of them at the start of
// body) and pads the whole. With '0' filling and grouping, Python groups
// the zeros too; this is approximated by grouping the padded digits when
// the fill is '0' and the alignment '='.
func alignNumber(dst []byte, head string, body []byte, intLen, every int, sp *braceSpec, fill rune, align byte) []byte {
	if sp.group == 0 {
		return alignText(dst, head, strView(body), sp.width, fill, align)
	}
	intPart, rest := body[:intLen], body[intLen:]
	minInt := 0
	if fill == '0' && align == '=' && sp.width > 0 {
		// Zero padding becomes part of the grouped digits.
		minInt = sp.width - runeCount(head) - len(rest)
	}
	grouped := groupDigits(intPart, every, sp.group, minInt)
	grouped = append(grouped, rest...)
	return alignText(dst, head, string(grouped), sp.width, fill, align)
}

// groupDigits inserts sep every `every` digits from the right; with minLen
// it pads with zeros (grouped) until the result is at least minLen long.
func groupDigits(digits []byte, every int, sep byte, minLen int) []byte {
	out := make([]byte, 0, len(digits)+len(digits)/every+1)
	count := 0
	for i := len(digits) - 1; i >= 0; i-- {
		if count > 0 && count%every == 0 {
			out = append(out, sep)
		}
		out = append(out, digits[i])
		count++
	}
	for len(out) < minLen {
		if count > 0 && count%every == 0 {
			out = append(out, sep)
			if len(out) >= minLen {
				// Python never starts with a separator: a leading zero goes first.
				out = append(out, '0')
				break
			}
		}
		out = append(out, '0')
		count++
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

func braceFloat(dst []byte, sp *braceSpec, f float64, scratch []byte) ([]byte, []byte, error) {
	switch sp.typ {
	case 0, 'e', 'E', 'f', 'F', 'g', 'G', 'n', '%':
	default:
		return dst, scratch, fmt.Errorf("%w: unknown format code '%c' for object of type 'float'", ErrBadFormat, sp.typ)
	}
	if sp.typ == 'n' && sp.group != 0 {
		return dst, scratch, fmt.Errorf("%w: cannot specify '%c' with 'n'", ErrBadFormat, sp.group)
	}
	fill, align := sp.numberLayout()
	body := scratch[:0]
	upper := sp.typ == 'E' || sp.typ == 'F' || sp.typ == 'G'
	a := math.Abs(f)
	neg := math.Signbit(f) && !math.IsNaN(f)
	switch sp.typ {
	case 0:
		if sp.prec < 0 {
			body = AppendPyFloat(body, a)
			if sp.alt && !math.IsInf(a, 0) && !math.IsNaN(a) && !strings.ContainsRune(strView(body), '.') {
				body = insertPoint(body, 0) // "#": a point even in "1e-09"
			}
		} else {
			body = appendGeneral(body, a, sp.prec, sp.alt, true)
		}
	case '%':
		prec := sp.prec
		if prec < 0 {
			prec = 6
		}
		body = appendFloatDigits(body, a*100, 'f', prec, sp.alt)
		body = append(body, '%')
	case 'n':
		prec := sp.prec
		if prec < 0 {
			prec = 6
		}
		body = appendFloatDigits(body, a, 'g', prec, sp.alt)
	default:
		prec := sp.prec
		if prec < 0 {
			prec = 6
		}
		body = appendFloatDigits(body, a, sp.typ, prec, sp.alt)
	}
	if upper {
		for i, c := range body {
			if c >= 'a' && c <= 'z' {
				body[i] = c - 'a' + 'A'
			}
		}
	}
	if neg && sp.z && isZeroDigits(body) {
		neg = false
	}
	intLen := 0
	for intLen < len(body) && body[intLen] >= '0' && body[intLen] <= '9' {
		intLen++
	}
	return alignNumber(dst, sp.signText(neg), body, intLen, 3, sp, fill, align), body, nil
}

// isZeroDigits reports whether a rendered number is all zeros.
func isZeroDigits(b []byte) bool {
	for _, c := range b {
		if c >= '1' && c <= '9' {
			return false
		}
	}
	return true
}
