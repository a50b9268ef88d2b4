"""Where a package can go: removable drives first (a USB stick is how most packages travel).

Qt's QStorageInfo lists mounted volumes but cannot say "removable"; what a clerk plugs in is mounted
under /media, /run/media or /mnt on Linux desktops (UOS, Kylin), /Volumes on a Mac, and is a drive
letter other than the system's on Windows. The guess only orders the list: any folder can be chosen.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QStorageInfo

_MOUNT_ROOTS = ("/media/", "/run/media/", "/mnt/", "/Volumes/")
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]?$")


class Volume(Protocol):
    def rootPath(self) -> str: ...
    def displayName(self) -> str: ...
    def isReady(self) -> bool: ...
    def isReadOnly(self) -> bool: ...
    def isValid(self) -> bool: ...


@dataclass(frozen=True)
class Drive:
    path: str
    label: str


def looks_removable(root: str, system_drive: str = "") -> bool:
    if _DRIVE.match(root):
        return root[:1].upper() != (system_drive[:1].upper() or "C")
    return root.startswith(_MOUNT_ROOTS)


def removable_drives(volumes: Iterable[Volume] | None = None, system_drive: str | None = None) -> list[Drive]:
    """Writable volumes that look removable, in path order."""
    if volumes is None:
        volumes = QStorageInfo.mountedVolumes()
    system = system_drive if system_drive is not None else os.environ.get("SYSTEMDRIVE", "C:")
    found = [
        Drive(v.rootPath(), v.displayName() or v.rootPath())
        for v in volumes
        if v.isValid() and v.isReady() and not v.isReadOnly() and looks_removable(v.rootPath(), system)
    ]
    return sorted(found, key=lambda d: d.path)
