package sink

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"femtologging/core"
	"femtologging/core/encode"
)

// startRsyslog runs rsyslogd in the foreground with a TCP input on a port
// it chooses and writes, for each message, the structured data as sent
// and as rsyslog's mmpstrucdata parsed it. It is killed when the test
// ends. The test is skipped when rsyslogd is not installed.
func startRsyslog(t *testing.T) (port int, out string) {
	t.Helper()
	bin, err := exec.LookPath("rsyslogd")
	if err != nil {
		if _, err = os.Stat("/usr/sbin/rsyslogd"); err != nil {
			t.Skip("rsyslogd is not installed (scripts/bootstrap.sh installs it)")
		}
		bin = "/usr/sbin/rsyslogd"
	}
	dir := t.TempDir()
	out = filepath.Join(dir, "out.jsonl")
	portFile := filepath.Join(dir, "tcp.port")
	conf := fmt.Sprintf(`global(workDirectory=%q)
module(load="imtcp")
module(load="mmpstrucdata")
template(name="t" type="list" option.jsonf="on") {
  property(outname="sd" name="structured-data" format="jsonf")
  property(outname="parsed" name="$!rfc5424-sd" format="jsonf")
  property(outname="msg" name="msg" format="jsonf")
}
ruleset(name="out") {
  action(type="mmpstrucdata" sd_name.lowercase="off")
  action(type="omfile" file=%q template="t")
}
input(type="imtcp" port="0" listenPortFileName=%q ruleset="out")
`, dir, out, portFile)
	confPath := filepath.Join(dir, "rsyslog.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-n", "-f", confPath, "-i", filepath.Join(dir, "rsyslogd.pid"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	deadline := time.Now().Add(15 * time.Second)
	for {
		if b, err := os.ReadFile(portFile); err == nil {
			if p, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && p > 0 {
				return p, out
			}
		}
		select {
		case <-done:
			t.Fatal("rsyslogd exited before opening its input")
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("rsyslogd did not open its input within 15s")
		}
		time.Sleep(10 * time.Millisecond) // poll interval
	}
}

// readLines polls path until it holds n lines, with a deadline.
func readLines(t *testing.T, path string, n int) []string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var lines []string
		if f, err := os.Open(path); err == nil {
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				lines = append(lines, sc.Text())
			}
			f.Close()
		}
		if len(lines) >= n {
			return lines
		}
		if time.Now().After(deadline) {
			t.Fatalf("rsyslog wrote %d of %d records", len(lines), n)
		}
		time.Sleep(10 * time.Millisecond) // poll interval
	}
}

// TestSyslogStructuredDataParsedByRsyslog sends records with key-values
// that need every escape and name repair, and checks that rsyslog parses
// them back to the values sent.
func TestSyslogStructuredDataParsedByRsyslog(t *testing.T) {
	port, out := startRsyslog(t)
	s := NewSyslog(SocketOptions{Network: SyslogTCP, Address: "127.0.0.1:" + strconv.Itoa(port),
		ConnectTimeout: 5 * time.Second, WriteTimeout: 5 * time.Second, Backoff: fastBackoff}, false)
	f := encode.NewSyslogFormatter(encode.SyslogFormatOptions{Facility: 1, Hostname: "h", AppName: "a", ProcID: "1",
		SDID: "fields@32473", Framing: encode.FramingOctetCounting})
	records := []struct {
		kvs  []core.KeyValue
		want map[string]string
	}{
		{[]core.KeyValue{{Key: "user", Str: "alice"}, {Key: "request_id", Str: "r-1"}},
			map[string]string{"user": "alice", "request_id": "r-1"}},
		{[]core.KeyValue{{Key: "q", Str: `say "hi" \ [x] done`}},
			map[string]string{"q": `say "hi" \ [x] done`}},
		{[]core.KeyValue{{Key: "sp ace", Str: "café ✓"}, {Key: "a=b", Str: ""}},
			map[string]string{"sp_ace": "café ✓", "a_b": ""}},
	}
	for i, r := range records {
		rec := core.Record{Level: core.LevelInfo, Message: []byte(fmt.Sprintf("m%d", i)), TimeNs: at, KeyValues: r.kvs}
		frame, err := f.Format(nil, &rec)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Write(frame); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	lines := readLines(t, out, len(records))
	for i, line := range lines {
		var got struct{ SD, Parsed, Msg string }
		if err := json.Unmarshal([]byte(line), &got); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		var parsed map[string]map[string]string
		if err := json.Unmarshal([]byte(got.Parsed), &parsed); err != nil {
			t.Fatalf("rsyslog's parse %q: %v", got.Parsed, err)
		}
		if got.Msg != fmt.Sprintf("m%d", i) {
			t.Errorf("record %d: got message %q", i, got.Msg)
		}
		params := parsed["fields@32473"]
		if len(params) != len(records[i].want) {
			t.Errorf("record %d: got %v, want %v (sent %s)", i, params, records[i].want, got.SD)
		}
		for k, v := range records[i].want {
			if params[k] != v {
				t.Errorf("record %d: param %q: got %q, want %q (sent %s)", i, k, params[k], v, got.SD)
			}
		}
	}
}
