"""HTML pages of the partnerships app."""

from django.shortcuts import render

from partnerships.models import Alliance


def home(request):
    alliances = Alliance.objects.with_member_counts().select_related("headquarters")
    return render(request, "home.html", {"alliances": alliances})
