"""`make bench`: run every benchmark scenario, each in its own process.

Each scenario is a script beside this one (bench_<name>.py) that prints its
own table; running them in separate processes keeps one scenario's Go
runtime, threads and queues from disturbing the next.
"""

import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIOS = ["bench_stream.py", "bench_file.py", "bench_timed.py", "bench_socket.py", "bench_syslog.py",
             "bench_http.py", "bench_otlp.py", "bench_stdlib.py",
             "bench_records.py", "bench_fork.py"]


def main():
    print(f"femtologging benchmarks — {time.strftime('%Y-%m-%d %H:%M:%S')}, "
          f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    failed = []
    for name in SCENARIOS:
        path = os.path.join(HERE, name)
        if not os.path.exists(path):
            continue
        print(f"\n=== {name}", flush=True)
        if subprocess.run([sys.executable, path], timeout=600).returncode != 0:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
