package enrich

import "sync"

// cache is a bounded, concurrency-safe map from a value to its result,
// evicting roughly the least recently used: entries live in two
// generations; a hit in the old one is promoted, and when the young one
// fills up, the old one is dropped whole. That keeps at most size entries
// with no per-entry bookkeeping, which is what a hot lookup path wants.
type cache[K comparable, V any] struct {
	mu       sync.Mutex
	half     int
	young    map[K]V
	old      map[K]V
	disabled bool
}

func newCache[K comparable, V any](size int) *cache[K, V] {
	if size <= 0 {
		return &cache[K, V]{disabled: true}
	}
	half := max(size/2, 1)
	return &cache[K, V]{half: half, young: map[K]V{}}
}

func (c *cache[K, V]) get(k K) (V, bool) {
	if c.disabled {
		var zero V
		return zero, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.young[k]; ok {
		return v, true
	}
	v, ok := c.old[k]
	if ok {
		c.putLocked(k, v)
	}
	return v, ok
}

func (c *cache[K, V]) put(k K, v V) {
	if c.disabled {
		return
	}
	c.mu.Lock()
	c.putLocked(k, v)
	c.mu.Unlock()
}

func (c *cache[K, V]) putLocked(k K, v V) {
	if len(c.young) >= c.half {
		c.old = c.young
		c.young = map[K]V{} // grown on use: a preallocated cache would cost memory it may never need
	}
	c.young[k] = v
}

// len returns the number of entries held, for tests.
func (c *cache[K, V]) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.young) + len(c.old)
}
