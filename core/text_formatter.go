package core

// TextFormatter writes the default line layout, "{logger} [{LEVEL}]
// {message}\n", the same text FemtoLogger.log returns. The layout is
// defined in include/femtolog.h (FEMTOLOG_LINE_AFTER_LOGGER and _LEVEL);
// core stays free of cgo, so capi's tests hold this to the header.
type TextFormatter struct{}

// Format appends the default line for rec to dst.
func (TextFormatter) Format(dst []byte, rec *Record) ([]byte, error) {
	dst = append(dst, rec.Logger...)
	dst = append(dst, " ["...)
	dst = append(dst, rec.Level.String()...)
	dst = append(dst, "] "...)
	dst = append(dst, rec.Message...)
	dst = append(dst, '\n')
	return dst, nil
}
