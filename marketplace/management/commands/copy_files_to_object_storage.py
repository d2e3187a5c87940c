"""Copy the files kept on disk (MEDIA_ROOT, PRIVATE_MEDIA_ROOT) to the object storage the
settings now name, under the same names, so the rows keep pointing at them.

Every file a FileField or ImageField of any model refers to is copied; `--all-files` also
copies whatever else lies in the two folders. A file already in the bucket with the same size
is skipped, so the command may be run again; local files are never deleted.
"""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError
from django.db import models

from marketplace.uploads import PrivateFileSystemStorage, is_local, private_files, private_storage


class Command(BaseCommand):
    help = "Copy uploaded files from the local disk to the configured S3 storages (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be copied.")
        parser.add_argument(
            "--all-files", action="store_true", help="Also copy files under MEDIA_ROOT/PRIVATE_MEDIA_ROOT no row names."
        )

    def handle(self, *args, dry_run=False, all_files=False, **options):
        public, private = storages["default"], private_files
        if is_local(public) or is_local(private):
            raise CommandError("Object storage is not configured: set AWS_STORAGE_BUCKET_NAME (see the README).")
        sources = {
            "public": (FileSystemStorage(location=settings.MEDIA_ROOT), public),
            "private": (PrivateFileSystemStorage(), private),
        }
        wanted = {"public": set(), "private": set()}
        for model in apps.get_models():
            fields = [f for f in model._meta.get_fields() if isinstance(f, models.FileField)]
            for field in fields:
                kind = "private" if getattr(field, "_storage_callable", None) is private_storage else "public"
                names = model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True)
                wanted[kind].update(name for name in names.iterator() if name)
        if all_files:
            for kind, root in (("public", settings.MEDIA_ROOT), ("private", settings.PRIVATE_MEDIA_ROOT)):
                root = Path(root)
                if root.is_dir():
                    wanted[kind].update(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
        counts = {"copied": 0, "skipped": 0, "missing": 0}
        for kind, names in wanted.items():
            source, target = sources[kind]
            for name in sorted(names):
                outcome = self._copy(name, source=source, target=target, dry_run=dry_run)
                counts[outcome] += 1
                if outcome == "missing":
                    self.stderr.write(f"missing on disk: {name}")
        verb = "would copy" if dry_run else "copied"
        self.stdout.write(
            f"{verb} {counts['copied']}, skipped {counts['skipped']} already there, {counts['missing']} missing on disk"
        )

    def _copy(self, name, *, source, target, dry_run) -> str:
        if not source.exists(name):
            return "missing"
        size = source.size(name)
        if target.exists(name):
            if target.size(name) == size:
                return "skipped"
            if not dry_run:
                target.delete(name)  # a partial copy from an interrupted run
        if dry_run:
            return "copied"
        with source.open(name, "rb") as handle:
            saved = target.save(name, handle)
        if saved != name:
            raise CommandError(f"{name} was stored as {saved}")
        return "copied"
