# Django's Arabic formats lack a date-and-time format (it falls back to the English one) and digit
# grouping. Latin digits, grouped with commas as the Arabic-script press and Iraq's offices write them.
DATETIME_FORMAT = "j F، Y، g:i A"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
