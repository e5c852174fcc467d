"""Every object belongs to one partnership, and links between objects never cross partnerships.

Each model names the way to its partnership in `partnership_path` (a lookup path such as
"plan__partnership"; "" for a partnership itself). An organisation is the exception: agencies
serve several partnerships, so an organisation belongs to each partnership it is a member of,
and may be linked only where it is a member.

Model `clean()` methods call `check_same_partnership` for their foreign keys, and
`refuse_links_across_partnerships` guards many-to-many links on every write path (admin,
imports, commands), so that no form or spreadsheet can, say, tie one partnership's indicator to
another's action and publish its figures there.
"""

from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed
from django.utils.text import get_text_list
from django.utils.translation import ngettext

from .partnerships import Organisation, Partnership


def follow(obj, hops):
    """The object reached from `obj` through the foreign keys named in `hops`, or None where
    one is unset (an unsaved part whose parent is not yet chosen)."""
    target = obj
    for hop in hops:
        target = getattr(target, hop, None)
        if target is None:
            return None
    return target


def partnership_id_of(obj) -> int | None:
    """The id of the partnership `obj` belongs to; None while that is not yet known (an unsaved
    object whose parent is unset) or for an organisation."""
    path = type(obj).partnership_path
    if isinstance(obj, Organisation):
        return None
    if path == "":
        return obj.pk
    *hops, last = path.split("__")
    target = follow(obj, hops)
    return None if target is None else getattr(target, f"{last}_id")


def partnership_ids_of(obj) -> set[int]:
    """Every partnership `obj` belongs to: one, or an organisation's memberships."""
    if isinstance(obj, Organisation):
        if obj.pk is None:
            return set()
        return set(obj.partnerships.values_list("pk", flat=True))
    found = partnership_id_of(obj)
    return set() if found is None else {found}


def is_member(organisation: Organisation, partnership_id: int) -> bool:
    return Partnership.organisations.through.objects.filter(
        partnership_id=partnership_id, organisation_id=organisation.pk
    ).exists()


def check_same_partnership(obj, field: str, others) -> None:
    """Raise a ValidationError on `field` unless each of `others` belongs to obj's partnership
    (for an organisation: is one of its members). Nothing to check until obj's is known."""
    own = partnership_id_of(obj)
    if own is None:
        return
    others = [other for other in others if other is not None]
    agencies = [o for o in others if isinstance(o, Organisation) and not is_member(o, own)]
    if agencies:
        names = get_text_list([str(o) for o in agencies], "and")
        message = ngettext(
            "%(names)s is not a member of this partnership: add it to the partnership first.",
            "%(names)s are not members of this partnership: add them to the partnership first.",
            len(agencies),
        )
        raise ValidationError({field: message % {"names": names}})
    foreign = [
        o
        for o in others
        if not isinstance(o, Organisation) and partnership_id_of(o) not in (None, own)
    ]
    if foreign:
        names = get_text_list([f"“{o}”" for o in foreign], "and")
        message = ngettext(
            "%(names)s belongs to another partnership.",
            "%(names)s belong to another partnership.",
            len(foreign),
        )
        raise ValidationError({field: message % {"names": names}})


def refuse_links_across_partnerships(*many_to_many_fields) -> None:
    """Guard each many-to-many field (e.g. `DataLine.indicators`) on every write path."""
    for descriptor in many_to_many_fields:
        field = descriptor.field

        def refuse(sender, instance, action, reverse, model, pk_set, field=field, **kwargs):
            if action != "pre_add" or not pk_set:
                return
            others = list(model._default_manager.filter(pk__in=pk_set))
            if reverse:  # e.g. indicator.data_lines.add(line): check from each line's side
                for other in others:
                    check_same_partnership(other, field.name, [instance])
            else:
                check_same_partnership(instance, field.name, others)

        m2m_changed.connect(refuse, sender=field.remote_field.through, weak=False)
