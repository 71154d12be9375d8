"""One value per class of text that domain/text.py refuses (the rest of each is ordinary)."""

UNSAFE = {
    "NUL": "abc \u0000 def",
    "other C0 control": "abc \u0007 def",
    "C1 control": "abc \u0085 def",
    "lone surrogate": "abc \ud800 def",
    "bidi override": "abc \u202e def",
    "bidi isolate": "abc \u2066 def",
    "only invisible characters": "\u200b\u200c\u2060\ufeff",
}
