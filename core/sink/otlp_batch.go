package sink

import (
	"sort"

	"google.golang.org/protobuf/encoding/protowire"

	"femtologging/core/otlpwire"
)

// Field numbers of the request messages (collector/logs/v1 and
// resource/v1). ExportLogsServiceRequest has the same encoding as
// logs.v1.LogsData: one repeated ResourceLogs field.
const (
	reqResourceLogs   protowire.Number = 1
	rlResource        protowire.Number = 1
	rlScopeLogs       protowire.Number = 2
	resourceAttribute protowire.Number = 1
)

// otlpBatch gathers encoded records (encode.OTLPFormatter envelopes) into one
// ExportLogsServiceRequest: one ResourceLogs for the handler's resource,
// one ScopeLogs per logger name, in the order the names first appear.
// Records of one logger keep their order.
type otlpBatch struct {
	resource []byte // the encoded Resource message
	scopes   map[string]*otlpScope
	order    []*otlpScope
	last     *otlpScope // the scope of the previous record: usually the next one's
	records  int
	size     int // bytes of log_records fields held
}

// otlpScope holds the records of one instrumentation scope.
type otlpScope struct {
	name    string
	records []byte // concatenated log_records fields
}

// maxIdleScopes bounds the scopes a batch keeps for reuse between
// requests, so short-lived logger names do not pin memory.
const maxIdleScopes = 256

func newOTLPBatch(resource []byte) *otlpBatch {
	return &otlpBatch{resource: resource, scopes: map[string]*otlpScope{}}
}

// add appends one envelope; it reports false for one that is malformed.
func (b *otlpBatch) add(envelope []byte) bool {
	name, field, ok := otlpwire.SplitEnvelope(envelope)
	if !ok {
		return false
	}
	s := b.last
	if s == nil || s.name != string(name) {
		s = b.scopes[string(name)]
		if s == nil {
			s = &otlpScope{name: string(name)}
			b.scopes[s.name] = s
		}
		if len(s.records) == 0 {
			b.order = append(b.order, s)
		}
		b.last = s
	}
	s.records = append(s.records, field...)
	b.records++
	b.size += len(field)
	return true
}

// reset empties the batch, keeping buffers for the next one.
func (b *otlpBatch) reset() {
	for _, s := range b.order {
		s.records = s.records[:0]
	}
	b.order = b.order[:0]
	b.last = nil
	b.records, b.size = 0, 0
	if len(b.scopes) > maxIdleScopes {
		clear(b.scopes)
	}
}

// encode appends the ExportLogsServiceRequest for the batch to dst.
func (b *otlpBatch) encode(dst []byte) []byte {
	scopeSizes := make([]int, len(b.order))
	rl := fieldSize(rlResource, len(b.resource))
	for i, s := range b.order {
		scopeSizes[i] = fieldSize(otlpwire.ScopeLogsScope, scopeSize(s.name)) + len(s.records)
		rl += fieldSize(rlScopeLogs, scopeSizes[i])
	}
	dst = protowire.AppendTag(dst, reqResourceLogs, protowire.BytesType)
	dst = protowire.AppendVarint(dst, uint64(rl))
	dst = protowire.AppendTag(dst, rlResource, protowire.BytesType)
	dst = protowire.AppendBytes(dst, b.resource)
	for i, s := range b.order {
		dst = protowire.AppendTag(dst, rlScopeLogs, protowire.BytesType)
		dst = protowire.AppendVarint(dst, uint64(scopeSizes[i]))
		dst = protowire.AppendTag(dst, otlpwire.ScopeLogsScope, protowire.BytesType)
		dst = protowire.AppendVarint(dst, uint64(scopeSize(s.name)))
		if s.name != "" {
			dst = otlpwire.AppendStringField(dst, otlpwire.ScopeName, otlpwire.ValidUTF8(s.name))
		}
		dst = append(dst, s.records...)
	}
	return dst
}

// scopeSize is the encoded size of an InstrumentationScope named name.
func scopeSize(name string) int {
	if name == "" {
		return 0
	}
	return fieldSize(otlpwire.ScopeName, len(otlpwire.ValidUTF8(name)))
}

// fieldSize is the encoded size of a length-delimited field of n bytes.
func fieldSize(num protowire.Number, n int) int {
	return protowire.SizeTag(num) + protowire.SizeBytes(n)
}

// EncodeResource encodes a Resource message with string attributes,
// sorted by key so that the same settings give the same bytes.
func EncodeResource(attrs map[string]string) []byte {
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b []byte
	for _, k := range keys {
		b = otlpwire.AppendKeyValue(b, resourceAttribute, k, attrs[k])
	}
	return b
}
