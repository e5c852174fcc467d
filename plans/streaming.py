"""Open data sent as it is written: rows read from the database a batch at a time, CSV lines
and JSON chunks from generators, gathered into pieces of a few kilobytes, so a large download
never sits whole in memory."""

import csv
import json
from collections.abc import Iterable, Iterator
from itertools import chain, islice

from django.http import StreamingHttpResponse

CHUNK_SIZE = 8192
# Rows read from the database at once: memory holds one batch (with what is read beside it),
# and a download costs a fixed number of queries per batch, the same for 1 row as for 200.
ROWS_AT_A_TIME = 200


def in_batches(queryset, size: int = ROWS_AT_A_TIME) -> Iterator[list]:
    """The queryset's objects, `size` at a time, each batch with its prefetches done (Django
    prefetches an iterator's objects chunk by chunk). Nothing is read until the first batch is
    asked for: a download's queries run as it is sent."""
    objects = queryset.iterator(chunk_size=size)
    while batch := list(islice(objects, size)):
        yield batch


class _Line:
    """A file-like object whose write returns the text, for csv.writer to hand lines back."""

    def write(self, text: str) -> str:
        return text


def csv_lines(header: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """The header and each row as CSV lines, exactly as csv.writer writes them to a file."""
    writer = csv.writer(_Line())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


class StreamedList(list):
    """A generator the JSON encoder takes for a list: written item by item, never gathered.

    The encoder asks whether a list is empty before writing it ("[]"), so the first item is
    read ahead to answer."""

    def __init__(self, items: Iterable):
        super().__init__()
        self._items = iter(items)
        self._first = next(self._items, _NOTHING)

    def __bool__(self) -> bool:
        return self._first is not _NOTHING

    def __iter__(self):
        if self._first is _NOTHING:
            return iter(())
        return chain([self._first], self._items)


_NOTHING = object()


def json_chunks(data, *, encoder=json.JSONEncoder, **options) -> Iterator[str]:
    """`data` as json.dumps(data, cls=encoder, **options) writes it, in the encoder's pieces."""
    return encoder(**options).iterencode(data)


def gathered(pieces: Iterable[str], size: int = CHUNK_SIZE) -> Iterator[str]:
    """Small pieces joined into chunks of about `size` characters."""
    buffer: list[str] = []
    length = 0
    for piece in pieces:
        buffer.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(buffer)
            buffer, length = [], 0
    if buffer:
        yield "".join(buffer)


def streamed(pieces: Iterable[str], content_type: str) -> StreamingHttpResponse:
    return StreamingHttpResponse(gathered(pieces), content_type=content_type)
