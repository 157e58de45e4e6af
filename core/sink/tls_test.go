package sink

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"femtologging/core/encode"
)

// testCA is a CA made for one test, with a server certificate for
// "localhost" and 127.0.0.1 signed by it.
type testCA struct {
	caFile string
	server tls.Certificate
}

func newTestCA(t *testing.T) testCA {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "femtologging test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return testCA{caFile: caFile, server: tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}}
}

func (ca testCA) serverConfig() *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{ca.server}}
}

func TestTLSClientConfig(t *testing.T) {
	ca := newTestCA(t)
	notPEM := filepath.Join(t.TempDir(), "junk.pem")
	os.WriteFile(notPEM, []byte("not a certificate"), 0o600)
	tests := []struct {
		name     string
		opts     TLSOptions
		wantName string
		wantErr  error
	}{
		{"host name by default", TLSOptions{}, "example.org", nil},
		{"domain overrides", TLSOptions{ServerName: "logs.example.com"}, "logs.example.com", nil},
		{"CA file", TLSOptions{CAFile: ca.caFile}, "example.org", nil},
		{"missing CA file", TLSOptions{CAFile: "/nonexistent/ca.pem"}, "", os.ErrNotExist},
		{"CA file without certificates", TLSOptions{CAFile: notPEM}, "", ErrNoCertificates},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := tt.opts.ClientConfig("example.org")
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			if err == nil && cfg.ServerName != tt.wantName {
				t.Errorf("got server name %q, want %q", cfg.ServerName, tt.wantName)
			}
		})
	}
}

func TestSocketTLS(t *testing.T) {
	ca := newTestCA(t)
	tests := []struct {
		name      string
		opts      TLSOptions
		host      string
		delivered bool
	}{
		{"trusted through the CA file", TLSOptions{CAFile: ca.caFile}, "127.0.0.1", true},
		{"host name checked against the certificate", TLSOptions{CAFile: ca.caFile}, "localhost", true},
		{"insecure skips verification", TLSOptions{Insecure: true}, "127.0.0.1", true},
		{"untrusted certificate", TLSOptions{}, "127.0.0.1", false},
		{"wrong domain", TLSOptions{CAFile: ca.caFile, ServerName: "other.example"}, "127.0.0.1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			noLeaks(t)
			srv := startFrameServer(t, "tcp", "127.0.0.1:0", ca.serverConfig())
			_, port, _ := net.SplitHostPort(srv.addr())
			cfg, err := tt.opts.ClientConfig(tt.host)
			if err != nil {
				t.Fatal(err)
			}
			bo := fastBackoff
			bo.Deadline = 50 * time.Millisecond
			h := newSocketHandler(t, SocketOptions{Network: "tcp", Address: net.JoinHostPort(tt.host, port), TLS: cfg, Backoff: bo}, encode.DefaultMaxFrameSize, 16)
			h.log("secret")
			flushed := h.Flush(5 * time.Second)
			if flushed != tt.delivered {
				t.Fatalf("got flush %v, want %v", flushed, tt.delivered)
			}
			if tt.delivered {
				if !srv.waitCount(1, 5*time.Second) {
					t.Fatal("got no record at the server, want it")
				}
			} else {
				// No plaintext fallback: the server never decoded a frame,
				// and the record is counted.
				if got := srv.got(); len(got) != 0 {
					t.Fatalf("got %v at the server, want nothing", messages(got))
				}
				if h.Dropped() != 1 || h.diag.Count(h.sock.Label()+": connect") == 0 {
					t.Errorf("got dropped %d, %d connect failures; want 1 and some", h.Dropped(), h.diag.Count(h.sock.Label()+": connect"))
				}
			}
			h.checkAccounting(t)
		})
	}
}
