"""What every list page shares: one page size, pagination that never fails on bad input."""

from django.core.paginator import Paginator

PAGE_SIZE = 25


def paginate(request, queryset, per_page=PAGE_SIZE):
    """The requested page of `queryset`; a missing, bad or too large number gives a valid page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def search_words(request):
    """The text of `?q=`, trimmed and bounded."""
    return request.GET.get("q", "").strip()[:200]
