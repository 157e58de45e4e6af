"""TLS: a certificate made in the test, trusted through the CA file or
skipped with insecure=True; an untrusted one fails, is counted, and never
falls back to plaintext."""

import pytest

from femtologging import BackoffConfig, SocketHandlerBuilder

from socket_support import FrameServer, server_tls_context, wait_until


def tls_server(certificates):
    _, cert, key = certificates
    return FrameServer(tls_context=server_tls_context(cert, key))


def build(port, host="127.0.0.1", deadline_ms=10000, **tls):
    return (
        SocketHandlerBuilder()
        .with_tcp(host, port)
        .with_tls(**tls)
        .with_backoff(BackoffConfig({"base_ms": 5, "cap_ms": 20, "deadline_ms": deadline_ms}))
        .build()
    )


@pytest.mark.parametrize(
    "host, tls",
    [
        ("127.0.0.1", "ca_file"),
        ("localhost", "ca_file"),
        ("127.0.0.1", "insecure"),
    ],
    ids=["ca-file-ip", "ca-file-hostname", "insecure"],
)
def test_tls_delivers_when_trusted(certificates, host, tls):
    ca_file = certificates[0]
    kwargs = {"ca_file": ca_file} if tls == "ca_file" else {"insecure": True}
    with tls_server(certificates) as server:
        handler = build(server.port, host=host, **kwargs)
        handler.handle("app", "INFO", "over tls")
        assert handler.flush(5000)
        server.wait_for(lambda m: m == ["over tls"])
        handler.close()
    assert handler.get_stats() == {"delivered": 1, "dropped": 0, "failed": 0}


@pytest.mark.parametrize(
    "tls",
    [{}, {"domain": "other.example", "ca_file": None}],
    ids=["untrusted-ca", "wrong-domain"],
)
def test_tls_untrusted_is_counted_with_no_plaintext_fallback(certificates, tls):
    if "ca_file" in tls:
        tls = {**tls, "ca_file": certificates[0]}
    with tls_server(certificates) as server:
        handler = build(server.port, deadline_ms=50, **tls)
        handler.handle("app", "INFO", "secret")
        assert handler.flush(5000) is False
        wait_until(lambda: server.handshake_errors > 0, what="a refused handshake")
        handler.close()
        assert server.messages() == []
        assert b"secret" not in bytes(server.raw)
    assert handler.get_stats() == {"delivered": 0, "dropped": 1, "failed": 0}
