#!/usr/bin/env python3
"""Two crisisd builds side by side, interleaved: did a change make crisisd faster?

On a shared 2-core VM a row's figures move by 10-20 % from one run to the next (steal time, the
host's other guests), more than most single changes move them, so a whole `make bench` before
and after a change says little. Here the crisisd half of each chosen row runs against each build
in turn, round after round, the order swapped every round (base, new; new, base; ...), so that
both builds meet the same drift; then each figure's runs, their medians, the change, and whether
the new build was better in every pair of runs. Alertmanager is not run.

    git worktree add /tmp/base <commit> && (cd /tmp/base && swift build -c release)
    swift build -c release
    python3 -B Benchmarks/compare.py --base /tmp/base/.build/release --new .build/release

With `--paired COUNT`, instead of rows: both builds run at once and get COUNT sequential
triggers each, one to each in turn, so each pair meets the same moment of the machine; it prints
each build's p50, p90 and p99, the median difference over the pairs and the share of pairs the
new build was faster in (2,000 pairs: about 10 s).

Each folder holds a build's `crisisd` and `crisisctl`. Rows: sequential (about 3 s a run),
burst (about 13 s), timer (about 8 s); by default sequential and burst, three rounds
(about 2 minutes; all three rows, about 2.5). Writes the comparison as JSON to --out; the daemons' state, in a folder under
/tmp, is removed at the end unless --keep.
"""
import argparse
import datetime
import json
import os
import shutil
import signal
import sys
import tempfile
import time

import benchstats as bs
import harness

# Each row's figures: (name, path into the row's result, lower is better).
FIGURES = {
    "sequential": [
        ("trigger → page p50 (ms)", ("p50_ms",), True),
        ("trigger → page p99 (ms)", ("p99_ms",), True),
        ("CPU per trigger (ms)", ("cpu_ms_per_trigger",), True),
    ],
    "burst": [
        ("accepted per second", ("accepted_per_s",), False),
        ("trigger → page p99 (ms)", ("trigger_to_page", "p99_ms"), True),
        ("CPU per accepted (ms)", ("cpu_ms_per_accepted",), True),
    ],
    "timer": [
        ("lateness p50 (ms)", ("p50_ms",), True),
        ("lateness p99 (ms)", ("p99_ms",), True),
        ("CPU per step (ms)", ("cpu_ms_per_step",), True),
    ],
}
METHODS = {"sequential": "sequential_crisisd", "burst": "burst_crisisd", "timer": "timer"}


def run_row(bench, build, row):
    """One run of `row`'s crisisd half against `build`: ({figure: value}, load verdict)."""
    bench.args.crisisd = os.path.join(build, "crisisd")
    bench.args.crisisctl = os.path.join(build, "crisisctl")
    watch = harness.LoadWatch()
    result = getattr(bench, METHODS[row])()
    if row == "timer":
        result = result["crisisd"]
    load = watch.finish()
    figures = {f"{row}: {name}": harness.g(result, *path) for name, path, _ in FIGURES[row]}
    return figures, load["verdict"]


def paired(bench, base, new, count, warmup=40):
    """Both builds at once, one trigger to each in turn (the order swapped every pair), each
    waiting for its page: pairs of triggers sent a millisecond apart meet the same machine, so
    a difference of a few per cent shows where whole rows drown it (`--paired`)."""
    daemons = {}
    for which, build in (("base", base), ("new", new)):
        bench.serial += 1
        daemons[which] = harness.Crisisd(
            os.path.join(build, "crisisd"), os.path.join(build, "crisisctl"), bench.work, f"crisisd-{bench.serial}",
            bench.receiver.port)
        daemons[which].start()
    connections = {which: d.connection() for which, d in daemons.items()}
    times = {"base": [], "new": []}
    watch = harness.LoadWatch()
    for i in range(warmup + count):
        if i == warmup:
            cpu0 = {which: d.cpu_jiffies() for which, d in daemons.items()}
        for which in (("base", "new") if i % 2 == 0 else ("new", "base")):
            daemon, conn = daemons[which], connections[which]
            key = f"p{bench.serial}-{which}-{i}"
            start = time.monotonic_ns()
            conn.request("POST", "/v1/crises", daemon.trigger_body(key), daemon.headers())
            response = conn.getresponse()
            response.read()
            if response.status != 201:
                raise RuntimeError(f"{which} answered {response.status} to trigger {i}")
            arrival = bench.receiver.wait_for("c:" + key, 10)
            if arrival is None:
                raise RuntimeError(f"no page from {which} for trigger {i} within 10 s")
            if i >= warmup:
                times[which].append((arrival[0] - start) / 1e6)
    summary = bs.paired_latencies(times["base"], times["new"])
    for which, daemon in daemons.items():
        summary[which]["cpu_ms_per_trigger"] = harness.cpu_ms(daemon.cpu_jiffies() - cpu0[which], count)
        daemon.stop()
    summary["load"] = watch.finish()["verdict"]
    return summary


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="folder of the build to compare against")
    parser.add_argument("--new", required=True, help="folder of the changed build")
    parser.add_argument("--rows", default="sequential,burst", help="comma-separated: sequential, burst, timer")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", default=os.path.join(harness.HERE, "results", "compare.json"))
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (the daemons' state and logs)")
    parser.add_argument("--paired", type=int, metavar="COUNT",
                        help="instead of rows: COUNT sequential triggers to each build, both running, in turn")
    args = parser.parse_args()
    rows = [r for r in args.rows.split(",") if r]
    unknown = [r for r in rows if r not in FIGURES]
    if unknown:
        parser.error(f"--rows: unknown row {', '.join(unknown)} (known: {', '.join(FIGURES)})")
    for build in (args.base, args.new):
        for binary in ("crisisd", "crisisctl"):
            if not os.access(os.path.join(build, binary), os.X_OK):
                parser.error(f"no executable {binary} in {build}")

    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    work = tempfile.mkdtemp(prefix="crisisd-compare.", dir="/tmp")
    runs = {"base": [], "new": []}
    noisy = {"base": 0, "new": 0}
    try:
        bench = harness.Bench(argparse.Namespace(crisisd=None, crisisctl=None, alertmanager=None), work)
        if args.paired:
            return report_paired(args, paired(bench, args.base, args.new, args.paired))
        for round_index in range(args.rounds):
            order = ("base", "new") if round_index % 2 == 0 else ("new", "base")
            for which in order:
                figures, verdict = {}, []
                for row in rows:
                    row_figures, row_verdict = run_row(bench, getattr(args, which), row)
                    figures |= row_figures
                    verdict.append(row_verdict)
                runs[which].append(figures)
                noisy[which] += "noisy" in verdict
                shown = ", ".join(f"{k.split(': ', 1)[1]} {bs.fmt_num(v, 2)}" for k, v in figures.items())
                harness.log(f"round {round_index + 1}, {which}: {shown}{' (noisy)' if 'noisy' in verdict else ''}")
    except KeyboardInterrupt:
        harness.log("interrupted")
        return 130
    except Exception as e:  # a daemon that did not start, a row that failed: say which, and stop
        harness.log(f"stopped: {type(e).__name__}: {e}")
        return 1
    finally:
        harness.cleanup()
        # The daemons' databases: hundreds of megabytes after a few rounds.
        if args.keep:
            harness.log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    lower_is_better = {f"{row}: {name}": lower for row in rows for name, _, lower in FIGURES[row]}
    compared = bs.compare_figures(runs["base"], runs["new"], lower_is_better)
    table = [[
        r["figure"], " / ".join(bs.fmt_num(v, 2) for v in r["base"]), " / ".join(bs.fmt_num(v, 2) for v in r["new"]),
        bs.fmt_num(r["base_median"], 2), bs.fmt_num(r["new_median"], 2),
        "—" if r["change_percent"] is None else f"{r['change_percent']:+.1f} %",
        "yes" if r["new_better_in_every_pair"] else "no",
    ] for r in compared]
    print(bs.markdown_table(
        ["figure", "base runs", "new runs", "base median", "new median", "change", "new better in every pair"], table))
    if noisy["base"] or noisy["new"]:
        print(f"\nruns with other processes busy: base {noisy['base']}, new {noisy['new']} of {args.rounds}")
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump({"base": os.path.abspath(args.base), "new": os.path.abspath(args.new), "rows": rows,
                   "rounds": args.rounds, "noisy_runs": noisy,
                   "finished_at": datetime.datetime.now(datetime.timezone.utc).isoformat(),
                   "figures": compared}, f, indent=1, ensure_ascii=False)
    print(f"\nwritten to {args.out}")
    return 0


def report_paired(args, summary):
    table = [[f"trigger → page {p} (ms)", bs.fmt_num(summary["base"][f"{p}_ms"], 3),
              bs.fmt_num(summary["new"][f"{p}_ms"], 3)] for p in ("p50", "p90", "p99")]
    table.append(["CPU per trigger (ms)", bs.fmt_num(summary["base"]["cpu_ms_per_trigger"], 2),
                  bs.fmt_num(summary["new"]["cpu_ms_per_trigger"], 2)])
    print(bs.markdown_table(["figure", "base", "new"], table))
    print(f"\nnew − base, median over {summary['pairs']} pairs: {summary['median_difference_ms'] * 1000:+.0f} µs; "
          f"new faster in {summary['new_faster_share'] * 100:.0f} % of pairs; machine {summary['load']}")
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump({"base": os.path.abspath(args.base), "new": os.path.abspath(args.new), "paired": summary,
                   "finished_at": datetime.datetime.now(datetime.timezone.utc).isoformat()}, f, indent=1,
                  ensure_ascii=False)
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
