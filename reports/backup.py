"""Everything in one file and back: ``manage.py export_all`` / ``import_all``.

A zip holding ``manifest.json`` (format, the migrations it was made at, the
row count of every table, the originals), one JSON Lines file per table
(Django's ``jsonl`` serialisation, primary keys kept) and the originals under
``files/``. Restoring needs an empty database migrated to the same state; it
is done in one transaction, so a refused or broken file leaves nothing.

Kept: groups (with their permissions), users (password hashes, groups,
permissions), agencies (the tree's path, depth and child counts as stored),
memberships, deadlines, reports (with their originals), values, change
records, review events, notifications and the audit trail. Not kept: import
and export jobs and their files (temporary by design), sessions, and the
task queue. For big databases ``pg_dump`` is the faster backup
(docs/backups.md); this one also moves data between SQLite and PostgreSQL.
"""

import io
import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "nianbao-backup"
VERSION = 1
BATCH = 2000
# In the order they are restored: each after what it refers to.
TABLES = [
    "agencies.agency",
    "agencies.membership",
    "reports.deadline",
    "reports.annualreport",
    "reports.reportvalue",
    "reports.reportchange",
    "reports.reviewevent",
    "reports.notification",
    "audit.auditevent",
]
USERS = "auth.user"
GROUPS = "auth.group"
APPS = ("auth", "agencies", "reports", "audit")


class ExactEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds."""

    def default(self, o: object) -> Any:
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


class BackupError(Exception):
    """The file cannot be restored here; the message says why, in Chinese."""


def _model(label: str) -> type[models.Model]:
    return apps.get_model(label)


def _migrations() -> dict[str, list[str]]:
    applied = MigrationRecorder(connection).applied_migrations()
    return {app: sorted(name for a, name in applied if a == app) for app in APPS}


def _write_table(archive: zipfile.ZipFile, label: str, **options: Any) -> int:
    model = _model(label)
    queryset = model._default_manager.order_by("pk")
    with archive.open(f"{label}.jsonl", "w") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
        serializers.serialize(
            "jsonl",
            queryset.iterator(chunk_size=BATCH),
            stream=text,
            cls=ExactEncoder,
            **options,
        )
        text.flush()
        text.detach()
    return queryset.count()


def export_all(path: Path) -> dict[str, int]:
    """Write the whole database and its originals to ``path``; the counts."""
    counts: dict[str, int] = {}
    files: list[str] = []
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open(f"{GROUPS}.jsonl", "w") as raw:
            for group in Group.objects.order_by("name").prefetch_related(
                "permissions__content_type"
            ):
                line = {
                    "name": group.name,
                    "permissions": sorted(
                        p.natural_key() for p in group.permissions.all()
                    ),
                }
                raw.write(json.dumps(line, ensure_ascii=False).encode() + b"\n")
        counts[GROUPS] = Group.objects.count()
        # Groups and permissions by name: their ids differ between databases.
        counts[USERS] = _write_table(archive, USERS, use_natural_foreign_keys=True)
        for label in TABLES:
            counts[label] = _write_table(archive, label)
        Report = _model("reports.annualreport")
        names = Report.objects.exclude(source_file="").values_list(
            "source_file", flat=True
        )
        for name in names.order_by("pk").iterator():
            with default_storage.open(name, "rb") as handle:
                archive.writestr(f"files/{name}", handle.read())
            files.append(name)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": timezone.now().isoformat(),
            "database": connection.vendor,
            "migrations": _migrations(),
            "counts": counts,
            "files": files,
        }
        archive.writestr(
            "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2)
        )
    return counts


def non_empty() -> list[str]:
    """The tables that already hold rows (the system's groups aside)."""
    found = [
        str(_model(label)._meta.verbose_name)
        for label in [USERS, *TABLES]
        if _model(label)._default_manager.exists()
    ]
    return found


@contextmanager
def _timestamps_as_given() -> Iterator[None]:
    """auto_now(_add) fields keep the stored times while restoring."""
    saved = []
    for label in TABLES:
        for field in _model(label)._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(
                field, "auto_now_add", False
            ):
                saved.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def _read_lines(archive: zipfile.ZipFile, name: str) -> IO[str]:
    return io.TextIOWrapper(archive.open(name), encoding="utf-8")


def _restore_table(archive: zipfile.ZipFile, label: str) -> int:
    model = _model(label)
    batch: list[models.Model] = []
    count = 0
    for item in serializers.deserialize(
        "jsonl", _read_lines(archive, f"{label}.jsonl")
    ):
        batch.append(item.object)
        if len(batch) >= BATCH:
            count += len(model._default_manager.bulk_create(batch))
            batch = []
    if batch:
        count += len(model._default_manager.bulk_create(batch))
    return count


def _restore_groups(archive: zipfile.ZipFile) -> None:
    for line in _read_lines(archive, f"{GROUPS}.jsonl"):
        record = json.loads(line)
        group, _created = Group.objects.get_or_create(name=record["name"])
        group.permissions.set(
            [
                Permission.objects.get_by_natural_key(*key)
                for key in record["permissions"]
            ]
        )


def _manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError):
        raise BackupError(
            "文件中没有有效的 manifest.json：不是本系统导出的备份。"
        ) from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError("备份文件的格式或版本不受支持。")
    if manifest.get("migrations") != _migrations():
        raise BackupError(
            "备份时的数据库结构（迁移）与当前数据库不同：请先把两边升级到同一版本的"
            "程序并执行 migrate，再导入。"
        )
    return manifest


def import_all(path: Path) -> dict[str, int]:
    """Restore ``path`` into this empty database; the counts restored."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BackupError(f"无法读取备份文件 {path}：{exc}") from None
    written: list[str] = []
    with archive:
        manifest = _manifest(archive)
        try:
            with transaction.atomic(), _timestamps_as_given():
                full = non_empty()
                if full:
                    raise BackupError(
                        f"数据库不是空的（已有{'、'.join(full)}）：只能导入到刚 migrate"
                        "过的空数据库，以免覆盖或混入现有数据。"
                    )
                counts = _restore(archive, manifest, written)
        except BaseException:
            for name in written:  # the database rolled back: so do the files
                default_storage.delete(name)
            raise
    return counts


def _restore(
    archive: zipfile.ZipFile, manifest: dict[str, Any], written: list[str]
) -> dict[str, int]:
    _restore_groups(archive)
    counts = {GROUPS: Group.objects.count()}
    users = 0
    for item in serializers.deserialize(
        "jsonl", _read_lines(archive, f"{USERS}.jsonl"), handle_forward_references=False
    ):
        item.save()  # with its groups and permissions; one user at a time
        users += 1
    counts[USERS] = users
    for label in TABLES:
        counts[label] = _restore_table(archive, label)
    renamed = {}
    for name in manifest["files"]:
        stored = default_storage.save(name, ContentFile(archive.read(f"files/{name}")))
        written.append(stored)
        if stored != name:
            renamed[name] = stored
    Report = _model("reports.annualreport")
    for old, new in renamed.items():
        Report.objects.filter(source_file=old).update(source_file=new)
    _reset_sequences()
    expected = manifest["counts"]
    wrong = [
        label
        for label, count in counts.items()
        if label != GROUPS and count != expected.get(label)
    ]
    if wrong:
        raise BackupError(f"备份文件不完整：{'、'.join(wrong)} 的行数与清单不符。")
    return counts


def _reset_sequences() -> None:
    """New rows after a restore get ids past the restored ones (PostgreSQL)."""
    restored = [get_user_model(), Group, *(_model(label) for label in TABLES)]
    statements = connection.ops.sequence_reset_sql(no_style(), restored)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
