"""Bad inputs as a tester makes them: every one is refused in one sentence naming the file and the key, with exit
status 2, no traceback, no hang (each command runs under a timeout) and nothing written; in `ticker nightly` the
bad campaign is named and left out while the good one is made.

The cases are the reliability probe's (December 2026): time zones that are tzdata folders, ~user and NUL in paths,
pictures too large to decode, a font without outlines, QR addresses too long or not web addresses, TOML nested
too deeply, a campaign file that is a FIFO or a link to /dev/zero, a name too long for its temporary files,
undecodable text.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from PIL import Image

from support.campaigns import ROOT
from support.running import run_ticker, run_ticker_process

ONE = """[campaign]
name = "one"
start = 2020-03-01
end = 2020-03-31
[[message]]
text = "Xin chào Việt Nam"
[[output]]
profile = "576i50"
format = "qtrle"
loop = true
"""
TIMEOUT = 60  # a hang (a FIFO read, a 4 GB read) fails the test instead of stopping the suite


# the cases whose file is a FIFO or /dev/zero run in a process of their own: were ticker to open one, the read
# would block (or fill memory) beyond what a signal can end, and the timeout ends the process instead
IN_A_PROCESS = {"fifo", "dev-zero", "font-fifo", "logo-fifo"}


def ticker(*args, cwd: Path, process: bool = False) -> subprocess.CompletedProcess:
    """`ticker ARGS` in this process (or, with `process`, in one of its own), exit status unchecked."""
    try:
        if process:
            return run_ticker_process(*args, cwd=cwd, check_status=None, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
        return run_ticker(*args, cwd=cwd, check_status=None, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"ticker {' '.join(map(str, args))} still ran after {TIMEOUT} s")


def refused(done: subprocess.CompletedProcess, *names: str, status: int = 2) -> str:
    """The command exited with `status` and said one sentence naming every one of `names`, no traceback."""
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == status, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ticker: "), done.stderr
    for name in names:
        assert name in lines[0], lines[0]
    return lines[0]


@pytest.fixture(scope="session")
def files(tmp_path_factory) -> Path:
    """Pictures and a font made once: a 20000 × 20000 PNG (400 million pixels, 1 bit deep: 50 KB on disk), a
    12000 × 12000 one, and the bundled font with its outlines (glyf, loca) taken out and its cmap left."""
    folder = tmp_path_factory.mktemp("bad-files")
    Image.new("1", (20000, 20000)).save(folder / "huge.png")
    Image.new("1", (12000, 12000)).save(folder / "large.png")
    font = TTFont(ROOT / "ticker" / "fonts" / "NotoSans-Bold.ttf")
    del font["glyf"], font["loca"]
    font.save(folder / "outlines.ttf")
    return folder


def _fifo(name: str) -> Callable[[Path], None]:
    return lambda folder: os.mkfifo(folder / name)


def _copy(name: str) -> Callable[[Path, Path], None]:
    return lambda folder, files: shutil.copy(files / name, folder / name)


# id: (TOML added to ONE (a callable: the whole file from ONE), what the folder needs, what the sentence names)
CAMPAIGNS: dict[str, tuple] = {
    "tz-folder": ('[campaign]\ntimezone = "Asia"', None, ["campaign.timezone", "time zone"]),
    "tz-300": ('[campaign]\ntimezone = "' + "A" * 300 + '"', None, ["campaign.timezone"]),
    "logo-unknown-user": ('[style]\nlogo = "~nosuchuser/logo.png"', None, ["style.logo", "nosuchuser"]),
    "font-unknown-user": ('[style]\nfont = "~nosuchuser/x.ttf"', None, ["style.font", "nosuchuser"]),
    "label-font-unknown-user": (
        '[style]\nlabel = "TIN"\nlabel_font = "~nosuchuser/f.ttf"',
        None,
        ["style.label_font", "nosuchuser"],
    ),
    "fallback-font-unknown-user": ('[style]\nfallback_font = "~nosuchuser/f.ttf"', None, ["style.fallback_font"]),
    "weight-unknown-user": (
        '[style]\nfonts = { bold = "~nosuchuser/b.ttf" }\n[[message]]\ntext = "Xin chào"\nweight = "bold"',
        None,
        ["style.fonts.bold", "nosuchuser"],
    ),
    "logo-nul": ('[style]\nlogo = "lo\\u0000go.png"', None, ["style.logo", "NUL"]),
    "background-nul": ('[style]\nbackground = "b\\u0000g.png"', None, ["style.background", "NUL"]),
    "font-nul": ('[style]\nfont = "f\\u0000.ttf"', None, ["style.font", "NUL"]),
    "logo-huge": ('[style]\nlogo = "huge.png"', _copy("huge.png"), ["style.logo", "400 million", "40 million"]),
    "background-huge": ('[style]\nbackground = "huge.png"', _copy("huge.png"), ["style.background", "400 million"]),
    "logo-large": ('[style]\nlogo = "large.png"', _copy("large.png"), ["style.logo", "12000 × 12000", "40 million"]),
    "font-no-outlines": ('[style]\nfont = "outlines.ttf"', _copy("outlines.ttf"), ["outlines.ttf", "font"]),
    "font-fifo": ('[style]\nfont = "f.ttf"', _fifo("f.ttf"), ["style.font", "FIFO"]),
    "logo-fifo": ('[style]\nlogo = "logo.png"', _fifo("logo.png"), ["style.logo", "FIFO"]),
    "qr-3000": ('[qr]\nurl = "https://example.com/' + "a" * 2980 + '"', None, ["qr.url", "3000 characters"]),
    "qr-javascript": ('[qr]\nurl = "javascript:alert(document.domain)"', None, ["qr.url", "https://"]),
    "qr-auto-3000": (
        lambda one: one.replace("Xin chào Việt Nam", "Xem https://example.com/" + "a" * 2980) + '[qr]\nurl = "auto"\n',
        None,
        ["QR code", "3000 characters"],
    ),
    "nested-50000": (lambda one: "x = " + "[" * 50_000 + "]" * 50_000 + "\n" + one, None, ["nest"]),
    "name-230": (lambda one: one.replace('name = "one"', f'name = "{"a" * 230}"'), None, ["campaign.name", "255"]),
}


def _campaign_file(folder: Path, files: Path, case: str, name: str = "c.toml") -> Path:
    extra, setup, _ = CAMPAIGNS[case]
    if callable(extra):
        text = extra(ONE)
    else:  # a table named again is not TOML: put the keys under the campaign's own table
        table, _, keys = extra.partition("\n")
        text = ONE.replace("[campaign]\n", f"[campaign]\n{keys}\n") if table == "[campaign]" else f"{ONE}{extra}\n"
    if setup is not None:
        setup(folder, files) if setup.__code__.co_argcount == 2 else setup(folder)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _special(folder: Path, kind: str, name: str = "c.toml") -> Path:
    path = folder / name
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    return path


@pytest.mark.parametrize("case", CAMPAIGNS)
def test_check_refuses_a_bad_campaign_in_one_sentence(tmp_path, files, case):
    cfg = _campaign_file(tmp_path, files, case)
    line = refused(ticker("check", cfg.name, cwd=tmp_path, process=case in IN_A_PROCESS), *CAMPAIGNS[case][2])
    assert "Warning" not in line  # Pillow's DecompressionBombWarning is not shown raw


@pytest.mark.parametrize(
    "case", ["tz-folder", "logo-unknown-user", "logo-nul", "logo-huge", "font-no-outlines", "qr-3000", "name-230"]
)
def test_render_refuses_a_bad_campaign_and_writes_nothing(tmp_path, files, case):
    cfg = _campaign_file(tmp_path, files, case)
    refused(ticker("render", cfg.name, "-o", "out", "--speed", "800", cwd=tmp_path), *CAMPAIGNS[case][2])
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder"])
@pytest.mark.parametrize("command", ["check", "render"])
def test_a_campaign_file_that_is_not_a_regular_file_is_refused_without_reading_it(tmp_path, kind, command):
    cfg = _special(tmp_path, kind)
    what = {"fifo": "FIFO", "dev-zero": "character device", "folder": "folder"}[kind]
    done = ticker(
        command, cfg.name, *(["-o", "out"] if command == "render" else []), cwd=tmp_path, process=kind in IN_A_PROCESS
    )
    refused(done, "c.toml", what)
    assert not (tmp_path / "out").exists()


def test_a_campaign_file_too_large_says_how_large(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text(ONE + "# " + "x" * 2_000_000 + "\n", encoding="utf-8")
    refused(ticker("check", cfg.name, cwd=tmp_path), "c.toml", "2 MB", "1 MB")


def test_a_byte_order_mark_is_accepted(tmp_path):
    (tmp_path / "c.toml").write_bytes(b"\xef\xbb\xbf" + ONE.encode())  # what Notepad saves
    done = ticker("check", "c.toml", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.strip().endswith("ok"), done.stderr


def test_preview_refuses_a_qr_address_too_long(tmp_path, files):
    cfg = _campaign_file(tmp_path, files, "qr-3000")
    refused(ticker("preview", cfg.name, "-o", "proof", cwd=tmp_path), "qr.url")
    assert not (tmp_path / "proof").exists() or not any((tmp_path / "proof").iterdir())


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "large"])
def test_render_text_file_is_read_with_a_limit_and_only_when_regular(tmp_path, kind):
    (tmp_path / "c.toml").write_text(ONE, encoding="utf-8")
    if kind == "large":
        (tmp_path / "t.txt").write_text("Xin chào " * 200_000, encoding="utf-8")  # 2 MB
    else:
        _special(tmp_path, kind, "t.txt")
    args = ("render", "c.toml", "-o", "out", "--loop", "--speed", "800", "--text-file", "t.txt")
    done = ticker(*args, cwd=tmp_path, process=kind in IN_A_PROCESS)
    refused(done, "t.txt", {"fifo": "FIFO", "dev-zero": "character device", "large": "more than"}[kind])
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "data", [bytes(range(256)) * 4, b"Xin ch\xed\xa0\x80o Vi\xe1\xbb\x87t"], ids=["bytes-0-255", "cesu-surrogates"]
)
def test_text_fix_refuses_bytes_that_are_no_text_as_render_does(tmp_path, data):
    (tmp_path / "g.bin").write_bytes(data)
    refused(ticker("text", "fix", "g.bin", cwd=tmp_path), "g.bin", "neither UTF-8")
    (tmp_path / "c.toml").write_text(ONE, encoding="utf-8")
    done = ticker("render", "c.toml", "-o", "out", "--loop", "--speed", "800", "--text-file", "g.bin", cwd=tmp_path)
    refused(done, "g.bin", "neither UTF-8")
    detected = ticker("text", "detect", "g.bin", cwd=tmp_path)
    assert detected.returncode == 0 and "unicode" not in detected.stdout and "confidence 0.00" in detected.stdout


def test_text_fix_on_a_fifo_is_refused(tmp_path):
    os.mkfifo(tmp_path / "t.txt")
    refused(ticker("text", "fix", "t.txt", cwd=tmp_path, process=True), "t.txt", "FIFO")


def test_qc_on_a_fifo_fails_without_hanging(tmp_path):
    os.mkfifo(tmp_path / "f.mov")
    done = ticker("qc", "f.mov", cwd=tmp_path, process=True)
    assert done.returncode == 1 and "FIFO" in done.stdout and "Traceback" not in done.stderr, done


def test_nightly_timezone_that_is_a_tzdata_folder(tmp_path):
    (tmp_path / "c.toml").write_text(ONE, encoding="utf-8")
    done = ticker("nightly", "c.toml", "-o", "out", "--timezone", "Asia", "--date", "2020-03-12", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "--timezone: 'Asia' is not a time zone" in done.stderr.strip().splitlines()[-1]
    assert not (tmp_path / "out").exists()


def test_schedule_names_a_fifo_and_lists_the_rest(tmp_path):
    camps = tmp_path / "camps"
    camps.mkdir()
    (camps / "one.toml").write_text(ONE, encoding="utf-8")
    os.mkfifo(camps / "zz.toml")
    done = ticker("schedule", "camps", "--from", "2020-03-12", "--to", "2020-03-12", cwd=tmp_path, process=True)
    refused(done, "zz.toml", "FIFO")
    assert "one_576i50_qtrle_loop.mov" in done.stdout


@pytest.mark.parametrize(
    "case",
    [
        *("tz-folder", "logo-huge", "logo-unknown-user", "font-unknown-user", "font-no-outlines", "qr-3000"),
        *("nested-50000", "fifo", "dev-zero"),
    ],
)
def test_nightly_leaves_out_one_bad_campaign_and_makes_the_other(tmp_path, files, case):
    camps = tmp_path / "camps"
    camps.mkdir()
    (camps / "good.toml").write_text(ONE, encoding="utf-8")
    if case in CAMPAIGNS:
        bad = _campaign_file(camps, files, case, "two.toml")
        bad.write_text(bad.read_text(encoding="utf-8").replace('name = "one"', 'name = "two"'), encoding="utf-8")
    else:
        _special(camps, case, "two.toml")
    args = ("nightly", "camps", "-o", "out", "--date", "2020-03-12", "--allow-unapproved")
    done = ticker(*args, cwd=tmp_path, process=case in IN_A_PROCESS)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("ticker: error:")]
    assert len(errors) == 1 and "two.toml" in errors[0], done.stderr
    day = tmp_path / "out" / "2020-03-12"
    assert (day / "one_576i50_qtrle_loop.mov").stat().st_size > 0
    assert sorted(p.name for p in day.iterdir()) == ["manifest.json", "nightly.log", "one_576i50_qtrle_loop.mov"]


def test_qc_of_a_folder_of_pictures_holding_a_fifo_names_it_and_does_not_hang(tmp_path):
    folder = tmp_path / "clip_576i50_png_loop"
    folder.mkdir()
    for n in (1, 2, 3):
        Image.new("RGBA", (16, 16)).save(folder / f"clip_576i50_png_loop_{n:06d}.png")
    os.mkfifo(folder / "clip_576i50_png_loop_000004.png")
    done = ticker("qc", folder, cwd=tmp_path, process=True)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "clip_576i50_png_loop_000004.png is a FIFO (named pipe), not a picture file" in done.stdout
