"""English social posts about the brand (international platforms, stored as platform ``other``)."""

from __future__ import annotations

__all__ = ["SLOTS", "TEMPLATES"]

SLOTS: dict[str, tuple[str, ...]] = {
    "item": ("new launch", "bestseller", "new serum", "latest drop", "holiday set", "signature line"),
    "pos_detail": ("my skin has never looked better", "worth every penny", "the packaging is so cute",
                   "shipping was super fast", "gentle enough for my sensitive skin", "obsessed with the texture"),
    "neg_detail": ("not worth the hype", "customer service never answered", "shipping took forever",
                   "it broke me out", "overpriced for what it is"),
    "kid": ("my toddler", "my baby", "my daughter", "my son"),
    "spread": ("Please share", "Spread the word", "Stay away", "Don't make my mistake", "RT so others see this"),
    "demand": ("still no response", "they keep ignoring me", "they refused a refund", "support just sends templates"),
    "tag": ("#skincare", "#beauty", "#ootd", "#haul", "#review", ""),
}  # fmt: skip

TEMPLATES: dict[str, tuple[str, ...]] = {
    "post:+": ("Just tried the {brand} {item} and {pos_detail} {tag}", "{brand} never misses, {pos_detail}",
               "Repurchased {brand} again, {pos_detail}", "Shoutout to {brand}: {pos_detail}"),
    "post:0": ("Anyone tried {brand}? {tag}", "Is the {brand} {item} worth it?", "{brand} just dropped something new",
               "Thinking about trying {brand}, thoughts?"),
    "post:-": ("Kind of disappointed with {brand}, {neg_detail}", "{brand} was {neg_detail} for me"),
    "incident:quality": ("My {brand} order fell apart in two days and {demand}. {spread}",),
    "incident:safety": ("{brand} gave {kid} a terrible rash and {demand}. {spread}",
                        "Used {brand} while pregnant because they said it was safe. Broke out everywhere. {spread}"),
    "incident:logistics": ("Ordered from {brand} three weeks ago, nothing shipped, {demand}. {spread}",),
    "incident:packaging": ("Every bottle from {brand} arrived leaking and the seals were open. {spread}",),
    "incident:price": ("{brand} raised prices right before the sale and called it a discount. {spread}",),
    "incident:service": ("{brand} support insulted me when I asked for help. Screenshots attached. {spread}",),
    "incident:size": ("{brand} sizing is completely off and they charge you for exchanges. {spread}",),
    "incident:after_sales": ("{brand} refused my refund for a month, {demand}. {spread}",),
    "echo": ("Same thing happened to me with {brand}", "Not just you, {brand} did this to me too",
             "Returning mine today"),
    "repost:+": ("Love this", "Need to try it", "Agreed!", "Adding to cart"),
    "repost:0": ("RT", "Saving this", "Interesting", "Following"),
    "repost:-": ("Same experience", "Yeah, not great", "Good to know"),
    "repost_incident:-": ("Yikes", "This is awful", "Never buying {brand} again", "Same happened to me",
                          "{brand} needs to respond", "Unacceptable", "So glad I saw this"),
    "repost_incident:0": ("Following for updates", "Is this true?", "Waiting for {brand} to respond", "RT"),
}  # fmt: skip
