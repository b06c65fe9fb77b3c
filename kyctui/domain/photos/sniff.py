"""Tells a file's format from its first bytes, never from its name."""

from __future__ import annotations

# The formats kyctui understands; only these are ever handed to a decoder.
DECODABLE = {
    "jpeg": "JPEG",
    "png": "PNG",
    "webp": "WEBP",
    "gif": "GIF",
    "bmp": "BMP",
    "tiff": "TIFF",
}
LABELS = {
    "jpeg": "JPEG",
    "png": "PNG",
    "heic": "HEIC/HEIF",
    "webp": "WEBP",
    "gif": "GIF",
    "bmp": "BMP",
    "tiff": "TIFF",
    "pdf": "PDF",
}
EXTENSIONS = {
    "jpeg": (".jpg", ".jpeg", ".jpe", ".jfif"),
    "png": (".png",),
    "heic": (".heic", ".heif", ".hif"),
    "webp": (".webp",),
    "gif": (".gif",),
    "bmp": (".bmp", ".dib"),
    "tiff": (".tif", ".tiff"),
    "pdf": (".pdf",),
}
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif"}

SNIFF_BYTES = 32


def sniff(head: bytes) -> str | None:
    """The format of a file that starts with `head`, or None when it is none kyctui knows."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "heic"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"BM") and len(head) >= 14:
        return "bmp"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head.lstrip(b"\x00\t\r\n ").startswith(b"%PDF-"):
        return "pdf"
    return None


def format_of_extension(name: str) -> str | None:
    """The format a file name claims by its extension, or None for an unknown one."""
    lower = name.lower()
    for fmt, exts in EXTENSIONS.items():
        if lower.endswith(exts):
            return fmt
    return None
