"""Chinese for the phone-labels task: who holds a lot, on its printed label."""
T = {
    "%(first)s, %(rest)s": "%(first)s、%(rest)s",
    "%(first)s and others (%(count)s units)": "%(first)s等%(count)s个单位",
}
