package sink

// EncodeJSONLines joins records as newline-delimited JSON (one object per
// line), an HTTPBatchOptions.Encode.
func EncodeJSONLines(dst []byte, records [][]byte) ([]byte, error) {
	for _, r := range records {
		dst = append(dst, r...)
		dst = append(dst, '\n')
	}
	return dst, nil
}

// EncodeJSONArray joins records as one JSON array, an
// HTTPBatchOptions.Encode.
func EncodeJSONArray(dst []byte, records [][]byte) ([]byte, error) {
	dst = append(dst, '[')
	for i, r := range records {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, r...)
	}
	return append(dst, ']'), nil
}
