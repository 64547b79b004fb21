"""Export a 20,000-event run in every format, beside plain reads and writes of the same rows.

    .venv/bin/python bench/bench_export.py            # 20,000 events, 3 repetitions (--reps N)
    .venv/bin/python bench/bench_export.py --quick    # 4,000 events, 1 repetition
    .venv/bin/python bench/bench_export.py --baseline-src DIR   # also the golive in DIR/ (before)

The run: a 200-task runbook (bench/gen_runbook.py) loaded live, then 19,999 events journaled
through golive.store.repository's Writer.append in one transaction, 3 s apart: per task in turn a start, five
check results (one in thirteen failing, each with ~300 bytes of evidence), a note and a sign-off.

Each measurement runs in a fresh child process, imports done before the clock starts, so its
peak memory (ru_maxrss; "growth" is the peak minus the peak just before the timed work) is its own:

  csv xlsx jsonl html md   golive.export.exporter.export_run(db, run, FORMAT, out): read the run,
                           verify it (the chain and the database, as `golive verify`), fold it, write
                           the file(s) to temporary files and rename them into place
  before: FORMAT           the same, by the golive whose sources are in --baseline-src DIR (say, a
                           `git archive` of main), on the same run, interleaved with the others
  gather                   golive.export.model.gather plus every table (tasks, checks, sign-offs,
                           journal rows, stats): the part all formats share
  ref-json                 reference: sqlite3 reads every journal row into dicts, json.dumps each to
                           a file, one line per row (what jsonl does with no checks at all)
  ref-csv                  reference: sqlite3 rows written as they come with the csv module
  ref-xlsx                 reference for xlsx: the same rows appended raw to one openpyxl write-only
                           sheet (no styles, no other sheets): a general library's floor for them
  ref-xlsxwriter           the same rows raw into one XlsxWriter sheet (write_row, its default mode)

xlsx is compared with ref-csv (writing the rows as text at all) and with ref-xlsx.

Wall time and CPU time (time.process_time, plus any child process's, from RUSAGE_CHILDREN: an
older golive verified in a forked helper) are both reported: on a shared machine the wall clock
also counts the turns of other jobs. Each format is compared with its reference on both medians.
A child's peak RSS is given beside the main one when there was a child.

Target: each format under 5 s. Times are reported, never asserted.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

import _common as C

TARGET_S = 5.0
FORMATS = ("csv", "xlsx", "jsonl", "html", "md")
SUFFIX = {"csv": ".csv", "xlsx": ".xlsx", "jsonl": ".jsonl", "html": ".html", "md": ".md"}


# -- children -----------------------------------------------------------------------------


def child_make(workdir: str, events: int) -> None:
    from golive.progress.events import Actor, Kind
    from golive.progress.payloads import PAYLOADS
    from golive.runbook.load import read_runbook
    from golive.store.db import close_all, open_engine
    from golive.store.repository import Repository
    from golive.store.runs import load

    work = Path(workdir)
    runbook = read_runbook(work / "runbook.yaml")
    tasks = list(runbook.runbook.tasks.values())
    tech = Actor("Bench Tech", "BT", "tech")
    engine = open_engine(work / "state.db")
    run = load(engine, runbook, rehearsal=False, actor=tech, machine="bench/00000000").run.uuid
    start = runbook.runbook.runbook.window.start.astimezone(UTC)
    with Repository(engine).write() as tx:
        head = tx.head(run)
        for i in range(events - 1):
            task = tasks[(i // 8) % len(tasks)]
            step = i % 8
            kind, payload = Kind.CHECK_RESULT, {
                "check": f"{task.id}#{step % 2 + 1}", "index": step % 2 + 1, "check_id": None, "kind": "port",
                "device": "sw1", "transport": "ssh", "target": f"Gi1/0/{i % 48 + 1}",
                "status": "fail" if i % 13 == 0 else "pass", "expected": "status == connected, vlan == 120",
                "observed": {"status": "connected", "vlan": 120}, "reason": "vlan is 1" if i % 13 == 0 else "",
                "evidence": f"Gi1/0/{i % 48 + 1} connected 120 a-full a-1000 10/100/1000BaseTX " * 4,
                "duration_ms": 850, "ports": {}, "lab": False,
            }  # fmt: skip
            actor = tech
            if step == 0:
                kind, payload = Kind.STARTED, {}
            elif step == 6:
                kind, payload = Kind.NOTE, {"text": f"rooms {i % 300} done, charge nurse told"}
            elif step == 7:
                kind, payload = Kind.SIGNED_OFF, {"comment": "ok"}
                roles = task.signoff_rule().roles
                actor = Actor("Bench Tech", "BT", roles[0] if roles else "tech")
            row = tx.append(
                run, PAYLOADS[kind].model_validate(payload), actor, "bench/00000000", task=task.id, head=head,
                now=start + timedelta(seconds=3 * i),
            )  # fmt: skip
            head = (row["seq"], row["hash"])
    close_all()
    C.emit({"ok": True})


def child_export(workdir: str, fmt: str) -> None:
    from golive.export import csv_export, html_export, jsonl_export, md_export, xlsx_export  # noqa: F401
    from golive.export.exporter import export_run

    work = Path(workdir)
    out = work / f"out{SUFFIX[fmt]}"
    before = C.peak_rss_mib()
    c0, t0 = time.process_time(), time.perf_counter()
    done = export_run(work / "state.db", None, fmt, out, force=True)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    size = sum(p.stat().st_size for p in done.files)
    helper = resource.getrusage(resource.RUSAGE_CHILDREN)  # none now; an older golive forked a verifier
    C.emit({"seconds": seconds, "cpu": cpu + helper.ru_utime + helper.ru_stime, "helper_cpu": helper.ru_utime +
            helper.ru_stime, "helper_rss": helper.ru_maxrss / 1024, "rss_before": before,
            "rss_peak": C.peak_rss_mib(), "bytes": size, "events": done.data.trust.events,
            "ok": done.data.trust.ok})  # fmt: skip


def child_gather(workdir: str) -> None:
    from golive.export.model import gather

    work = Path(workdir)
    before = C.peak_rss_mib()
    c0, t0 = time.process_time(), time.perf_counter()
    data = gather(work / "state.db", None)
    read = time.perf_counter() - t0
    for table in (data.tasks, data.checks, data.signoffs, data.journal, data.exceptions):
        assert table is not None
    _ = data.stats
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    C.emit({"seconds": seconds, "cpu": cpu, "read_and_verify": read, "rss_before": before,
            "rss_peak": C.peak_rss_mib()})  # fmt: skip


def _raw_rows(db: Path) -> tuple[list[str], list[tuple[Any, ...]]]:
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    cursor = conn.execute("SELECT * FROM journal ORDER BY run_uuid, seq")
    cols = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    conn.close()
    return cols, rows


def child_ref(workdir: str, what: str) -> None:
    import csv
    import json

    if what == "xlsx":
        from openpyxl import Workbook
    if what == "xlsxwriter":
        import xlsxwriter
    work = Path(workdir)
    before = C.peak_rss_mib()
    c0, t0 = time.process_time(), time.perf_counter()
    cols, rows = _raw_rows(work / "state.db")
    if what == "json":
        with open(work / "ref.jsonl", "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(dict(zip(cols, r, strict=True)), ensure_ascii=False) + "\n" for r in rows)
    elif what == "csv":
        with open(work / "ref.csv", "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(cols)
            writer.writerows(rows)
    elif what == "xlsxwriter":
        book = xlsxwriter.Workbook(str(work / "ref-xw.xlsx"), {"strings_to_numbers": False,
                                   "strings_to_formulas": False, "strings_to_urls": False})  # fmt: skip
        sheet = book.add_worksheet("Journal")
        sheet.write_row(0, 0, cols)
        for n, r in enumerate(rows, 1):
            sheet.write_row(n, 0, r)
        book.close()
    else:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Journal")
        ws.append(cols)
        for r in rows:
            ws.append(r)
        wb.save(work / "ref.xlsx")
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    C.emit({"seconds": seconds, "cpu": cpu, "rss_before": before, "rss_peak": C.peak_rss_mib(), "rows": len(rows)})


# -- parent -------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--reps", type=int, default=None)
    parser.add_argument("--baseline-src", default="", help="also export with the golive in this src/ directory")
    args = parser.parse_args()
    baseline_env = {"PYTHONPATH": str(Path(args.baseline_src).resolve())} if args.baseline_src else None
    events, reps = (4_000, 1) if args.quick else (20_000, 3)
    reps = args.reps or reps

    work = C.scratch_dir("export")
    C.isolate_user_dirs(work / "home")
    C.generate(work / "runbook.yaml", "--tasks", "200")
    me = str(Path(__file__).resolve())
    t0 = time.perf_counter()
    C.run_child([me, "make", str(work), str(events)])
    print(f"made a run of {events:,} events in {time.perf_counter() - t0:.1f} s "
          f"({(work / 'state.db').stat().st_size / 2**20:.1f} MiB)", file=sys.stderr)  # fmt: skip

    before = [f"before: {fmt}" for fmt in FORMATS] if baseline_env else []
    names = [*FORMATS, *before, "gather", "ref-json", "ref-csv", "ref-xlsx", "ref-xlsxwriter"]
    results: dict[str, list[dict[str, Any]]] = {n: [] for n in names}
    for rep in range(reps):
        for name in names[rep % len(names) :] + names[: rep % len(names)]:
            if name in FORMATS:
                results[name].append(C.run_child([me, "export", str(work), name]))
            elif name in before:
                fmt = name.removeprefix("before: ")
                results[name].append(C.run_child([me, "export", str(work), fmt], env=baseline_env))
            elif name == "gather":
                results[name].append(C.run_child([me, "gather", str(work)]))
            else:
                results[name].append(C.run_child([me, "ref", str(work), name.removeprefix("ref-")]))
        print(f"repetition {rep + 1}/{reps} done", file=sys.stderr)

    ref = {"csv": ["ref-csv"], "xlsx": ["ref-csv", "ref-xlsx"], "jsonl": ["ref-json"], "html": ["ref-json"],
           "md": ["ref-json"]}  # fmt: skip
    for name in before:
        fmt = name.removeprefix("before: ")
        ref[name] = ref[fmt]
        ref[fmt] = [*ref[fmt], name]  # after / before, on the same run
    # ratios on wall time (what the PM feels) and on CPU time of every process (an older golive's verifier
    # child included): on a shared machine the wall clock also counts other jobs' turns
    walls = {n: C.summary([r["seconds"] for r in found])["median"] for n, found in results.items()}
    medians = {n: C.summary([r["cpu"] for r in found])["median"] for n, found in results.items()}
    rows = []
    for name, found in results.items():
        s = C.summary([r["seconds"] for r in found])
        cpu = C.summary([r["cpu"] for r in found])["median"]
        helper = C.summary([r.get("helper_cpu", 0.0) for r in found])["median"]
        peak = max(r["rss_peak"] for r in found)
        helper_peak = max(r.get("helper_rss", 0.0) for r in found)
        growth = max(r["rss_peak"] - r["rss_before"] for r in found)
        size = found[0].get("bytes")
        versus = "; ".join(f"{s['median'] / walls[r]:.2f}x / {cpu / medians[r]:.2f}x {r}" for r in ref.get(name, []))
        verdict = ("MET" if s["median"] < TARGET_S else "MISSED") if name in (*FORMATS, *before) else ""
        rows.append([name, f"{s['median']:.3f}", f"{s['min']:.3f}", f"{s['max']:.3f}",
                     f"{cpu:.3f}" + (f" ({helper:.2f} child)" if helper else ""), versus,
                     f"{peak:.0f}" + (f" + {helper_peak:.0f}" if helper_peak else ""),
                     f"{growth:.0f}", f"{size / 2**20:.2f}" if size else "-", verdict])  # fmt: skip
    print(f"machine: {C.machine_line()}")
    print(f"run: {events:,} events, 200 tasks; {reps} repetitions, interleaved; parent peak RSS "
          f"{C.peak_rss_mib():.1f} MiB")  # fmt: skip
    print("references: " + ", ".join(f"{fmt} vs {' and '.join(r)}" for fmt, r in ref.items()))
    print(C.table(["measure", "median s", "min s", "max s", "CPU s (median, all processes)",
                   "wall / CPU vs reference", "peak RSS MiB (main + child)", "RSS growth MiB", "output MiB",
                   f"< {TARGET_S:.0f} s"], rows))  # fmt: skip
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("make", "export", "gather", "ref"):
        command, *rest = sys.argv[1:]
        {"make": lambda: child_make(rest[0], int(rest[1])), "export": lambda: child_export(*rest),
         "gather": lambda: child_gather(*rest), "ref": lambda: child_ref(*rest)}[command]()  # fmt: skip
        sys.exit(0)
    sys.exit(main())
