"""Fork that works with the ways Python programs fork (issue 12):
multiprocessing's fork and forkserver start methods, ProcessPoolExecutor,
a long run of sequential children, grandchildren, and the memory a
parent that forks many times keeps. Slow: each scenario starts many
processes. Every process is waited for with a deadline (the pools'
own joins, reap() in the snippets) and killed past it."""

import re
from collections import Counter

import pytest

from test_fork import snippet

pytestmark = pytest.mark.slow

BLOCK_FILE = """
import femtologging
from femtologging import FileHandlerBuilder, get_logger
handler = FileHandlerBuilder(sys.argv[1]).with_overflow_policy("block").build()
get_logger("work").add_handler(handler)
get_logger("work").log("INFO", "parent configured")  # loads the library before forking
"""


def _lines(path):
    return path.read_text().splitlines()


def _assert_each_once(lines, prefix, n):
    counts = Counter(line for line in lines if line.startswith(prefix))
    want = {f"{prefix}{i}" for i in range(n)}
    missing = want - set(counts)
    assert not missing, f"{len(missing)} missing, e.g. {sorted(missing)[:5]}"
    dups = {line: c for line, c in counts.items() if c > 1}
    assert not dups, f"duplicated: {list(dups.items())[:5]}"


def test_multiprocessing_pool_fork_2000_tasks(run_python, tmp_path):
    code = snippet(BLOCK_FILE, """
        import multiprocessing

        def task(i):
            get_logger("work.task").log("INFO", f"task {i}")
            return os.getpid()

        if __name__ == "__main__":
            ctx = multiprocessing.get_context("fork")
            with ctx.Pool(4) as pool:
                pids = pool.map(task, range(2000), chunksize=25)
                pool.close()
                pool.join()
            print("workers", len(set(pids)), flush=True)
            handler.flush()
    """)
    rc, out, err = run_python(code, args=(str(tmp_path / "pool.log"),), timeout=120)
    assert rc == 0, err
    assert "workers" in out
    lines = _lines(tmp_path / "pool.log")
    _assert_each_once(lines, "work.task [INFO] task ", 2000)
    assert lines.count("work [INFO] parent configured") == 1


@pytest.mark.parametrize("executor", ["ProcessPoolExecutor", "forkserver"])
def test_process_pool_executor_and_forkserver(run_python, tmp_path, executor):
    context = "fork" if executor == "ProcessPoolExecutor" else "forkserver"
    code = snippet(BLOCK_FILE, f"""
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        def task(i):
            get_logger("work.task").log("INFO", f"task {{i}}")
            # A forkserver child was forked from a server that imported this
            # module, not from this parent: it configures itself on import.
            return i

        if __name__ == "__main__":
            ctx = multiprocessing.get_context("{context}")
            with ProcessPoolExecutor(max_workers=3, mp_context=ctx) as pool:
                done = list(pool.map(task, range(300), timeout=90))
            print("done", len(done), flush=True)
            handler.flush()
    """)
    rc, out, err = run_python(code, args=(str(tmp_path / "ppe.log"),), timeout=120)
    assert rc == 0, err
    assert "done 300" in out
    _assert_each_once(_lines(tmp_path / "ppe.log"), "work.task [INFO] task ", 300)


def test_200_sequential_children_with_a_block_file_handler(run_python, tmp_path):
    code = snippet(BLOCK_FILE, """
        import threading
        stop = threading.Event()
        parent_count = [0]
        def parent_logs():
            while not stop.is_set():
                get_logger("work.parent").log("INFO", f"parent {parent_count[0]}")
                parent_count[0] += 1
        t = threading.Thread(target=parent_logs)
        t.start()
        codes = Counter = {}
        for c in range(200):
            pid = os.fork()
            if pid == 0:
                for i in range(100):
                    get_logger("work.child").log("INFO", f"child {c} {i}")
                handler.flush(timeout_ms=20000)
                os._exit(0)
            code = reap(pid, timeout=60)
            codes[code] = codes.get(code, 0) + 1
        stop.set()
        t.join(30)
        print("codes", codes, "parent", parent_count[0], flush=True)
        handler.flush(timeout_ms=20000)
    """)
    rc, out, err = run_python(code, args=(str(tmp_path / "seq.log"),), timeout=240)
    assert rc == 0, err
    assert "codes {0: 200}" in out, out + err
    parent_n = int(re.search(r"parent (\d+)", out).group(1))
    lines = _lines(tmp_path / "seq.log")
    want_child = [f"work.child [INFO] child {c} {i}" for c in range(200) for i in range(100)]
    counts = Counter(lines)
    assert all(counts[line] == 1 for line in want_child), "a child's record is missing or doubled"
    _assert_each_once(lines, "work.parent [INFO] parent ", parent_n)
    # Whole lines only: nothing but the three kinds of records.
    assert len(lines) == 1 + 200 * 100 + parent_n


def test_grandchildren_log_and_each_generation_costs_a_bounded_amount(run_python, tmp_path):
    # A chain of forks of forks, 12 deep: each generation logs. Each child
    # gives back its parent's dead Go heap and most of its image (test_fork.py
    # checks that directly); the dead copy's writable data and bss stay
    # (docs/decisions.md, "Fork"): about 0.7 MB of RSS per generation here,
    # 2.1 MB when nothing was given back, which the bound would catch.
    code = snippet(BLOCK_FILE, """
        def rss_kb():
            with open("/proc/self/status") as f:
                return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
        depth = 0
        while depth < 12:
            pid = os.fork()
            if pid != 0:
                code = reap(pid, timeout=90)
                if depth == 0:
                    print("chain", code, flush=True)
                    handler.flush()
                else:
                    handler.flush()
                    os._exit(code)
                break
            depth += 1
            get_logger("work.gen").log("INFO", f"generation {depth} rss {rss_kb()}")
            handler.flush()
        else:
            os._exit(0)
    """)
    rc, out, err = run_python(code, args=(str(tmp_path / "chain.log"),), timeout=180)
    assert rc == 0, err
    assert "chain 0" in out, out + err
    rss = {}
    for line in _lines(tmp_path / "chain.log"):
        m = re.fullmatch(r"work.gen \[INFO\] generation (\d+) rss (\d+)", line)
        if m:
            rss[int(m.group(1))] = int(m.group(2))
    assert sorted(rss) == list(range(1, 13)), rss
    per_generation = (rss[12] - rss[2]) / 10
    assert per_generation < 1536, f"{per_generation:.0f} kB per generation: {rss}"


def test_rss_of_a_parent_that_forked_100_times_stays_bounded(run_python, tmp_path):
    code = snippet(BLOCK_FILE, """
        def rss_kb():
            with open("/proc/self/status") as f:
                return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
        def fork_once(k):
            pid = os.fork()
            if pid == 0:
                get_logger("work.child").log("INFO", f"child {k}")
                handler.flush()
                os._exit(0)
            assert reap(pid) == 0
        for k in range(10):
            fork_once(k)
        before = rss_kb()
        for k in range(10, 110):
            fork_once(k)
        print("rss", before, rss_kb(), flush=True)
        handler.flush()
    """)
    rc, out, err = run_python(code, args=(str(tmp_path / "rss.log"),), timeout=180)
    assert rc == 0, err
    before, after = map(int, re.search(r"rss (\d+) (\d+)", out).groups())
    assert after - before < 4096, f"RSS grew {after - before} kB over 100 forks"
    _assert_each_once(_lines(tmp_path / "rss.log"), "work.child [INFO] child ", 110)
