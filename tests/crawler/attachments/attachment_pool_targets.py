"""Extractor stand-ins that misbehave, run inside AttachmentPool workers (module-level so they pickle)."""

from __future__ import annotations

import os
import time

from crawler.extract.attachments import AttachmentResult, Limits, extract_attachment


def hang(data: bytes, filename: str, limits: Limits) -> AttachmentResult:
    """Hangs on files named hang*, extracts the rest normally."""
    if filename.startswith("hang"):
        time.sleep(3600)
    return extract_attachment(data, filename, limits)


def die(data: bytes, filename: str, limits: Limits) -> AttachmentResult:
    """Dies on files named die* the way a segfaulting C library does: no exception, no cleanup."""
    if filename.startswith("die"):
        os._exit(139)
    return extract_attachment(data, filename, limits)


def spin(data: bytes, filename: str, limits: Limits) -> AttachmentResult:
    """Burns CPU until something stops it."""
    while True:
        pass


def hog(data: bytes, filename: str, limits: Limits) -> AttachmentResult:
    """Tries to allocate 3 GiB and reports whether the address-space cap refused it."""
    try:
        block = bytearray(3 * 1024**3)
    except MemoryError:
        return AttachmentResult(None, "error", "MemoryError", [])
    del block
    return AttachmentResult(None, "ok", "allocated", [])


def raises(data: bytes, filename: str, limits: Limits) -> AttachmentResult:
    raise ValueError("extractor bug")


def pid(data: bytes, filename: str, limits: Limits) -> AttachmentResult:
    return AttachmentResult(None, "ok", str(os.getpid()), [])
