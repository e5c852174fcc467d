"""How a partnership scores its risks: the levels of impact and likelihood, and the level band
of a risk from them. The one place these rules live; plain values, no database.

Impact and likelihood are stored as level numbers, 1 the lowest: on the three-level scale
1 is Low, 2 Medium and 3 High.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class RiskScale:
    code: str
    label: str
    level_names: tuple[str, ...]  # level 1's name first
    bands: tuple[tuple[int, str], ...]  # (lowest score in the band, its name), highest first

    @property
    def size(self) -> int:
        return len(self.level_names)

    @property
    def choices(self) -> list[tuple[int, str]]:
        return [(number, self.level_name(number)) for number in range(1, self.size + 1)]

    def level_name(self, number: int) -> str:
        """The level's name; a number off the scale (stored before the scale changed, which
        the partnership's clean refuses) is shown as it is rather than breaking the page."""
        return self.level_names[number - 1] if 1 <= number <= self.size else str(number)

    def level_number(self, written: str) -> int | None:
        """A level as a register writes it ("High", "high", "3") as its number; None if it
        is not a level of this scale."""
        written = str(written).strip().casefold()
        for number, name in self.choices:
            if written in (name.casefold(), str(number)):
                return number
        return None

    def band(self, impact: int, likelihood: int) -> str:
        """The risk's level from impact × likelihood."""
        score = impact * likelihood
        return next(name for lowest, name in self.bands if score >= lowest)


# 3×3: anything Low is Low; Medium × Medium is Medium; High with Medium or High is High.
THREE_LEVELS = RiskScale(
    "three",
    "Low, Medium, High (3 levels)",
    ("Low", "Medium", "High"),
    ((6, "High"), (4, "Medium"), (1, "Low")),
)
# 5×5: the usual bands of a risk matrix (1–3 low, 4–7 medium, 8–14 high, 15–25 very high).
FIVE_LEVELS = RiskScale(
    "five",
    "1 to 5 (5 levels)",
    ("1", "2", "3", "4", "5"),
    ((15, "Very high"), (8, "High"), (4, "Medium"), (1, "Low")),
)

SCALES = {scale.code: scale for scale in (THREE_LEVELS, FIVE_LEVELS)}
SCALE_CHOICES = [(scale.code, scale.label) for scale in SCALES.values()]
DEFAULT_SCALE = FIVE_LEVELS.code
LARGEST_LEVEL = max(scale.size for scale in SCALES.values())


def scale_named(code: str) -> RiskScale:
    return SCALES.get(code, SCALES[DEFAULT_SCALE])


def level_choices(scale_codes) -> list[tuple[int, str]]:
    """The levels to offer in a form for risks of partnerships using `scale_codes`: the
    scale's named levels when they share one, else the numbers 1 to 5 (the model's clean
    then holds each risk to its own partnership's scale)."""
    codes = set(scale_codes)
    if len(codes) == 1:
        return scale_named(codes.pop()).choices
    return [(number, str(number)) for number in range(1, LARGEST_LEVEL + 1)]
