"""English review frame: openers, overall verdicts, closings, connectors, endings, emoji, titles."""

from __future__ import annotations

__all__ = ["SLOTS", "TEMPLATES"]

SLOTS: dict[str, tuple[str, ...]] = {
    "opener_ctx": (
        "bought this for {person}", "second time buying this", "I've been using {product} for {period} now",
        "got this as a gift for {person}", "switched from another brand", "saw this on TikTok and had to try it",
        "picked this up for {kid}", "ordered during {sale}", "{person} recommended it",
        "I was hesitant because of the mixed reviews", "long-time customer here", "update after {period}",
        "I've tried a lot of these", "first time trying this brand", "bought two, one for me and one for {person}",
        "needed a replacement for my old one", "I'm pregnant so I'm picky about what I use",
    ),
}  # fmt: skip

TEMPLATES: dict[str, tuple[str, ...]] = {
    "opener": ("{opener_ctx}",),
    "overall:+2": (
        "love it", "absolutely love {product}", "highly recommend", "five stars", "exceeded my expectations",
        "best purchase I've made this year", "obsessed", "ten out of ten", "couldn't be happier",
        "a total game changer",
        "I'm {very} impressed", "holy grail status", "worth it", "my new favorite",
    ),
    "overall:+1": (
        "pretty good", "happy with it", "does the job", "would recommend", "no complaints", "not bad at all",
        "can't complain", "good purchase", "I like it", "solid", "satisfied overall", "it's nice", "good enough for me",
    ),
    "overall:+0": (
        "it's okay", "meh", "nothing special", "it's fine for the price", "average", "jury's still out",
        "decent but not great", "mixed feelings", "neither good nor bad", "it is what it is", "not sure yet",
    ),
    "overall:-1": (
        "not impressed", "a bit disappointed", "wouldn't buy again", "not what I expected", "not great",
        "underwhelming", "I expected more", "probably won't reorder", "not really worth it", "kind of a letdown",
    ),
    "overall:-2": (
        "total waste of money", "terrible", "do not buy", "{very} disappointed", "returned it immediately",
        "ridiculous", "unbelievable", "so frustrating", "never again",
        "worst purchase ever", "save your money", "awful", "avoid", "complete junk", "regret buying {product}",
    ),
    "short:+2": ("Love it", "Amazing", "Perfect", "Five stars", "Best ever", "Obsessed", "Love love love"),
    "short:+1": ("Good", "Nice", "Works well", "As described", "Happy with it", "Pretty good", "Good value"),
    "short:+0": ("Okay", "It's fine", "Meh", "Average", "Decent", "Not sure yet"),
    "short:-1": ("Not great", "Disappointing", "Meh, not for me", "Not worth it", "Underwhelming"),
    "short:-2": ("Terrible", "Junk", "Don't buy", "Waste of money", "Awful", "Returned"),
    "closing:+": (
        "will buy again", "would recommend to friends", "already ordered another one", "will definitely repurchase",
        "{person} loves it too", "buying one for {person}", "thanks!",
    ),
    "closing:0": ("will update after a few more weeks", "we'll see how it holds up", "time will tell"),
    "closing:-": ("returning it", "won't be ordering again", "lesson learned", "buyer beware", "back it goes"),
    "info": (
        "haven't used it much yet", "bought it as a gift so can't say much", "just opened it",
        "only used it once so far", "results may vary",
    ),
    "usage": (
        "I use it every morning", "I keep one at the office", "I mostly use it on weekends", "I take it when I travel",
        "I've been using it daily for {period}", "{person} and I share it", "I use it after the gym",
        "I wear it to work about twice a week", "I bought two so I always have a spare", "I tried it for {period}",
        "it's part of my morning routine now", "I only use it at night",
    ),
    "sarcasm": (
        "great, another one that broke in a week", "love waiting {slow_days} for a package. Not",
        "wow, \"premium quality\" that falls apart on day two", "so glad I paid extra for this, said no one",
        "fantastic, the bottle leaked all over everything", "thanks for the free rash, I guess",
        "\"true to size\" my foot", "sure, \"fast shipping\"",
    ),
    "conn:add": (". ", ". ", ", and ", "! ", ". Also, ", "; ", ". Plus ", ". ", ". And "),
    "conn:plain": (". ", ". ", "! ", ". ", ", "),
    "conn:but": (", but ", ". But ", ". However, ", ", yet ", " but "),
    "conn:turn": (", but ", ". However, ", ", though ", ". That said, ", ", yet "),
    "conn:main+": (". That said, ", ", but ", ". Still, ", ". But overall, ", ". Even so, ", ". Otherwise, "),
    "conn:main-": (", but ", ". However, ", ". Unfortunately, ", ". Then ", ". Sadly, ", ", but then "),
    "conn:minor-": (". Only downside: ", ". My only complaint: ", ", though ", ". Minor gripe: ", ", just ",
                    ". If I had to nitpick, "),
    "conn:minor+": (". On the plus side, ", ". At least ", ". The only good thing: ", ". To be fair, ", ", although "),
    "end:+": (".", "!", "!!", "", ".", ":)"),
    "end:0": (".", "", ".", "..."),
    "end:-": (".", "!", "", ".", "!!!"),
    "emoji:+": ("😊", "👍", "❤️", "😍", "🙌", "💯", "✨"),
    "emoji:0": ("🤷", "😐", "🤔"),
    "emoji:-": ("😡", "👎", "😤", "🙄", "😞"),
    "title:+2": ("Love it!", "Amazing", "Five stars", "Highly recommend", "Best purchase", "Obsessed", "A must-have",
                 "Great value", "Perfect gift", "Exceeded expectations"),
    "title:+1": ("Good product", "Nice", "Does the job", "Pretty good", "Happy with it", "Solid buy", "Works well"),
    "title:+0": ("Okay", "It's fine", "Decent", "Average", "Mixed feelings", "Meh", "Three stars"),
    "title:-1": ("Not great", "Disappointed", "Not worth it", "Underwhelming", "Expected more", "Meh"),
    "title:-2": ("Terrible", "Do not buy", "Waste of money", "Junk", "Avoid", "One star", "Awful"),
    "title_issue:logistics": ("Slow shipping", "Took forever to arrive", "Late delivery"),
    "title_issue:quality": ("Poor quality", "Broke quickly", "Cheaply made"),
    "title_issue:price": ("Overpriced", "Price dropped after I bought it", "Not worth the price"),
    "title_issue:service": ("Terrible customer service", "Seller never replied"),
    "title_issue:packaging": ("Arrived damaged", "Leaked in the box", "Crushed box"),
    "title_issue:size": ("Runs small", "Wrong size", "Size is way off"),
    "title_issue:safety": ("Caused a rash", "Irritated my skin", "Chemical smell"),
    "title_issue:after_sales": ("Return nightmare", "Still no refund", "Refused my return"),
}  # fmt: skip
