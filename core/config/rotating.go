package config

import (
	"femtologging/core"
	"femtologging/core/sink"
)

// rotatingSpec is the schema of {"kind": "rotating_file"}: every field of
// "file" plus the rotation pair.
type rotatingSpec struct {
	fileSpec
	retentionSpec
	MaxBytes    *int64 `json:"max_bytes"`
	BackupCount *int   `json:"backup_count"`
}

func init() { handlerBuilders["rotating_file"] = buildRotatingFile }

// buildRotatingFile builds a handler appending to a file that rolls over
// by size. Rotation is on when max_bytes and backup_count are both > 0;
// both 0 (or absent) turn it off; a negative or half-set pair is an error.
func buildRotatingFile(env Env, path string, doc []byte) (Built, error) {
	var spec rotatingSpec
	if err := decodeStrict(path, doc, &spec); err != nil {
		return Built{}, err
	}
	var maxBytes int64
	var backups int
	if spec.MaxBytes != nil {
		maxBytes = *spec.MaxBytes
	}
	if spec.BackupCount != nil {
		backups = *spec.BackupCount
	}
	switch {
	case maxBytes < 0:
		return Built{}, errorf(path+".max_bytes", "%d: must not be negative", maxBytes)
	case backups < 0:
		return Built{}, errorf(path+".backup_count", "%d: must not be negative", backups)
	case (maxBytes > 0) != (backups > 0):
		return Built{}, errorf(path, "max_bytes %d and backup_count %d: rotation needs both greater than zero, or both zero to turn it off", maxBytes, backups)
	}
	ret, err := spec.retention(path)
	if err != nil {
		return Built{}, err
	}
	return buildFileHandlerWith(env, path, "rotating_file", &spec.fileSpec,
		sink.FileOptions{MaxBytes: maxBytes, BackupCount: backups},
		func(p string, o sink.FileOptions) (core.Sink, error) {
			return sink.OpenRotatingFileRetention(p, o, ret)
		})
}
