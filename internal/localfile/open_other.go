//go:build !unix

package localfile

// openNonblock is 0 where opening cannot block on a named pipe.
const openNonblock = 0
