"""A short tour of femtologging, run by `make demo`."""

import threading

from femtologging import FemtoStreamHandler, StreamHandlerBuilder, get_logger

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

for h in (json_out, console):
    h.flush()
    h.close()
print("dropped by demo.app:", logger.get_dropped())
