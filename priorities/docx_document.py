"""A Word document's body as a tree of headings, each with its paragraphs (as Markdown) and its
tables (as rows of cell texts), read with python-docx within limits: the file's size, what it
unpacks to, and how much text it holds. What the headings and tables mean is decided in
priorities/docx_import.py."""

import io
import re
import zipfile
from dataclasses import dataclass, field

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 40 * 1024 * 1024  # a .docx is a zip: a small one can unpack to gigabytes
MAX_TEXT = 500_000  # characters: ten times the Lichfield plan; the preview is kept in the session

HEADING_STYLE = re.compile(r"^heading (\d)$", re.IGNORECASE)
BULLET = re.compile(r"^[•·▪◦*–-]\s+")


class UnreadableDocument(ValueError):
    """The file is not a Word document this page can read; the message says why."""


@dataclass(eq=False)
class Heading:
    """A heading (the root, level 0, is the document before its first heading) with the
    paragraphs and tables under it, before its next heading, and the headings below it."""

    level: int
    title: str
    blocks: list = field(default_factory=list)  # ("text", markdown) or ("table", rows, position)
    children: list["Heading"] = field(default_factory=list)
    parent: "Heading | None" = None

    def walk(self):
        """This heading and every heading under it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def descendants(self, depth: int = 1):
        """(heading, depth) for each heading under this one, in document order."""
        for child in self.children:
            yield child, depth
            yield from child.descendants(depth + 1)


def open_document(data: bytes):
    """The python-docx document in a file's bytes. Raises UnreadableDocument with why."""
    if not data:
        raise UnreadableDocument("The selected file is empty.")
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableDocument(
            f"The selected file is {_megabytes(len(data))}: it must be smaller than "
            f"{_megabytes(MAX_FILE_BYTES)}."
        )
    try:
        unpacked = sum(item.file_size for item in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except zipfile.BadZipFile:
        raise UnreadableDocument("The selected file is not a Word document (.docx).") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableDocument(
            f"The selected file unpacks to {_megabytes(unpacked)}: it must unpack to less than "
            f"{_megabytes(MAX_UNPACKED_BYTES)}."
        )
    try:
        return docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises many kinds for a broken package
        raise UnreadableDocument(
            "The selected file could not be read as a Word document: it may be damaged. Save "
            "it again from Word as a .docx and upload that."
        ) from None


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def heading_tree(document) -> tuple[Heading, str]:
    """The body's headings as a tree; the document's title (Title style) aside."""
    root = Heading(level=0, title="")
    current, title, position, characters = root, "", 0, 0
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            paragraph = Paragraph(element, document)
            text = _clean(paragraph.text)
            characters += len(text)
            style = _style_name(paragraph)
            if not text or style.lower().startswith("toc"):
                continue
            if style.lower() == "title":
                # What follows the title until the first heading is its cover page.
                title, current = title or text, root
                continue
            level = _heading_level(paragraph)
            if level:
                while current.level >= level:
                    current = current.parent
                node = Heading(level=level, title=text, parent=current)
                current.children.append(node)
                current = node
            else:
                current.blocks.append(("text", _markdown(paragraph, text)))
        elif element.tag == qn("w:tbl"):
            position += 1
            rows = _table_rows(Table(element, document))
            characters += sum(len(cell) for row in rows for cell in row)
            current.blocks.append(("table", rows, position))
        if characters > MAX_TEXT:
            raise UnreadableDocument(
                f"The document holds more than {MAX_TEXT:,} characters of text: import a plan "
                "of at most that size."
            )
    return root, title


def _style_name(paragraph) -> str:
    try:
        return (paragraph.style.name or "") if paragraph.style is not None else ""
    except (KeyError, ValueError):
        return ""


def _heading_level(paragraph) -> int:
    """1 to 9 for a heading: a Heading style, or a style (or paragraph) with an outline level,
    as Word in another language or a custom heading style has; 0 for body text."""
    own = _outline_level(paragraph._p.pPr)
    if own is not None:
        return own
    style = paragraph.style
    for _ in range(10):  # a custom style based on a heading, based on…
        if style is None:
            return 0
        found = HEADING_STYLE.match(style.name or "")
        if found:
            return int(found.group(1))
        level = _outline_level(style.element.pPr)
        if level is not None:
            return level
        style = style.base_style
    return 0


def _outline_level(properties) -> int | None:
    """Word's outline level 0–8 as a heading level 1–9; 9 is body text (0)."""
    found = properties.find(qn("w:outlineLvl")) if properties is not None else None
    if found is None:
        return None
    value = found.get(qn("w:val"), "")
    return int(value) + 1 if value.isdigit() and int(value) < 9 else 0


def _clean(text: str) -> str:
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


def _markdown(paragraph, text: str) -> str:
    """A paragraph as Markdown: a list item keeps its bullet; soft line breaks become spaces."""
    text = " ".join(line.strip() for line in text.splitlines() if line.strip())
    style = _style_name(paragraph).lower()
    numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    if style.startswith("list number"):
        return f"1. {text}"
    if style.startswith("list") or numbered:
        return f"- {text}"
    return text


def _table_rows(table) -> list[list[str]]:
    """Each row's cells as text, a paragraph or line break per line. A merged cell is read
    once: in its first row, and in its first column."""
    rows, above = [], []
    for row in table.rows:
        cells = list(row.cells)
        texts = []
        for column, cell in enumerate(cells):
            down = column < len(above) and above[column]._tc is cell._tc
            across = column > 0 and cells[column - 1]._tc is cell._tc
            texts.append("" if down or across else "\n".join(_cell_lines(cell)))
        rows.append(texts)
        above = cells
    return rows


def _cell_lines(cell) -> list[str]:
    """A cell's lines, without the bullets people type by hand ("• Fewer victims")."""
    lines = []
    for paragraph in cell.paragraphs:
        lines.extend(BULLET.sub("", _clean(line)) for line in paragraph.text.splitlines())
    return [line for line in lines if line]
