"""What the wizard draws again, and what not: the side panel kept when unchanged, photos drawn
in blocks off the UI thread exactly as textual-image draws them, the one-line title."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from PIL import Image
from textual.app import App, ComposeResult
from textual.command import CommandPalette
from textual.containers import Container
from textual.geometry import Region, Size
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from kyctui.domain.photos.result import CheckResult, Skipped, Status
from kyctui.tui.graphics import image_widget_class
from kyctui.tui.screens.wizard import WizardScreen
from kyctui.tui.widgets.block_image import BlockImage, block_lines, cells_for
from kyctui.tui.widgets.check_table import CheckTable
from kyctui.tui.widgets.preview import PhotoPreview
from kyctui.tui.widgets.title_bar import TitleBar
from tests.conftest import camera_jpeg_bytes
from tests.tui_app import FIXED_NOW, test_app

CHECKS = [
    CheckResult("image.blur", Status.PASS, 0.91, 0.5, "Sharp enough.", "Hold still."),
    CheckResult("image.glare", Status.WARN, 0.12, 0.05, "Some glare.", "Tilt the card."),
    CheckResult("file.size", Status.PASS, 2.5, 10, "Small enough.", "Compress it."),
]
SKIPPED = [Skipped("doc.mrz", "the OCR extra is not installed")]


def _gradient(size: tuple[int, int] = (480, 360)) -> Image.Image:
    """A photo-like image whose every cell differs (a flat one would hide a wrong colour)."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    red = Image.linear_gradient("L").rotate(90).resize(size)
    return Image.merge(
        "RGB", (red, image.getchannel(1), image.getchannel(2).point(lambda v: v // 2))
    )


class _Bench(App[None]):
    """A box the size of the wizard's preview, to draw images in."""

    CSS = """
    #box { width: 56; height: 16; border: round $panel; }
    .image { width: auto; height: 100%; }
    """

    def compose(self) -> ComposeResult:
        yield Container(id="box")
        yield CheckTable(id="table")


def _lines(widget: Widget) -> list[Strip]:
    return widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))


async def test_block_image_draws_what_textual_image_draws() -> None:
    image = _gradient()
    async with _Bench().run_test(size=(100, 30)) as pilot:
        box = pilot.app.query_one("#box")
        halfcell = image_widget_class()(image, classes="image")
        await box.mount(halfcell)
        await pilot.pause()
        expected, expected_size = _lines(halfcell), halfcell.size
        await halfcell.remove()
        # Made "off the UI thread" for the box the preview has: only shown here.
        lines = block_lines(image, cells_for(image.size, box.content_size))
        blocks = BlockImage(image, lines, classes="image")
        await box.mount(blocks)
        await pilot.pause()
        assert blocks.size == expected_size == Size(37, 14)
        assert _lines(blocks) == expected
        assert blocks._lines is lines  # shown as made, not drawn again


async def test_block_image_is_drawn_again_for_another_box() -> None:
    image = _gradient()
    async with _Bench().run_test(size=(100, 30)) as pilot:
        box = pilot.app.query_one("#box")
        stale = block_lines(image, Size(20, 8))  # made for a box the terminal no longer has
        blocks = BlockImage(image, stale, classes="image")
        await box.mount(blocks)
        await pilot.pause()
        assert blocks.size == Size(37, 14)
        _lines(blocks)
        assert blocks._cells == Size(37, 14)
        assert blocks._lines == block_lines(image, Size(37, 14))


async def test_the_check_table_keeps_rows_it_already_shows() -> None:
    async with _Bench().run_test(size=(100, 30)) as pilot:
        table = pilot.app.query_one(CheckTable)
        table.show(CHECKS, SKIPPED)
        await pilot.pause()
        assert [table.get_row_at(i)[0] for i in range(table.row_count)] == [
            "image.glare",  # warnings first
            "image.blur",
            "file.size",
            "doc.mrz",
        ]
        drawn = table._lines
        assert [line.text.split() for line in drawn[:2]] == [
            ["check", "status", "value", "limit", "what", "/", "fix"],
            ["image.glare", "warn", "0.12", "0.05", "Some", "glare.", "→", "Tilt", "the", "card."],
        ]
        table.show(list(CHECKS), list(SKIPPED))  # the same results again (a return to the step)
        await pilot.pause()
        assert table._lines is drawn  # not drawn again
        table.show(CHECKS[:1])
        await pilot.pause()
        assert table.row_count == 1 and table._lines is not drawn


async def test_the_check_table_scrolls_under_its_header_in_colour() -> None:
    many = [
        CheckResult(f"check.{i:02d}", Status.PASS, i, 30, "Fine.", "Nothing to do.")
        for i in range(24)
    ]
    failed = CheckResult("image.dark", Status.FAIL, 0.1, 0.3, "Too dark.", "Add light.")
    async with _Bench().run_test(size=(100, 40)) as pilot:
        table = pilot.app.query_one(CheckTable)
        table.show([*many, failed], SKIPPED)
        await pilot.pause()
        assert table.size.height == 18 and table.row_count == 26  # at most 18 lines, scrolled
        lines = _lines(table)
        assert lines[1].text.split()[:2] == ["image.dark", "fail"]
        status = next(seg for seg in table._lines[1] if seg.text.strip() == "fail")  # unfiltered
        assert status.style is not None and status.style.bold
        assert status.style.color is not None and status.style.color.name == "red"
        assert lines[1].text.rstrip().endswith("Too dark. → Add light.")
        backgrounds = {seg.style.bgcolor for line in table._lines[1:3] for seg in line if seg.style}
        assert len(backgrounds) == 2  # zebra stripes
        table.scroll_to(y=10, animate=False, immediate=True)
        await pilot.pause()
        lines = _lines(table)
        assert lines[0].text.split()[0] == "check"  # the header stays on top
        assert lines[-1].text.split()[:2] == ["doc.mrz", "skipped"]  # the last row in view
        skipped = next(seg for seg in table._lines[-1] if seg.text.strip() == "skipped")
        assert skipped.style is not None and skipped.style.dim


async def test_the_preview_loads_a_photo_once(tmp_path: Path) -> None:
    photo = tmp_path / "front.jpg"
    photo.write_bytes(camera_jpeg_bytes(size=(800, 600)))

    class OnePreview(App[None]):
        CSS = "PhotoPreview { width: 56; }"

        def compose(self) -> ComposeResult:
            yield PhotoPreview()

    async with OnePreview().run_test(size=(100, 30)) as pilot:
        preview = pilot.app.query_one(PhotoPreview)
        preview.show(str(photo), "sha-1")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        shown = preview.query_one(BlockImage)  # blocks: the test terminal has no graphics
        assert shown.size == Size(37, 14)  # drawn in the worker for the box it is shown in
        assert shown._lines and shown._cells == shown.size
        preview.show(str(photo), "sha-1")  # shown again, unchanged: nothing is loaded
        assert not pilot.app.workers and preview.query_one(BlockImage) is shown
        preview.show(str(photo), "sha-2")  # the file changed under the same name
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert preview.query_one(BlockImage) is not shown
        preview.show(None)
        await pilot.pause()
        assert not preview.query(BlockImage)
        assert str(preview.query_one("#preview-note").render()) == "No photo selected."


async def test_the_title_line_shows_the_titles_and_opens_the_palette(tmp_path: Path) -> None:
    app = test_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        bar = app.screen.query_one(TitleBar)
        line = str(bar.render())
        assert line.startswith(" ⭘      ") and len(line) == 100
        assert f"kyctui — {app.sub_title}" in line  # the screen has no sub-title of its own
        middle = line[8:-10]  # centred between the icon and the clock's place, as Header did
        assert abs(len(middle) - len(middle.lstrip()) - (len(middle) - len(middle.rstrip()))) <= 1
        app.screen.sub_title = "Attempt #7"
        await pilot.pause()
        assert "kyctui — Attempt #7" in str(bar.render())
        await pilot.hover(TitleBar, offset=(2, 0))
        assert bar.tooltip == "Open the command palette"  # over the icon only, as in the Header
        await pilot.hover(TitleBar, offset=(40, 0))
        assert bar.tooltip is None
        await pilot.click(TitleBar, offset=(1, 0))
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)


def _photo(folder: Path, name: str, size: tuple[int, int]) -> Path:
    path = folder / name
    path.write_bytes(camera_jpeg_bytes(size=size, when=FIXED_NOW.replace(tzinfo=None)))
    return path


async def _done(pilot: Pilot[None]) -> None:
    """The workers done, and what they posted handled (a result may start a preview)."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()


@contextlib.asynccontextmanager
async def _wizard_with(
    folder: Path, photo: Path
) -> AsyncIterator[tuple[Pilot[None], WizardScreen]]:
    """The wizard on Documents with `photo` attached as the ID front, checked and shown."""
    from kyctui.domain.store import Store

    store = Store(folder / "kyctui.sqlite3")
    attempt = store.create_attempt("okx", "basic", "national-id", "documents", FIXED_NOW)
    async with test_app(folder, resume=attempt.id).run_test(size=(120, 40)) as pilot:
        await _done(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, WizardScreen)
        screen.attach("id-front", photo)
        await _done(pilot)
        yield pilot, screen


async def test_returning_to_documents_redraws_no_side_panel(tmp_path: Path) -> None:
    async with _wizard_with(tmp_path, _photo(tmp_path, "front.jpg", (1200, 900))) as (
        pilot,
        screen,
    ):
        table, image = screen.query_one(CheckTable), screen.query_one(BlockImage)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        drawn = table._lines
        assert rows and drawn
        await pilot.press("right_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert screen.current.step.id == "documents" and not pilot.app.workers
        assert screen.query_one(BlockImage) is image and table._lines is drawn


async def test_a_result_for_a_hidden_side_panel_is_drawn_on_return(tmp_path: Path) -> None:
    first = _photo(tmp_path, "first.jpg", (1200, 900))
    second = _photo(tmp_path, "second.jpg", (900, 1200))
    async with _wizard_with(tmp_path, first) as (pilot, screen):
        preview = screen.query_one(PhotoPreview)
        shown = preview._wanted
        await pilot.press("right_square_bracket")
        await pilot.pause()
        screen._check("id-front", second)  # a check started before, done on another step
        await _done(pilot)
        assert screen.attempt.photos["id-front"].path == str(second)
        assert preview._wanted == shown  # no preview decoded for a panel not shown
        await pilot.press("left_square_bracket")
        await _done(pilot)
        assert preview._wanted is not None and preview._wanted[0] == str(second)
        width, height = screen.query_one(BlockImage)._image.size
        assert width < height  # the second photo's, upright
        assert screen.query_one("#side-title", Static).content == "Checks of 'second.jpg'"
