package config

import (
	"fmt"

	"femtologging/core"
	"femtologging/core/sink"
)

// DefaultFlushInterval is the default number of records between flushes
// of a file handler's write buffer.
const DefaultFlushInterval = 1

// fileSpec is the schema of {"kind": "file"}; rotating files add to it.
type fileSpec struct {
	formattedSpec
	Path          *string `json:"path"`
	FlushInterval *int    `json:"flush_interval"`
	Policy        *string `json:"policy"`
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
	return buildFileHandlerWith(env, path, kind, spec, opts, func(p string, o sink.FileOptions) (core.Sink, error) {
		return sink.OpenRotatingFile(p, o)
	})
}

// buildFileHandlerWith is buildFileHandler with the sink's open function
// chosen by the kind (rotation by time, or with retention).
func buildFileHandlerWith(env Env, path, kind string, spec *fileSpec, opts sink.FileOptions,
	open func(string, sink.FileOptions) (core.Sink, error)) (Built, error) {
	if spec.Path == nil || *spec.Path == "" {
		return Built{}, errorf(path+".path", "missing: want the path of the log file")
	}
	q, err := spec.settings(env, path)
	if err != nil {
		return Built{}, err
	}
	if err := positive(path, "flush_interval", spec.FlushInterval); err != nil {
		return Built{}, err
	}
	policy, err := decodePolicy(path, spec.Policy)
	if err != nil {
		return Built{}, err
	}
	format, err := decodeFormatter(env, path+".formatter", spec.Formatter)
	if err != nil {
		return Built{}, err
	}
	opts.Diagnostics = env.Diagnostics
	s, err := open(*spec.Path, opts)
	if err != nil {
		return Built{}, fmt.Errorf("%s.path: %w", path, err)
	}
	return startHandler(path, kind, q, core.QueuedHandlerOptions{
		Name:        kind + " " + *spec.Path,
		Policy:      policy,
		FlushEvery:  orDefault(spec.FlushInterval, DefaultFlushInterval),
		Diagnostics: env.Diagnostics,
	}, format, s)
}
