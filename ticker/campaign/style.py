"""The look of a crawl: the `Style` of a campaign's [style] table and of its named presets ([preset.NAME],
and the built-in news, plain and emergency), read on top of the presets they name."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, get_args

from ticker.campaign.tables import NUM, RGB, SLUG, Table, between, one_of, parse_colour
from ticker.errors import ConfigError, FileProblem
from ticker.files import user_path
from ticker.files.inputs import open_picture

Position = Literal["top", "bottom"]  # the edge of the picture the band keeps to
Rule = Literal["none", "above", "below", "both"]  # a thin line along the band
Side = Literal["left", "right"]
SafeArea = Literal["16:9", "4:3"]  # "4:3": label, logo and QR inside the 4:3 centre cut (EBU R 95)


@dataclass(frozen=True)
class Style:
    font: str = "NotoSans-Bold"
    size: float = 0.05  # em size as a fraction of picture height (of the width, on a portrait screen)
    color: RGB = (255, 255, 255)
    band_color: RGB = (16, 40, 96)
    band_opacity: float = 0.85
    position: Position = "bottom"
    margin: float = 0.0  # extra distance from the graphics-safe edge, fraction of picture height (width)
    padding: float = 0.25  # space above and below the ink inside the band, in ems
    separator: str = "•"  # between messages: text, or "logo" for the logo
    separator_space: float = 0.8  # ems between the ink of a message and of the separator, each side
    background: RGB | Path = (0, 0, 0)  # under the band in h264 files: a colour or a still picture
    fallback_font: str | None = "NotoSans-Bold"  # draws what `font` lacks; None: no fallback
    uppercase: bool = False  # Vietnamese capitals (web addresses kept as written)
    fonts: tuple[tuple[str, str], ...] = (("regular", "NotoSans-Regular"), ("bold", "NotoSans-Bold"))  # weights
    rule: Rule = "none"
    rule_color: RGB = (255, 255, 255)
    rule_size: float = 0.06  # ems, made an even number of lines (at least 2)
    outline: float = 0.0  # ems of outline around the glyphs; 0: none
    outline_color: RGB = (0, 0, 0)
    shadow: float = 0.0  # ems the shadow falls down and right; 0: none
    shadow_color: RGB = (0, 0, 0)
    shadow_opacity: float = 0.6
    label: str = ""  # a box at the start of the band ("THÔNG BÁO"); the crawl passes beneath it
    label_color: RGB = (255, 255, 255)
    label_background: RGB = (200, 16, 46)
    label_font: str | None = None  # default: `font`
    label_padding: float = 0.5  # ems left and right of the label's ink
    logo: Path | None = None  # a PNG with alpha, scaled to the band
    logo_side: Side = "left"
    logo_size: float = 0.8  # its height, fraction of the band's
    safe_area: SafeArea = "16:9"

    def font_for(self, weight: str | None) -> str:
        return self.font if weight is None else dict(self.fonts)[weight]


# Named styles every campaign may use (`preset = "news"` in a style table, or `style = "news"` in an output);
# a campaign's own [preset.NAME] tables add to them or replace them.
PRESETS: dict[str, dict[str, Any]] = {
    "news": dict(
        band_color=(11, 46, 107),
        band_opacity=0.9,
        position="bottom",
        label="THÔNG BÁO",
        label_background=(200, 16, 46),
        rule="above",
        rule_color=(242, 194, 0),
    ),
    "plain": dict(band_opacity=0.0, outline=0.08, shadow=0.06, position="bottom"),
    "emergency": dict(
        band_color=(176, 0, 0),
        band_opacity=1.0,
        position="top",
        label="TIN KHẨN",
        label_color=(0, 0, 0),
        label_background=(255, 210, 0),
        rule="both",
        rule_color=(255, 210, 0),
    ),
}


class Styles:
    """Style tables read on top of the presets they name: [style] and [preset.NAME] may say `preset = "news"`
    and change only what differs."""

    def __init__(self, path: Path, raw: dict):
        self.path, self.raw = path, raw
        self._done: dict[str, Style] = {}
        for name in raw:
            if not SLUG.match(name):
                raise ConfigError(f"{path}: preset.{name} is not a usable name (letters, digits, '.', '_', '-').")

    def named(self, name: str, seen: tuple[str, ...] = ()) -> Style:
        if name in self.raw and name not in seen:
            if name not in self._done:
                self._done[name] = self.read(self.raw[name], f"preset.{name}", (*seen, name))
            return self._done[name]
        return replace(Style(), **PRESETS[name])

    def read(self, table: Any, where: str, seen: tuple[str, ...] = ()) -> Style:
        s = Table(self.path, where, table, [*Style.__dataclass_fields__, "preset"])
        base = Style()
        if "preset" in table:
            name = s.get("preset", None, str, one_of(sorted({*PRESETS, *self.raw})))
            if name in seen and name not in PRESETS:
                s.fail("preset", f"refers back to preset.{name}")
            base = self.named(name, seen)
        return _read_style(s, self.path, base)


def _read_style(s: Table, path: Path, d: Style) -> Style:
    return Style(
        font=s.get("font", d.font, str),
        size=float(s.get("size", d.size, NUM, between(0.02, 0.2))),
        color=s.colour("color", d.color),
        band_color=s.colour("band_color", d.band_color),
        band_opacity=float(s.get("band_opacity", d.band_opacity, NUM, between(0, 1))),
        position=s.get("position", d.position, str, one_of(get_args(Position))),
        margin=float(s.get("margin", d.margin, NUM, between(0, 0.4))),
        padding=float(s.get("padding", d.padding, NUM, between(0, 2))),
        separator=s.get("separator", d.separator, str),
        separator_space=float(s.get("separator_space", d.separator_space, NUM, between(0, 10))),
        background=_background(s, path, d.background),
        fallback_font=s.get("fallback_font", d.fallback_font, str) or None,
        uppercase=s.get("uppercase", d.uppercase, bool),
        fonts=_fonts(s, d.fonts),
        rule=s.get("rule", d.rule, str, one_of(get_args(Rule))),
        rule_color=s.colour("rule_color", d.rule_color),
        rule_size=float(s.get("rule_size", d.rule_size, NUM, between(0, 0.5))),
        outline=float(s.get("outline", d.outline, NUM, between(0, 0.3))),
        outline_color=s.colour("outline_color", d.outline_color),
        shadow=float(s.get("shadow", d.shadow, NUM, between(0, 0.3))),
        shadow_color=s.colour("shadow_color", d.shadow_color),
        shadow_opacity=float(s.get("shadow_opacity", d.shadow_opacity, NUM, between(0, 1))),
        label=s.get("label", d.label, str),
        label_color=s.colour("label_color", d.label_color),
        label_background=s.colour("label_background", d.label_background),
        label_font=s.get("label_font", d.label_font, str) or None,
        label_padding=float(s.get("label_padding", d.label_padding, NUM, between(0, 5))),
        logo=_picture(s, "logo", path) if "logo" in s.table else d.logo,
        logo_side=s.get("logo_side", d.logo_side, str, one_of(get_args(Side))),
        logo_size=float(s.get("logo_size", d.logo_size, NUM, between(0.1, 1))),
        safe_area=s.get("safe_area", d.safe_area, str, one_of(get_args(SafeArea))),
    )


def _fonts(s: Table, default: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    table = s.get("fonts", None, dict)
    if table is None:
        return default
    for weight, font in table.items():
        if not isinstance(font, str):
            s.fail(f"fonts.{weight}", f"must be a font name or file, not {type(font).__name__}")
    return tuple({**dict(default), **table}.items())


def _background(s: Table, path: Path, default: RGB | Path) -> RGB | Path:
    value = s.get("background", None, str)
    if value is None:
        return default
    if (rgb := parse_colour(value)) is not None:
        return rgb
    return _picture(s, "background", path)


def _picture(s: Table, key: str, path: Path) -> Path:
    """The picture file `key` names, relative to the campaign file: a regular file whose size (read from its
    header) ticker takes, and whose structure is whole. It is decoded when it is drawn."""
    value = s.get(key, None, str)
    try:
        picture = user_path(value, path.parent)
    except FileProblem as e:
        s.fail(key, f"{e.reason} (got {value!r})")
    try:
        with open_picture(picture, "picture") as im:
            im.verify()
    except FileProblem as e:
        if not os.path.exists(picture):
            s.fail(
                key,
                f"is neither a colour nor an existing picture ({picture})"
                if key == "background"
                else f"names no existing picture ({picture})",
            )
        s.fail(key, f"names {picture}, which {e.reason}")
    except (OSError, SyntaxError, ValueError) as e:
        s.fail(key, f"names a file that is not a readable picture ({picture}: {e})")
    return picture


def font_fields(style: Style) -> dict[str, str | None]:
    """A style's fonts by the key that names them."""
    fonts = {"font": style.font, "fallback_font": style.fallback_font, "label_font": style.label_font}
    return {**fonts, **{f"fonts.{w}": f for w, f in style.fonts}}
