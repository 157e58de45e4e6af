module femtologging

go 1.26.0

require (
	github.com/vmihailenco/msgpack/v5 v5.4.1
	go.opentelemetry.io/proto/otlp v1.11.1
	google.golang.org/protobuf v1.36.12
	gopkg.in/ini.v1 v1.68.0
)

require github.com/vmihailenco/tagparser/v2 v2.0.0 // indirect
