"""A socket handler made by dictConfig sends frames like one from the
builder: the Go builder accepts the specs the configuration front ends write."""

from femtologging import get_logger
from femtologging.config.dict_config import dictConfig

from socket_support import FrameServer


def test_socket_config_dict_config_handler_delivers_frames():
    with FrameServer() as server:
        dictConfig({
            "version": 1,
            "handlers": {"net": {"class": "logging.handlers.SocketHandler",
                                 "args": f"('127.0.0.1', {server.port})",
                                 "kwargs": {"backoff": {"base_ms": 5, "cap_ms": 20}}}},
            "loggers": {"svc": {"handlers": ["net"], "level": "INFO"}},
            "root": {"level": "INFO"},
        })
        logger = get_logger("svc")
        logger.log("ERROR", "configured socket")
        (handler,) = logger.handlers
        assert handler.flush()
        server.wait_for(lambda m: m == ["configured socket"])
        handler.close()
    assert server.records[0]["logger"] == "svc" and server.records[0]["level"] == "ERROR"
