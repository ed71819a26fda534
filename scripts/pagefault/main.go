// Command pagefault measures what this machine charges a process the
// first time it writes to a page of memory it was just given, which a
// fresh server pays for every page of its heap on the way to its first
// diagnostics. It allocates a buffer of -mib MiB (fresh memory from the
// system: the Go runtime does not clear it), writes one byte to each
// 4 KiB page and prints the time per page, then writes each page again
// (the second time costs nothing but the write):
//
//	go run ./scripts/pagefault -mib 4
//
// On the 2-core VM the README's figures come from, the first write costs
// 12-13 us per page, so each megabyte a fresh server allocates costs it
// about 3 ms; on most machines it is well under 1 us.
package main

import (
	"flag"
	"fmt"
	"time"
)

const page = 4 << 10

func main() {
	mib := flag.Int("mib", 4, "size of the buffer in MiB")
	flag.Parse()
	b := make([]byte, *mib<<20)
	pages := len(b) / page
	touch := func(v byte) time.Duration {
		t := time.Now()
		for i := 0; i < len(b); i += page {
			b[i] = v
		}
		return time.Since(t)
	}
	first, again := touch(1), touch(2)
	fmt.Printf("%d pages: first write %v (%.2f us per page), second %v (%.3f us per page)\n",
		pages, first.Round(time.Microsecond), us(first)/float64(pages), again.Round(time.Microsecond), us(again)/float64(pages))
}

func us(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 }
