package core

import (
	"strconv"
	"time"
)

// DefaultTimeFormat is stdlib's Formatter.default_time_format; asctime
// without a datefmt is this followed by ",mmm" (milliseconds).
const DefaultTimeFormat = "%Y-%m-%d %H:%M:%S"

var (
	shortDays   = [...]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	longDays    = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	shortMonths = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	longMonths  = [...]string{"January", "February", "March", "April", "May", "June", "July", "August",
		"September", "October", "November", "December"}
)

// AppendStrftime appends t formatted by a strftime pattern in the C locale.
// It knows C89's directives (what Python's time.strftime gives in the C
// locale) and the common POSIX/glibc additions:
// aAbBcdDeFgGhHIjmMnprRSTtuUVwWxXyYzZCs%.
// An unknown directive is copied as it is, as glibc does.
func AppendStrftime(dst []byte, pattern string, t time.Time) []byte {
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		if c != '%' || i+1 == len(pattern) {
			dst = append(dst, c)
			continue
		}
		i++
		dst = appendDirective(dst, pattern[i], t)
	}
	return dst
}

func appendDirective(dst []byte, d byte, t time.Time) []byte {
	switch d {
	case 'a':
		return append(dst, shortDays[t.Weekday()]...)
	case 'A':
		return append(dst, longDays[t.Weekday()]...)
	case 'b', 'h':
		return append(dst, shortMonths[t.Month()-1]...)
	case 'B':
		return append(dst, longMonths[t.Month()-1]...)
	case 'c': // C locale: "%a %b %e %H:%M:%S %Y"
		return AppendStrftime(dst, "%a %b %e %H:%M:%S %Y", t)
	case 'C':
		return appendPad(dst, t.Year()/100, 2, '0')
	case 'd':
		return appendPad(dst, t.Day(), 2, '0')
	case 'D', 'x':
		return AppendStrftime(dst, "%m/%d/%y", t)
	case 'e':
		return appendPad(dst, t.Day(), 2, ' ')
	case 'F':
		return AppendStrftime(dst, "%Y-%m-%d", t)
	case 'g':
		y, _ := t.ISOWeek()
		return appendPad(dst, y%100, 2, '0')
	case 'G':
		y, _ := t.ISOWeek()
		return strconv.AppendInt(dst, int64(y), 10)
	case 'H':
		return appendPad(dst, t.Hour(), 2, '0')
	case 'I':
		h := t.Hour() % 12
		if h == 0 {
			h = 12
		}
		return appendPad(dst, h, 2, '0')
	case 'j':
		return appendPad(dst, t.YearDay(), 3, '0')
	case 'm':
		return appendPad(dst, int(t.Month()), 2, '0')
	case 'M':
		return appendPad(dst, t.Minute(), 2, '0')
	case 'n':
		return append(dst, '\n')
	case 'p':
		if t.Hour() < 12 {
			return append(dst, "AM"...)
		}
		return append(dst, "PM"...)
	case 'r':
		return AppendStrftime(dst, "%I:%M:%S %p", t)
	case 'R':
		return AppendStrftime(dst, "%H:%M", t)
	case 's':
		return strconv.AppendInt(dst, t.Unix(), 10)
	case 'S':
		return appendPad(dst, t.Second(), 2, '0')
	case 't':
		return append(dst, '\t')
	case 'T', 'X':
		return AppendStrftime(dst, "%H:%M:%S", t)
	case 'u':
		wd := int(t.Weekday())
		if wd == 0 {
			wd = 7
		}
		return strconv.AppendInt(dst, int64(wd), 10)
	case 'U':
		return appendPad(dst, (t.YearDay()+6-int(t.Weekday()))/7, 2, '0')
	case 'V':
		_, w := t.ISOWeek()
		return appendPad(dst, w, 2, '0')
	case 'w':
		return strconv.AppendInt(dst, int64(t.Weekday()), 10)
	case 'W':
		return appendPad(dst, (t.YearDay()+6-(int(t.Weekday())+6)%7)/7, 2, '0')
	case 'y':
		return appendPad(dst, t.Year()%100, 2, '0')
	case 'Y':
		return strconv.AppendInt(dst, int64(t.Year()), 10)
	case 'z':
		_, off := t.Zone()
		sign := byte('+')
		if off < 0 {
			sign, off = '-', -off
		}
		dst = append(dst, sign)
		dst = appendPad(dst, off/3600, 2, '0')
		return appendPad(dst, off/60%60, 2, '0')
	case 'Z':
		name, _ := t.Zone()
		return append(dst, name...)
	case '%':
		return append(dst, '%')
	}
	return append(dst, '%', d)
}

func appendPad(dst []byte, n, width int, pad byte) []byte {
	var buf [20]byte
	s := strconv.AppendInt(buf[:0], int64(n), 10)
	for i := len(s); i < width; i++ {
		dst = append(dst, pad)
	}
	return append(dst, s...)
}

// asctimeCache keeps the last second's rendered datefmt, so a stream of
// records within one second formats the date once.
type asctimeCache struct {
	sec  int64
	text []byte
	ok   bool
}

// appendAsctime appends stdlib's asctime: strftime(datefmt) or, without
// one, DefaultTimeFormat followed by ",%03d" of msecs.
func (c *asctimeCache) appendAsctime(dst []byte, ns int64, datefmt string, hasDatefmt bool, loc *time.Location) []byte {
	created, msecs := createdSeconds(ns)
	sec := int64(created)
	if created < 0 && float64(sec) != created {
		sec-- // floor, as time.localtime does for negative times
	}
	if !c.ok || c.sec != sec {
		pattern := DefaultTimeFormat
		if hasDatefmt {
			pattern = datefmt
		}
		c.text = AppendStrftime(c.text[:0], pattern, time.Unix(sec, 0).In(loc))
		c.sec, c.ok = sec, true
	}
	dst = append(dst, c.text...)
	if !hasDatefmt {
		dst = append(dst, ',')
		dst = appendPad(dst, int(msecs), 3, '0')
	}
	return dst
}
