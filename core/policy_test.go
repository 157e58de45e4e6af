package core

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParsePolicy(t *testing.T) {
	tests := []struct {
		in   string
		want OverflowPolicy
		err  bool
	}{
		{"drop", OverflowPolicy{Kind: PolicyDrop}, false},
		{"block", OverflowPolicy{Kind: PolicyBlock}, false},
		{"timeout:250", OverflowPolicy{Kind: PolicyTimeout, Timeout: 250 * time.Millisecond}, false},
		{"timeout:0", OverflowPolicy{}, true},
		{"timeout:-1", OverflowPolicy{}, true},
		{"timeout:", OverflowPolicy{}, true},
		{"timeout:86400000", OverflowPolicy{Kind: PolicyTimeout, Timeout: 24 * time.Hour}, false},
		{"timeout:86400001", OverflowPolicy{}, true},
		{"Drop", OverflowPolicy{}, true},
		{"", OverflowPolicy{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParsePolicy(tt.in)
			if tt.err {
				if !errors.Is(err, ErrInvalidPolicy) {
					t.Fatalf("got %v, want ErrInvalidPolicy", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %v, %v, want %v", got, err, tt.want)
			}
			if got.String() != tt.in {
				t.Fatalf("String: got %q, want %q", got.String(), tt.in)
			}
		})
	}
}

// The message's bound is the one ParsePolicy applies.
func TestPolicyFormsNameTheBound(t *testing.T) {
	bound := strconv.FormatInt(maxPolicyTimeout.Milliseconds(), 10)
	if !strings.Contains(PolicyForms, "from 1 to "+bound+" ") {
		t.Fatalf("got %q, want the bound %s in it", PolicyForms, bound)
	}
	_, err := ParsePolicy("timeout:" + bound + "1")
	if err == nil || !strings.HasSuffix(err.Error(), ": want "+PolicyForms) {
		t.Fatalf("got %v, want the forms in the message", err)
	}
}

func TestPolicyStronger(t *testing.T) {
	drop := OverflowPolicy{}
	block := OverflowPolicy{Kind: PolicyBlock}
	short := OverflowPolicy{Kind: PolicyTimeout, Timeout: time.Millisecond}
	if got := drop.stronger(short); got != short {
		t.Fatalf("got %v, want %v", got, short)
	}
	if got := short.stronger(block); got != block {
		t.Fatalf("got %v, want %v", got, block)
	}
	if got := block.stronger(drop); got != block {
		t.Fatalf("got %v, want %v", got, block)
	}
}

func FuzzParsePolicy(f *testing.F) {
	for _, s := range []string{"drop", "block", "timeout:5", "timeout:x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePolicy(s)
		if err != nil {
			return
		}
		again, err := ParsePolicy(p.String())
		if err != nil || again != p {
			t.Fatalf("round trip of %q: got %v, %v", s, again, err)
		}
	})
}
