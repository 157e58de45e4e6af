package config

import (
	"fmt"
	"math"
	"time"

	"femtologging/core/sink"
)

// retentionSpec holds what both rotating kinds do with their backups.
type retentionSpec struct {
	// Compression is "gzip", or "none"/absent for none.
	Compression *string `json:"compression"`
	// MaxAgeS deletes backups older than this many seconds; 0 or absent
	// keeps them.
	MaxAgeS *float64 `json:"max_age_s"`
}

// maxAgeLimit bounds max_age_s (about 100 years) so the conversion to a
// time.Duration cannot overflow.
const maxAgeLimit = 100 * 365 * 24 * 3600

// retention validates the spec.
func (r *retentionSpec) retention(path string) (sink.Retention, error) {
	var out sink.Retention
	if r.Compression != nil {
		c, err := checkCompression(path, *r.Compression)
		if err != nil {
			return out, err
		}
		out.Compression = c
	}
	if r.MaxAgeS != nil {
		age, err := checkMaxAge(path, "max_age_s", *r.MaxAgeS, true)
		if err != nil {
			return out, err
		}
		out.MaxAge = age
	}
	return out, nil
}

// checkCompression validates a "compression": "gzip", or "none" (or "")
// for none, which it returns as "".
func checkCompression(path, c string) (string, error) {
	switch c {
	case "gzip":
		return "gzip", nil
	case "none", "":
		return "", nil
	}
	return "", badValue(path+".compression", c, `want "gzip" or "none"`)
}

// checkMaxAge validates an age of backups in seconds, at most maxAgeLimit.
// zeroKeeps says whether 0 is allowed, meaning "keep every backup": so in
// a spec's "max_age_s"; the builders' max_age spells that as absent
// (None), so there 0 is refused (CheckValue's "max_age").
func checkMaxAge(path, field string, v float64, zeroKeeps bool) (time.Duration, error) {
	low := v < 0 || !zeroKeeps && v == 0
	if math.IsNaN(v) || low || v > maxAgeLimit {
		reason := fmt.Sprintf("want seconds greater than 0 and at most %d (about 100 years)", maxAgeLimit)
		if zeroKeeps {
			reason = fmt.Sprintf("want seconds from 0 (keep) to %d", maxAgeLimit)
		}
		return 0, badValue(path+"."+field, v, reason)
	}
	return time.Duration(v * float64(time.Second)), nil
}
