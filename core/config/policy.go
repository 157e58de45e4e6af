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

// policySpec is the "policy" field of the queued kinds whose callers may
// wait for room in the queue; they embed it.
type policySpec struct {
	Policy *string `json:"policy"`
}

func (p *policySpec) policyField() *string { return p.Policy }

// policyQueued is a queued handler spec that embeds policySpec.
type policyQueued interface {
	queued
	policyField() *string
}

// decodeQueuedPolicy is decodeQueued for a kind that takes a "policy": it
// validates the policy after the queue settings, as every such kind does,
// so that the order of their errors is one rule.
func decodeQueuedPolicy(env Env, path string, doc []byte, spec policyQueued) (queueSettings, core.OverflowPolicy, error) {
	q, err := decodeQueued(env, path, doc, spec)
	if err != nil {
		return queueSettings{}, core.OverflowPolicy{}, err
	}
	policy, err := decodePolicy(path, spec.policyField())
	if err != nil {
		return queueSettings{}, core.OverflowPolicy{}, err
	}
	return q, policy, nil
}
