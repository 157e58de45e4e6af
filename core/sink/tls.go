package sink

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
)

// TLSOptions says how a socket sink verifies its server.
type TLSOptions struct {
	// ServerName is the host name the certificate must carry; empty means
	// the host the sink connects to.
	ServerName string
	// Insecure skips verification entirely (still encrypted). For tests and
	// for servers whose certificate cannot be checked; prefer CAFile.
	Insecure bool
	// CAFile is a PEM file of extra trusted CAs, added to the system roots,
	// so a private CA works without Insecure.
	CAFile string
}

// ErrNoCertificates reports a CA file without any PEM certificate.
var ErrNoCertificates = errors.New("no PEM certificates found")

// ClientConfig builds the crypto/tls configuration for connecting to host.
// Verification of the chain and the host name is crypto/tls's own, against
// the system roots (plus CAFile) unless Insecure.
func (o TLSOptions) ClientConfig(host string) (*tls.Config, error) {
	cfg := &tls.Config{
		ServerName:         o.ServerName,
		InsecureSkipVerify: o.Insecure,
		MinVersion:         tls.VersionTLS12,
	}
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	if o.CAFile == "" {
		return cfg, nil
	}
	pem, err := os.ReadFile(o.CAFile)
	if err != nil {
		return nil, err
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("CA file %q: %w", o.CAFile, ErrNoCertificates)
	}
	cfg.RootCAs = pool
	return cfg, nil
}
