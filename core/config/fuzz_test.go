package config

import (
	"encoding/json"
	"errors"
	"testing"
)

// FuzzConfigDecode checks that no document makes the decoder panic, and
// that every rejection is a path-prefixed ErrInvalid.
func FuzzConfigDecode(f *testing.F) {
	seeds := []string{
		`{"version":1,"root":{}}`,
		`{"version":1,"root":{"level":"INFO","handlers":["h"]},"handlers":{"h":{"kind":"stream"}}}`,
		`{"version":1,"root":{},"filters":{"f":{"kind":"level","max_level":30}},"loggers":{"a.b":{"filters":["f"],"propagate":false}}}`,
		`{"version":1,"root":{},"handlers":{"h":{"handle":3}},"default_level":"debug","disable_existing_loggers":true}`,
		`{"version":2}`, `[]`, `null`, `{"version":1,"root":{"level":"NOTSET"}}`,
		`{"version":1,"Root":{}}`, `{"version":1,"root":{"LEVEL":"INFO"}}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := DecodeDocument(data)
		var cfgErr *Error
		if err != nil && (!errors.Is(err, ErrInvalid) || !errors.As(err, &cfgErr) || cfgErr.Path == "" || cfgErr.Path[0] != '$') {
			t.Fatalf("got %v, want a path-prefixed ErrInvalid", err)
		}
	})
}

// FuzzINITranslate checks that no INI text makes the translator panic, and
// that what it accepts is valid JSON of the dictConfig schema.
func FuzzINITranslate(f *testing.F) {
	f.Add([]byte(sampleINI), "name", "x")
	f.Add([]byte("[loggers]\nkeys=root\n[logger_root]\nlevel=%(lv)s\n"), "lv", "INFO")
	f.Add([]byte("[formatter_a]\n"), "", "")
	f.Fuzz(func(t *testing.T, data []byte, key, value string) {
		out, err := TranslateINI(data, map[string]string{key: value}, true)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("got %v, want ErrInvalid", err)
			}
			return
		}
		var dc DictConfig
		if err := json.Unmarshal(out, &dc); err != nil {
			t.Fatalf("output %q: %v", out, err)
		}
	})
}
