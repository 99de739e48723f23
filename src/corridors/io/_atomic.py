"""Write files so that a crash never leaves a half-written file where a good one was."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_atomic(path: str | os.PathLike[str], data: str | bytes | Callable[[BinaryIO], object]) -> Path:
    """Write ``data`` (text, bytes, or a function that writes to the open binary file) to a
    temporary file beside ``path``, flush it to disk, then rename it over ``path`` in one step.
    A new file gets the usual permissions (0666 less the umask), a replaced one keeps its own.
    Returns the path written."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if callable(data):
        write = data
    else:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        write = lambda f: f.write(raw)  # noqa: E731
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the kernel applies the umask
    try:
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target
