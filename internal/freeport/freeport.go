// Package freeport hands tests loopback TCP ports for helpers to listen on.
//
// A port the kernel picks for `127.0.0.1:0` comes from the ephemeral range,
// where the kernel also picks the local ports of outgoing connections and
// the ports of every other program asking for `:0`: between the moment a
// test closes its probe and the moment its helper listens, another test
// process (or a connection) can take the same number, and a dial to a
// port of that range with nothing listening can even connect to itself.
// Get picks ports below the ephemeral range instead, at random, and
// reserves each for the life of the process by holding a UDP socket on the
// same number: the test processes `go test ./...` runs side by side never
// hand out the same port, and the helper is free to bind it over TCP. The
// TCP probe that checks a port is free holds off forks while it listens
// (syscall.ForkLock): a child forked meanwhile would keep the probe's
// socket listening until it execs.
package freeport

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// lowest is the lowest port handed out.
const lowest = 10000

var (
	mu       sync.Mutex
	reserved []net.PacketConn // held until the process exits
)

// Get returns a loopback port nothing listens on right now and that no
// other caller, in this process or another that uses this package, was
// given; the test fails when there is none.
func Get(t testing.TB) int {
	t.Helper()
	port, err := Pick()
	if err != nil {
		t.Fatal(err)
	}
	return port
}

// Pick is Get for code without a test at hand.
func Pick() (int, error) {
	top := ephemeralStart()
	mu.Lock()
	defer mu.Unlock()
	for range 1000 {
		addr := "127.0.0.1:" + strconv.Itoa(lowest+rand.IntN(top-lowest))
		token, err := net.ListenPacket("udp", addr)
		if err != nil {
			continue // reserved by another process, or by this one
		}
		// Forks wait while the probe listens: a child forked meanwhile would
		// keep the socket listening until it execs.
		syscall.ForkLock.Lock()
		l, err := net.Listen("tcp", addr)
		if err == nil {
			l.Close()
		}
		syscall.ForkLock.Unlock()
		if err != nil {
			token.Close()
			continue
		}
		reserved = append(reserved, token)
		return token.LocalAddr().(*net.UDPAddr).Port, nil
	}
	return 0, fmt.Errorf("no free port between %d and %d", lowest, top)
}

// ephemeralStart is the first port of the kernel's ephemeral range (32768
// when it cannot be read).
func ephemeralStart() int {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err == nil {
		if f := strings.Fields(string(b)); len(f) == 2 {
			if n, err := strconv.Atoi(f[0]); err == nil && n > lowest+1000 {
				return n
			}
		}
	}
	return 32768
}
