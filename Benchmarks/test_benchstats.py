"""The harness's pure parts (run by Benchmarks/run before the benchmark, in well under a second)."""
import unittest

import benchstats as bs
import harness


class PercentileTests(unittest.TestCase):
    def test_nearest_rank(self):
        values = list(range(1, 101))
        self.assertEqual(bs.percentile(values, 50), 50)
        self.assertEqual(bs.percentile(values, 99), 99)
        self.assertEqual(bs.percentile(values, 100), 100)
        self.assertEqual(bs.percentile([7], 99), 7)

    def test_order_does_not_matter_and_nothing_is_none(self):
        self.assertEqual(bs.percentile([3, 1, 2], 50), 2)
        self.assertIsNone(bs.percentile([], 50))

    def test_summary_in_milliseconds(self):
        summary = bs.summary_ms([1_000_000, 2_000_000, 30_000_000])
        self.assertEqual(summary, {"n": 3, "p50_ms": 2.0, "p99_ms": 30.0, "max_ms": 30.0})
        self.assertEqual(bs.summary_ms([])["p50_ms"], None)


class PairedTests(unittest.TestCase):
    def test_the_difference_is_taken_pair_by_pair(self):
        # New is 0.1 ms faster in every pair, though the machine slowed down in the middle.
        base = [1.0, 1.1, 3.0, 3.1, 1.2]
        new = [0.9, 1.0, 2.9, 3.0, 1.1]
        summary = bs.paired_latencies(base, new)
        self.assertEqual(summary["pairs"], 5)
        self.assertAlmostEqual(summary["median_difference_ms"], -0.1)
        self.assertEqual(summary["new_faster_share"], 1.0)
        self.assertEqual(summary["base"]["p50_ms"], 1.2)
        self.assertEqual(summary["new"]["p99_ms"], 3.0)

    def test_no_pairs_say_nothing(self):
        summary = bs.paired_latencies([], [])
        self.assertIsNone(summary["median_difference_ms"])
        self.assertIsNone(summary["new_faster_share"])


class LoadTests(unittest.TestCase):
    def test_more_than_a_tenth_of_a_core_is_noisy(self):
        self.assertEqual(bs.load_verdict(0.05), "quiet")
        self.assertEqual(bs.load_verdict(0.25), "noisy")

    def test_marks(self):
        self.assertEqual(bs.row_mark(1, "quiet"), "")
        self.assertEqual(bs.row_mark(2, "quiet"), "rerun (load)")
        self.assertEqual(bs.row_mark(2, "noisy"), "noisy")


class ParsingTests(unittest.TestCase):
    def test_wrk_lines(self):
        text = "Running 10s test\nBENCH status_201 4000\nBENCH requests 4001\nBENCH latency_p99_ms 12.5\n"
        self.assertEqual(bs.parse_wrk(text), {"status_201": 4000, "requests": 4001, "latency_p99_ms": 12.5})

    def test_burst_stamp(self):
        self.assertEqual(bs.stamp_ns("b2-17-45061437407195"), 45061437407195)
        self.assertIsNone(bs.stamp_ns("s3-17"))
        self.assertIsNone(bs.stamp_ns("seed-1-x"))

    def test_ratio_and_formats(self):
        self.assertEqual(bs.ratio(3, 2), 1.5)
        self.assertIsNone(bs.ratio(3, 0))
        self.assertEqual(bs.fmt_ratio(1.5), "1.50×")
        self.assertEqual(bs.fmt_ms(0.613), "0.61 ms")
        self.assertEqual(bs.fmt_ms(8400), "8.40 s")
        self.assertEqual(bs.markdown_table(["a", "b"], [[1, 2]]), "| a | b |\n|---|---|\n| 1 | 2 |")


class TableTests(unittest.TestCase):
    def test_rows_not_run_are_marked_and_their_targets_unjudged(self):
        header, lines, targets = harness.build_table({})
        self.assertEqual(len(header), 7)
        self.assertTrue(all(len(line) == 7 and line[-1] == "not run" for line in lines))
        self.assertTrue(all(t["pass"] is None for t in targets))

    def test_a_quiet_sequential_row_is_judged_against_alertmanager(self):
        row = {"result": {"crisisd": {"p50_ms": 1.0, "p99_ms": 2.0, "max_ms": 3.0},
                          "alertmanager": {"p50_ms": 0.8, "p99_ms": 1.5, "max_ms": 9.0}}, "mark": ""}
        _, lines, targets = harness.build_table({"sequential": row})
        self.assertEqual(lines[0][1:5], ["1.00 ms", "0.80 ms", "— (HTTP round trip)", "1.25×"])
        self.assertEqual([t["pass"] for t in targets[:2]], [True, False])

    def test_stored_instants_round_trip(self):
        wall_ns = 1_796_000_000_123_000_000
        self.assertEqual(harness.parse_sql_instant(harness.sql_instant(wall_ns)), wall_ns)
        self.assertEqual(harness.parse_sql_instant("2026-12-06 23:14:37.660"), 1_796_598_877_660_000_000)


if __name__ == "__main__":
    unittest.main()


class CompareTests(unittest.TestCase):
    def test_median_of_odd_and_even_counts_ignores_missing_runs(self):
        self.assertEqual(bs.median([3, 1, 2]), 2)
        self.assertEqual(bs.median([4, 1, None, 2, 3]), 2.5)
        self.assertIsNone(bs.median([None]))

    def test_change_and_pairs_follow_which_way_is_better(self):
        base = [{"rate": 2000, "p50": 1.5}, {"rate": 2200, "p50": 1.4}, {"rate": 2100, "p50": 1.6}]
        new = [{"rate": 2400, "p50": 1.5}, {"rate": 2300, "p50": 1.3}, {"rate": 2520, "p50": 1.2}]
        rows = {r["figure"]: r for r in bs.compare_figures(base, new, {"rate": False, "p50": True})}
        self.assertEqual(rows["rate"]["base_median"], 2100)
        self.assertEqual(rows["rate"]["new_median"], 2400)
        self.assertAlmostEqual(rows["rate"]["change_percent"], 100 * 300 / 2100)
        self.assertTrue(rows["rate"]["new_better_in_every_pair"])
        # The first pair is a tie: not better in every pair, though the median fell.
        self.assertAlmostEqual(rows["p50"]["change_percent"], 100 * (1.3 - 1.5) / 1.5)
        self.assertFalse(rows["p50"]["new_better_in_every_pair"])

    def test_a_figure_missing_from_every_run_has_no_change(self):
        rows = bs.compare_figures([{}], [{"rate": 1}], {"rate": False})
        self.assertIsNone(rows[0]["change_percent"])
        self.assertFalse(rows[0]["new_better_in_every_pair"])
