"""compare.py's own housekeeping (run by Benchmarks/run and CI; about a second)."""
import contextlib
import glob
import io
import os
import stat
import sys
import tempfile
import unittest

import compare


class CompareHousekeepingTests(unittest.TestCase):
    def run_compare(self, rounds):
        """compare.main() on two 'builds' whose programs only fail: (its exit code, the work
        folders it left under /tmp)."""
        with tempfile.TemporaryDirectory() as builds:
            for binary in ("crisisd", "crisisctl"):
                path = os.path.join(builds, binary)
                with open(path, "w") as f:
                    f.write("#!/bin/sh\nexit 1\n")
                os.chmod(path, stat.S_IRWXU)
            before = set(glob.glob("/tmp/crisisd-compare.*"))
            argv = sys.argv
            sys.argv = ["compare.py", "--base", builds, "--new", builds, "--rounds", str(rounds),
                        "--out", os.path.join(builds, "compare.json")]
            try:
                with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                    code = compare.main()
            finally:
                sys.argv = argv
            return code, set(glob.glob("/tmp/crisisd-compare.*")) - before

    def test_the_work_folder_is_removed_at_the_end(self):
        # Each run's folder held its daemons' databases, 600 MB after three rounds of three rows.
        self.assertEqual(self.run_compare(rounds=0), (0, set()))

    def test_a_daemon_that_cannot_start_stops_the_comparison_with_an_error_and_no_folder_left(self):
        self.assertEqual(self.run_compare(rounds=1), (1, set()))


if __name__ == "__main__":
    unittest.main()
