"""Letters made to stall their reader, as `ticker draft` and the desk meet them: refused in one sentence within a
letter's budgets; a Word or PDF letter read in a child process that is killed when its time is up, when the
request that asked for it ends, and when the desk is stopped, which SIGTERM does at once, leaving no child."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from ticker.cli import commands as cli
from ticker.errors import FileProblem
from ticker.letters.child import letter_apart
from ticker.letters.formats import PAGE_TEXT_LIMIT, XML_LIMIT

from support.campaigns import HAU_GIANG
from support.desk_server import desk_server, free_port
from support.letter_bombs import EMPTY, SHOWN, docx_bomb, shared_stream_pdf, small_docx
from support.running import run_ticker_process

# 500 pages that draw one stream of 30,000 text operators: 300,000 characters a page, 150 million in all
BOMB = shared_stream_pdf(500, SHOWN, 30_000)
# 500 pages that draw one stream of 500,000 operators showing nothing: seconds of pypdf a page, 40 minutes in all
SLOW = shared_stream_pdf(500, EMPTY, 500_000)


def readers(parent: int) -> list[int]:
    """The letter readers (python -m ticker.letters.child) whose parent is `parent`."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            mine = proc.name.isdigit() and (proc / "stat").read_text().rsplit(")", 1)[1].split()[1] == str(parent)
            if mine and b"ticker.letters.child" in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
        except (OSError, IndexError):
            pass
    return found


def until(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "it did not happen"
        time.sleep(0.02)


def gone(pid: int) -> bool:
    try:
        return (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]) == "Z"
    except OSError:
        return True


def test_draft_refuses_a_pdf_bomb_in_one_sentence_and_writes_nothing(tmp_path):
    (tmp_path / "bomb.pdf").write_bytes(BOMB)
    assert len(BOMB) < 100_000
    done = run_ticker_process("draft", "bomb.pdf", "-o", "out.toml", cwd=tmp_path, check_status=2, timeout=120)
    assert done.stderr == (
        f"ticker: bomb.pdf: page 1 holds more than {PAGE_TEXT_LIMIT:,} characters, more than a page of a letter may.\n"
    )
    assert not (tmp_path / "out.toml").exists()


def test_draft_refuses_a_docx_bomb_in_one_sentence(tmp_path, monkeypatch, capsys):
    (tmp_path / "bom.docx").write_bytes(docx_bomb(XML_LIMIT))
    monkeypatch.chdir(tmp_path)
    sigterm = signal.getsignal(signal.SIGTERM)
    try:
        assert cli.main(["draft", "bom.docx"]) == 2  # `ticker draft` in this process
    finally:
        signal.signal(signal.SIGTERM, sigterm)
    stderr = capsys.readouterr().err
    assert stderr.count("\n") == 1 and "bom.docx: unpacks to" in stderr and "of XML" in stderr


def test_a_reader_over_its_time_is_killed_and_said_so():
    with pytest.raises(FileProblem) as e:
        letter_apart(SLOW, "chậm.pdf", seconds=1)
    assert str(e.value) == "chậm.pdf: takes more than 1 s to read, longer than a letter may."
    assert readers(os.getpid()) == []


def test_a_reader_that_dies_is_one_sentence_that_says_nothing_of_its_insides(tmp_path, monkeypatch):
    python = tmp_path / "python"
    python.write_text("#!/bin/sh\necho \"ModuleNotFoundError: No module named 'docx' ($HOME/.venv)\" >&2\nexit 1\n")
    python.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(python))
    with pytest.raises(FileProblem) as e:
        letter_apart(small_docx(), "cv.docx")
    assert str(e.value) == "cv.docx: could not be read: its reader stopped unexpectedly."


class Asked(Exception):
    pass


def test_a_reader_is_killed_as_soon_as_its_asker_gives_up():
    looks = []

    def abandon() -> None:
        looks.append(readers(os.getpid()))
        if len(looks) == 3:
            raise Asked

    with pytest.raises(Asked):
        letter_apart(SLOW, "chậm.pdf", abandon=abandon)
    assert all(looks) and all(gone(pid) for pid in looks[-1])


@pytest.fixture
def campaigns(tmp_path):
    folder = tmp_path / "campaigns"
    folder.mkdir()
    shutil.copy(HAU_GIANG, folder / "hau-giang.toml")
    return folder


def test_the_desk_refuses_a_pdf_bomb_with_its_sentence(campaigns, tmp_path):
    with desk_server(campaigns, tmp_path / "out") as desk:
        got = desk.client().post("/api/drafts", files={"letter": ("bomb.pdf", BOMB, "application/pdf")})
    assert got.status_code == 400
    assert got.json() == {
        "error": f"bomb.pdf: page 1 holds more than {PAGE_TEXT_LIMIT:,} characters, more than a page of a letter may."
    }
    assert sorted(p.name for p in campaigns.iterdir()) == ["hau-giang.toml"]


def test_a_letter_whose_client_has_gone_is_no_longer_read(campaigns, tmp_path):
    with desk_server(campaigns, tmp_path / "out") as desk:
        client = desk.client()
        request = client.build_request("POST", "/api/drafts", files={"letter": ("chậm.pdf", SLOW, "application/pdf")})
        head = "POST /api/drafts HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in request.headers.items())
        with socket.create_connection(("127.0.0.1", int(desk.url.rsplit(":", 1)[1]))) as connection:
            connection.sendall(head.encode("latin-1") + b"\r\n" + request.read())
            until(lambda: readers(os.getpid()))
            (reader,) = readers(os.getpid())
        # the clerk closed the page: the request ends with its connection, and its reader with it
        until(lambda: gone(reader))
        assert client.get("/healthz").text == "ok"


def test_sigterm_ends_the_desk_at_once_while_a_letter_is_read_and_leaves_no_reader(campaigns, tmp_path):
    port = free_port()
    desk = subprocess.Popen(
        [sys.executable, "-m", "ticker", "serve", campaigns, "-o", tmp_path / "out", "--port", str(port)],
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
        until(lambda: _answers(client))
        client.headers["X-CSRF-Token"] = client.get("/api/session").json()["csrf"]
        answer: list[httpx.Response] = []
        asked = threading.Thread(target=lambda: answer.append(_draft(client)), daemon=True)
        asked.start()
        until(lambda: readers(desk.pid))
        (reader,) = readers(desk.pid)
        desk.send_signal(signal.SIGTERM)
        _, stderr = desk.communicate(timeout=10)
    finally:
        if desk.poll() is None:
            desk.kill()
    assert desk.returncode == 0 and "Traceback" not in stderr
    assert gone(reader)
    asked.join(10)
    assert answer[0].status_code == 503 and "stopping" in answer[0].json()["error"]


def _answers(client: httpx.Client) -> bool:
    try:
        return client.get("/healthz").status_code == 200
    except httpx.TransportError:
        return False


def _draft(client: httpx.Client) -> httpx.Response:
    return client.post("/api/drafts", files={"letter": ("chậm.pdf", SLOW, "application/pdf")})


def test_sigterm_stops_draft_while_it_reads_a_letter_and_leaves_no_reader(tmp_path):
    (tmp_path / "chậm.pdf").write_bytes(SLOW)
    draft = subprocess.Popen(
        [sys.executable, "-m", "ticker", "draft", "chậm.pdf", "-o", "out.toml"],
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        until(lambda: readers(draft.pid))
        (reader,) = readers(draft.pid)
        draft.send_signal(signal.SIGTERM)
        _, stderr = draft.communicate(timeout=10)
    finally:
        if draft.poll() is None:
            draft.kill()
    assert draft.returncode == 143 and stderr == "ticker: stopped (SIGTERM); nothing half-made was published.\n"
    until(lambda: gone(reader), 5)  # at once, even when the signal came while the reader was being started
    assert not (tmp_path / "out.toml").exists()


def test_a_reader_whose_draft_was_killed_ends_at_once(tmp_path):
    """SIGKILL leaves ticker no cleanup of its own: the kernel ends the reader with it, long before the reader's
    CPU-time limit would."""
    (tmp_path / "chậm.pdf").write_bytes(SLOW)
    draft = subprocess.Popen([sys.executable, "-m", "ticker", "draft", "chậm.pdf", "-o", "out.toml"], cwd=tmp_path)
    try:
        until(lambda: readers(draft.pid))
        (reader,) = readers(draft.pid)
        time.sleep(0.5)  # reading
        draft.kill()
        draft.wait(timeout=10)
        until(lambda: gone(reader), 3)
    finally:
        if draft.poll() is None:
            draft.kill()
    assert not (tmp_path / "out.toml").exists()
