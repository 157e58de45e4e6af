package config

import (
	"encoding/json"
	"fmt"
	"time"

	"femtologging/core"
	"femtologging/core/sink"
)

// DefaultFlushInterval is the default number of records between flushes
// of a file handler's write buffer.
const DefaultFlushInterval = 1

// fileSpec is the schema of {"kind": "file"}; rotating files add to it.
type fileSpec struct {
	Kind           string          `json:"kind"`
	Path           *string         `json:"path"`
	Capacity       *int            `json:"capacity"`
	FlushInterval  *int            `json:"flush_interval"`
	Policy         *string         `json:"policy"`
	FlushTimeoutMS *int            `json:"flush_timeout_ms"`
	Formatter      json.RawMessage `json:"formatter"`
}

func init() { handlerBuilders["file"] = buildFile }

// buildFile builds a handler appending to a file.
func buildFile(env Env, path string, doc []byte) (Built, error) {
	var spec fileSpec
	if err := decodeStrict(path, doc, &spec); err != nil {
		return Built{}, err
	}
	return buildFileHandler(env, path, "file", &spec, sink.FileOptions{})
}

// buildFileHandler validates the fields common to file kinds, opens the
// sink and starts the handler. A failed open is returned as the
// *fs.PathError itself (prefixed with the JSON path), so the C API reports
// FEMTOLOG_ERR_IO with its errno rather than a configuration error.
func buildFileHandler(env Env, path, kind string, spec *fileSpec, opts sink.FileOptions) (Built, error) {
	if spec.Path == nil || *spec.Path == "" {
		return Built{}, errorf(path+".path", "missing: want the path of the log file")
	}
	for _, f := range []struct {
		name string
		v    *int
	}{{"capacity", spec.Capacity}, {"flush_interval", spec.FlushInterval}, {"flush_timeout_ms", spec.FlushTimeoutMS}} {
		if err := positive(path, f.name, f.v); err != nil {
			return Built{}, err
		}
	}
	policy := core.OverflowPolicy{}
	if spec.Policy != nil {
		p, err := core.ParsePolicy(*spec.Policy)
		if err != nil {
			return Built{}, errorf(path+".policy", "%v", err)
		}
		policy = p
	}
	format, err := decodeFormatter(env, path+".formatter", spec.Formatter)
	if err != nil {
		return Built{}, err
	}
	opts.Diagnostics = env.Diagnostics
	s, err := sink.OpenRotatingFile(*spec.Path, opts)
	if err != nil {
		return Built{}, fmt.Errorf("%s.path: %w", path, err)
	}
	h, err := core.NewQueuedHandler(core.QueuedHandlerOptions{
		Name:        kind + " " + *spec.Path,
		Capacity:    orDefault(spec.Capacity, DefaultCapacity),
		Policy:      policy,
		FlushEvery:  orDefault(spec.FlushInterval, DefaultFlushInterval),
		Diagnostics: env.Diagnostics,
	}, format, s)
	if err != nil {
		s.Close()
		return Built{}, errorf(path, "%v", err)
	}
	return Built{
		Handler:      h,
		Kind:         kind,
		FlushTimeout: time.Duration(orDefault(spec.FlushTimeoutMS, int(DefaultFlushTimeout/time.Millisecond))) * time.Millisecond,
	}, nil
}
