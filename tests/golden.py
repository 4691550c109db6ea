"""Write the seeds' whole built site into tests/golden/site/: `make golden`.

tests/test_golden.py builds the same site and compares it with this tree file by file, so
any change to the output shows up as a diff to review in the commit that makes it.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import BASE_URL, CONTENT, NOW  # noqa: E402

import builder  # noqa: E402

GOLDEN = ROOT / "tests" / "golden" / "site"


def build_golden(output: Path) -> builder.Result:
    """Build the board's content (the seeds) as the golden tree is built: no cache."""
    return builder.build(builder.Options(CONTENT, output, BASE_URL, NOW))


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "_site"
        result = build_golden(output)
        if not result.written:
            print("\n".join(map(str, result.errors)), file=sys.stderr)
            return 1
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(output, GOLDEN)
    print(f"wrote {sum(1 for p in GOLDEN.rglob('*') if p.is_file())} files to {GOLDEN}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
