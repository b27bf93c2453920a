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
    def test_the_work_folder_is_removed_at_the_end(self):
        # Each run's folder held its daemons' databases, 600 MB after three rounds of three rows.
        with tempfile.TemporaryDirectory() as builds:
            for binary in ("crisisd", "crisisctl"):
                path = os.path.join(builds, binary)
                with open(path, "w") as f:
                    f.write("#!/bin/sh\nexit 1\n")
                os.chmod(path, stat.S_IRWXU)
            before = set(glob.glob("/tmp/crisisd-compare.*"))
            argv = sys.argv
            sys.argv = ["compare.py", "--base", builds, "--new", builds, "--rounds", "0",
                        "--out", os.path.join(builds, "compare.json")]
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    self.assertEqual(compare.main(), 0)
            finally:
                sys.argv = argv
            self.assertEqual(set(glob.glob("/tmp/crisisd-compare.*")) - before, set())


if __name__ == "__main__":
    unittest.main()
