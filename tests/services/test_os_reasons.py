"""A file that cannot be read or written is named with a Chinese reason, not the OS's English text."""

from __future__ import annotations

import errno

import pytest

from app.errors import NotFound, StorageProblem, os_reason
from app.services.support_bundle import check_not_run, write_support_bundle


def test_a_missing_card_file_says_the_file_does_not_exist(office, tmp_path):
    session, _code, _data = office
    with pytest.raises(NotFound) as caught:
        session.trust.add(tmp_path / "县民政局.json", "0000")
    assert "文件不存在" in str(caught.value)
    assert "No such file" not in str(caught.value)


def test_a_bundle_written_onto_a_folder_says_so_in_chinese(tmp_path):
    target = tmp_path / "技术支持包.zip"
    target.mkdir()
    with pytest.raises(StorageProblem) as caught:
        write_support_bundle(target, tmp_path / "none", check_not_run("未运行"), log_dir=tmp_path / "logs")
    assert "技术支持包.zip" in str(caught.value)
    assert not any(c.isascii() and c.isalpha() for c in str(caught.value).replace(str(target), ""))


def test_the_reasons_a_clerk_meets_are_chinese_and_the_rest_is_the_os_text():
    assert os_reason(FileNotFoundError(errno.ENOENT, "No such file or directory")) == "文件不存在"
    assert os_reason(PermissionError(errno.EACCES, "Permission denied")) == "没有权限"
    assert os_reason(IsADirectoryError(errno.EISDIR, "Is a directory")) == "这是一个文件夹"
    assert os_reason(OSError(errno.ENOSPC, "No space left on device")) == "磁盘已满"
    assert os_reason(OSError(errno.EIO, "Input/output error")) == "Input/output error"
