"""`tagsim platforms --here`: this machine's profile, its interpreter, and how each fact was found."""

from __future__ import annotations

from typing import Any

from ..platform.here import Host
from .escape import shown
from .json import profile_json
from .table import table


def host_json(host: Host) -> dict[str, Any]:
    interp = host.interpreter
    return {"profile": profile_json(host.profile), "sysconfig_platform": host.sysconfig_platform,
            "python": {"tag": interp.tag, "interpreter": interp.interpreter, "abi": interp.abi,
                       "implementation": interp.implementation_name, "version": interp.full_version,
                       "free_threaded": interp.free_threaded, "bits": host.profile.python_bits},
            "found_by": dict(host.facts)}


def host_text(host: Host) -> str:
    head = (f"here: {host.profile.summary()}; {host.interpreter.describe()} ({host.interpreter.tag}); "
            f"sysconfig.get_platform() = {host.sysconfig_platform}")
    rows = [(fact, shown(how)) for fact, how in host.facts]
    return head + "\n" + table(rows, ["fact", "found"]) + "\nuse it as PLATFORM: tagsim explain here SOURCE"
