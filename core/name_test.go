package core

import (
	"errors"
	"testing"
	"unicode/utf8"
)

func TestValidateName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"app", true},
		{"api.v1", true},
		{"root", true},
		{"", false},
		{".app", false},
		{"app.", false},
		{"a..b", false},
		{".", false},
		{"a\x00b", false},
		{"a\nb", false},
		{"tab\there", false},
		{"esc\x1b[31m", false},
		{"del\x7f", false},
		{"c1\u0085", false},
		{"bad\xffutf8", false},
		{"surrogate\xed\xa0\x80", false},
		{"caf\u00e9.\u65e5\u672c", true},
		{"emoji\U0001F600", true},
		{"replacement\uFFFD", true},
		{"back\\slash", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateName(tt.name)
			if tt.ok != (err == nil) {
				t.Fatalf("got %v, want ok=%v", err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrInvalidName) {
				t.Fatalf("got %v, want ErrInvalidName", err)
			}
		})
	}
}

func TestValidateNameSaysWhatIsWrong(t *testing.T) {
	tests := []struct{ name, want string }{
		{"a\x00b", `invalid logger name "a\x00b": must not contain NUL (U+0000) (at byte 1)`},
		{"a\nb", `invalid logger name "a\nb": must not contain control character U+000A (at byte 1)`},
		{"x\xff", `invalid logger name "x\xff": not valid UTF-8 at byte 1`},
	}
	for _, tt := range tests {
		if got := ValidateName(tt.name); got == nil || got.Error() != tt.want {
			t.Fatalf("ValidateName(%q): got %v, want %s", tt.name, got, tt.want)
		}
	}
}

func TestParentName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a.b.c", "a.b"},
		{"a", RootName},
		{RootName, ""},
	}
	for _, tt := range tests {
		if got := parentName(tt.in); got != tt.want {
			t.Fatalf("parentName(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzValidateName(f *testing.F) {
	for _, s := range []string{"a.b", "", ".a", "a..b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ValidateName(s) == nil && !utf8.ValidString(s) {
			t.Fatalf("valid name %q is not UTF-8", s)
		}
		if ValidateName(s) == nil && s != RootName {
			if p := parentName(s); p == "" {
				t.Fatalf("valid name %q has no parent", s)
			}
		}
	})
}
