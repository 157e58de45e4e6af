"""A short tour of femtologging, run by `make demo`."""

import logging
import os
import tempfile
import threading

from femtologging import (
    FemtoRotatingFileHandler,
    FemtoStreamHandler,
    Formatter,
    HandlerOptions,
    StreamHandlerBuilder,
    get_logger,
    log_context,
    stdlib,
)

# The Quick start.
logger = get_logger("demo.app")
console = FemtoStreamHandler.stderr()
logger.add_handler(console)
logger.log("INFO", "hello from femtologging")

# log() returns the line it queued, or None when the level filters it out.
print("log() returned:", repr(logger.log("WARNING", "disk at 91%")))
print("DEBUG is below the default INFO level:", logger.log("DEBUG", "not shown"))

# A Python handler runs on the logger's worker thread, never the caller's.
class Collector:
    def __init__(self):
        self.records = []
        self.done = threading.Event()

    def handle_record(self, record):
        self.records.append((record["thread_name"], record["level"], record["message"]))
        if len(self.records) == 3:
            self.done.set()

collector = Collector()
audit = get_logger("demo.audit")
audit.add_handler(collector)
for i in range(3):
    audit.log("ERROR", f"event {i}")
collector.done.wait(5)
print("collected by a Python handler:", collector.records)

# A formatter callable on a stdout handler; records from demo.app.db also
# propagate to demo.app's stderr handler.
json_out = StreamHandlerBuilder.stdout().with_formatter(
    lambda r: f'{{"logger": "{r["logger"]}", "level": "{r["level"]}", "msg": "{r["message"]}"}}'
).build()
db = get_logger("demo.app.db")
db.add_handler(json_out)
db.log("INFO", "connected")

# A size-rotated file that never drops (block policy): 300 records of ~40
# bytes in 4 KiB files, keeping 2 backups.
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "app.log")
    rotating = FemtoRotatingFileHandler(
        path, options=HandlerOptions(policy="block", rotation=(4096, 2)))
    batch = get_logger("demo.batch")
    batch.set_propagate(False)
    batch.add_handler(rotating)
    for i in range(300):
        batch.log("INFO", f"processed item {i:03}")
    rotating.close()
    for name in sorted(os.listdir(tmp)):
        with open(os.path.join(tmp, name)) as f:
            lines = f.read().splitlines()
        print(f"{name}: {os.path.getsize(os.path.join(tmp, name))} bytes, "
              f"{lines[0]!r} .. {lines[-1]!r}")

# Rich records: stdlib's arguments and format strings, formatted in Go on
# the handler's worker; a traceback rendered as stdlib renders it; fields
# from a log_context; and a library's stdlib logging routed into the same
# queues by stdlib.capture().
rich = StreamHandlerBuilder.stdout().with_formatter(
    Formatter("%(asctime)s %(levelname)-8s %(name)s: %(message)s [%(request)s]")).build()
service = get_logger("demo.service")
service.set_propagate(False)
service.add_handler(rich)
with log_context(request="r-17"):
    service.info("user %s logged in after %.1f s", "ann", 0.25)
    try:
        {}["missing"]
    except KeyError:
        service.exception("lookup failed")
    stdlib.capture(loggers=["demo.service"])
    logging.getLogger("demo.service").warning("the same logger, called through stdlib logging")
    stdlib.release()
rich.flush()

for h in (rich, json_out, console):
    h.flush()
    h.close()
print("dropped by demo.app:", logger.get_dropped())
