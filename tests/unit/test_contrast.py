"""Contrast as WCAG computes it, and Vietnamese capitals that keep web addresses as written."""

from __future__ import annotations

import pytest

from ticker.engine.readability import band_contrast, contrast_ratio
from ticker.vietnamese.text import upper


def test_contrast_follows_wcag():
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast_ratio((118, 118, 118), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)
    # a half-transparent black band over a white picture is mid grey: white text on it is weak
    assert band_contrast((255, 255, 255), (0, 0, 0), 0.5) < band_contrast((255, 255, 255), (0, 0, 0), 1.0)


def test_vietnamese_capitals_keep_web_addresses():
    assert upper("đề nghị người dân tải ứng dụng ở ấp Ỷ") == "ĐỀ NGHỊ NGƯỜI DÂN TẢI ỨNG DỤNG Ở ẤP Ỷ"
    url = "https://play.google.com/store/apps/details?id=com.vnptit.innovation.ncovi&hl=en"
    assert upper(f"tải tại {url} để") == f"TẢI TẠI {url} ĐỂ"
