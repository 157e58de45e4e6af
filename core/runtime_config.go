package core

import "sync"

// Configuration is a whole configuration ready to be applied by
// Runtime.Configure: its plan, the handlers built for it and the existing
// handlers it names. The config package prepares it from a document.
type Configuration struct {
	Plan ConfigPlan
	// Built holds the handlers built for this configuration, by id. Until
	// the configuration is applied it owns them: Discard closes them.
	Built map[string]HandlerEntry
	// Existing holds the handles of registered handlers the configuration
	// names, by id.
	Existing map[string]uint64
	// Discard closes the built handlers when the configuration fails.
	Discard func()
}

// Prepare builds a Configuration; lookup resolves the handle of a
// registered handler that the configuration names.
type Prepare func(lookup func(handle uint64) (Handler, error)) (*Configuration, error)

// configState remembers what configurations built, so that a later
// configuration can close the handlers the earlier one owned once nothing
// uses them, and front ends can find built handlers by id.
type configState struct {
	mu sync.Mutex
	// owned: handlers built by configurations and not closed yet.
	owned map[Handler]uint64
	// ids: handle of each handler of the last successful configuration.
	ids map[string]uint64
}

// Configure prepares a configuration and applies it whole: the loggers
// take the plan, the built handlers are registered under the ids
// ConfiguredHandler finds, and the handlers an earlier configuration built
// that no logger uses any more are closed in the background once the
// records already queued for them arrived. One configuration is applied
// at a time. If prepare or the plan fails, nothing has changed.
func (r *Runtime) Configure(prepare Prepare) error {
	if r.IsShutDown() {
		return ErrShutDown
	}
	r.config.mu.Lock()
	defer r.config.mu.Unlock()
	c, err := prepare(r.lookupHandler)
	if err != nil {
		return err
	}
	mgr := r.Manager()
	if err := mgr.Apply(c.Plan); err != nil {
		if c.Discard != nil {
			c.Discard()
		}
		return err
	}
	ids := map[string]uint64{}
	for id, h := range c.Existing {
		ids[id] = h
	}
	if r.config.owned == nil {
		r.config.owned = map[Handler]uint64{}
	}
	retired := r.retireOwned(mgr)
	for id, b := range c.Built {
		h := r.RegisterEntry(b)
		ids[id] = h
		r.config.owned[b.Handler] = h
	}
	r.config.ids = ids
	if len(retired) > 0 {
		// Records already on logger queues may still name the retired
		// handlers: let them arrive, then close, off the caller's thread.
		go func() {
			mgr.Sync(DefaultCloseTimeout)
			for _, h := range retired {
				_ = h.Close(DefaultCloseTimeout)
			}
		}()
	}
	return nil
}

// ConfiguredHandler returns the handle of the handler the last successful
// configuration calls id.
func (r *Runtime) ConfiguredHandler(id string) (uint64, bool) {
	r.config.mu.Lock()
	defer r.config.mu.Unlock()
	h, ok := r.config.ids[id]
	return h, ok
}

// lookupHandler resolves a handle for a configuration that names an
// existing handler.
func (r *Runtime) lookupHandler(h uint64) (Handler, error) {
	e, ok := r.Handler(h)
	if !ok {
		return nil, ErrUnknownHandle
	}
	return e.Handler, nil
}

// retireOwned removes from the owned set the handlers an earlier
// configuration built that no logger uses any more, and returns them for
// closing. Handlers the caller created itself are never closed here.
func (r *Runtime) retireOwned(mgr *Manager) []Handler {
	attached := mgr.AttachedHandlers()
	var retired []Handler
	for h := range r.config.owned {
		if !attached[h] {
			retired = append(retired, h)
			delete(r.config.owned, h)
		}
	}
	return retired
}

// ConfigState returns the handle of each handler the last configuration
// named, by id, and the handles of the handlers configurations built and
// still own: what a forked child needs to carry on as the parent would.
func (r *Runtime) ConfigState() (ids map[string]uint64, owned map[uint64]bool) {
	r.config.mu.Lock()
	defer r.config.mu.Unlock()
	ids, owned = map[string]uint64{}, map[uint64]bool{}
	for id, h := range r.config.ids {
		ids[id] = h
	}
	for _, h := range r.config.owned {
		owned[h] = true
	}
	return ids, owned
}

// RestoreConfigState sets what ConfigState returned in the parent of a
// forked child, once the child has registered the same handlers under the
// same handles.
func (r *Runtime) RestoreConfigState(ids map[string]uint64, owned map[uint64]bool) {
	r.config.mu.Lock()
	defer r.config.mu.Unlock()
	r.config.ids = ids
	r.config.owned = map[Handler]uint64{}
	for h := range owned {
		if e, ok := r.handlers.get(h); ok {
			r.config.owned[e.Handler] = h
		}
	}
}
