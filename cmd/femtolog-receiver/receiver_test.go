package main

import (
	"bytes"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"femtologging/core"
	"femtologging/core/encode"
)

// runningReceiver is run() in a goroutine, with its outputs.
type runningReceiver struct {
	addrs          map[string]string // "tcp" or "unix" -> address
	stdout, stderr bytes.Buffer
	stop           chan struct{}
	exited         chan int
}

func startReceiver(t *testing.T, args ...string) *runningReceiver {
	t.Helper()
	ready := filepath.Join(t.TempDir(), "ready")
	r := &runningReceiver{addrs: map[string]string{}, stop: make(chan struct{}), exited: make(chan int, 1)}
	go func() { r.exited <- run(append(args, "-ready", ready), &r.stdout, &r.stderr, r.stop) }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		data, err := os.ReadFile(ready)
		if err == nil {
			for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
				kind, addr, _ := strings.Cut(line, " ")
				r.addrs[kind] = addr
			}
			return r
		}
		select {
		case code := <-r.exited:
			t.Fatalf("receiver exited with %d: %s", code, r.stderr.String())
		case <-time.After(5 * time.Millisecond): // polling a file: there is nothing to wait on
		}
		if time.Now().After(deadline) {
			t.Fatal("receiver did not become ready within 5s")
		}
	}
}

// finish stops the receiver (unless it exits by itself) and returns its code.
func (r *runningReceiver) finish(t *testing.T) int {
	t.Helper()
	select {
	case code := <-r.exited:
		return code
	case <-time.After(5 * time.Second):
	}
	close(r.stop)
	select {
	case code := <-r.exited:
		return code
	case <-time.After(5 * time.Second):
		t.Fatal("receiver did not stop within 5s")
	}
	return -1
}

// send writes frames for the messages over a new connection.
func send(t *testing.T, network, addr string, msgs ...string) {
	t.Helper()
	c, err := net.Dial(network, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	f := encode.NewFrameFormatter(encode.DefaultMaxFrameSize)
	var buf []byte
	for _, m := range msgs {
		rec := core.Record{Logger: "app", Level: core.LevelError, Message: []byte(m), TimeNs: 1_000_000_000, ThreadID: 3}
		buf, _ = f.Format(buf, &rec)
	}
	if _, err := c.Write(buf); err != nil {
		t.Fatal(err)
	}
}

func TestReceiverWritesRecordsFromTCPAndUnix(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "r.sock")
	r := startReceiver(t, "-tcp", "127.0.0.1:0", "-unix", sock, "-format", "json", "-expect", "3")
	send(t, "tcp", r.addrs["tcp"], "one", "two")
	send(t, "unix", r.addrs["unix"], "three")
	if code := r.finish(t); code != 0 {
		t.Fatalf("got exit %d (%s), want 0", code, r.stderr.String())
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(r.stdout.String()), "\n") {
		var rec encode.FrameRecord
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		got = append(got, rec.Message)
	}
	// Connections interleave in any order; within one, order is kept.
	var tcp []string
	for _, m := range got {
		if m != "three" {
			tcp = append(tcp, m)
		}
	}
	if len(got) != 3 || strings.Join(tcp, ",") != "one,two" {
		t.Errorf("got %v, want one then two (TCP) and three (Unix)", got)
	}
	if !strings.Contains(r.stderr.String(), "femtolog-receiver: 3 records") {
		t.Errorf("got stderr %q, want the count", r.stderr.String())
	}
	if _, err := os.Stat(sock); !os.IsNotExist(err) {
		t.Errorf("got socket file left behind (%v), want it removed", err)
	}
}

func TestReceiverFormats(t *testing.T) {
	tests := []struct {
		format, want string
	}{
		{"text", "1970-01-01T00:00:01Z app [ERROR] disk full\n"},
		{"count", ""},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out.log")
			os.WriteFile(out, []byte("earlier\n"), 0o644)
			r := startReceiver(t, "-tcp", "127.0.0.1:0", "-format", tt.format, "-out", out, "-expect", "1")
			send(t, "tcp", r.addrs["tcp"], "disk full")
			if code := r.finish(t); code != 0 {
				t.Fatalf("got exit %d, want 0", code)
			}
			data, _ := os.ReadFile(out)
			if got := string(data); got != "earlier\n"+tt.want {
				t.Errorf("got %q, want %q appended", got, tt.want)
			}
		})
	}
}

func TestReceiverRejectsBadArguments(t *testing.T) {
	regular := filepath.Join(t.TempDir(), "not-a-socket")
	os.WriteFile(regular, nil, 0o644)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no listener", nil, 2, "give -tcp ADDRESS, -unix PATH or both"},
		{"bad format", []string{"-tcp", "127.0.0.1:0", "-format", "xml"}, 2, `format "xml"`},
		{"bad frame limit", []string{"-tcp", "127.0.0.1:0", "-max-frame", "0"}, 2, "-max-frame 0"},
		{"regular file in the way", []string{"-unix", regular}, 1, "exists and is not a socket"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(tt.args, &stdout, &stderr, nil); code != tt.code {
				t.Errorf("got exit %d, want %d", code, tt.code)
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("got stderr %q, want %q", stderr.String(), tt.want)
			}
		})
	}
}

func TestReceiverDropsAConnectionWithAnOversizeFrame(t *testing.T) {
	r := startReceiver(t, "-tcp", "127.0.0.1:0", "-format", "json", "-max-frame", "16")
	c, err := net.Dial("tcp", r.addrs["tcp"])
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rec := core.Record{Logger: "app", Level: core.LevelInfo, Message: []byte("longer than sixteen bytes")}
	frame, _ := encode.NewFrameFormatter(encode.DefaultMaxFrameSize).Format(nil, &rec)
	if _, err := c.Write(frame); err != nil {
		t.Fatal(err)
	}
	// The receiver closes a connection it cannot resynchronise: EOF here.
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := c.Read(make([]byte, 1)); n != 0 || err == nil {
		t.Fatalf("got read %d, %v, want the connection closed", n, err)
	}
	close(r.stop)
	<-r.exited
	if !strings.Contains(r.stderr.String(), "frame too large") || r.stdout.Len() != 0 {
		t.Errorf("got stderr %q stdout %q, want the oversize frame reported and nothing written", r.stderr.String(), r.stdout.String())
	}
}

func TestReceiverUntilIdleExitsWhenTheLastConnectionCloses(t *testing.T) {
	r := startReceiver(t, "-tcp", "127.0.0.1:0", "-format", "count", "-until-idle")
	send(t, "tcp", r.addrs["tcp"], "a", "b", "c") // send closes its connection
	select {
	case code := <-r.exited:
		if code != 0 {
			t.Fatalf("got exit %d, want 0", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("receiver still running 5s after its only connection closed")
	}
	if !strings.Contains(r.stderr.String(), "femtolog-receiver: 3 records") {
		t.Errorf("got stderr %q, want 3 records", r.stderr.String())
	}
}
