package sink

import (
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
)

// errAbandoned is returned by gzipFile when the sink closes meanwhile.
var errAbandoned = errors.New("compression abandoned: the handler closed")

// gzipFile compresses src into tmp and makes tmp durable (fsync), keeping
// src's modification time so that age-based deletion still sees when the
// backup was made. It checks stop between chunks, so closing a handler
// never waits for a large file. On any failure tmp is removed; src is
// never touched here.
func gzipFile(src *os.File, info os.FileInfo, tmp string, stop <-chan struct{}) (err error) {
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			out.Close()
			os.Remove(tmp)
		}
	}()
	zw, err := gzip.NewWriterLevel(out, gzip.DefaultCompression)
	if err != nil {
		return err
	}
	zw.Name = filepath.Base(src.Name())
	zw.ModTime = info.ModTime()
	buf := make([]byte, 256<<10)
	for {
		select {
		case <-stop:
			return errAbandoned
		default:
		}
		n, rerr := src.Read(buf)
		if n > 0 {
			if _, err := zw.Write(buf[:n]); err != nil {
				return err
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return rerr
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := out.Sync(); err != nil {
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Chtimes(tmp, info.ModTime(), info.ModTime())
}

// syncDir makes renames and removals in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
