"""Where the shared real pages are: GOVINSPECT_REALPAGES, else shared/realpages beside the checkout.

.ci/run sets the variable when the checkout is not beside shared/ (a clone elsewhere on the machine),
so the tests that read the whole shared corpus do not skip there.
"""

import os
from pathlib import Path

REALPAGES = Path(
    os.environ.get("GOVINSPECT_REALPAGES") or Path(__file__).resolve().parents[2] / "shared" / "realpages"
)
