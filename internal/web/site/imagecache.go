package site

import (
	"container/list"
	"sync"

	"golang.org/x/sync/singleflight"
)

// imageCache keeps resized images by the digest of their original and
// their width. The bytes under such a key never change, so an entry is
// never stale and a publish does not drop it (the page cache, which a
// publish empties, held them before); the cache only needs a bound on its
// memory, kept by evicting the least recently used image. A few dozen
// lines did not justify a dependency: the maintained caches in the module
// graph run background goroutines that a Site, which has no Close, could
// not stop.
type imageCache struct {
	max int64 // bytes; <= 0 keeps nothing

	mu    sync.Mutex
	size  int64
	lru   *list.List // of *imageEntry, most recently used first
	byKey map[string]*list.Element

	// flight makes concurrent requests for one size wait for a single
	// resize (CatmullRom on a large photograph takes a while) instead of
	// each doing it.
	flight singleflight.Group
}

// sizedImage is one width of an image, encoded.
type sizedImage struct {
	data  []byte
	ctype string
}

type imageEntry struct {
	key string
	img sizedImage
}

func newImageCache(max int64) *imageCache {
	return &imageCache{max: max, lru: list.New(), byKey: map[string]*list.Element{}}
}

// get returns the image cached under key, or makes, caches and returns it.
func (c *imageCache) get(key string, make func() (sizedImage, error)) (sizedImage, error) {
	if img, ok := c.lookup(key); ok {
		return img, nil
	}
	v, err, _ := c.flight.Do(key, func() (any, error) {
		// A flight for key may have ended between the lookup above and
		// this one starting.
		if img, ok := c.lookup(key); ok {
			return img, nil
		}
		img, err := make()
		if err == nil {
			c.put(key, img)
		}
		return img, err
	})
	if err != nil {
		return sizedImage{}, err
	}
	return v.(sizedImage), nil
}

func (c *imageCache) lookup(key string) (sizedImage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		return sizedImage{}, false
	}
	c.lru.MoveToFront(e)
	return e.Value.(*imageEntry).img, true
}

func (c *imageCache) put(key string, img sizedImage) {
	n := int64(len(img.data))
	if n > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[key]; ok {
		return
	}
	for c.size+n > c.max {
		old := c.lru.Remove(c.lru.Back()).(*imageEntry)
		delete(c.byKey, old.key)
		c.size -= int64(len(old.img.data))
	}
	c.byKey[key] = c.lru.PushFront(&imageEntry{key: key, img: img})
	c.size += n
}
