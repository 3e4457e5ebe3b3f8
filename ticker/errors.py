"""One exception tree for the whole program, caught once at the CLI edge.

    TickerError
    ├── InputError            exit 2: the user can fix it (nothing was written)
    │   ├── ConfigError       a campaign file: names the file and the key
    │   └── TextError         a message: names the character and where it is
    ├── RenderError           exit 1: the render itself failed (no file under its final name)
    │   └── EncodeError       ffmpeg refused or died; carries the tail of its stderr
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


class RenderError(TickerError):
    exit_status = 1


class EncodeError(RenderError):
    pass


class LockedError(TickerError):
    exit_status = 75
