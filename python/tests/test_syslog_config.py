"""SyslogHandlerBuilder and dictConfig's SysLogHandler: the spec they make,
and bad settings refused at build time with HandlerConfigError naming the
value (no daemon needed)."""

import socket

import pytest

from femtologging import HandlerConfigError, SyslogHandlerBuilder
from femtologging.config.dict_config import handler_spec


def test_syslog_builder_defaults_to_rfc5424_on_dev_log():
    spec = SyslogHandlerBuilder().as_dict()
    assert spec["kind"] == "syslog"
    assert (spec["transport"], spec["unix_path"], spec["format"], spec["facility"]) == \
        ("unix", "/dev/log", "rfc5424", 1)
    assert "host" not in spec and "framing" not in spec


def test_syslog_builder_tls_defaults_to_port_6514():
    spec = SyslogHandlerBuilder().with_tls(insecure=True).as_dict()
    assert (spec["transport"], spec["host"], spec["port"], spec["framing"]) == \
        ("tcp", "localhost", 6514, "octet_counting")
    assert SyslogHandlerBuilder().with_tcp("h").as_dict()["port"] == 514


@pytest.mark.parametrize("call, message", [
    (lambda b: b.with_facility("local9"), "unknown syslog facility 'local9'"),
    (lambda b: b.with_facility(24), "between 0 and 23, got 24"),
    (lambda b: b.with_tcp("h", 0), "between 1 and 65535, got 0"),
    (lambda b: b.with_udp("h", 70000), "between 1 and 65535, got 70000"),
    (lambda b: b.with_tcp("h", 514, framing="crlf"), "syslog framing 'crlf'"),
    (lambda b: b.with_format("rfc5425"), "syslog format 'rfc5425'"),
    (lambda b: b.with_udp("h").with_tls(), "TLS needs TCP"),
    # The TLS options are checked as SocketHandlerBuilder.with_tls checks them.
    (lambda b: b.with_tls(domain=""), "TLS domain must not be empty"),
    (lambda b: b.with_tls(ca_file=""), "TLS ca_file must not be empty"),
])
def test_syslog_builder_rejects_bad_settings(call, message):
    with pytest.raises(HandlerConfigError, match=message.replace("(", r"\(").replace("[", r"\[")):
        call(SyslogHandlerBuilder())


@pytest.mark.parametrize("builder, message", [
    (lambda: SyslogHandlerBuilder().with_tcp("127.0.0.1", 6514).with_tls(ca_file="/nonexistent/ca.pem"),
     '"/nonexistent/ca.pem": open /nonexistent/ca.pem: no such file'),
    (lambda: SyslogHandlerBuilder().with_app_name("my app"), 'app_name "my app": byte 2 is not printable'),
    (lambda: SyslogHandlerBuilder().with_msgid("m" * 33), "more than the 32 allowed"),
    (lambda: SyslogHandlerBuilder().with_sd_id("x@y"), 'sd_id "x@y"'),
    (lambda: SyslogHandlerBuilder().with_udp("h").with_max_message_size(100), "100: must be between 480 and 65507"),
    (lambda: SyslogHandlerBuilder().with_tcp("h").with_max_message_size(1000), "TCP sends messages whole"),
])
def test_syslog_build_rejects_what_go_checks(builder, message):
    with pytest.raises(HandlerConfigError) as info:
        builder().build()
    assert message in str(info.value)


def test_syslog_build_does_not_need_the_daemon():
    handler = SyslogHandlerBuilder().with_unix_socket("/nonexistent/log.sock") \
        .with_backoff({"base_ms": 5, "cap_ms": 10, "deadline_ms": 50}).build()
    handler.handle("app", "INFO", "nobody listens")
    handler.close()
    stats = handler.get_stats()
    assert stats == {"delivered": 0, "dropped": 1, "failed": 0}


def test_dictconfig_sysloghandler_translations():
    assert handler_spec("h", {"class": "logging.handlers.SysLogHandler"}) == \
        {"kind": "syslog", "transport": "udp", "host": "localhost", "port": 514, "facility": "user"}
    assert handler_spec("h", {"class": "logging.handlers.SysLogHandler", "args": "('/dev/log',)"}) == \
        {"kind": "syslog", "transport": "unix", "unix_path": "/dev/log", "facility": "user"}
    spec = handler_spec("h", {"class": "SysLogHandler", "kwargs": {
        "address": ("logs", 6514), "facility": 17, "socktype": socket.SOCK_STREAM,
        "tls_ca_file": "/etc/ca.pem", "format": "rfc3164", "policy": "block"}})
    assert spec == {"kind": "syslog", "transport": "tcp", "host": "logs", "port": 6514, "facility": 17,
                    "format": "rfc3164", "policy": "block",
                    "tls": {"domain": None, "insecure": False, "ca_file": "/etc/ca.pem"}}


@pytest.mark.parametrize("kwargs, message", [
    ({"socktype": 5}, "socktype 5"),
    ({"address": 514}, "address must be a (host, port) pair"),
    ({"address": "/dev/log", "socktype": socket.SOCK_STREAM}, "Unix stream sockets are not supported"),
    ({"address": ("h", 514), "socktype": socket.SOCK_DGRAM, "tls": True}, "TLS needs socktype SOCK_STREAM"),
    ({"severity": 3}, "unsupported argument(s) ['severity']"),
])
def test_dictconfig_sysloghandler_rejects(kwargs, message):
    with pytest.raises(ValueError) as info:
        handler_spec("h", {"class": "logging.handlers.SysLogHandler", "kwargs": kwargs})
    assert message in str(info.value)


def test_dictconfig_sysloghandler_bad_facility_fails_at_build():
    import femtologging
    with pytest.raises(HandlerConfigError, match='unknown facility "local9"'):
        femtologging.dictConfig({
            "version": 1,
            "handlers": {"s": {"class": "logging.handlers.SysLogHandler", "kwargs": {"facility": "local9"}}},
            "root": {"handlers": ["s"]},
        })


def test_fileconfig_style_syslog_args_with_constants():
    spec = handler_spec("h", {"class": "handlers.SysLogHandler",
                              "args": "(('logs', 514), handlers.SysLogHandler.LOG_LOCAL3, socket.SOCK_STREAM)"})
    assert spec == {"kind": "syslog", "transport": "tcp", "host": "logs", "port": 514, "facility": 19}
    spec = handler_spec("h", {"class": "SysLogHandler", "args": "('/dev/log', SysLogHandler.LOG_DAEMON)"})
    assert spec == {"kind": "syslog", "transport": "unix", "unix_path": "/dev/log", "facility": 3}
    with pytest.raises(ValueError, match="not a Python literal"):
        handler_spec("h", {"class": "SysLogHandler", "args": "(('h', 514), SysLogHandler.LOG_NOPE)"})
