"""The long tail of English reviews: opinions stated as facts, details, less common phrasings.

"My coworkers keep asking where I got it" praises and "the zipper broke the second time I used
it" complains without "great" or "bad"; "I got the 50 ml one in beige" says nothing. Appended
after the templates of the same keys, so they are drawn less often.
"""

from __future__ import annotations

__all__ = ["SLOTS", "TEMPLATES"]

SLOTS: dict[str, tuple[str, ...]] = {
    "colour": ("beige", "black", "navy", "sage green", "cream", "dusty blue", "charcoal", "oat"),
    "variant": ("the 50 ml one", "the travel size", "the two-pack", "the big bottle", "the gift set", "the mini"),
    "when": ("on Monday", "late at night", "on my lunch break", "last weekend", "right before a trip"),
    "compliment": ("my coworkers keep asking where I got it", "I've gotten so many compliments",
                   "my sister stole it from me", "people ask what I'm wearing", "my husband noticed right away"),
    "count": ("three", "four", "five", "several"),
    "fail": ("the zipper broke", "the pump stopped working", "a button fell off", "the seam ripped", "the cap cracked",
             "the strap snapped"),
}  # fmt: skip

TEMPLATES: dict[str, tuple[str, ...]] = {
    "logistics:+2": ("ordered {when} and it was on my porch the next morning", "it shipped within an hour of ordering"),
    "logistics:-2": ("ordered {when} and tracking still says label created", "it says delivered but it's not here",
                     "the package went to the wrong city first"),
    "quality:+2": ("{compliment}", "I've used it every day for {period} and it still looks new",
                   "I ended up buying it in {colour} too", "I've already finished one and started the next"),
    "quality:+1": ("it's held up fine so far", "it does what it says"),
    "quality:+0": ("it's about the same as the one I had before", "nothing I haven't seen before"),
    "quality:-1": ("it started to wear after {period}", "not as nice as the last one I bought"),
    "quality:-2": ("{fail} the second time I used it", "{fail} within a week", "{person} asked if it was a knockoff",
                   "it looks nothing like the listing"),
    "price:+2": ("I paid less than half of what {store} charges", "with the coupon it was basically a steal"),
    "price:-2": ("two days later it was 30% off", "{store} sells the same thing for less"),
    "service:+2": ("{staff} followed up to make sure I was happy",),
    "service:-2": ("{staff} answered a question I didn't ask and closed the chat",),
    "packaging:+2": ("every bottle was wrapped in bubble wrap", "it came with a handwritten thank-you note"),
    "packaging:-2": ("the box was soaked and half the items were broken",
                     "there was product all over the inside of the box"),
    "size:+1": ("I got {variant} and it lasts a while", "I ordered my usual size and it fits"),
    "size:-1": ("I got {variant} and it's smaller than it looks",),
    "after_sales:+2": ("they picked up the return from my door",
                       "the replacement arrived before I even sent the old one"),
    "after_sales:-2": ("they keep saying the return is being processed", "I've emailed {count} times about my refund"),
    "usage": ("I went with {variant}", "I ordered it {when}", "it lives in my bag now"),
    "opener": ("tried it in store first, then ordered online", "waited for a restock for weeks",
               "this was a birthday gift",
               "bought it after reading a lot of reviews", "third order from this shop"),
    "overall:+2": ("already planning to buy another", "wish I'd bought it sooner"),
    "overall:-2": ("I threw it out after one use", "this was my first one-star review ever"),
    "closing:+": ("buying another for {person}",),
    "closing:-": ("hope the seller fixes this", "learned my lesson"),
}  # fmt: skip
