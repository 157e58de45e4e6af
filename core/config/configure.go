package config

import "femtologging/core"

// Configure applies a whole configuration document to rt: Prepare builds
// its handlers (an {"handle": N} entry names a handler registered with
// rt), then rt.Configure swaps it in. On error nothing has changed, and
// the handlers built for it are closed.
func Configure(rt *core.Runtime, env Env, data []byte) error {
	return rt.Configure(func(lookup func(uint64) (core.Handler, error)) (*core.Configuration, error) {
		p, err := Prepare(DocEnv{Env: env, Handler: lookup}, data)
		if err != nil {
			return nil, err
		}
		c := &core.Configuration{Plan: p.Plan, Existing: p.Existing, Built: map[string]core.HandlerEntry{}, Discard: p.Discard}
		for id, b := range p.Built {
			c.Built[id] = core.HandlerEntry{Handler: b.Handler, Kind: b.Kind, FlushTimeout: b.FlushTimeout, Spec: b.Spec}
		}
		return c, nil
	})
}
