//go:build !linux

package hugeheap

// prepare advises nothing here: huge pages for a region that asks for
// them are a Linux feature.
func prepare(size int) Region { return Region{} }

func (r Region) release() {}
