"""Uploads waiting between a flat import's preview and its confirmation.

django-import-export's confirm step names its temporary file in a hidden field,
so a client could make the server import, then delete, any file of the temp
folder. Here an upload is kept under a random id beside a record of who
previewed it (user and session), what the preview was of (format, file name)
and what it saw (each report's version). A confirm that does not match the
record is refused and touches nothing; a matching one claims the upload (a
rename: one confirm only) and the upload is deleted before the import runs.

Only previews that passed are stored. Previews never confirmed are deleted
once older than ``NIANBAO_IMPORT_PREVIEW_HOURS``: on every new preview and by
``manage.py clear_import_previews``.
"""

import json
import os
import re
import secrets
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare, salted_hmac

PREVIEW_ID = re.compile(r"[0-9a-f]{32}")
# Every file the store writes: the upload, its record, a record being written
# and an upload claimed by a confirm. The sweep deletes nothing else.
STORE_FILE = re.compile(r"[0-9a-f]{32}\.(?:upload|json|tmp|[0-9a-f]{8}\.claimed)")
UNKNOWN = (
    "找不到这次预览：它已确认过、已过期或不是您在本次登录中上传的。"
    "请重新上传文件并预览。"
)
TAMPERED = "确认请求与预览不一致，没有导入。请重新上传文件并预览。"
EXPIRED = "这次预览已超过 %(hours)d 小时，已作废。请重新上传文件并预览。"


class PreviewError(Exception):
    """A confirm that cannot go on; ``message`` says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class StoredPreview:
    """A preview that passed, waiting for its confirmation."""

    id: str
    format: str
    resource: str
    file_name: str
    versions: dict[tuple[int, int], int | None]


def _folder() -> Path:
    configured = settings.NIANBAO_IMPORT_PREVIEW_DIR
    return Path(configured or Path(settings.MEDIA_ROOT) / "import-previews")


def store_dir() -> Path:
    """The store's folder, made (private to this account) if missing."""
    folder = _folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def max_age_seconds() -> int:
    return settings.NIANBAO_IMPORT_PREVIEW_HOURS * 3600


def _session_tag(request: HttpRequest) -> str:
    """The session, without writing its key to disk."""
    if request.session.session_key is None:
        request.session.save()
    key = request.session.session_key or ""
    return salted_hmac("nianbao.import-preview", key, algorithm="sha256").hexdigest()


def _write_private(path: Path, chunks: Iterable[bytes]) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        for chunk in chunks:
            out.write(chunk)


def preview_store(
    request: HttpRequest,
    upload: UploadedFile,
    *,
    file_format: str,
    resource: str,
    versions: Mapping[tuple[int, int], int | None],
) -> StoredPreview:
    """Keep ``upload`` (copied in chunks) for this user and session."""
    folder = store_dir()
    preview_id = secrets.token_hex(16)
    upload.seek(0)
    _write_private(folder / f"{preview_id}.upload", upload.chunks())
    record = {
        "user": request.user.pk,
        "session": _session_tag(request),
        "format": file_format,
        "resource": resource,
        # As the confirm form will post it back: stripped, never blank.
        "file_name": (upload.name or "").strip() or "upload",
        "created": time.time(),
        "versions": [[agency, year, v] for (agency, year), v in versions.items()],
    }
    pending = folder / f"{preview_id}.tmp"
    _write_private(pending, [json.dumps(record).encode()])
    os.replace(pending, folder / f"{preview_id}.json")
    return StoredPreview(
        id=preview_id,
        format=file_format,
        resource=resource,
        file_name=record["file_name"],
        versions=dict(versions),
    )


def preview_load(
    request: HttpRequest, *, name: str, file_format: str, resource: str, file_name: str
) -> StoredPreview:
    """The caller's own preview named by the confirm form; else PreviewError.

    A refusal touches nothing, except that the owner's expired preview goes.
    """
    if not PREVIEW_ID.fullmatch(name):
        raise PreviewError(UNKNOWN)
    folder = _folder()
    try:
        record = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        owner, session = record["user"], str(record["session"])
        versions = {(int(a), int(y)): v for a, y, v in record["versions"]}
        created = float(record["created"])
        stored = StoredPreview(
            id=name,
            format=str(record["format"]),
            resource=str(record["resource"]),
            file_name=str(record["file_name"]),
            versions=versions,
        )
    except (OSError, ValueError, KeyError, TypeError):
        raise PreviewError(UNKNOWN) from None
    if owner != request.user.pk or not constant_time_compare(
        session, _session_tag(request)
    ):
        raise PreviewError(UNKNOWN)
    if (file_format, file_name) != (stored.format, stored.file_name) or (
        resource not in ("", stored.resource)
    ):
        raise PreviewError(TAMPERED)
    if time.time() - created > max_age_seconds():
        preview_discard(name)
        raise PreviewError(EXPIRED % {"hours": settings.NIANBAO_IMPORT_PREVIEW_HOURS})
    return stored


def preview_claim(preview: StoredPreview) -> bytes:
    """Take the upload out of the store: the first confirm gets it, once."""
    folder = _folder()
    claimed = folder / f"{preview.id}.{secrets.token_hex(4)}.claimed"
    try:
        os.rename(folder / f"{preview.id}.upload", claimed)
    except FileNotFoundError:
        raise PreviewError(UNKNOWN) from None
    try:
        return claimed.read_bytes()
    except FileNotFoundError:  # a sweep took it: it was about to expire
        raise PreviewError(UNKNOWN) from None
    finally:
        claimed.unlink(missing_ok=True)
        (folder / f"{preview.id}.json").unlink(missing_ok=True)


def preview_discard(preview_id: str) -> None:
    folder = _folder()
    for suffix in ("upload", "json", "tmp"):
        (folder / f"{preview_id}.{suffix}").unlink(missing_ok=True)


def previews_sweep(*, max_age: int | None = None) -> int:
    """Delete the store's files older than ``max_age`` seconds; how many previews."""
    limit = max_age_seconds() if max_age is None else max_age
    now = time.time()
    swept: set[str] = set()
    folder = _folder()
    if not folder.is_dir():
        return 0
    for path in folder.iterdir():
        if not STORE_FILE.fullmatch(path.name):
            continue
        try:
            if now - path.stat().st_mtime >= limit:
                path.unlink()
                swept.add(path.name[:32])
        except FileNotFoundError:  # a confirm or another sweep took it
            continue
    return len(swept)


def previews_pending() -> int:
    """How many previews wait for confirmation."""
    return sum(1 for p in _folder().glob("*.upload") if STORE_FILE.fullmatch(p.name))
