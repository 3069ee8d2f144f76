# Django's Simplified Chinese format has no thousands separator, so 1473647 students print
# ungrouped. CLDR's zh locale, which Chinese statistics tables follow, groups by three
# with a comma: 1,473,647.
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
