"""Finding things by the names people write in spreadsheets: any case, any spacing, and a
"did you mean …?" when a name is close to one that exists.

A NameIndex is built from one partnership's (or one plan version's) objects only, so a name
can never match, or be suggested from, another partnership.
"""

import difflib
from collections.abc import Callable, Iterable


def normalise(text) -> str:
    """A name as compared: spaces collapsed, case folded ("  Staffordshire  police" matches)."""
    return " ".join(str(text or "").split()).casefold()


def quoted(names: Iterable[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


class NameIndex:
    """Objects by every name they go by, e.g. an agency by its name and its abbreviation."""

    def __init__(self, objects, names: Callable[[object], Iterable[str]], *, noun: str):
        self.noun = noun
        self.found: dict[str, list] = {}
        self.spelling: dict[str, str] = {}  # how each name is written, for suggestions
        for obj in objects:
            for name in names(obj):
                key = normalise(name)
                if not key:
                    continue
                self.spelling.setdefault(key, str(name).strip())
                same = self.found.setdefault(key, [])
                if obj not in same:
                    same.append(obj)

    def find(self, text):
        """The one object called `text`; ValueError saying what is wrong otherwise."""
        matches = self.found.get(normalise(text), [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise ValueError(f'More than one {self.noun} is called "{text}".')
        raise ValueError(f'There is no {self.noun} "{text}".{self.suggestion(text)}')

    def find_all(self, texts: list[str]) -> list:
        """Each of `texts` found; one ValueError naming every unknown one."""
        found, unknown = [], []
        for text in texts:
            try:
                found.append(self.find(text))
            except ValueError:
                unknown.append(text)
        if unknown:
            hints = "".join(self.suggestion(text) for text in unknown)
            raise ValueError(f"Unknown {self.noun}: {quoted(unknown)}.{hints}")
        return found

    def suggestion(self, text) -> str:
        close = difflib.get_close_matches(normalise(text), self.spelling, n=1, cutoff=0.6)
        return f' Did you mean "{self.spelling[close[0]]}"?' if close else ""
