"""Files a user names, read so that no file can hang ticker, exhaust its memory or crash it: only regular files
are opened (a FIFO, a device or a folder is refused), each is read up to a limit for its kind (a campaign, a
text, a font, a picture), a picture's size is read from its header before its pixels are decoded, and a path
written in a campaign or on the command line (with ~, a NUL, a link that loops) is checked before it is used.

Every refusal is a `FileProblem`: one sentence naming the file, and a `reason` that completes a sentence of the
caller's ("style.logo names x.png, which is a FIFO …").
"""

from __future__ import annotations

import io
import os
import re
import stat
import sys
import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from ticker.errors import FileProblem

CAMPAIGN_LIMIT = 1_000_000  # bytes of a campaign file: some 300,000 Vietnamese characters
TEXT_LIMIT = 1_000_000  # bytes of a message file (--text-file, `ticker text`): a long letter is some 30,000
FONT_LIMIT = 50_000_000  # bytes of a font file: the largest pan-Unicode fonts are some 25 MB
PICTURE_LIMIT = 100_000_000  # bytes of a logo or background file
MAX_PIXELS = 40_000_000  # pixels of a logo or background: an 8K picture is 33 million

# ticker measures every picture against MAX_PIXELS before decoding it, far below Pillow's own warning
# (89 million pixels); Pillow's raw Python warning would only repeat it.
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)


def size_text(n: int) -> str:
    """1.2 MB, 340 KB, 12 bytes."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{n} byte" + "s" * (n != 1)


def user_path(value: str, base: Path) -> Path:
    """A path written in a campaign file (relative to its folder; ~ and ~user for home folders) or on the
    command line (base: the working folder), made absolute. A NUL, an unknown user's ~ or a link that loops
    is a FileProblem."""
    if "\0" in value:
        raise FileProblem(repr(value), "holds a NUL character (U+0000), which no file name may")
    try:
        return (base / Path(value).expanduser()).resolve()
    except RuntimeError:  # ~nosuchuser, or no home folder; a link that loops
        if value.startswith("~"):
            user = value[1:].split("/", 1)[0]
            whose = f"the home folder of {user!r}, a user this machine does not know" if user else "a home folder"
            raise FileProblem(value, f"names {whose}") from None
        raise FileProblem(value, "is a link that leads back to itself") from None
    except (OSError, ValueError) as e:
        raise FileProblem(value, f"is not a usable path ({e})") from None


def kind_of(mode: int) -> str | None:
    """What a file that is not a regular file is; None for a regular file."""
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "not a regular file"


def _open_regular(path: Path, what: str, limit: int, follow: bool = True) -> int:
    """A descriptor of `path` opened for reading, refused unless a regular file of at most `limit` bytes. It
    is opened without blocking (a FIFO opens at once instead of waiting for a writer) and then looked at."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow else os.O_NOFOLLOW))
    except FileNotFoundError:
        raise FileProblem(path, f"no such {what}") from None
    except ValueError:
        raise FileProblem(repr(str(path)), "holds a NUL character (U+0000), which no file name may") from None
    except OSError as e:
        raise FileProblem(path, f"cannot be read ({e.strerror})") from None
    try:
        st = os.fstat(fd)
        if kind := kind_of(st.st_mode):
            raise FileProblem(path, f"is {kind}, not a regular file; a {what} must be one")
        if st.st_size > limit:
            raise FileProblem(path, too_big(st.st_size, what, limit))
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def too_big(size: int | None, what: str, limit: int) -> str:
    told = f"is {size_text(size)}" if size is not None else f"holds more than {size_text(limit)}"
    return f"{told}, more than a {what} may be ({size_text(limit)})"


def regular_file(path: Path, what: str, limit: int) -> Path:
    """`path` when it is a regular file of at most `limit` bytes (for files another library opens by name)."""
    os.close(_open_regular(path, what, limit))
    return path


def read_input(path: Path | str, what: str, limit: int, *, follow: bool = True) -> bytes:
    """The bytes of a regular file of at most `limit` bytes ('-': standard input), else a FileProblem.
    `what` names the file in the sentence ("campaign file")."""
    if str(path) == "-":
        data = sys.stdin.buffer.read(limit + 1)
        if len(data) > limit:
            raise FileProblem("standard input", too_big(None, what, limit))
        return data
    path = Path(path)
    fd = _open_regular(path, what, limit, follow)
    try:
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(limit + 1)  # a file may grow, or say 0 bytes and hold more (/proc)
    except OSError as e:
        raise FileProblem(path, f"cannot be read ({e.strerror})") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise FileProblem(path, too_big(None, what, limit))
    return data


def open_picture(path: Path, what: str = "picture", max_pixels: int = MAX_PIXELS) -> Image.Image:
    """A picture file read (at most PICTURE_LIMIT bytes) and opened, its size checked against `max_pixels`
    from its header, before any pixel is decoded; the caller decodes it (`convert`, `load`, `verify`)."""
    return picture_from(read_input(path, what, PICTURE_LIMIT), path, max_pixels)


def picture_from(data: bytes, path: Path, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """A picture file's bytes opened, its size checked from its header before any pixel is decoded."""
    try:
        im = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as e:  # beyond Pillow's own limit: it says only the pixel count
        found = re.search(r"\((\d+) pixels\)", str(e))
        count = f"{int(found.group(1)) / 1e6:.0f} million pixels" if found else "too many pixels"
        raise FileProblem(path, f"is a picture of {count}; {_limit(max_pixels)}") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as e:
        raise FileProblem(path, f"is not a readable picture ({e})") from None
    w, h = im.size
    if w * h > max_pixels:
        im.close()
        raise FileProblem(path, f"is a picture of {w} × {h} pixels ({w * h / 1e6:.0f} million); {_limit(max_pixels)}")
    return im


def _limit(max_pixels: int) -> str:
    return f"ticker takes pictures of at most {max_pixels / 1e6:.0f} million pixels"
