"""A short tour of femtologging, run by `make demo`."""

import os
import tempfile
import threading

from femtologging import (
    FemtoRotatingFileHandler,
    FemtoStreamHandler,
    HandlerOptions,
    StreamHandlerBuilder,
    get_logger,
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

for h in (json_out, console):
    h.flush()
    h.close()
print("dropped by demo.app:", logger.get_dropped())
