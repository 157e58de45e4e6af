package core

// Record is one log event as it travels from a logger to its handlers.
//
// Logger and ThreadName point at strings owned by the logger and the thread
// registry, so filling a record never allocates for them; Message is a
// buffer owned by the queue slot that holds the record and is reused, which
// is why a handler must copy what it keeps beyond its Handle call.
type Record struct {
	Logger     string
	Level      Level
	Message    []byte
	TimeNs     int64
	ThreadID   uint64
	ThreadName string
	// Caller information and key/values are optional: the Python API does
	// not fill them yet, but socket frames carry them.
	Filename   string
	LineNumber uint32
	ModulePath string
	KeyValues  []KeyValue
}

// KeyValue is one structured field of a record.
type KeyValue struct {
	Key   string
	Value string
}

// CopyFrom makes r a deep copy of src, reusing r's message buffer.
func (r *Record) CopyFrom(src *Record) {
	msg := append(r.Message[:0], src.Message...)
	kv := r.KeyValues[:0]
	kv = append(kv, src.KeyValues...)
	*r = *src
	r.Message = msg
	r.KeyValues = kv
}

// maxRetainedMessage bounds the message buffer a queue slot keeps for
// reuse. Slots recycle their buffers so that steady logging does not
// allocate, but a burst of large messages must not pin (slots x largest
// message) bytes for the life of the process.
const maxRetainedMessage = 64 << 10

// releaseLarge drops the message buffer when it is too large to keep; the
// slot allocates a fresh one the next time it is filled.
func (r *Record) releaseLarge() {
	if cap(r.Message) > maxRetainedMessage {
		r.Message = nil
	}
}

// ThreadInfo identifies the thread that logged a record. Callers register a
// thread once and pass the same *ThreadInfo with every record, so the name
// is never copied per record.
type ThreadInfo struct {
	ID   uint64
	Name string
}
