"""The harness's pure parts: percentiles, the load verdict, formatting. No I/O here (unittest'd)."""
import math

# Other processes may use this much of one core during a row before it counts as noisy.
NOISE_LIMIT_CORES = 0.10


def percentile(values, p):
    """Nearest-rank percentile of `values` (p in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def summary_ms(values_ns):
    """p50, p99 and max of nanosecond values, in milliseconds, and how many there were."""
    if not values_ns:
        return {"n": 0, "p50_ms": None, "p99_ms": None, "max_ms": None}
    return {
        "n": len(values_ns),
        "p50_ms": percentile(values_ns, 50) / 1e6,
        "p99_ms": percentile(values_ns, 99) / 1e6,
        "max_ms": max(values_ns) / 1e6,
    }


def load_verdict(others_cores):
    """'quiet' or 'noisy' from the average cores other processes used during a row."""
    return "noisy" if others_cores > NOISE_LIMIT_CORES else "quiet"


def row_mark(attempts, verdict):
    """The table's mark for a row: empty when quiet the first time."""
    if verdict == "noisy":
        return "noisy"
    return "rerun (load)" if attempts > 1 else ""


def ratio(a, b):
    """a / b, None when either is missing or b is zero."""
    if a is None or b is None or b == 0:
        return None
    return a / b


def fmt_ms(v):
    if v is None:
        return "—"
    if v >= 1000:
        return f"{v / 1000:.2f} s"
    if v >= 10:
        return f"{v:.1f} ms"
    return f"{v:.2f} ms"


def fmt_ratio(v):
    if v is None:
        return "—"
    return f"{v:.2f}×" if v < 100 else f"{v:.0f}×"


def fmt_num(v, digits=0):
    if v is None:
        return "—"
    return f"{v:,.{digits}f}"


def parse_wrk(text):
    """The BENCH lines of burst.lua's done(): {key: number}."""
    values = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "BENCH":
            try:
                values[parts[1]] = float(parts[2])
            except ValueError:
                pass
    return values


def stamp_ns(key):
    """The CLOCK_MONOTONIC stamp in a burst key 'b<thread>-<n>-<ns>', or None."""
    parts = key.split("-")
    if len(parts) != 3 or not parts[0].startswith("b"):
        return None
    try:
        return int(parts[2])
    except ValueError:
        return None


def markdown_table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def median(values):
    """The middle value (the mean of the two middle ones for an even count); None for none."""
    present = sorted(v for v in values if v is not None)
    if not present:
        return None
    middle = len(present) // 2
    return present[middle] if len(present) % 2 else (present[middle - 1] + present[middle]) / 2


def compare_figures(base_runs, new_runs, lower_is_better):
    """One table row per figure from two builds' runs, each run {figure: value}: every run's
    value, both medians, the change of the median in percent, and whether the new build was
    better in every pair of runs (pairs taken in the order run, so run interleaved)."""
    rows = []
    for figure in lower_is_better:
        base = [run.get(figure) for run in base_runs]
        new = [run.get(figure) for run in new_runs]
        base_median, new_median = median(base), median(new)
        change = None
        if base_median and new_median is not None:
            change = (new_median - base_median) / base_median * 100
        pairs = [(b, n) for b, n in zip(base, new) if b is not None and n is not None]
        better = lower_is_better[figure]
        every_pair = bool(pairs) and all((n < b) if better else (n > b) for b, n in pairs)
        rows.append({"figure": figure, "base": base, "new": new, "base_median": base_median,
                     "new_median": new_median, "change_percent": change, "new_better_in_every_pair": every_pair})
    return rows


def paired_latencies(base_ms, new_ms):
    """Two builds' latencies of triggers sent in turn (pair i: base's i-th and new's i-th, sent
    one after the other): each build's p50, p90 and p99, the median of new minus base over the
    pairs, and the share of pairs in which new was faster."""
    pairs = list(zip(base_ms, new_ms))
    differences = [new - base for base, new in pairs]
    return {
        "pairs": len(pairs),
        "base": {f"p{p}_ms": percentile(base_ms, p) for p in (50, 90, 99)},
        "new": {f"p{p}_ms": percentile(new_ms, p) for p in (50, 90, 99)},
        "median_difference_ms": median(differences),
        "new_faster_share": sum(d < 0 for d in differences) / len(pairs) if pairs else None,
    }
