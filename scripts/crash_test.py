#!/usr/bin/env python3
"""Fault injection against the release binary: `make crash-test N=100`.

Each round picks one of:
  first-load  SIGKILL a first run into a new store at a random moment;
  update      SIGKILL a run into an existing store (a 10% changed export) at a random moment;
  export      SIGKILL `crmbridge export master --out` at a random moment;
  scan        SIGKILL `crmbridge scan gaps --out` at a random moment.
After each kill: the store passes PRAGMA integrity_check; its exports equal those before the run
or, if the kill came after the commit, those of an uninterrupted run; a killed export or scan
leaves its previous output file or none, never a partial one; and a re-run ends equal to an
uninterrupted run.

Then, once each: a full disk (a small tmpfs) during a first load, an export and an update (and
the run after it, once there is room), a read-only
store, and 2 and 4 runners writing to one store at once (every row accounted for, the same
master as the same batches one after another).

Prints one line per round and a summary line `crash-test: N passed, M failed`; exits 1 on any
failure. Needs root for the tmpfs (skipped, and said so, without it)."""

import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build/release/crmbridge")
AS_OF = "2026-11-22T03:00:00+08:00"

PIPELINE = """pipeline: crash
store: sqlite:{store}
key: {{demo: true}}
sources:
  - system: {system}
    path: {input}
    encoding: utf-8
    delimiter: ","
    id: 客户编号
    updated_at: 更新时间
    fields:
      company: 客户名称
      name: 联系人
      phone: 手机
      tax_id: 统一社会信用代码
      address: 地址
      owner: 负责人
      sales_group: 销售组
      status: 客户状态
      last_contact_at: 最近联系日期
      next_followup_plan: 下次跟进计划
"""


def run(args, **kw):
    return subprocess.run([BIN] + args, capture_output=True, text=True, **kw)


def write_pipeline(folder, store, inputs, system="crm", name="crash.yml"):
    path = os.path.join(folder, name)
    with open(path, "w") as f:
        f.write(PIPELINE.format(store=store, input=inputs, system=system))
    return path


def exports(store):
    """The contract exports of a store, batch ids blanked (they differ run to run)."""
    out = {}
    for table in ("master", "xref", "rejects"):
        result = run(["export", table, "--store", "sqlite:" + store])
        if result.returncode != 0:
            return {"error": result.stderr}
        lines = result.stdout.splitlines()
        if table in ("xref", "rejects") and lines:
            header = lines[0].split(",")
            column = header.index("batch_id")
            lines = [lines[0]] + sorted(",".join(c for i, c in enumerate(l.split(",")) if i != column)
                                        for l in lines[1:])
        out[table] = "\n".join(lines)
    return out


def integrity(store):
    if not os.path.exists(store):
        return "ok"
    connection = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()


def kill_at_random(args, low, high, rng):
    process = subprocess.Popen([BIN] + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(rng.uniform(low, high))
    process.send_signal(signal.SIGKILL)
    process.wait()
    return process.returncode


class Rounds:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"  ok    {name}")
        else:
            self.failed += 1
            print(f"  FAIL  {name}: {detail}")


def make_inputs(folder, rows):
    base = os.path.join(folder, "base.csv")
    update = os.path.join(folder, "update.csv")
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts/gen_fixtures.py"), "--bench", str(rows), "--out", base],
                   check=True, capture_output=True)
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts/gen_fixtures.py"), "--bench-update", "10",
                    "--from", base, "--out", update], check=True, capture_output=True)
    return base, update


def reference(folder, base, update):
    """Exports after the base run alone, and after base then update, run without faults."""
    store = os.path.join(folder, "reference.sqlite")
    for path in (base, update):
        pipeline = write_pipeline(folder, store, path, name="reference.yml")
        result = run(["run", pipeline, "--as-of", AS_OF, "--force"])
        assert result.returncode == 0, result.stderr
        if path == base:
            after_base = exports(store)
    return after_base, exports(store), store


def timed(args):
    started = time.time()
    result = run(args)
    return time.time() - started, result


def kill_rounds(folder, rounds, n, rng, base, update, after_base, after_update, base_store):
    # How long a whole run takes, to aim the kills inside it.
    probe = os.path.join(folder, "probe.sqlite")
    seconds, _ = timed(["run", write_pipeline(folder, probe, base, name="probe.yml"), "--as-of", AS_OF])
    export_seconds, _ = timed(["export", "master", "--store", "sqlite:" + base_store, "--out",
                               os.path.join(folder, "probe.csv")])
    for index in range(n):
        kind = rng.choice(["first-load", "update", "export", "scan"])
        work = tempfile.mkdtemp(dir=folder)
        store = os.path.join(work, "store.sqlite")
        if kind == "first-load":
            pipeline = write_pipeline(work, store, base)
            kill_at_random(["run", pipeline, "--as-of", AS_OF], 0.01, seconds * 1.1, rng)
            state = exports(store) if os.path.exists(store) else None
            ok = integrity(store) == "ok" and state in (None, after_base)
            rounds.check(f"{index + 1} first-load killed", ok, f"integrity {integrity(store)}")
            again = run(["run", pipeline, "--as-of", AS_OF])
            rounds.check(f"{index + 1} first-load re-run", again.returncode == 0 and exports(store) == after_base,
                         again.stderr[-300:])
        elif kind == "update":
            shutil.copy(base_store, store)
            pipeline = write_pipeline(work, store, update)
            kill_at_random(["run", pipeline, "--as-of", AS_OF, "--force"], 0.01, seconds * 1.1, rng)
            state = exports(store)
            ok = integrity(store) == "ok" and state in (after_base, after_update)
            rounds.check(f"{index + 1} update killed", ok, f"integrity {integrity(store)}")
            again = run(["run", pipeline, "--as-of", AS_OF, "--force"])
            rounds.check(f"{index + 1} update re-run", again.returncode == 0 and exports(store) == after_update,
                         again.stderr[-300:])
        else:
            out = os.path.join(work, "out.csv")
            with open(out, "w") as f:
                f.write("before\n")
            args = (["export", "master", "--store", "sqlite:" + base_store, "--out", out] if kind == "export" else
                    ["scan", "gaps", "--store", "sqlite:" + base_store, "--format", "csv", "--out", out])
            kill_at_random(args, 0.0, export_seconds * 1.2, rng)
            with open(out) as f:
                text = f.read()
            complete = run(args[:-1] + [os.path.join(work, "complete.csv")])
            with open(os.path.join(work, "complete.csv")) as f:
                whole = f.read()
            partial = [name for name in os.listdir(work) if name.endswith(".partial")]
            rounds.check(f"{index + 1} {kind} killed", text in ("before\n", whole) and integrity(base_store) == "ok",
                         f"the file holds {len(text)} bytes of {len(whole)}; partial files {partial}")
        shutil.rmtree(work, ignore_errors=True)


def full_disk(folder, rounds, base, update, base_store, after_base, after_update):
    if os.geteuid() != 0:
        print("  skip  full disk: needs root to mount a tmpfs")
        return
    mount = os.path.join(folder, "tmpfs")
    os.makedirs(mount)
    size = max(os.path.getsize(base_store) * 2 // 3, 1 << 20)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", mount]).returncode != 0:
        print("  skip  full disk: cannot mount a tmpfs here")
        return
    try:
        store = os.path.join(mount, "store.sqlite")
        pipeline = write_pipeline(folder, store, base, name="full.yml")
        result = run(["run", pipeline, "--as-of", AS_OF])
        rounds.check("full disk during a first load", result.returncode == 1 and not os.path.exists(store)
                     and "Traceback" not in result.stderr, result.stderr[-300:])
        out = os.path.join(mount, "master.csv")
        filler = os.path.join(mount, "filler")
        with open(filler, "wb") as f:
            f.write(b"\0" * (size - (64 << 10)))
        result = run(["export", "master", "--store", "sqlite:" + base_store, "--out", out])
        rounds.check("full disk during an export", result.returncode == 1 and not os.path.exists(out)
                     and not [n for n in os.listdir(mount) if n.endswith(".partial")], result.stderr[-300:])
        # An update into an existing store whose disk fills: rolled back, the WAL's space given
        # back, and once there is room again the same run loads as if nothing had happened.
        os.remove(filler)
        subprocess.run(["mount", "-o", f"remount,size={os.path.getsize(base_store) * 3}", mount], check=True)
        store = os.path.join(mount, "update.sqlite")
        shutil.copy(base_store, store)
        status = os.statvfs(mount)
        with open(filler, "wb") as f:
            f.write(b"\0" * max(0, status.f_bavail * status.f_frsize - (256 << 10)))
        pipeline = write_pipeline(folder, store, update, name="full-update.yml")
        result = run(["run", pipeline, "--as-of", AS_OF])
        wal = store + "-wal"
        wal_bytes = os.path.getsize(wal) if os.path.exists(wal) else 0
        os.remove(filler)
        rounds.check("full disk during an update", result.returncode == 1 and wal_bytes == 0 and integrity(store) == "ok"
                     and exports(store) == after_base and "Traceback" not in result.stderr,
                     f"exit {result.returncode}, WAL {wal_bytes} bytes: {result.stderr[-300:]}")
        result = run(["run", pipeline, "--as-of", AS_OF])
        rounds.check("the run after the disk had room again", result.returncode == 0 and exports(store) == after_update,
                     result.stderr[-300:])
    finally:
        subprocess.run(["umount", mount])


def read_only(folder, rounds, base, base_store):
    """A store on a read-only file system (a bind mount; root writes through a file's mode)."""
    if os.geteuid() != 0:
        print("  skip  read-only store: needs root for a read-only bind mount")
        return
    source, mount = os.path.join(folder, "ro-source"), os.path.join(folder, "ro")
    os.makedirs(source)
    os.makedirs(mount)
    shutil.copy(base_store, os.path.join(source, "store.sqlite"))
    if subprocess.run(["mount", "--bind", source, mount]).returncode != 0 or \
            subprocess.run(["mount", "-o", "remount,bind,ro", mount]).returncode != 0:
        print("  skip  read-only store: cannot bind-mount here")
        return
    try:
        store = os.path.join(mount, "store.sqlite")
        pipeline = write_pipeline(folder, store, base, name="readonly.yml")
        result = run(["run", pipeline, "--as-of", AS_OF, "--force"])
        rounds.check("read-only store: a run fails and says why", result.returncode == 1
                     and "read-only file system" in result.stderr, result.stderr[-300:])
        health = run(["health", "--store", "sqlite:" + store])
        rounds.check("read-only store: health says why", health.returncode == 1
                     and "read-only file system" in health.stderr, health.stderr[-300:])
    finally:
        subprocess.run(["umount", mount])


def concurrent(folder, rounds, base, runners):
    """Runners loading slices of one export, as different systems, into one new store at once,
    against the same runs one after another."""
    with open(base) as f:
        lines = f.read().splitlines()
    header, body = lines[0], lines[1:]
    parts = []
    for index in range(runners):
        path = os.path.join(folder, f"part{runners}-{index}.csv")
        with open(path, "w") as f:
            f.write("\n".join([header] + body[index::runners]) + "\n")
        parts.append(path)
    together = os.path.join(folder, f"together{runners}.sqlite")
    pipelines = [write_pipeline(folder, together, parts[i], system=f"sys{i}", name=f"c{runners}-{i}.yml")
                 for i in range(runners)]
    processes = [subprocess.Popen([BIN, "run", p, "--as-of", AS_OF, "--wait", "600"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for p in pipelines]
    results = [(p.wait(), p.stderr.read()) for p in processes]
    rounds.check(f"{runners} runners at once: all committed", all(code == 0 for code, _ in results),
                 "; ".join(e[-200:] for _, e in results))
    alone = os.path.join(folder, f"alone{runners}.sqlite")
    for i in range(runners):
        pipeline = write_pipeline(folder, alone, parts[i], system=f"sys{i}", name=f"a{runners}-{i}.yml")
        assert run(["run", pipeline, "--as-of", AS_OF]).returncode == 0
    got, want = exports(together), exports(alone)
    rounds.check(f"{runners} runners at once: integrity", integrity(together) == "ok", integrity(together))
    rounds.check(f"{runners} runners at once: every row in xref or rejects as one after another",
                 got.get("xref") == want.get("xref") and got.get("rejects") == want.get("rejects"), "")
    # The lock may be granted in any order; customers and their keys must not depend on it.
    keys = lambda text: sorted(line.split(",")[0] for line in (text or "").splitlines()[1:])
    rounds.check(f"{runners} runners at once: the same customers", keys(got.get("master")) == keys(want.get("master")), "")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=100, help="kill rounds (default 100)")
    parser.add_argument("--rows", type=int, default=30000, help="rows of the synthetic export (default 30000)")
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    if not os.access(BIN, os.X_OK):
        sys.exit(f"crash-test: {BIN} is missing: run `make release` first")
    rng = random.Random(options.seed)
    rounds = Rounds()
    folder = tempfile.mkdtemp(prefix="crmbridge-crash-")
    started = time.time()
    try:
        base, update = make_inputs(folder, options.rows)
        after_base, after_update, _ = reference(folder, base, update)
        base_store = os.path.join(folder, "base.sqlite")
        assert run(["run", write_pipeline(folder, base_store, base, name="base.yml"), "--as-of", AS_OF]).returncode == 0
        print(f"crash-test: {options.n} kill rounds on {options.rows} rows (seed {options.seed})")
        kill_rounds(folder, rounds, options.n, rng, base, update, after_base, after_update, base_store)
        print("crash-test: faults")
        full_disk(folder, rounds, base, update, base_store, after_base, after_update)
        read_only(folder, rounds, base, base_store)
        for runners in (2, 4):
            concurrent(folder, rounds, base, runners)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"crash-test: {rounds.passed} passed, {rounds.failed} failed ({time.time() - started:.0f} s)")
    sys.exit(1 if rounds.failed else 0)


if __name__ == "__main__":
    main()
