"""Form widgets the pages share."""

from django import forms
from django.utils.html import escape
from django.utils.safestring import mark_safe

# Distinct (widget, attributes, choices) renderings kept; past this the cache starts over.
CACHED_SELECTS = 256


class CachedOptionsSelect(forms.Select):
    """A select that renders exactly like Django's, its HTML drawn once per name, attributes
    and choices (labels included, so once per language) and reused.

    Django renders every option through its own template: ~6 ms for the 250 countries of a
    country filter, on every page that shows one. Here the options are still read (a model
    choice still runs its query) but drawn only when they change; the chosen option is then
    marked in the drawn HTML as Django marks it (` selected` on the first option of that value).
    """

    _rendered = {}

    def render(self, name, value, attrs=None, renderer=None):
        values = self.format_value(value)
        key = self._cache_key(name, attrs, renderer)
        if key is None or len(values) > 1:
            return super().render(name, value, attrs, renderer)
        html = self._rendered.get(key)
        if html is None:
            html = super().render(name, [], attrs, renderer)  # no option selected
            if len(self._rendered) >= CACHED_SELECTS:
                self._rendered.clear()
            self._rendered[key] = html
        if not values:
            return html
        option = f'<option value="{escape(values[0])}">'
        # Safe: Django drew `html`, and the value added to it is escaped.
        return mark_safe(html.replace(option, f"{option[:-1]} selected>", 1))  # nosec

    def _cache_key(self, name, attrs, renderer):
        """What the HTML depends on, or None when it cannot be keyed (grouped choices,
        attributes that are not plain values)."""
        choices = []
        for choice_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                return None
            choices.append((str(choice_value), str(label)))
        key = (
            type(self),
            renderer,
            name,
            tuple(self.build_attrs(self.attrs, attrs).items()),
            tuple(choices),
        )
        try:
            hash(key)
        except TypeError:
            return None
        return key
