"""Record what every case of `cases.py` prints today: `python tests/golden/record.py`.

Run it only when an output is meant to change, and say why in the commit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases import COMMANDS, run_command, scenario_decisions

OUT = Path(__file__).resolve().parent / "outputs.json"


def main() -> None:
    commands = [run_command(argv) for argv in COMMANDS]
    document = {"commands": commands, "decisions": scenario_decisions()}
    OUT.write_text(json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(commands)} commands, {len(document['decisions'])} decisions -> {OUT}")


if __name__ == "__main__":
    main()
