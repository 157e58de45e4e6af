// Command femtolog-receiver collects records from femtologging socket
// handlers: it listens on TCP and/or a Unix socket, decodes the
// length-prefixed MessagePack frames (docs/socket-frames.md) and prints the
// records or appends them to a file.
//
//	femtolog-receiver -tcp 127.0.0.1:9020 -unix /run/app/logs.sock -out app.log
//
// It runs until SIGINT or SIGTERM (or, with -expect N, until N records
// arrived; with -until-idle, until its last connection closes), then prints
// how many records it received on stderr.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"femtologging/core/encode"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, nil))
}

// run is main with its streams and an optional stop channel (tests).
func run(args []string, stdout, stderr io.Writer, stop <-chan struct{}) int {
	fs := flag.NewFlagSet("femtolog-receiver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tcpAddr := fs.String("tcp", "", "listen on this TCP address, e.g. 127.0.0.1:9020 (port 0 picks one)")
	unixPath := fs.String("unix", "", "listen on this Unix socket path")
	outPath := fs.String("out", "-", "append records to this file (- for standard output)")
	format := fs.String("format", formatText, "output: text, json (one object per line) or count (frames counted only)")
	maxFrame := fs.Int("max-frame", 16<<20, "largest frame payload accepted, in bytes")
	expect := fs.Uint64("expect", 0, "exit once this many records arrived (0: run until a signal)")
	untilIdle := fs.Bool("until-idle", false, "exit when the last open connection closes (benchmarks, scripts)")
	ready := fs.String("ready", "", "write the listening addresses to this file, one per line, once listening")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *tcpAddr == "" && *unixPath == "" {
		fmt.Fprintln(stderr, "femtolog-receiver: give -tcp ADDRESS, -unix PATH or both")
		return 2
	}
	if *maxFrame <= 0 || *maxFrame > encode.MaxFrameLimit {
		fmt.Fprintf(stderr, "femtolog-receiver: -max-frame %d: want 1 to %d\n", *maxFrame, encode.MaxFrameLimit)
		return 2
	}
	out, closeOut, err := openOutput(*outPath, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "femtolog-receiver: %v\n", err)
		return 1
	}
	defer closeOut()
	r, err := newReceiver(out, stderr, *format, *maxFrame, *expect)
	if err != nil {
		fmt.Fprintf(stderr, "femtolog-receiver: %v\n", err)
		return 2
	}
	r.untilIdle = *untilIdle
	addrs, cleanup, err := listen(r, *tcpAddr, *unixPath)
	defer cleanup()
	if err != nil {
		r.close()
		fmt.Fprintf(stderr, "femtolog-receiver: %v\n", err)
		return 1
	}
	for _, a := range addrs {
		fmt.Fprintf(stderr, "femtolog-receiver: listening on %s\n", a)
	}
	if *ready != "" {
		if err := writeReady(*ready, addrs); err != nil {
			r.close()
			fmt.Fprintf(stderr, "femtolog-receiver: %v\n", err)
			return 1
		}
	}
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(signals)
	select {
	case <-signals:
	case <-r.done:
	case <-stop:
	}
	r.close()
	fmt.Fprintf(stderr, "femtolog-receiver: %d records\n", r.frames.Load())
	return 0
}

func openOutput(path string, stdout io.Writer) (io.Writer, func(), error) {
	if path == "-" {
		return stdout, func() {}, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}

// listen opens the requested listeners and starts serving them. cleanup
// removes the Unix socket file it created.
func listen(r *receiver, tcpAddr, unixPath string) ([]string, func(), error) {
	var addrs []string
	cleanup := func() {}
	if tcpAddr != "" {
		ln, err := net.Listen("tcp", tcpAddr)
		if err != nil {
			return nil, cleanup, err
		}
		r.serve(ln)
		addrs = append(addrs, "tcp "+ln.Addr().String())
	}
	if unixPath != "" {
		if err := removeStaleSocket(unixPath); err != nil {
			return nil, cleanup, err
		}
		ln, err := net.Listen("unix", unixPath)
		if err != nil {
			return nil, cleanup, err
		}
		cleanup = func() { os.Remove(unixPath) }
		r.serve(ln)
		addrs = append(addrs, "unix "+unixPath)
	}
	return addrs, cleanup, nil
}

// removeStaleSocket removes a socket file left by a receiver that died, but
// never a regular file that happens to have the name.
func removeStaleSocket(path string) error {
	st, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if st.Mode()&fs.ModeSocket == 0 {
		return fmt.Errorf("%s exists and is not a socket", path)
	}
	return os.Remove(path)
}

// writeReady writes the addresses atomically, so a poller never reads half.
func writeReady(path string, addrs []string) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(strings.Join(addrs, "\n")+"\n"), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
