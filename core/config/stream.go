package config

import (
	"encoding/json"

	"femtologging/core"
	"femtologging/core/sink"
)

// streamSpec is the schema of {"kind": "stream"}.
type streamSpec struct {
	Kind           string          `json:"kind"`
	Target         *string         `json:"target"`
	Capacity       *int            `json:"capacity"`
	FlushTimeoutMS *int            `json:"flush_timeout_ms"`
	Formatter      json.RawMessage `json:"formatter"`
}

func init() { handlerBuilders["stream"] = buildStream }

// buildStream builds a handler writing to stdout or stderr (the default).
func buildStream(env Env, path string, doc []byte) (Built, error) {
	var spec streamSpec
	if err := decodeStrict(path, doc, &spec); err != nil {
		return Built{}, err
	}
	target := "stderr"
	if spec.Target != nil {
		target = *spec.Target
	}
	if target != "stderr" && target != "stdout" {
		return Built{}, errorf(path+".target", "%q: want \"stdout\" or \"stderr\"", target)
	}
	capacity, err := queueCapacity(path, spec.Capacity)
	if err != nil {
		return Built{}, err
	}
	flushTimeout, err := millis(path, "flush_timeout_ms", spec.FlushTimeoutMS, DefaultFlushTimeout)
	if err != nil {
		return Built{}, err
	}
	format, err := decodeFormatter(env, path+".formatter", spec.Formatter)
	if err != nil {
		return Built{}, err
	}
	open := env.OpenStream
	if open == nil {
		open = OpenStdStream
	}
	s, err := open(target)
	if err != nil {
		return Built{}, errorf(path+".target", "%v", err)
	}
	h, err := core.NewQueuedHandler(core.QueuedHandlerOptions{
		Name:        "stream " + target,
		Capacity:    capacity,
		Diagnostics: env.Diagnostics,
	}, format, s)
	if err != nil {
		s.Close()
		return Built{}, errorf(path, "%v", err)
	}
	return Built{
		Handler:      h,
		Kind:         "stream",
		FlushTimeout: flushTimeout,
	}, nil
}

// OpenStdStream opens "stdout" or "stderr" on a duplicated descriptor.
func OpenStdStream(target string) (core.Sink, error) {
	if target == "stdout" {
		return sink.NewStdStream(1)
	}
	return sink.NewStdStream(2)
}
