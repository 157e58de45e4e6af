package core

// Formatter turns a record into the bytes a sink writes, appending to dst.
type Formatter interface {
	Format(dst []byte, rec *Record) ([]byte, error)
}
