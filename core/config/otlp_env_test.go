package config

import (
	"maps"
	"strings"
	"testing"
)

func TestParseKeyValueList(t *testing.T) {
	tests := []struct {
		in   string
		want map[string]string
		err  string
	}{
		{"", map[string]string{}, ""},
		{"a=1", map[string]string{"a": "1"}, ""},
		{" a = 1 , b=2,,", map[string]string{"a": "1", "b": "2"}, ""},
		{"k=a%2Cb%3Dc%20d", map[string]string{"k": "a,b=c d"}, ""},
		{"k=x=y", map[string]string{"k": "x=y"}, ""},
		{"k=", map[string]string{"k": ""}, ""},
		{"a=1,a=2", map[string]string{"a": "2"}, ""},
		{"k=a+b", map[string]string{"k": "a+b"}, ""},
		{"novalue", nil, "entry 1: want key=value"},
		{"a=1,=2", nil, "entry 2: want key=value"},
		{"a=%zz", nil, `entry 1 (key "a"): bad percent-encoding`},
	}
	for _, tt := range tests {
		got, err := parseKeyValueList(tt.in)
		if tt.err != "" {
			if err == nil || !strings.HasPrefix(err.Error(), tt.err) {
				t.Errorf("parseKeyValueList(%q): got %v, want error %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || !maps.Equal(got, tt.want) {
			t.Errorf("parseKeyValueList(%q): got %v, %v, want %v", tt.in, got, err, tt.want)
		}
	}
}

// FuzzParseKeyValueList checks that no environment value crashes the
// parser, that keys come out trimmed and non-empty, and that an error
// never quotes a value (header values are credentials).
func FuzzParseKeyValueList(f *testing.F) {
	for _, seed := range []string{"a=1,b=2", "Authorization=Bearer%20x", "k=%zz", "=", ",,,", "a=b=c"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := parseKeyValueList(in)
		if err != nil {
			for _, item := range strings.Split(in, ",") {
				k, v, ok := strings.Cut(item, "=")
				v = strings.TrimSpace(v)
				if ok && len(v) > 3 && !strings.Contains(k, v) && strings.Contains(err.Error(), v) {
					t.Fatalf("%q: error %q quotes the value %q", in, err, v)
				}
			}
			return
		}
		for k := range got {
			if k == "" || k != strings.TrimSpace(k) || strings.Contains(k, ",") {
				t.Fatalf("%q: key %q not trimmed, empty or holding a comma", in, k)
			}
		}
	})
}
