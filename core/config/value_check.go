package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"femtologging/core"
	"femtologging/core/sink"
)

// ErrUnknownSetting reports a setting name CheckValue has no rule for.
var ErrUnknownSetting = errors.New("unknown setting")

// valueRule checks one setting's value (JSON) at path "$" and returns its
// canonical form. Each calls the function the decoder applies to that
// field, so a value is judged the same way by a front end's setter and by
// femtolog_handler_create or femtolog_config_apply.
type valueRule func(raw []byte) (any, error)

// valueRules are CheckValue's settings, named as the configuration schema
// names the fields (docs/config-schema.md), plus "rotation" (the
// rotating_file pair), "max_age" (the builders' max_age, where absent
// keeps every backup, so 0 is refused) and "positive" (any integer setting
// whose only rule is to be greater than zero). It is filled once and only
// read afterwards.
var valueRules = map[string]valueRule{
	"policy": func(raw []byte) (any, error) {
		s, err := decodeValue[string](raw, "policy", "want "+core.PolicyForms)
		if err != nil {
			return nil, err
		}
		p, err := decodePolicy("$", &s)
		if err != nil {
			return nil, err
		}
		return canonicalPolicy(p), nil
	},
	"capacity": intRule("capacity", func(v int) error {
		_, err := queueCapacity("$", &v)
		return err
	}),
	"flush_interval": intRule("flush_interval", func(v int) error { return positive("$", "flush_interval", &v) }),
	"flush_timeout_ms": intRule("flush_timeout_ms", func(v int) error {
		_, err := millis("$", "flush_timeout_ms", &v, DefaultFlushTimeout)
		return err
	}),
	"positive":     intRule("positive", func(v int) error { return positive("$", "positive", &v) }),
	"interval":     intRule("interval", func(v int) error { return positive("$", "interval", &v) }),
	"backup_count": intRule("backup_count", func(v int) error { return nonNegative("$", "backup_count", v) }),
	// The HTTP handler's batch_delay_ms (0: send at once).
	"batch_delay_ms": intRule("batch_delay_ms", func(v int) error { return nonNegative("$", "batch_delay_ms", v) }),
	"max_bytes": func(raw []byte) (any, error) {
		v, err := decodeValue[int64](raw, "max_bytes", "want an integer")
		if err != nil {
			return nil, err
		}
		return v, nonNegative("$", "max_bytes", v)
	},
	"rotation": func(raw []byte) (any, error) {
		var pair struct {
			MaxBytes    *int64 `json:"max_bytes"`
			BackupCount *int   `json:"backup_count"`
		}
		const want = `want {"max_bytes": N, "backup_count": N}`
		if err := decodeStrict("$", raw, &pair); err != nil || pair.MaxBytes == nil || pair.BackupCount == nil {
			return nil, &Error{Path: "$", Msg: want, Reason: want}
		}
		return pair, checkRotation("$", *pair.MaxBytes, *pair.BackupCount)
	},
	"compression": func(raw []byte) (any, error) {
		s, err := decodeValue[string](raw, "compression", `want "gzip" or "none"`)
		if err != nil {
			return nil, err
		}
		c, err := checkCompression("$", s)
		if c == "" {
			c = "none"
		}
		return c, err
	},
	"max_age_s": maxAgeRule("max_age_s", true),
	"max_age":   maxAgeRule("max_age", false),
	"when": func(raw []byte) (any, error) {
		s, err := decodeValue[string](raw, "when", "want "+sink.WhenForms)
		if err != nil {
			return nil, err
		}
		return checkWhen("$", s)
	},
	"at_time": func(raw []byte) (any, error) {
		s, err := decodeValue[string](raw, "at_time", `want a time of day "HH:MM:SS" or "HH:MM"`)
		if err != nil {
			return nil, err
		}
		d, err := checkAtTime("$", s)
		if err != nil {
			return nil, err
		}
		secs := int(d.Seconds())
		return fmt.Sprintf("%02d:%02d:%02d", secs/3600, secs/60%60, secs%60), nil
	},
}

// CheckValue validates one setting's value, given as JSON, with the rule
// the configuration decoder applies to that field, and returns the value's
// canonical form as JSON: for "policy" {"policy": "timeout:250", "kind":
// "timeout", "timeout_ms": 250}, for "when" the unit in upper case, for
// "at_time" "HH:MM:SS", for "compression" "gzip" or "none", otherwise the
// value itself. A value that breaks the rule gives an error wrapping
// ErrInvalid whose message is the rule's reason alone, without the value
// (front ends show the value in their own notation): it starts with
// "want " followed by the valid forms, or with "must " and the bound the
// value is outside. For "rotation", the reason of a field's own rule is
// led by the field's name ("max_bytes: must not be negative"). An unknown
// name gives ErrUnknownSetting.
func CheckValue(name string, value []byte) ([]byte, error) {
	rule, ok := valueRules[name]
	if !ok {
		return nil, fmt.Errorf("%w %q: want one of %s", ErrUnknownSetting, name, valueNames())
	}
	canonical, err := rule(value)
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			return nil, err
		}
		msg := e.Reason
		if msg == "" {
			msg = e.Msg
		}
		if name == "rotation" && e.Path != "$" {
			msg = strings.TrimPrefix(e.Path, "$.") + ": " + msg
		}
		return nil, &Error{Path: name, Msg: msg, Reason: msg}
	}
	return json.Marshal(canonical)
}

// valueNames lists CheckValue's settings, sorted and quoted.
func valueNames() string {
	names := make([]string, 0, len(valueRules))
	for n := range valueRules {
		names = append(names, n)
	}
	sortStrings(names)
	return `"` + strings.Join(names, `", "`) + `"`
}

// decodeValue decodes a setting's JSON value as a T; want is the reason
// given when it is not one (null included: a setting checked is a setting
// given).
func decodeValue[T any](raw []byte, field, want string) (T, error) {
	var v T
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return v, &Error{Path: "$." + field, Msg: "null: " + want, Reason: want}
	}
	if err := decodeStrict("$."+field, raw, &v); err != nil {
		return v, &Error{Path: "$." + field, Msg: err.Error(), Reason: want}
	}
	return v, nil
}

// intRule is the rule of an integer setting, checked by check.
func intRule(field string, check func(int) error) valueRule {
	return func(raw []byte) (any, error) {
		v, err := decodeValue[int](raw, field, "want an integer")
		if err != nil {
			return nil, err
		}
		return v, check(v)
	}
}

// maxAgeRule is the rule of a backup age in seconds (see checkMaxAge).
func maxAgeRule(field string, zeroKeeps bool) valueRule {
	return func(raw []byte) (any, error) {
		v, err := decodeValue[float64](raw, field, "want a number of seconds")
		if err != nil {
			return nil, err
		}
		_, err = checkMaxAge("$", field, v, zeroKeeps)
		return v, err
	}
}

// canonicalPolicy is the JSON form of a policy CheckValue returns, so that
// front ends need not parse the grammar again.
func canonicalPolicy(p core.OverflowPolicy) any {
	out := struct {
		Policy    string `json:"policy"`
		Kind      string `json:"kind"`
		TimeoutMS *int64 `json:"timeout_ms"`
	}{Policy: p.String(), Kind: p.String()}
	if p.Kind == core.PolicyTimeout {
		ms := p.Timeout.Milliseconds()
		out.Kind, out.TimeoutMS = "timeout", &ms
	}
	return out
}
