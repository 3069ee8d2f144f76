# The portal's readers are international: a short date such as 06/08/2023 reads as
# 8 June in most of the world and as 6 August in the United States. ISO 8601 reads the
# same everywhere and sorts as text; long dates keep Django's "Aug. 28, 2023".
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
