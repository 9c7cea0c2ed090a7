"""Tests of kg.uploads: uploads kept by content, read back whole, never outside their folder."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest

from kg import atomic
from kg.accepted import FILENAME as ACCEPTED_FILE
from kg.accepted import accepted_path, add_accepted, read_accepted
from kg.uploads import (
    MANIFEST,
    UploadError,
    content_digest,
    find_upload,
    list_uploads,
    read_upload,
    safe_name,
    save_upload,
    store_root,
    upload_files,
)

BANK = b"## 1. What is dropout?\n\nDropout drops units.\n\n## 2. What is ReLU?\n\nA function.\n"
OTHER = b"## 1. What is a tensor?\n\nAn array.\n"


def test_uploads_round_trip_keeps_names_bytes_and_display_name(tmp_path: Path) -> None:
    files = [("first.md", BANK), ("second.md", OTHER)]
    up = save_upload(files, "first.md, second.md", tmp_path)
    assert up.folder == tmp_path / content_digest(files)
    back = read_upload(up.folder)
    assert back.name == "first.md, second.md"
    assert upload_files(back) == tuple(files)
    assert sorted(p.name for p in up.folder.iterdir()) == ["first.md", MANIFEST, "second.md"]


def test_uploads_same_content_same_folder_and_its_decisions_kept(tmp_path: Path) -> None:
    up = save_upload([("bank.md", BANK)], "bank.md", tmp_path)
    add_accepted(accepted_path(up.folder), "bank-1", "bank-2")
    again = save_upload([("bank.md", BANK)], "bank.md", tmp_path)
    assert again.folder == up.folder
    assert again.uploaded >= up.uploaded
    assert [p.name for p in tmp_path.iterdir()] == [up.digest]
    assert read_accepted(up.folder / ACCEPTED_FILE) == {frozenset(("bank-1", "bank-2"))}


def test_uploads_another_name_is_another_upload(tmp_path: Path) -> None:
    a = save_upload([("a.md", BANK)], "a.md", tmp_path)
    b = save_upload([("b.md", BANK)], "b.md", tmp_path)
    assert a.digest != b.digest


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("../../x.md", "x.md"),
        ("/etc/passwd", "passwd"),
        ("..\\..\\win.md", "win.md"),
        ("a\0b.md", "a_b.md"),
        ("..", "file"),
        ("", "file"),
        (".hidden.md", "hidden.md"),
        ("kg-accepted.toml", "kg-accepted-2.toml"),
        ("KG-UPLOAD.JSON", "KG-UPLOAD-2.JSON"),
        ("résumé q&a.md", "résumé q_a.md"),
    ],
)
def test_uploads_names_stay_inside_the_folder(tmp_path: Path, name: str, stored: str) -> None:
    assert safe_name(name) == stored
    up = save_upload([(name, BANK)], name, tmp_path)
    assert up.files == ((name, stored),)
    assert (up.folder / stored).read_bytes() == BANK
    assert sorted(p.name for p in tmp_path.rglob("*")) == sorted([up.digest, stored, MANIFEST])


def test_uploads_names_that_clash_once_made_safe_get_numbers(tmp_path: Path) -> None:
    up = save_upload([("a/q.md", BANK), ("b/q.md", OTHER)], "two", tmp_path)
    assert [stored for _, stored in up.files] == ["q.md", "q-2.md"]
    assert upload_files(up) == (("a/q.md", BANK), ("b/q.md", OTHER))


def test_uploads_listed_newest_first(tmp_path: Path) -> None:
    names = ["one.md", "two.md", "three.md"]
    for name in names:
        save_upload([(name, BANK)], name, tmp_path)
    assert [u.name for u in list_uploads(tmp_path)] == names[::-1]
    save_upload([("one.md", BANK)], "one.md", tmp_path)  # uploaded again: newest
    assert [u.name for u in list_uploads(tmp_path)][0] == "one.md"


def _damage(folder: Path, how: str) -> None:
    if how == "no manifest":
        (folder / MANIFEST).unlink()
    elif how == "bad manifest":
        (folder / MANIFEST).write_text("{not json", encoding="utf-8")
    elif how == "manifest not a table":
        (folder / MANIFEST).write_text("[1, 2]", encoding="utf-8")
    elif how == "missing file":
        (folder / "bank.md").unlink()
    elif how == "file cut short":
        (folder / "bank.md").write_bytes(BANK[:10])
    elif how == "manifest points outside":
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        data["files"][0]["stored"] = "../../outside.md"
        (folder / MANIFEST).write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize(
    ("how", "reason"),
    [
        ("no manifest", "it has no kg-upload.json"),
        ("bad manifest", "its kg-upload.json cannot be read"),
        ("manifest not a table", "its kg-upload.json lacks a name or a list of files"),
        ("missing file", "bank.md is missing"),
        ("file cut short", "bank.md has changed size since it was uploaded"),
        ("manifest points outside", "its kg-upload.json names a file outside the folder ('../../outside.md')"),
    ],
)
def test_uploads_damaged_folder_is_skipped_with_its_reason(tmp_path: Path, how: str, reason: str) -> None:
    bad = save_upload([("bank.md", BANK)], "bank.md", tmp_path)
    good = save_upload([("other.md", OTHER)], "other.md", tmp_path)
    _damage(bad.folder, how)
    errors: list[UploadError] = []
    assert [u.digest for u in list_uploads(tmp_path, errors)] == [good.digest]
    assert len(errors) == 1
    assert str(errors[0]).startswith(f"{bad.folder}: a damaged stored upload ({reason}")
    assert str(errors[0]).endswith("; delete the folder to remove it")
    with pytest.raises(UploadError):
        find_upload(bad.digest, tmp_path)


def test_uploads_damaged_folder_is_written_anew_keeping_its_decisions(tmp_path: Path) -> None:
    up = save_upload([("bank.md", BANK)], "bank.md", tmp_path)
    add_accepted(up.folder / ACCEPTED_FILE, "bank-1", "bank-2")
    (up.folder / "bank.md").unlink()
    again = save_upload([("bank.md", BANK)], "bank.md", tmp_path)
    assert upload_files(again) == (("bank.md", BANK),)
    assert read_accepted(again.folder / ACCEPTED_FILE) == {frozenset(("bank-1", "bank-2"))}


def test_uploads_changed_bytes_of_the_same_size_are_refused_on_read(tmp_path: Path) -> None:
    up = save_upload([("bank.md", BANK)], "bank.md", tmp_path)
    (up.folder / "bank.md").write_bytes(BANK.replace(b"ReLU", b"GELU"))
    with pytest.raises(UploadError, match="the stored files have changed since they were uploaded"):
        upload_files(read_upload(up.folder))


def test_uploads_temporary_and_stray_folders_are_not_uploads(tmp_path: Path) -> None:
    (tmp_path / ".0123456789ab.xyz.tmp").mkdir()
    (tmp_path / "notes").mkdir()
    (tmp_path / "stray.txt").write_text("x")
    errors: list[UploadError] = []
    assert list_uploads(tmp_path, errors) == []
    reason = "a damaged stored upload (its name is not a content digest); delete the folder to remove it"
    assert [str(e) for e in errors] == [f"{tmp_path / 'notes'}: {reason}"]
    assert list_uploads(tmp_path / "none") == []
    assert find_upload("../../etc", tmp_path) is None
    assert find_upload("0123456789ab", tmp_path) is None


def test_uploads_interrupted_write_leaves_no_folder(tmp_path: Path, monkeypatch) -> None:
    calls = []
    real = atomic.os.replace

    def fail_second(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", fail_second)
    with pytest.raises(UploadError, match="could not keep the upload"):
        save_upload([("a.md", BANK), ("b.md", OTHER)], "two", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_uploads_store_that_cannot_be_written_says_so(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(UploadError, match=r"could not keep the upload"):
        save_upload([("bank.md", BANK)], "bank.md", blocker / "uploads")


def test_uploads_store_over_its_limit_refuses(tmp_path: Path) -> None:
    save_upload([("bank.md", BANK)], "bank.md", tmp_path, limit=200)
    with pytest.raises(UploadError, match="would pass its limit"):
        save_upload([("other.md", OTHER * 4)], "other.md", tmp_path, limit=200)
    assert len(list_uploads(tmp_path)) == 1


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"KG_UPLOADS": "/srv/up", "XDG_CACHE_HOME": "/xdg"}, "/srv/up"),
        ({"KG_UPLOADS": "", "XDG_CACHE_HOME": "/xdg"}, "/xdg/kg/uploads"),
        ({"KG_UPLOADS": "", "XDG_CACHE_HOME": "", "HOME": "/home/u"}, "/home/u/.cache/kg/uploads"),
    ],
)
def test_uploads_store_root_from_the_environment(monkeypatch, env: dict[str, str], expected: str) -> None:
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert store_root() == Path(expected)


def test_uploads_folder_is_private(tmp_path: Path) -> None:
    up = save_upload([("bank.md", BANK)], "bank.md", tmp_path)
    assert os.stat(up.folder).st_mode & 0o077 == 0


def test_uploads_leftovers_of_old_cut_short_writes_are_swept(tmp_path: Path) -> None:
    old = tmp_path / ".0123456789ab.x1.tmp"
    fresh = tmp_path / ".0123456789ab.x2.tmp"
    for folder in (old, fresh):
        folder.mkdir()
        (folder / "bank.md").write_bytes(BANK)
    os.utime(old, (0, 0))
    up = save_upload([("bank.md", BANK)], "bank.md", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([fresh.name, up.digest])


def _save_many(root: str, times: int) -> None:
    for _ in range(times):
        assert upload_files(save_upload([("bank.md", BANK)], "bank.md", root)) == (("bank.md", BANK),)


def test_uploads_same_content_from_writers_at_once_is_one_folder(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    workers = [ctx.Process(target=_save_many, args=(str(tmp_path), 20)) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]
    assert [p.name for p in tmp_path.iterdir()] == [content_digest([("bank.md", BANK)])]
