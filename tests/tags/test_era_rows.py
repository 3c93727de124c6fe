"""Era rows are typed data, checked when folded (issue 12): a misspelt key or a wrong value is an error."""

from __future__ import annotations

import pytest
from packaging.version import Version

from tagsim.tags.eras import (
    PIP_RANGE,
    PIP_ROWS,
    UV_ROWS,
    EraRow,
    PipEra,
    SortTerm,
    UvEra,
    YankRule,
    check_rows,
    pip_era,
    uv_era,
)


def test_a_misspelt_key_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown field 'musllinx'"):
        check_rows((EraRow("21.2", {"musllinx": True}, "a typo"),), PipEra(first=PIP_RANGE[0]))


def test_a_string_where_an_enum_belongs_is_an_error() -> None:
    with pytest.raises(ValueError, match="field 'yank_rule' takes YankRule"):
        check_rows((EraRow("22.0", {"yank_rule": "skip-unless-all-pinned"}, "untyped"),), PipEra(first=PIP_RANGE[0]))


def test_rows_out_of_version_order_are_an_error() -> None:
    rows = (EraRow("20.0", {"musllinux": True}, "a"), EraRow("19.0", {"musllinux": False}, "b"))
    with pytest.raises(ValueError, match="out of version order"):
        check_rows(rows, PipEra(first=PIP_RANGE[0]))


def test_the_shipped_tables_pass_and_fold_to_typed_eras() -> None:
    check_rows(PIP_ROWS, PipEra(first=PIP_RANGE[0]))
    check_rows(UV_ROWS, UvEra(first="0.1.19"))
    era = pip_era(Version("26.3"))
    assert era.yank_rule is YankRule.SKIP_UNLESS_ALL_PINNED and era.yank_rule.new_resolver
    assert era.sort_key == (SortTerm.HASH, SortTerm.YANK, SortTerm.BINARY, SortTerm.VERSION, SortTerm.PRIORITY,
                            SortTerm.BUILD)
    assert pip_era(Version("19.3.1")).sort_key[-2:] == (SortTerm.BUILD, SortTerm.PRIORITY)
    assert len(era.sources) == sum(1 for row in PIP_ROWS if Version(row.first) <= Version("26.3"))
    assert dict(uv_era(Version("0.5.25")).floors)["loongarch64"] == 36
    assert "riscv64" not in dict(uv_era(Version("0.5.0")).floors)
