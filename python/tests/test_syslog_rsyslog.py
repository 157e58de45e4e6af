"""The syslog handler against a real rsyslogd: every field rsyslog parsed
(priority, facility, severity, timestamp, hostname, app-name, procid,
msgid, structured data, message) for 10,000 records over TCP and TLS and
1,000 over UDP and the Unix socket, with the handler's accounting."""

import datetime
import os
import socket

import pytest

import femtologging
from femtologging import BackoffConfig, SyslogHandlerBuilder

from rsyslog_support import Rsyslog, available

pytestmark = pytest.mark.skipif(not available(), reason="rsyslogd is not installed (scripts/bootstrap.sh)")

LEVELS = ["TRACE", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
SEVERITY = {"TRACE": "debug", "DEBUG": "debug", "INFO": "info", "WARNING": "warning",
            "ERROR": "err", "CRITICAL": "crit"}
SEVERITY_CODE = {"debug": 7, "info": 6, "warning": 4, "err": 3, "crit": 2}
FAST_BACKOFF = BackoffConfig({"base_ms": 5, "cap_ms": 50, "deadline_ms": 30000})


@pytest.fixture
def rsyslog(tmp_path):
    rs = Rsyslog(tmp_path)
    try:
        yield rs
    finally:
        rs.stop()


def fields(builder):
    return (builder.with_facility("local3").with_app_name("femto-test").with_hostname("test-host")
            .with_procid(4242).with_msgid("REQ7").with_backoff(FAST_BACKOFF))


def log_all(handler, n, name="syslog.test"):
    """Log n records through a logger (levels in turn); return them and the
    time window they were logged in."""
    logger = femtologging.get_logger(name)
    logger.set_level("TRACE")
    logger.add_handler(handler)
    sent = []
    start = datetime.datetime.now(datetime.timezone.utc)
    for i in range(n):
        level = LEVELS[i % len(LEVELS)]
        message = f"record {i} {level.lower()} caf\u00e9 [x] \"q\""
        logger.log(level, message)
        sent.append((level, message))
    end = datetime.datetime.now(datetime.timezone.utc)
    return sent, (start, end)


def close_and_count(handler, n):
    handler.close()
    stats = handler.get_stats()
    assert stats["failed"] == 0, stats
    assert stats["delivered"] + stats["dropped"] == n, stats
    return stats


def parse_rfc3339(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def check_records(got, sent, window, input_name, hostname="test-host", appname="femto-test",
                  procid="4242", msgid="REQ7", facility="local3"):
    """Every record arrived once, in order, with every field as sent."""
    assert len(got) == len(sent), f"rsyslog wrote {len(got)} records, {len(sent)} were sent"
    start, end = window
    fac_code = 16 + 3 if facility == "local3" else None
    for rec, (level, message) in zip(got, sent):
        severity = SEVERITY[level]
        assert rec["severity"] == severity, rec
        assert rec["facility"] == facility, rec
        if fac_code is not None:
            assert int(rec["pri"]) == fac_code * 8 + SEVERITY_CODE[severity], rec
        frac = rec["timestamp"].split(".")[1].rstrip("Z")
        assert len(frac) == 6, rec  # microseconds: at most 6 digits (RFC 5424)
        ts = parse_rfc3339(rec["timestamp"])
        assert start - datetime.timedelta(microseconds=1) <= ts <= end, (rec, window)
        assert rec["hostname"] == hostname, rec
        assert rec["appname"] == appname, rec
        assert rec["procid"] == procid, rec
        assert rec["msgid"] == msgid, rec
        assert rec["sd"] == "-", rec  # records carry no key-values yet
        assert rec["msg"] == message, rec
        assert rec["input"] == input_name, rec


def test_syslog_tcp_octet_counting_10000_records_block_policy(rsyslog):
    handler = fields(SyslogHandlerBuilder().with_tcp("127.0.0.1", rsyslog.tcp_port)) \
        .with_overflow_policy("block").with_capacity(256).build()
    sent, window = log_all(handler, 10_000)
    stats = close_and_count(handler, len(sent))
    assert stats == {"delivered": 10_000, "dropped": 0, "failed": 0}  # nothing lost under "block"
    check_records(rsyslog.wait_for(len(sent)), sent, window, "imtcp")


def test_syslog_tls_10000_records(tmp_path, certificates):
    ca, cert, key = certificates
    with Rsyslog(tmp_path, tls=(ca, cert, key)) as rs:
        handler = fields(SyslogHandlerBuilder().with_tcp("127.0.0.1", rs.tcp_port)
                         .with_tls(domain="localhost", ca_file=ca)) \
            .with_overflow_policy("block").build()
        sent, window = log_all(handler, 10_000)
        stats = close_and_count(handler, len(sent))
        assert stats["delivered"] == 10_000, stats
        check_records(rs.wait_for(len(sent)), sent, window, "imtcp")


def test_syslog_tls_untrusted_certificate_is_never_sent_in_plaintext(tmp_path, certificates):
    ca, cert, key = certificates
    with Rsyslog(tmp_path, tls=(ca, cert, key)) as rs:
        # No CA file: the system roots do not trust the test CA.
        handler = fields(SyslogHandlerBuilder().with_tcp("127.0.0.1", rs.tcp_port).with_tls(domain="localhost")) \
            .with_backoff(BackoffConfig({"base_ms": 5, "cap_ms": 20, "deadline_ms": 200})).build()
        sent, _ = log_all(handler, 5)
        stats = close_and_count(handler, len(sent))
        assert stats["delivered"] == 0 and stats["dropped"] == 5, stats
        assert rs.count() == 0


def test_syslog_udp_1000_records(rsyslog):
    handler = fields(SyslogHandlerBuilder().with_udp("127.0.0.1", rsyslog.udp_port)).build()
    sent, window = log_all(handler, 1000)
    close_and_count(handler, len(sent))
    check_records(rsyslog.wait_for(len(sent)), sent, window, "imudp")


def test_syslog_unix_socket_1000_records(rsyslog):
    handler = fields(SyslogHandlerBuilder().with_unix_socket(rsyslog.unix_path)) \
        .with_overflow_policy("block").build()
    sent, window = log_all(handler, 1000)
    stats = close_and_count(handler, len(sent))
    assert stats["delivered"] == 1000, stats
    check_records(rsyslog.wait_for(len(sent)), sent, window, "imuxsock")


def test_syslog_tcp_newline_framing_turns_newlines_into_spaces(rsyslog):
    handler = fields(SyslogHandlerBuilder().with_tcp("127.0.0.1", rsyslog.tcp_port, framing="newline")).build()
    logger = femtologging.get_logger("syslog.lines")
    logger.add_handler(handler)
    logger.info("first line\nsecond line")
    logger.info("plain")
    close_and_count(handler, 2)
    got = rsyslog.wait_for(2)
    assert [r["msg"] for r in got] == ["first line second line", "plain"]


def test_syslog_octet_counting_keeps_multiline_and_large_messages_whole(rsyslog):
    handler = fields(SyslogHandlerBuilder().with_tcp("127.0.0.1", rsyslog.tcp_port)).build()
    logger = femtologging.get_logger("syslog.big")
    logger.add_handler(handler)
    big = "x" * 100_000
    logger.info("a\nb")
    logger.info(big)
    close_and_count(handler, 2)
    got = rsyslog.wait_for(2)
    assert got[0]["msg"] == "a#012b"  # rsyslog escapes the control character it received
    assert got[1]["msg"] == big  # sent whole over TCP, never split


def test_syslog_udp_truncates_to_the_maximum_size(rsyslog):
    handler = fields(SyslogHandlerBuilder().with_udp("127.0.0.1", rsyslog.udp_port)) \
        .with_max_message_size(600).build()
    logger = femtologging.get_logger("syslog.trunc")
    logger.add_handler(handler)
    logger.info("\u00e9" * 1000)
    close_and_count(handler, 1)
    (rec,) = rsyslog.wait_for(1)
    msg = rec["msg"]
    assert msg and set(msg) == {"\u00e9"}  # cut on a character boundary
    assert len(msg) < 300


def test_syslog_rfc3164_fields(rsyslog):
    handler = (SyslogHandlerBuilder().with_tcp("127.0.0.1", rsyslog.tcp_port).with_format("rfc3164")
               .with_facility("daemon").with_app_name("bsdtag").with_hostname("oldhost").with_procid(77)
               .build())
    logger = femtologging.get_logger("syslog.bsd")
    logger.add_handler(handler)
    before = datetime.datetime.now().replace(microsecond=0)
    logger.error("bsd style")
    after = datetime.datetime.now()
    close_and_count(handler, 1)
    (rec,) = rsyslog.wait_for(1)
    assert (rec["facility"], rec["severity"], rec["pri"]) == ("daemon", "err", str(3 * 8 + 3))
    assert (rec["hostname"], rec["appname"], rec["procid"]) == ("oldhost", "bsdtag", "77")
    assert rec["msg"].strip() == "bsd style"
    # RFC 3164 has local time without a year or fraction; rsyslog fills them.
    ts = parse_rfc3339(rec["timestamp"]).replace(tzinfo=None)
    assert before <= ts.replace(year=before.year) <= after


def test_syslog_defaults_host_program_and_pid(rsyslog):
    handler = SyslogHandlerBuilder().with_unix_socket(rsyslog.unix_path).build()
    logger = femtologging.get_logger("syslog.defaults")
    logger.add_handler(handler)
    logger.warning("defaults")
    close_and_count(handler, 1)
    (rec,) = rsyslog.wait_for(1)
    with open("/proc/self/cmdline", "rb") as f:
        program = os.path.basename(f.read().split(b"\0")[0].decode())
    assert rec["hostname"] == socket.gethostname()
    assert rec["appname"] == program[:48]
    assert rec["procid"] == str(os.getpid())
    assert (rec["facility"], rec["severity"], rec["msgid"]) == ("user", "warning", "-")


def test_syslog_reconnects_after_rsyslog_restarts(tmp_path):
    first = Rsyslog(tmp_path / "a")
    try:
        port = first.tcp_port
        handler = fields(SyslogHandlerBuilder().with_tcp("127.0.0.1", port)) \
            .with_overflow_policy("block").build()
        logger = femtologging.get_logger("syslog.restart")
        logger.add_handler(handler)
        logger.info("before")
        assert handler.flush()
        first.wait_for(1)
    finally:
        first.stop()
    # The same port, now refusing connections: records wait for the backoff.
    logger.info("during")
    second = _rsyslog_on_port(tmp_path / "b", port)
    try:
        logger.info("after")
        assert handler.flush(10_000)
        close_and_count(handler, 3)
        got = [r["msg"] for r in second.wait_for(2)]
        assert got == ["during", "after"]
    finally:
        second.stop()


def _rsyslog_on_port(directory, port):
    """An rsyslog whose TCP input reuses a known port (for the restart test)."""
    class Fixed(Rsyslog):
        def _config(self, tls):
            return super()._config(tls).replace('imtcp" port="0"', f'imtcp" port="{port}"')

        def _read_port(self):
            # rsyslog writes no port file for a fixed port: it is ready
            # once it accepts a connection.
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
            except OSError:
                return None
            return port

    return Fixed(directory)


def test_syslog_dictconfig_sysloghandler_reaches_rsyslog(rsyslog):
    femtologging.dictConfig({
        "version": 1,
        "handlers": {"sys": {"class": "logging.handlers.SysLogHandler",
                             "kwargs": {"address": ("127.0.0.1", rsyslog.tcp_port),
                                        "facility": "local5",
                                        "socktype": socket.SOCK_STREAM,
                                        "app_name": "dc", "hostname": "dchost"}}},
        "root": {"level": "INFO", "handlers": ["sys"]},
    })
    femtologging.get_logger("dc.app").error("from dictConfig")
    (rec,) = rsyslog.wait_for(1)
    assert (rec["facility"], rec["severity"], rec["appname"], rec["hostname"], rec["msg"]) == \
        ("local5", "err", "dc", "dchost", "from dictConfig")
