"""One exception tree for the whole program, caught once at the CLI edge.

TickerError
├── InputError            exit 2: the user can fix it (nothing was written)
│   ├── ConfigError       a campaign file: names the file and the key
│   └── TextError         a message: names the character and where it is
│       └── LegacyEncodingError   a character a legacy encoding cannot write, or bytes it cannot read
├── RenderError           exit 1: the render itself failed (no file under its final name)
│   ├── EncodeError       ffmpeg refused or died; carries the tail of its stderr
│   ├── QCError           a written file failed its checks: nothing was published
│   └── PublishError      the file system refused a write or a rename (full, read-only, gone)
└── LockedError           exit 75 (EX_TEMPFAIL): another nightly run holds the output folder
"""


class TickerError(Exception):
    exit_status = 1


class InputError(TickerError):
    exit_status = 2


class ConfigError(InputError):
    pass


class TextError(InputError):
    pass


class LegacyEncodingError(TextError, ValueError):
    pass


class RenderError(TickerError):
    exit_status = 1


class EncodeError(RenderError):
    pass


class QCError(RenderError):
    pass


class PublishError(RenderError):
    pass


class LockedError(TickerError):
    exit_status = 75
