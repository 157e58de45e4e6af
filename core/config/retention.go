package config

import (
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
		switch *r.Compression {
		case "gzip":
			out.Compression = "gzip"
		case "none", "":
		default:
			return out, errorf(path+".compression", "%q: want \"gzip\" or \"none\"", *r.Compression)
		}
	}
	if r.MaxAgeS != nil {
		v := *r.MaxAgeS
		if math.IsNaN(v) || v < 0 || v > maxAgeLimit {
			return out, errorf(path+".max_age_s", "%v: want seconds from 0 (keep) to %d", v, maxAgeLimit)
		}
		out.MaxAge = time.Duration(v * float64(time.Second))
	}
	return out, nil
}
