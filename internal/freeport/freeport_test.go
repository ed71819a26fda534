package freeport

import (
	"net"
	"strconv"
	"testing"
)

// TestGet: ports below the ephemeral range, distinct, free for a TCP
// listener and reserved against another process's UDP reservation.
func TestGet(t *testing.T) {
	seen := map[int]bool{}
	for range 50 {
		port := Get(t)
		if port < lowest || port >= ephemeralStart() || seen[port] {
			t.Fatalf("port %d: want a new port in [%d, %d)", port, lowest, ephemeralStart())
		}
		seen[port] = true
		addr := "127.0.0.1:" + strconv.Itoa(port)
		if c, err := net.ListenPacket("udp", addr); err == nil {
			c.Close()
			t.Errorf("port %d is not reserved", port)
		}
		l, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatalf("port %d cannot be listened on: %v", port, err)
		}
		l.Close()
	}
}
