package config

import (
	"fmt"

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
// by size (see checkRotation).
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
	if err := checkRotation(path, maxBytes, backups); err != nil {
		return Built{}, err
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

// rotationReason is why a half-set rotation pair is refused.
const rotationReason = "needs both greater than zero, or both zero to turn it off"

// checkRotation validates a size rotation: on when max_bytes and
// backup_count are both > 0, off when both are 0 (or absent); a negative
// or half-set pair is an error (one backup kept of nothing, or a size
// limit with nowhere to roll to, is always a mistake).
func checkRotation(path string, maxBytes int64, backups int) error {
	if err := nonNegative(path, "max_bytes", maxBytes); err != nil {
		return err
	}
	if err := nonNegative(path, "backup_count", backups); err != nil {
		return err
	}
	if (maxBytes > 0) != (backups > 0) {
		return &Error{Path: path, Reason: rotationReason,
			Msg: fmt.Sprintf("max_bytes %d and backup_count %d: rotation %s", maxBytes, backups, rotationReason)}
	}
	return nil
}
