"""A partnership's own look: a brand colour that keeps GOV.UK Frontend's contrast, and a small
logo checked by its bytes, not by its name or the browser's word."""

import hashlib
import re

from django.core.exceptions import ValidationError

# WCAG 2.2 AA for normal text, both ways: white text on the colour, the colour on white.
MINIMUM_CONTRAST = 4.5
WHITE = "#ffffff"
HEX_COLOUR = re.compile(r"^#[0-9a-f]{6}$")

MAX_LOGO_BYTES = 200 * 1024
# What a file starts with decides its type; an SVG (which can carry script) matches neither.
LOGO_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}
LOGO_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg"}


def _relative_luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG's contrast ratio of two #rrggbb colours, from 1 (the same) to 21 (black on white)."""
    lighter, darker = sorted(
        (_relative_luminance(first.lower()), _relative_luminance(second.lower())), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def normalised_colour(value: str) -> str:
    """'#1D70B8' or '1d70b8' as '#1d70b8'; anything else is refused with what to type."""
    colour = value.strip().lower()
    if not colour.startswith("#"):
        colour = "#" + colour
    if not HEX_COLOUR.match(colour):
        raise ValidationError(
            "Enter the colour as a hex code of 6 characters, like #1d70b8.", code="format"
        )
    return colour


def validate_brand_colour(value: str) -> None:
    colour = normalised_colour(value)
    ratio = contrast_ratio(colour, WHITE)
    if ratio < MINIMUM_CONTRAST:
        raise ValidationError(
            "Choose a darker colour: white text on %(colour)s, and %(colour)s on white, have a "
            "contrast ratio of %(ratio).1f:1, and they need at least 4.5:1 to be readable.",
            code="contrast",
            params={"colour": colour, "ratio": ratio},
        )


def is_brand_colour(value: str) -> bool:
    try:
        validate_brand_colour(value)
    except ValidationError:
        return False
    return True


def checked_logo(upload) -> tuple[bytes, str]:
    """The uploaded file's bytes and content type if it is a PNG or JPEG of 200 KB or less."""
    if upload.size > MAX_LOGO_BYTES:
        raise ValidationError(
            "The logo must be 200 KB or smaller (this file is %(size)d KB).",
            code="too_big",
            params={"size": -(-upload.size // 1024)},
        )
    data = upload.read()
    for signature, content_type in LOGO_SIGNATURES.items():
        if data.startswith(signature):
            return data, content_type
    raise ValidationError(
        "The logo must be a PNG or JPEG image (SVG and other files are not accepted).",
        code="type",
    )


def logo_digest(data: bytes) -> str:
    """Names a logo's bytes in its address, so that it can be cached for ever."""
    return hashlib.sha256(data).hexdigest()[:16]
