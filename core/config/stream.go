package config

import (
	"femtologging/core"
	"femtologging/core/sink"
)

// streamSpec is the schema of {"kind": "stream"}.
type streamSpec struct {
	formattedSpec
	Target *string `json:"target"`
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
	q, err := spec.settings(env, path)
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
	return startHandler(path, "stream", q, core.QueuedHandlerOptions{
		Name:        "stream " + target,
		Diagnostics: env.Diagnostics,
	}, format, s)
}

// OpenStdStream opens "stdout" or "stderr": descriptor 1 or 2 as it is
// at each write, so later redirections are followed.
func OpenStdStream(target string) (core.Sink, error) {
	if target == "stdout" {
		return sink.NewStdStream(1)
	}
	return sink.NewStdStream(2)
}
