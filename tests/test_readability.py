"""Readability figures and warnings, capitals, fallback fonts: what `ticker check` tells an operator."""

from __future__ import annotations

import unicodedata

import pytest
from fontTools import subset

from ticker.vietnamese.text import bundled_fonts_dir

from support.campaigns import HAU_GIANG, MINIMAL, PC_COVID, write_campaign
from support.running import run_ticker

BASE = (
    MINIMAL
    + """
[[output]]
profile = "1080p50"
format = "qtrle"
loop = true
"""
)


def _campaign(tmp_path, extra: str = "", base: str = BASE):
    return write_campaign(tmp_path, extra, base)


@pytest.mark.parametrize("config", [HAU_GIANG, PC_COVID])
def test_check_prints_the_readability_figures_of_each_output(tmp_path, config):
    out = run_ticker("check", config, cwd=tmp_path).stdout
    figures = [line for line in out.splitlines() if "characters/s" in line]
    assert len(figures) == 2
    for line in figures:
        assert "(limit 17)" in line and "capitals" in line and "contrast" in line
    assert "warning" not in out


def test_a_600_px_per_second_crawl_is_too_fast_to_read(tmp_path):
    cfg = _campaign(tmp_path, "[motion]\ncrossing_seconds = 3.2\n")  # 1920 / 3.2 = 600 px/s
    done = run_ticker("check", cfg, cwd=tmp_path)
    assert "characters a second, more than the 17 viewers can read" in done.stdout
    strict = run_ticker("check", cfg, "--strict", cwd=tmp_path, check_status=2)
    assert "--strict" in strict.stderr and "Traceback" not in strict.stderr
    out = tmp_path / "out"
    refused = run_ticker("render", cfg, "-o", out, "--strict", cwd=tmp_path, check_status=2)
    assert "warning:" in refused.stderr and not out.exists()


def test_yellow_on_white_gets_a_contrast_warning_and_strict_refuses_it(tmp_path):
    cfg = _campaign(tmp_path, "[style]\ncolor = 'yellow'\nband_color = 'white'\nband_opacity = 1.0\n")
    assert "contrast only 1.1:1" in run_ticker("check", cfg, cwd=tmp_path).stdout
    run_ticker("check", cfg, "--strict", cwd=tmp_path, check_status=2)


def test_a_labels_text_is_held_to_the_same_contrast_as_the_crawls(tmp_path):
    """Black on the default red label box is about 3.6:1 (WCAG): warned about, and refused by --strict; the
    emergency preset's black on yellow is not."""
    cfg = _campaign(tmp_path, "[style]\nlabel = 'THÔNG BÁO'\nlabel_color = 'black'\nlabel_background = '#C8102E'\n")
    out = run_ticker("check", cfg, cwd=tmp_path).stdout
    assert "the label's text and its box contrast only 3.6:1 (at least 4.5:1 is readable)" in out, out
    run_ticker("check", cfg, "--strict", cwd=tmp_path, check_status=2)
    fine = _campaign(tmp_path, "[style]\nlabel = 'TIN KHẨN'\nlabel_color = 'black'\nlabel_background = '#FFD200'\n")
    assert "label's text" not in run_ticker("check", fine, cwd=tmp_path).stdout


def test_red_on_green_and_small_sd_text_are_warned_about(tmp_path):
    cfg = _campaign(
        tmp_path,
        "[style]\ncolor = '#FF2020'\nband_color = '#00A000'\nband_opacity = 1.0\nsize = 0.03\n",
        base=BASE.replace("1080p50", "576i50").replace("qtrle", "prores4444"),
    )
    out = run_ticker("check", cfg, cwd=tmp_path).stdout
    assert "red and green together" in out
    assert "capitals are 12 lines high at 576i50, under the 17" in out


def test_uppercase_style_in_check(tmp_path):
    cfg = _campaign(tmp_path, "[style]\nuppercase = true\n")
    assert (
        "text: ĐỀ NGHỊ NGƯỜI DÂN TẢI ỨNG DỤNG KHAI BÁO Y TẾ PHÒNG DỊCH NCOVI."
        in run_ticker("check", cfg, cwd=tmp_path).stdout
    )


def test_a_fallback_font_draws_what_the_main_font_lacks(tmp_path):
    latin = tmp_path / "AsciiOnly.ttf"
    subset.main([str(bundled_fonts_dir() / "NotoSans-Regular.ttf"), "--unicodes=U+0020-007E", f"--output-file={latin}"])
    cfg = _campaign(tmp_path, f"[style]\nfont = '{latin.name}'\n")
    out = run_ticker("check", cfg, cwd=tmp_path).stdout
    assert "font: AsciiOnly.ttf, fallback NotoSans-Bold.ttf" in out
    run_ticker(
        "render",
        cfg,
        "-o",
        tmp_path / "out",
        "--format",
        "png",
        "--seconds",
        "2",
        "--speed",
        "4000",
        "--text",
        "Đề nghị",
        cwd=tmp_path,
    )
    assert len(list((tmp_path / "out").glob("*/*.png"))) == 100
    cfg = _campaign(tmp_path, f"[style]\nfont = '{latin.name}'\nfallback_font = ''\n")
    done = run_ticker("check", cfg, cwd=tmp_path, check_status=2)
    assert "'Đ' (U+0110" in done.stderr and "column 1" in done.stderr


def test_a_tone_typed_before_its_circumflex_is_flagged(tmp_path):
    stray = unicodedata.normalize("NFC", "a\u0301\u0302")  # NFC cannot join the circumflex after the tone
    assert len(stray) == 2
    cfg = _campaign(tmp_path, base=BASE.replace("Khai báo", f"Khai b{stray}o"))
    out = run_ticker("check", cfg, cwd=tmp_path).stdout
    assert "combining mark U+0302" in out and "not joined to its letter" in out
