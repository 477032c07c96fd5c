# Django's Sorani formats do not group digits.
NUMBER_GROUPING = 3
