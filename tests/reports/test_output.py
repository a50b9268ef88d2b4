"""Saving a report: the file appears whole where the person chose, and nowhere a planted link points."""

from __future__ import annotations

import os

import pytest

from app.db import private_files
from app.domain.report import Document, Paragraph
from app.reports.output import save


def _doc() -> Document:
    return Document("roster", "香水镇2026年11月低保保障对象花名册", blocks=[Paragraph("正文")])


@pytest.mark.skipif(os.name != "posix", reason="symlinks need privileges on Windows")
def test_a_symlink_planted_under_the_temporary_name_is_never_followed(tmp_path, monkeypatch):
    out = tmp_path / "roster.xlsx"
    victim = tmp_path / "elsewhere.txt"
    victim.write_text("untouched", encoding="utf-8")
    suffixes = iter(["deadbeef", "deadbeef", "cafef00d"])
    monkeypatch.setattr("app.db.private_files.secrets.token_hex", lambda n: next(suffixes))
    planted = tmp_path / f".roster.xlsx.tmp-{os.getpid()}-deadbeef"
    planted.symlink_to(victim)
    dangling = tmp_path / f".roster.xlsx.tmp-{os.getpid()}-cafef00d"

    save(_doc(), out)

    assert out.read_bytes()[:2] == b"PK" and not out.is_symlink()
    assert victim.read_text(encoding="utf-8") == "untouched"
    assert planted.is_symlink() and not dangling.exists()
    assert oct(out.stat().st_mode & 0o777) == oct(private_files.PRIVATE_FILE)


@pytest.mark.skipif(os.name != "posix", reason="symlinks need privileges on Windows")
def test_a_dangling_symlink_under_the_temporary_name_creates_nothing(tmp_path, monkeypatch):
    out = tmp_path / "roster.pdf"
    target = tmp_path / "created-by-the-link.pdf"
    monkeypatch.setattr("app.db.private_files.secrets.token_hex", lambda n: "deadbeef")
    (tmp_path / f".roster.pdf.tmp-{os.getpid()}-deadbeef").symlink_to(target)
    with pytest.raises(FileExistsError):
        private_files.write_atomic(out, b"%PDF-1.4")
    assert not target.exists() and not out.exists()


def test_a_stale_temporary_file_does_not_block_the_next_save(tmp_path):
    out = tmp_path / "roster.pdf"
    (tmp_path / f".roster.pdf.tmp-{os.getpid()}").write_bytes(b"left by a crash")
    save(_doc(), out)
    save(_doc(), out)
    assert out.read_bytes().startswith(b"%PDF")
