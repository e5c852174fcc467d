from django import template

register = template.Library()


@register.filter
def shown(figures, name: str) -> str:
    """One of a QuarterFigures' numbers in the indicator's unit, "" when there is none:
    {{ figures|shown:"last_year" }}."""
    return figures.shown(name)
