"""Unit tests of decode_photo's boundary: the bytes are read in place, whatever their type."""

from __future__ import annotations

import io
import random

import photo_factory as pf
import pytest
from PIL import Image, JpegImagePlugin

from kyctui.domain.photos.decode import BufferReader, decode_photo
from kyctui.knowledge import load_photo_limits


def encoded(fmt: str) -> bytes:
    img = pf.real_photo("coffee")
    out = io.BytesIO()
    img.save(out, fmt)
    return out.getvalue()


@pytest.mark.parametrize(
    ("fmt", "pillow"),
    [("jpeg", "JPEG"), ("png", "PNG"), ("gif", "GIF"), ("bmp", "BMP"), ("tiff", "TIFF")],
)
def test_a_bytearray_decodes_as_the_same_bytes_do(fmt: str, pillow: str) -> None:
    data = encoded(pillow)
    limits = load_photo_limits()
    a_result, a = decode_photo(data, fmt, "a", "id-front", limits)
    b_result, b = decode_photo(bytearray(data), fmt, "a", "id-front", limits)
    assert a_result == b_result and a is not None and b is not None
    assert a.image.tobytes() == b.image.tobytes() and a.luma.tobytes() == b.luma.tobytes()
    assert (a.exif, a.xmp, a.width, a.height) == (b.exif, b.xmp, b.width, b.height)


def test_the_bytearray_is_released_after_decoding() -> None:
    # A view still held on the buffer would make resizing it fail (BufferError).
    data = bytearray(encoded("JPEG"))
    decode_photo(data, "jpeg", "a", "id-front", load_photo_limits())
    data.extend(b"more")
    cut = bytearray(encoded("JPEG")[:5000])  # truncated: the decoder fails mid-way
    result, photo = decode_photo(cut, "jpeg", "a", "id-front", load_photo_limits())
    assert photo is None and "truncated" in result.message
    cut.extend(b"more")


def test_the_reader_reads_and_seeks_like_bytesio() -> None:
    data = bytes(range(256)) * 40
    rng = random.Random(1)
    ours, theirs = io.BufferedReader(BufferReader(bytearray(data))), io.BytesIO(data)
    for _ in range(400):
        op = rng.random()
        if op < 0.5:
            n = rng.choice([-1, 0, 1, 7, 100, 5000, 20000])
            assert ours.read(n) == theirs.read(n)
        else:  # anywhere from the start, from here or from the end, past the end included
            whence = rng.choice([io.SEEK_SET, io.SEEK_CUR, io.SEEK_END])
            base = {io.SEEK_SET: 0, io.SEEK_CUR: theirs.tell(), io.SEEK_END: len(data)}[whence]
            offset = rng.randrange(0, len(data) + 500) - base
            assert ours.seek(offset, whence) == theirs.seek(offset, whence)
        assert ours.tell() == theirs.tell()
    with pytest.raises(ValueError):
        BufferReader(data).seek(-1)


def test_pillow_opens_a_file_through_the_reader() -> None:
    with io.BufferedReader(BufferReader(bytearray(encoded("PNG")))) as f, Image.open(f) as im:
        im.load()
        assert im.size == pf.real_photo("coffee").size


def jpeg(size: tuple[int, int], mode: str = "RGB", **options: object) -> bytes:
    img = pf.real_photo("coffee").convert(mode).resize(size, Image.Resampling.BILINEAR)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85, **options)
    return out.getvalue()


@pytest.mark.parametrize(
    ("size", "mode", "options"),
    [
        ((4032, 3024), "RGB", {}),  # decoded at 1/8: 504 x 378
        ((2000, 1500), "RGB", {"progressive": True}),  # at 1/4
        ((2000, 1500), "RGB", {"subsampling": "4:4:4"}),
        ((1000, 750), "L", {}),  # at 1/2, then made RGB
        ((1000, 750), "CMYK", {}),  # Adobe's inverted CMYK
        ((400, 300), "RGB", {}),  # under the analysis size: no reduced scale
    ],
)
def test_a_jpeg_decoded_in_place_is_what_pillow_loads(
    size: tuple[int, int], mode: str, options: dict[str, object]
) -> None:
    data = jpeg(size, mode, **options)
    _, photo = decode_photo(bytearray(data), "jpeg", "a", "id-front", load_photo_limits())
    assert photo is not None
    with Image.open(io.BytesIO(data)) as im:  # Pillow's own way: draft(), then load()
        long_side = load_photo_limits().analysis_long_side.value
        scale = long_side / max(size)
        if scale < 1:
            im.draft("RGB", (round(size[0] * scale), round(size[1] * scale)))
        im.load()
        expected = im.convert("RGB")
    assert photo.image.mode == "RGB" and photo.image.size == expected.size
    assert photo.image.tobytes() == expected.tobytes()


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.999])
def test_a_jpeg_cut_anywhere_in_its_scan_is_reported_as_cut_short(keep: float) -> None:
    data = jpeg((2000, 1500))
    cut = data[: int(len(data) * keep)]
    result, photo = decode_photo(cut, "jpeg", "a", "id-front", load_photo_limits())
    assert photo is None and "truncated" in result.message


def test_a_phone_photo_with_a_second_picture_decodes_at_reduced_scale(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """iPhones and Samsungs store a depth or gain map after the photo (MPO): the photo itself
    is an ordinary JPEG and must not be decoded in full (~2x the time of a check)."""
    main = pf.real_photo("coffee").resize((4032, 3024), Image.Resampling.BILINEAR)
    out = io.BytesIO()
    main.save(out, "MPO", save_all=True, append_images=[main.resize((400, 300))], quality=85)
    data = out.getvalue()
    drafts: list[tuple[object, ...]] = []
    draft = JpegImagePlugin.JpegImageFile.draft

    def counted(self: JpegImagePlugin.JpegImageFile, *args: object) -> object:
        drafts.append(args)
        return draft(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", counted)
    result, photo = decode_photo(bytearray(data), "jpeg", "a", "id-front", load_photo_limits())
    assert photo is not None and result.value == "4032×3024"
    assert drafts == [("RGB", (500, 375))] and photo.image.size == (504, 378)
    with Image.open(io.BytesIO(data)) as im:  # the first picture, as Pillow decodes it at 1/8
        assert im.format == "MPO"
        im.draft("RGB", (504, 378))
        assert photo.image.tobytes() == im.convert("RGB").tobytes()
