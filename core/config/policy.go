package config

import "femtologging/core"

// decodePolicy validates an optional "policy" field ("drop" by default)
// with core.ParsePolicy. Every queued kind that takes a policy reads it
// here, and so does CheckValue's "policy".
func decodePolicy(path string, v *string) (core.OverflowPolicy, error) {
	if v == nil {
		return core.OverflowPolicy{}, nil
	}
	p, err := core.ParsePolicy(*v)
	if err != nil {
		return core.OverflowPolicy{}, &Error{Path: path + ".policy", Msg: err.Error(), Reason: "want " + core.PolicyForms}
	}
	return p, nil
}
