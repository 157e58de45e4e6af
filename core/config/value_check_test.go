package config

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"femtologging/core"
)

func TestCheckValue(t *testing.T) {
	tests := []struct {
		setting, value string
		want           string // the canonical JSON, or the error message
		ok             bool
	}{
		{"policy", `"drop"`, `{"policy":"drop","kind":"drop","timeout_ms":null}`, true},
		{"policy", `"block"`, `{"policy":"block","kind":"block","timeout_ms":null}`, true},
		{"policy", `"timeout:250"`, `{"policy":"timeout:250","kind":"timeout","timeout_ms":250}`, true},
		{"policy", `"timeout:0250"`, `{"policy":"timeout:250","kind":"timeout","timeout_ms":250}`, true},
		{"policy", `"timeout:86400000"`, `{"policy":"timeout:86400000","kind":"timeout","timeout_ms":86400000}`, true},
		{"policy", `"timeout:86400001"`, `want "drop", "block" or "timeout:N" with N milliseconds from 1 to 86400000 (a day)`, false},
		{"policy", `"timeout:0"`, `want "drop", "block" or "timeout:N"`, false},
		{"policy", `"Block"`, `want "drop", "block" or "timeout:N"`, false},
		{"policy", `""`, `want "drop", "block" or "timeout:N"`, false},
		{"policy", `5`, `want "drop", "block" or "timeout:N"`, false},
		{"policy", `null`, `want "drop", "block" or "timeout:N"`, false},
		{"capacity", `1`, `1`, true},
		{"capacity", `0`, `must be greater than zero`, false},
		{"capacity", fmt.Sprint(core.MaxQueueCapacity + 1), fmt.Sprintf("must be at most %d", core.MaxQueueCapacity), false},
		{"capacity", `"8"`, `want an integer`, false},
		{"flush_interval", `3`, `3`, true},
		{"flush_interval", `0`, `must be greater than zero`, false},
		{"flush_timeout_ms", `86400000`, `86400000`, true},
		{"flush_timeout_ms", `86400001`, `must be at most 86400000 (a day)`, false},
		{"flush_timeout_ms", `-1`, `must be greater than zero`, false},
		{"batch_delay_ms", `0`, `0`, true},
		{"batch_delay_ms", `-1`, `must not be negative`, false},
		{"positive", `1`, `1`, true},
		{"positive", `0`, `must be greater than zero`, false},
		{"positive", `1.5`, `want an integer`, false},
		{"max_bytes", `0`, `0`, true},
		{"max_bytes", `10000000000`, `10000000000`, true},
		{"max_bytes", `-1`, `must not be negative`, false},
		{"max_bytes", `1e40`, `want an integer`, false},
		{"backup_count", `0`, `0`, true},
		{"backup_count", `-1`, `must not be negative`, false},
		{"rotation", `{"max_bytes":100,"backup_count":3}`, `{"max_bytes":100,"backup_count":3}`, true},
		{"rotation", `{"max_bytes":0,"backup_count":0}`, `{"max_bytes":0,"backup_count":0}`, true},
		{"rotation", `{"max_bytes":100,"backup_count":0}`, `needs both greater than zero, or both zero to turn it off`, false},
		{"rotation", `{"max_bytes":0,"backup_count":3}`, `needs both greater than zero`, false},
		{"rotation", `{"max_bytes":-1,"backup_count":3}`, `max_bytes: must not be negative`, false},
		{"rotation", `{"max_bytes":1,"backup_count":-3}`, `backup_count: must not be negative`, false},
		{"rotation", `{"max_bytes":1}`, `want {"max_bytes": N, "backup_count": N}`, false},
		{"rotation", `[1, 2]`, `want {"max_bytes": N, "backup_count": N}`, false},
		{"compression", `"gzip"`, `"gzip"`, true},
		{"compression", `"none"`, `"none"`, true},
		{"compression", `""`, `"none"`, true},
		{"compression", `"zip"`, `want "gzip" or "none"`, false},
		{"max_age_s", `0`, `0`, true},
		{"max_age_s", `3600.5`, `3600.5`, true},
		{"max_age_s", `-1`, `want seconds from 0 (keep) to 3153600000`, false},
		{"max_age_s", `3153600001`, `want seconds from 0 (keep)`, false},
		{"max_age", `60`, `60`, true},
		{"max_age", `0`, `want seconds greater than 0 and at most 3153600000 (about 100 years)`, false},
		{"max_age", `-1`, `want seconds greater than 0`, false},
		{"max_age", `"1h"`, `want a number of seconds`, false},
		{"when", `"midnight"`, `"MIDNIGHT"`, true},
		{"when", `"w3"`, `"W3"`, true},
		{"when", `"W7"`, `want S, M, H, D, MIDNIGHT or W0-W6 (W0 is Monday)`, false},
		{"when", `"fortnight"`, `want S, M, H, D, MIDNIGHT or W0-W6`, false},
		{"interval", `2`, `2`, true},
		{"interval", `0`, `must be greater than zero`, false},
		{"at_time", `"01:02"`, `"01:02:00"`, true},
		{"at_time", `"23:59:59"`, `"23:59:59"`, true},
		{"at_time", `"25:00"`, `want a time of day "HH:MM:SS" or "HH:MM"`, false},
	}
	for _, tt := range tests {
		t.Run(tt.setting+" "+tt.value, func(t *testing.T) {
			got, err := CheckValue(tt.setting, []byte(tt.value))
			if tt.ok {
				if err != nil || string(got) != tt.want {
					t.Errorf("got %s, %v; want %s", got, err, tt.want)
				}
				return
			}
			if !errors.Is(err, ErrInvalid) || !strings.HasPrefix(err.Error(), tt.setting+": "+tt.want) {
				t.Errorf("got %v; want a config error %q", err, tt.setting+": "+tt.want)
			}
			var e *Error
			if errors.As(err, &e) && e.Msg != e.Reason {
				t.Errorf("got message %q and reason %q; want the reason alone", e.Msg, e.Reason)
			}
		})
	}
}

func TestCheckValueUnknownSetting(t *testing.T) {
	_, err := CheckValue("polciy", []byte(`"drop"`))
	if !errors.Is(err, ErrUnknownSetting) || errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `"polciy": want one of "at_time"`) {
		t.Errorf("got %v; want ErrUnknownSetting listing the names", err)
	}
}

// Each setting's verdict is the decoder's: a value CheckValue accepts
// builds a handler, a value it refuses fails the build at that field with
// the same reason. (max_bytes alone meets the pair rule in a spec: the
// rotation test below covers it.)
func TestCheckValueAgreesWithTheDecoder(t *testing.T) {
	dir := t.TempDir()
	fields := map[string]struct{ kind, field string }{
		"policy":           {"file", "policy"},
		"capacity":         {"file", "capacity"},
		"flush_interval":   {"file", "flush_interval"},
		"positive":         {"file", "flush_interval"},
		"flush_timeout_ms": {"file", "flush_timeout_ms"},
		"backup_count":     {"timed_rotating_file", "backup_count"},
		"compression":      {"rotating_file", "compression"},
		"max_age_s":        {"rotating_file", "max_age_s"},
		"max_age":          {"rotating_file", "max_age_s"},
		"when":             {"timed_rotating_file", "when"},
		"interval":         {"timed_rotating_file", "interval"},
		"at_time":          {"timed_rotating_file", "at_time"},
	}
	values := []string{`"drop"`, `"timeout:5"`, `"timeout:0"`, `"gzip"`, `"zip"`, `"h"`, `"W7"`, `"12:30"`,
		`"24:00"`, `-1`, `0`, `1`, `2.5`, `86400001`, fmt.Sprint(core.MaxQueueCapacity + 1), `3153600001`}
	for setting, at := range fields {
		for _, value := range values {
			if setting == "max_age" && value == "0" {
				continue // absent keeps every backup there: documented above
			}
			t.Run(setting+" "+value, func(t *testing.T) {
				path := filepath.Join(dir, "agree.log")
				spec := fmt.Sprintf(`{"kind":%q,"path":%q,%q:%s}`, at.kind, path, at.field, value)
				b, buildErr := BuildHandler(Env{}, []byte(spec))
				if buildErr == nil {
					if err := b.Handler.Close(5 * time.Second); err != nil {
						t.Fatal(err)
					}
				}
				_, checkErr := CheckValue(setting, []byte(value))
				if (buildErr == nil) != (checkErr == nil) {
					t.Fatalf("spec %s: got build error %v, value check error %v; want the same verdict", spec, buildErr, checkErr)
				}
				var be, ce *Error
				// A value of the wrong JSON type has no reason at the decoder (its
				// message says which type it wants).
				// max_age words its bound for front ends, where absent keeps.
				if setting != "max_age" && buildErr != nil && errors.As(buildErr, &be) && be.Reason != "" &&
					errors.As(checkErr, &ce) && be.Reason != ce.Reason {
					t.Errorf("got build reason %q, value check reason %q; want the same", be.Reason, ce.Reason)
				}
			})
		}
	}
}

func TestCheckValueRotationAgreesWithTheDecoder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pair.log")
	for _, pair := range [][2]int{{0, 0}, {100, 3}, {100, 0}, {0, 3}, {-1, 3}, {100, -1}, {-1, -1}} {
		t.Run(fmt.Sprint(pair), func(t *testing.T) {
			fields := fmt.Sprintf(`"max_bytes":%d,"backup_count":%d`, pair[0], pair[1])
			b, buildErr := BuildHandler(Env{}, []byte(fmt.Sprintf(`{"kind":"rotating_file","path":%q,%s}`, path, fields)))
			if buildErr == nil {
				if err := b.Handler.Close(5 * time.Second); err != nil {
					t.Fatal(err)
				}
			}
			_, checkErr := CheckValue("rotation", []byte("{"+fields+"}"))
			if (buildErr == nil) != (checkErr == nil) {
				t.Fatalf("got build error %v, value check error %v; want the same verdict", buildErr, checkErr)
			}
		})
	}
}

func FuzzCheckValue(f *testing.F) {
	for name := range valueRules {
		for _, v := range []string{`"drop"`, `"timeout:5"`, `0`, `-1`, `{"max_bytes":1,"backup_count":1}`, `"W3"`, `1e400`, `nul`} {
			f.Add(name, v)
		}
	}
	f.Fuzz(func(t *testing.T, name, value string) {
		out, err := CheckValue(name, []byte(value))
		if err == nil && len(out) == 0 {
			t.Fatalf("%s %s: accepted with no canonical form", name, value)
		}
		if err != nil && !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrUnknownSetting) {
			t.Fatalf("%s %s: got %v, want a config error or ErrUnknownSetting", name, value, err)
		}
	})
}
