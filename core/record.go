package core

// Record is one log event as it travels from a logger to its handlers.
//
// Logger and ThreadName point at strings owned by the logger and the thread
// registry, so filling a record never allocates for them; Message, ExcText
// and StackText are buffers owned by the queue slot that holds the record
// and are reused, which is why a handler must copy what it keeps beyond its
// Handle call.
//
// The fields after ThreadName are the record's details (issue 11). A plain
// log call leaves them empty; they are filled by Logger.LogEx from a
// RecordDetails. Handlers that consume them (syslog, OTLP, socket frames,
// the format-string and JSON formatters) read:
//   - the caller fields (Pathname .. FuncName), present only when HasCaller
//     is true: a caller is captured only when some reachable formatter asks
//     for it (see CallerWanter);
//   - ExcText, the exception text exactly as Python's
//     traceback.format_exception renders it (no trailing newline), or
//     empty;
//   - StackText, "Stack (most recent call last):\n" and the stack, as
//     stdlib's stack_info, or empty;
//   - KeyValues, the structured fields (extra= and log_context), in the
//     order given, values typed.
type Record struct {
	Logger string
	Level  Level
	// detailed is set while some detail field holds a value that reusing a
	// queue slot for a plain record must clear. It sits beside the fields
	// every record fills, so a plain record touches no other cache line.
	detailed   bool
	Message    []byte
	TimeNs     int64 // wall-clock time, nanoseconds since the Unix epoch
	ThreadID   uint64
	ThreadName string

	// HasCaller reports that the caller fields below were captured.
	HasCaller bool
	// Pathname is the full path of the caller's source file (stdlib
	// pathname).
	Pathname string
	// Filename is the base name of Pathname (stdlib filename).
	Filename string
	// ModulePath is Filename without its extension (stdlib module); the
	// socket frame key is "module_path".
	ModulePath string
	// FuncName is the caller's function name (stdlib funcName).
	FuncName string
	// LineNumber is the caller's line (stdlib lineno).
	LineNumber uint32

	// ExcText is the rendered exception (stdlib exc_text), or empty.
	ExcText []byte
	// StackText is the rendered stack (stdlib stack_info), or empty.
	StackText []byte
	// KeyValues are the record's structured fields, in order.
	KeyValues []KeyValue
}

// CopyFrom makes r a deep copy of src, reusing r's buffers.
func (r *Record) CopyFrom(src *Record) {
	msg := append(r.Message[:0], src.Message...)
	// Every field is copied, flag or not: handlers and tests build records
	// directly, setting detail fields without setDetails.
	exc := append(r.ExcText[:0], src.ExcText...)
	stack := append(r.StackText[:0], src.StackText...)
	kv := append(r.KeyValues[:0], src.KeyValues...)
	*r = *src
	r.Message, r.ExcText, r.StackText, r.KeyValues = msg, exc, stack, kv
}

// clearDetails empties the detail fields, keeping the buffers.
func (r *Record) clearDetails() {
	r.HasCaller = false
	r.Pathname, r.Filename, r.ModulePath, r.FuncName, r.LineNumber = "", "", "", "", 0
	r.ExcText, r.StackText = r.ExcText[:0], r.StackText[:0]
	clear(r.KeyValues) // the value strings would stay reachable
	r.KeyValues = r.KeyValues[:0]
	r.releaseLargeDetails()
	r.detailed = false
}

// setDetails copies d into r (d may be nil: no details).
func (r *Record) setDetails(d *RecordDetails) {
	r.clearDetails()
	if d == nil {
		return
	}
	r.detailed = true
	if d.TimeNs != 0 {
		r.TimeNs = d.TimeNs
	}
	if d.HasCaller {
		r.HasCaller = true
		r.Pathname, r.Filename, r.ModulePath, r.FuncName = d.Pathname, d.Filename, d.Module, d.FuncName
		r.LineNumber = d.LineNumber
	}
	r.ExcText = append(r.ExcText, d.ExcText...)
	r.StackText = append(r.StackText, d.StackText...)
	r.KeyValues = append(r.KeyValues, d.KeyValues...)
}

// SetDetails fills the detail fields of r from d (nil clears them). It is
// for handlers and tests that build records directly.
func (r *Record) SetDetails(d *RecordDetails) { r.setDetails(d) }

// RecordDetails is what a rich log call adds to a plain one: the caller,
// exception and stack text, and key-values. Its byte slices are borrowed
// for the call (they are copied into the queue slot).
type RecordDetails struct {
	// TimeNs overrides the record's time when not 0.
	TimeNs int64
	// HasCaller reports that the caller fields are set.
	HasCaller  bool
	Pathname   string
	Filename   string
	Module     string
	FuncName   string
	LineNumber uint32
	ExcText    []byte
	StackText  []byte
	KeyValues  []KeyValue
}

// maxRetainedMessage bounds the message buffer a queue slot keeps for
// reuse. Slots recycle their buffers so that steady logging does not
// allocate, but a burst of large messages must not pin (slots x largest
// message) bytes for the life of the process.
const maxRetainedMessage = 64 << 10

// releaseLarge drops the buffers that are too large to keep; the slot
// allocates fresh ones the next time it is filled.
func (r *Record) releaseLarge() {
	if cap(r.Message) > maxRetainedMessage {
		r.Message = nil
	}
	if r.detailed { // clearDetails drops large detail buffers itself
		r.releaseLargeDetails()
	}
}

func (r *Record) releaseLargeDetails() {
	if cap(r.ExcText) > maxRetainedMessage {
		r.ExcText = nil
	}
	if cap(r.StackText) > maxRetainedMessage {
		r.StackText = nil
	}
}

// ThreadInfo identifies the thread that logged a record. Callers register a
// thread once and pass the same *ThreadInfo with every record, so the name
// is never copied per record.
type ThreadInfo struct {
	ID   uint64
	Name string
}

// CallerWanter is implemented by handlers and formatters that use the
// caller fields. A logger whose dispatch list holds one asks hosts that can
// capture a caller (Python) for it: see ErrNeedCaller.
type CallerWanter interface {
	WantsCaller() bool
}

// wantsCaller reports whether v uses the caller fields.
func wantsCaller(v any) bool {
	w, ok := v.(CallerWanter)
	return ok && w.WantsCaller()
}
