package config

import (
	"time"

	"femtologging/core/sink"
)

// retrySpec is the schema of "retry" in the specs of the HTTP-based kinds
// (http, otlp): one schema for one retry policy (sink.RetryPolicy).
type retrySpec struct {
	BaseMS     *int `json:"base_ms"`
	CapMS      *int `json:"cap_ms"`
	DeadlineMS *int `json:"deadline_ms"`
}

// decodeRetry validates a retry schedule, filling what it leaves out from
// def (each kind has its own defaults).
func decodeRetry(path string, spec *retrySpec, def sink.RetryPolicy) (sink.RetryPolicy, error) {
	p := def
	if spec == nil {
		return p, nil
	}
	fields := []struct {
		name string
		v    *int
		dst  *time.Duration
	}{
		{"base_ms", spec.BaseMS, &p.Base},
		{"cap_ms", spec.CapMS, &p.Cap},
		{"deadline_ms", spec.DeadlineMS, &p.Deadline},
	}
	for _, f := range fields {
		d, err := millis(path, f.name, f.v, *f.dst)
		if err != nil {
			return p, err
		}
		*f.dst = d
	}
	if p.Cap < p.Base {
		return p, errorf(path+".cap_ms", "%d: must not be less than base_ms %d", p.Cap.Milliseconds(), p.Base.Milliseconds())
	}
	return p, nil
}
