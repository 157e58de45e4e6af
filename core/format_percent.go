package core

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// percentSpec is one "%(name)..." conversion of a %-style format string:
// Python's printf-style flags, width, precision and conversion type.
type percentSpec struct {
	minus, zero, plus, space, alt bool
	width, prec                   int // -1 when absent
	conv                          byte
}

// ErrBadFormat is wrapped by every format string a formatter rejects at
// construction, and by values a conversion cannot format.
var ErrBadFormat = errors.New("invalid format")

// parsePercentSpec parses what follows "%(name)" at s[i:] and returns the
// spec and the index after it. "*" widths are rejected: with a mapping
// they cannot work (stdlib fails on them at format time).
func parsePercentSpec(s string, i int) (percentSpec, int, error) {
	sp := percentSpec{width: -1, prec: -1}
flags:
	for ; i < len(s); i++ {
		switch s[i] {
		case '-':
			sp.minus = true
		case '0':
			sp.zero = true
		case '+':
			sp.plus = true
		case ' ':
			sp.space = true
		case '#':
			sp.alt = true
		default:
			break flags
		}
	}
	i, sp.width = parseDigits(s, i)
	if i < len(s) && s[i] == '.' {
		i, sp.prec = parseDigits(s, i+1)
		if sp.prec < 0 {
			sp.prec = 0
		}
	}
	if i < len(s) && s[i] == '*' {
		return sp, i, fmt.Errorf("%w: '*' width or precision cannot be used with named fields", ErrBadFormat)
	}
	if err := checkWidths(sp.width, sp.prec); err != nil {
		return sp, i, err
	}
	for i < len(s) && (s[i] == 'h' || s[i] == 'l' || s[i] == 'L') { // length modifiers: ignored, as Python does
		i++
	}
	if i >= len(s) {
		return sp, i, fmt.Errorf("%w: incomplete format", ErrBadFormat)
	}
	sp.conv = s[i]
	if !strings.ContainsRune("diouxXeEfFgGcrsa", rune(sp.conv)) {
		return sp, i, fmt.Errorf("%w: unsupported format character %q at index %d", ErrBadFormat, sp.conv, i)
	}
	return sp, i + 1, nil
}

// maxWidth bounds widths and precisions: a format from a configuration
// file must not make every record allocate gigabytes of padding.
const maxWidth = 1 << 16

func checkWidths(width, prec int) error {
	if width > maxWidth || prec > maxWidth {
		return fmt.Errorf("%w: width or precision %d too large (at most %d)", ErrBadFormat, max(width, prec), maxWidth)
	}
	return nil
}

// parseDigits reads a decimal number at s[i:]; -1 when there is none.
func parseDigits(s string, i int) (int, int) {
	n, start := 0, i
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		if n < 1<<30 {
			n = n*10 + int(s[i]-'0')
		}
	}
	if i == start {
		return i, -1
	}
	return i, n
}

// appendPercent appends v converted as sp, exactly as Python's
// "%(name)..." % record.__dict__ would.
func appendPercent(dst []byte, sp *percentSpec, v fvalue, scratch []byte) ([]byte, []byte, error) {
	switch sp.conv {
	case 's', 'r', 'a':
		body := scratch[:0]
		switch sp.conv {
		case 's':
			body = appendStr(body, v)
		case 'r':
			body = appendRepr(body, v, false)
		default:
			body = appendRepr(body, v, true)
		}
		text := strView(body)
		if sp.prec >= 0 {
			text = truncateRunes(text, sp.prec)
		}
		return padText(dst, text, sp.width, sp.minus), body, nil
	case 'c':
		var ch string
		switch v.kind {
		case ValueInt, ValueBool:
			if v.i < 0 || v.i > 0x10FFFF {
				return dst, scratch, fmt.Errorf("%w: %%c arg not in range(0x110000)", ErrBadFormat)
			}
			ch = string(rune(v.i))
		case ValueString:
			if runeCount(v.s) != 1 {
				return dst, scratch, fmt.Errorf("%w: %%c requires an int or a unicode character, not a string of length %d", ErrBadFormat, runeCount(v.s))
			}
			ch = v.s
		default:
			return dst, scratch, fmt.Errorf("%w: %%c requires an int or a unicode character, not %s", ErrBadFormat, pyTypeName(v))
		}
		return padText(dst, ch, sp.width, sp.minus), scratch, nil
	}
	sign, body, err := percentNumber(sp, v, scratch[:0])
	if err != nil {
		return dst, scratch, err
	}
	return padNumber(dst, sign, strView(body), sp.width, sp.minus, sp.zero), body, nil
}

// percentNumber renders the digits of a numeric conversion (with any
// "0x" prefix) and returns the sign separately, for zero padding.
func percentNumber(sp *percentSpec, v fvalue, body []byte) (string, []byte, error) {
	var sign string
	signFor := func(neg bool) string {
		switch {
		case neg:
			return "-"
		case sp.plus:
			return "+"
		case sp.space:
			return " "
		}
		return ""
	}
	switch sp.conv {
	case 'd', 'i', 'u', 'o', 'x', 'X':
		n, err := percentInt(sp.conv, v)
		if err != nil {
			return "", body, err
		}
		sign = signFor(n.Sign() < 0)
		base := 10
		switch sp.conv {
		case 'o':
			base = 8
		case 'x', 'X':
			base = 16
		}
		digits := new(big.Int).Abs(n).Text(base)
		if sp.conv == 'X' {
			digits = strings.ToUpper(digits)
		}
		if sp.alt && base != 10 {
			body = append(body, '0', map[byte]byte{'o': 'o', 'x': 'x', 'X': 'X'}[sp.conv])
		}
		for i := len(digits); i < sp.prec; i++ {
			body = append(body, '0')
		}
		return sign, append(body, digits...), nil
	}
	f, err := percentFloat(v)
	if err != nil {
		return "", body, err
	}
	sign = signFor(math.Signbit(f) && !math.IsNaN(f))
	prec := sp.prec
	if prec < 0 {
		prec = 6
	}
	return sign, appendFloatDigits(body, math.Abs(f), sp.conv, prec, sp.alt), nil
}

// percentInt converts v for %d/%i/%u (which truncate floats, as int()
// does) and %o/%x/%X (integers only).
func percentInt(conv byte, v fvalue) (*big.Int, error) {
	switch v.kind {
	case ValueInt, ValueBool:
		return big.NewInt(v.i), nil
	case ValueFloat:
		if conv == 'o' || conv == 'x' || conv == 'X' {
			return nil, fmt.Errorf("%w: %%%c format: an integer is required, not float", ErrBadFormat, conv)
		}
		if math.IsInf(v.f, 0) {
			return nil, fmt.Errorf("%w: cannot convert float infinity to integer", ErrBadFormat)
		}
		if math.IsNaN(v.f) {
			return nil, fmt.Errorf("%w: cannot convert float NaN to integer", ErrBadFormat)
		}
		n, _ := big.NewFloat(math.Trunc(v.f)).Int(nil)
		return n, nil
	}
	what := "a real number"
	if conv == 'o' || conv == 'x' || conv == 'X' {
		what = "an integer"
	}
	return nil, fmt.Errorf("%w: %%%c format: %s is required, not %s", ErrBadFormat, conv, what, pyTypeName(v))
}

// percentFloat converts v for the float conversions.
func percentFloat(v fvalue) (float64, error) {
	switch v.kind {
	case ValueFloat:
		return v.f, nil
	case ValueInt, ValueBool:
		return float64(v.i), nil
	}
	return 0, fmt.Errorf("%w: must be real number, not %s", ErrBadFormat, pyTypeName(v))
}

// appendFloatDigits appends the unsigned f in conversion conv (e, E, f, F,
// g, G) with prec digits, as Python's float formatting does; alt is "#".
func appendFloatDigits(dst []byte, f float64, conv byte, prec int, alt bool) []byte {
	upper := conv == 'E' || conv == 'F' || conv == 'G'
	if math.IsInf(f, 0) || math.IsNaN(f) {
		s := "inf"
		if math.IsNaN(f) {
			s = "nan"
		}
		if upper {
			s = strings.ToUpper(s)
		}
		return append(dst, s...)
	}
	start := len(dst)
	switch conv {
	case 'f', 'F':
		dst = strconv.AppendFloat(dst, f, 'f', prec, 64)
		if alt && prec == 0 {
			dst = append(dst, '.')
		}
	case 'e', 'E':
		dst = strconv.AppendFloat(dst, f, 'e', prec, 64)
		if alt && prec == 0 {
			dst = insertPoint(dst, start)
		}
	default: // g, G
		dst = appendGeneral(dst, f, prec, alt, false)
	}
	if upper {
		for i := start; i < len(dst); i++ {
			if dst[i] == 'e' {
				dst[i] = 'E'
			}
		}
	}
	return dst
}

// appendGeneral is Python's "g": precision p significant digits, fixed
// notation when the exponent X satisfies -4 <= X < p, scientific
// otherwise; trailing zeros removed unless alt. keepPoint is the rule of
// str.format's empty type: a fixed result keeps at least one digit after
// the point.
func appendGeneral(dst []byte, f float64, prec int, alt, keepPoint bool) []byte {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return appendFloatDigits(dst, f, 'g', prec, false)
	}
	if prec == 0 {
		prec = 1
	}
	e := strconv.AppendFloat(nil, f, 'e', prec-1, 64)
	expAt := strings.IndexByte(strView(e), 'e')
	exp, _ := strconv.Atoi(strView(e[expAt+1:]))
	start := len(dst)
	// keepPoint's ".0" takes one of the digits: Python switches to
	// scientific notation one exponent earlier then.
	limit := prec
	if keepPoint {
		limit = prec - 1
	}
	if exp >= -4 && exp < limit {
		dst = strconv.AppendFloat(dst, f, 'f', prec-1-exp, 64)
		if !alt {
			dst = trimZeros(dst, start)
		} else if prec-1-exp == 0 {
			dst = append(dst, '.')
		}
		if keepPoint && !strings.ContainsRune(strView(dst[start:]), '.') {
			dst = append(dst, ".0"...)
		}
		return dst
	}
	mant := e[:expAt:expAt] // appending must not overwrite the exponent
	if !alt {
		mant = trimZeros(mant, 0)
	} else if !strings.ContainsRune(strView(mant), '.') {
		mant = append(mant, '.')
	}
	dst = append(dst, mant...)
	return append(dst, e[expAt:]...)
}

// trimZeros removes trailing zeros after a decimal point in dst[start:],
// and the point itself if nothing follows it.
func trimZeros(dst []byte, start int) []byte {
	if !strings.ContainsRune(strView(dst[start:]), '.') {
		return dst
	}
	for len(dst) > start && dst[len(dst)-1] == '0' {
		dst = dst[:len(dst)-1]
	}
	if len(dst) > start && dst[len(dst)-1] == '.' {
		dst = dst[:len(dst)-1]
	}
	return dst
}

// insertPoint turns "1e+05" (from dst[start:]) into "1.e+05".
func insertPoint(dst []byte, start int) []byte {
	at := start + strings.IndexByte(strView(dst[start:]), 'e')
	dst = append(dst, 0)
	copy(dst[at+1:], dst[at:])
	dst[at] = '.'
	return dst
}

// padText pads text to width code points with spaces, on the right when
// left is set.
func padText(dst []byte, text string, width int, left bool) []byte {
	pad := width - runeCount(text)
	if !left {
		dst = appendSpaces(dst, pad)
	}
	dst = append(dst, text...)
	if left {
		dst = appendSpaces(dst, pad)
	}
	return dst
}

// padNumber pads sign+body to width: spaces (left or right), or zeros
// between the sign and the digits.
func padNumber(dst []byte, sign, body string, width int, left, zero bool) []byte {
	pad := width - len(sign) - runeCount(body)
	switch {
	case left:
		dst = append(append(dst, sign...), body...)
		return appendSpaces(dst, pad)
	case zero:
		dst = append(dst, sign...)
		// A "0x" prefix stays in front of the zeros.
		if len(body) >= 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X' || body[1] == 'o') {
			dst = append(dst, body[:2]...)
			body = body[2:]
		}
		for ; pad > 0; pad-- {
			dst = append(dst, '0')
		}
		return append(dst, body...)
	}
	dst = appendSpaces(dst, pad)
	return append(append(dst, sign...), body...)
}

func appendSpaces(dst []byte, n int) []byte {
	for ; n > 0; n-- {
		dst = append(dst, ' ')
	}
	return dst
}

// truncateRunes returns the first n code points of s.
func truncateRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// pyTypeName is the Python type name of v, for error messages.
func pyTypeName(v fvalue) string {
	return [...]string{"str", "int", "float", "bool", "NoneType"}[v.kind]
}
