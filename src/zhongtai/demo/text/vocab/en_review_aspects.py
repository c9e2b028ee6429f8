"""English review clauses about one aspect at one level, in the voice of marketplace reviews.

Clauses start lower-case (the assembler capitalises a clause that starts a sentence). Negation is
in the data: "not bad", "no complaints" and "didn't irritate my skin" praise; "not worth it" and
"didn't do much" complain.
"""

from __future__ import annotations

__all__ = ["FAMILY_SLOTS", "FAMILY_TEMPLATES", "SLOTS", "TEMPLATES"]

SLOTS: dict[str, tuple[str, ...]] = {
    "very": ("super", "really", "very", "incredibly", "crazy", "ridiculously", "so", "extremely", "insanely"),
    "quite": ("pretty", "fairly", "reasonably", "quite", "decently", "surprisingly"),
    "slightly": ("a bit", "a little", "slightly", "kind of", "somewhat", "a tad"),
    "fast_days": ("two days", "a day", "three days", "less than 48 hours", "two business days", "no time"),
    "slow_days": ("three weeks", "two weeks", "almost a month", "over ten days", "nearly three weeks", "12 days"),
    "normal_days": ("about a week", "five days", "the usual time", "the estimated window", "four days"),
    "carrier": ("shipping", "delivery", "the package", "my order"),
    "staff": ("customer service", "the seller", "support", "the store", "the rep I talked to"),
    "kid": ("my toddler", "my daughter", "my son", "the baby", "my kids", "my little one", "my 3 year old"),
    "person": ("my wife", "my husband", "my mom", "my sister", "my girlfriend", "my boyfriend", "a friend",
               "my daughter", "my coworker", "my roommate"),
    "period": ("a week", "two weeks", "a month", "three weeks", "a couple of months", "a few days", "six weeks"),
    "ship": ("shipping", "delivery", "the package", "my order", "the parcel"),
    "box": ("the packaging", "the box", "the parcel", "the package", "the wrapping"),
    "fit": ("the size", "the fit", "the sizing", "the size I ordered"),
    "sale": ("Black Friday", "Prime Day", "the holiday sale", "Singles' Day", "a flash sale", "the spring sale"),
    "store": ("Target", "the drugstore", "the mall", "other sites", "Sephora", "the department store"),
    "return_act": ("the return", "my refund", "the exchange", "the replacement"),
}  # fmt: skip

TEMPLATES: dict[str, tuple[str, ...]] = {
    "logistics:+2": (
        "{ship} was {very} fast", "{ship} arrived way earlier than promised", "{ship} showed up the next day",
        "shipping was {very} fast", "arrived in {fast_days}", "got here a day early", "arrived way ahead of schedule",
        "{carrier} was lightning fast", "showed up in {fast_days}, {very} impressed with the shipping",
        "fast shipping, well ahead of the estimate", "it arrived {very} quickly",
    ),
    "logistics:+1": (
        "{ship} was on time", "{ship} arrived {quite} quickly", "{ship} came a day early",
        "shipping was quick", "arrived on time", "delivery was {quite} fast", "it came when promised",
        "arrived in {normal_days}, no issues", "shipping was fine, not slow at all", "got it in {fast_days}",
    ),
    "logistics:+0": (
        "{ship} took {normal_days}", "{ship} was neither fast nor slow",
        "shipping was about what you'd expect", "arrived within {normal_days}", "delivery was average",
        "shipping took {normal_days}, nothing special", "it came in {normal_days}",
    ),
    "logistics:-1": (
        "{ship} was {slightly} slow", "{ship} took {slightly} longer than promised", "{ship} arrived a few days late",
        "shipping took {slightly} longer than expected", "delivery was {slightly} slow", "took {slow_days} to arrive",
        "{carrier} was a few days late", "tracking was {slightly} confusing", "shipping could be faster",
    ),
    "logistics:-2": (
        "{ship} was {very} slow", "{ship} got lost and they took {slow_days} to resend it", "{ship} took forever",
        "{ship} took {slow_days} to arrive", "shipping was painfully slow", "the package sat in a warehouse for a week",
        "tracking didn't update for days", "delivery was a nightmare", "{carrier} was almost {slow_days} late",
        "the box was left in the rain", "had to chase them for {slow_days} before it even shipped",
    ),
    "quality:+2": (
        "{product} feels {very} sturdy", "{product} held up perfectly after {period}",
        "{product} looks even better in person", "{person} thought I paid twice the price",
        "the quality is amazing", "{product} is {very} well made", "exactly as described, {very} happy with it",
        "exceeded my expectations", "feels {very} premium", "you can tell it's the real deal",
        "{product} still looks brand new after {period}", "quality is way better than the price suggests",
    ),
    "quality:+1": (
        "{product} works fine", "{product} is {quite} decent", "{product} held up so far",
        "good quality", "{product} is {quite} nice", "matches the photos", "seems {quite} well made",
        "works as described", "no complaints about the quality", "not bad at all", "quality is solid",
        "{product} does the job",
    ),
    "quality:+0": (
        "quality is okay", "{product} is average", "it's fine, nothing special", "about what I expected",
        "decent but not great", "too early to tell if it works", "quality is so-so",
    ),
    "quality:-1": (
        "{product} feels {slightly} flimsy", "{product} looks {slightly} different in person",
        "{product} started wearing out after {period}",
        "quality isn't great", "{product} wasn't as good as I hoped", "feels {slightly} cheap", "not quite as pictured",
        "{product} didn't do much", "a little underwhelming", "expected better quality",
    ),
    "quality:-2": (
        "{product} fell apart in {period}", "{product} looks like a cheap copy",
        "{person} asked if I got it from a dollar store", "{product} stopped working the first week",
        "{product} broke after two days", "looks nothing like the pictures", "{very} cheaply made",
        "pretty sure this is a knockoff", "{product} is garbage", "stopped working after {period}",
        "arrived defective", "the quality is terrible",
    ),
    "price:+2": (
        "the price is {very} reasonable", "the value is unbeatable", "the price was half of what {store} charges",
        "great value for the money", "worth every penny", "got it during {sale}, {very} good deal",
        "way cheaper than at {store}", "can't beat this price", "amazing value",
    ),
    "price:+1": ("the price is fair", "the price is {quite} good", "{quite} good value", "fair price",
                 "cheaper than {store}", "reasonably priced", "not overpriced"),
    "price:+0": ("the price is fair I guess", "you get what you pay for", "priced about the same as {store}"),
    "price:-1": ("the price is {slightly} high", "the price is steep for what it is", "{slightly} pricey",
                 "a bit overpriced", "not sure it's worth full price", "wait for a sale"),
    "price:-2": (
        "the price is a joke", "the price doubled a week after launch",
        "way overpriced for what you get", "the price dropped right after I bought it", "not worth the money",
        "total rip-off", "the price is higher than at {store}",
    ),
    "service:+2": (
        "{staff} replied in minutes and fixed everything",
        "{staff} was {very} helpful", "{staff} answered within minutes", "{staff} went above and beyond",
        "{staff} was {very} friendly and sorted everything out",
    ),
    "service:+1": ("{staff} was helpful", "{staff} replied {quite} quickly", "{staff} was polite",
                   "good communication"),
    "service:+0": ("{staff} was okay", "got a canned reply from {staff}", "didn't need to contact {staff}"),
    "service:-1": ("{staff} was {slightly} slow to reply", "{staff} wasn't much help", "{staff} just sent templates"),
    "service:-2": ("{staff} took a week to reply with a template", "{staff} never replied", "{staff} was rude",
                   "{staff} kept blaming the courier",
                   "{staff} ignored my messages for days"),
    "packaging:+2": (
        "{box} was {very} sturdy", "{box} was lovely",
        "nicely packaged", "arrived {very} well protected", "came in a gorgeous box, perfect for gifting",
        "packaging was {very} cute and sturdy",
    ),
    "packaging:+1": ("{box} was fine", "{box} arrived intact", "packaging was fine", "arrived intact", "well packed",
                     "no damage"),
    "packaging:+0": ("packaging was basic", "came in a plain bag", "standard packaging"),
    "packaging:-1": ("{box} was {slightly} dented", "{box} was {slightly} torn", "the box was {slightly} crushed",
                     "packaging was {slightly} flimsy", "box was dented"),
    "packaging:-2": (
        "{box} was soaked and torn", "{box} was crushed flat",
        "the bottle leaked all over the box", "arrived damaged", "the box was completely crushed",
        "the seal was broken, looks used", "packaging was a mess",
    ),
    "size:+2": ("{fit} is spot on", "{fit} is perfect", "the size is perfect", "a little goes a long way",
                "generous size", "bigger than I expected"),
    "size:+1": ("{fit} is right", "{fit} is fine", "size is as described", "good size", "the size is right"),
    "size:+0": ("size is what it says", "normal size"),
    "size:-1": ("{fit} is {slightly} off", "{fit} is {slightly} small", "{slightly} smaller than expected",
                "smaller than it looks in the photos"),
    "size:-2": ("{fit} is way off", "{fit} is completely wrong", "tiny, way smaller than pictured",
                "the size is nowhere near what's listed"),
    "safety:+2": (
        "gentle enough for {kid}", "no weird chemical smell", "safe materials, {kid} uses it every day",
        "I checked the ingredients and they're clean",
    ),
    "safety:+1": ("no smell", "no irritation", "seems safe"),
    "safety:+0": ("can't say much about the ingredients", "smell is normal"),
    "safety:-1": ("smells {slightly} too strong of chemicals", "not sure it's safe to use on {kid}",
                  "{slightly} irritating on my skin"),
    "safety:-2": ("smells strongly of chemicals", "gave {kid} a rash", "made {kid} break out in hives", "unsafe"),
    "after_sales:+2": (
        "the refund hit my account the next day",
        "{return_act} was {very} easy", "refund processed within a day", "they sent a replacement right away",
        "hassle-free return", "they fixed the problem without any questions",
    ),
    "after_sales:+1": ("{return_act} went smoothly", "returns are easy", "they handled it fine"),
    "after_sales:+0": ("{return_act} took the usual time", "return process was okay"),
    "after_sales:-1": ("{return_act} took {slightly} long", "the return process was a hassle",
                       "had to pay return shipping myself"),
    "after_sales:-2": (
        "the refund is still pending after {slow_days}",
        "still waiting on {return_act} after {slow_days}", "they refused the return", "{return_act} never came",
        "they keep ignoring my refund request",
    ),
}  # fmt: skip

FAMILY_SLOTS: dict[str, dict[str, tuple[str, ...]]] = {
    "skincare": {
        "skin": ("sensitive skin", "dry skin", "oily skin", "combination skin", "acne-prone skin", "mature skin"),
        "breakout": ("a rash", "breakouts", "redness", "little bumps", "a burning feeling", "hives"),
    },
    "makeup": {
        "skin": ("sensitive skin", "dry skin", "oily skin", "combination skin", "fair skin", "olive skin"),
        "breakout": ("a rash", "breakouts", "itchy eyes", "redness", "dry flaky lips"),
    },
    "personal_care": {
        "skin": ("a sensitive scalp", "dry hair", "oily hair", "fine hair", "curly hair", "dry skin"),
        "breakout": ("an itchy scalp", "dandruff", "a rash", "redness"),
    },
    "apparel": {
        "size": ("S", "M", "L", "XL", "small", "medium", "large"),
        "height": ("5'2\"", "5'4\"", "5'5\"", "5'6\"", "5'7\"", "5'9\"", "5'11\"", "6'0\""),
        "weight": ("115 lbs", "120 lbs", "130 lbs", "140 lbs", "150 lbs", "165 lbs", "180 lbs"),
    },
}

FAMILY_TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "skincare": {
        "quality:+2": (
            "absorbs {very} fast and isn't greasy at all",
            "my skin feels hydrated all day",
            "noticeable glow after {period}",
            "works wonders on my {skin}",
            "my skin has never looked better",
            "a little goes a long way and it sinks right in",
        ),
        "quality:+1": ("absorbs {quite} well", "feels nice on my {skin}", "not greasy", "keeps my skin {quite} soft"),
        "quality:+0": ("haven't noticed much difference yet", "it's an okay moisturizer", "texture is fine"),
        "quality:-1": ("didn't do much for my {skin}", "pills {slightly} under makeup", "feels {slightly} sticky"),
        "quality:-2": (
            "did absolutely nothing after {period}",
            "pills like crazy",
            "smells awful",
            "left my face greasy",
        ),
        "safety:+2": (
            "didn't irritate my {skin} at all",
            "fragrance-free and safe to use while pregnant",
            "{kid} uses it too with zero issues",
            "gentle enough for my {skin}",
            "clean ingredient list",
        ),
        "safety:+1": ("no irritation on my {skin}", "pretty gentle", "no reaction so far"),
        "safety:-1": ("stings {slightly} on my {skin}", "has alcohol high on the list, {slightly} worried"),
        "safety:-2": (
            "broke me out in {breakout}",
            "gave me {breakout} within a day",
            "made my face burn",
            "my {skin} reacted with {breakout}",
        ),
        "size:-2": ("the jar was only half full", "tiny jar for the price"),
    },
    "makeup": {
        "quality:+2": (
            "so pigmented and long-lasting",
            "blends like a dream",
            "lasted all day without touch-ups",
            "the shade is perfect for my {skin}",
        ),
        "quality:+1": ("blends {quite} easily", "decent coverage", "nice color"),
        "quality:-1": ("creases {slightly} after a few hours", "the shade is {slightly} off"),
        "quality:-2": ("creases within an hour", "the shade looks nothing like the photo", "patchy and cakey"),
        "safety:+2": ("no irritation even on my {skin}",),
        "safety:-2": ("gave me {breakout}", "my eyes were watering the whole day"),
    },
    "personal_care": {
        "quality:+2": ("leaves my hair {very} soft", "smells amazing and the scent lasts", "lathers really well"),
        "quality:-2": ("left my hair like straw", "smells like cheap perfume", "made my hair greasier"),
        "safety:-2": ("gave me {breakout}",),
    },
    "apparel": {
        "quality:+2": (
            "the fabric is soft and breathable",
            "stitching is {very} solid",
            "washed it twice and it held up fine",
            "looks {very} expensive",
            "the color is exactly like the photos",
        ),
        "quality:+1": ("fabric is {quite} nice", "no loose threads", "color is accurate"),
        "quality:-1": ("fabric is {slightly} thin", "a few loose threads", "shrank {slightly} in the wash"),
        "quality:-2": (
            "fabric is thin and see-through",
            "seams came apart after two wears",
            "pilled after one wash",
            "color faded after the first wash",
        ),
        "size:+2": ("fits true to size", "I'm {height} and {weight}, the {size} fits perfectly", "fits like a glove"),
        "size:+1": ("fits as expected", "true to size", "the {size} fits fine"),
        "size:+0": ("{slightly} loose but wearable", "fit is okay"),
        "size:-1": ("runs {slightly} small, size up", "runs {slightly} large", "sleeves are {slightly} long"),
        "size:-2": ("way too tight in the shoulders", "runs two sizes small", "I'm {height} and the {size} is tiny"),
        "safety:-2": ("had a strong chemical smell even after washing", "the dye rubbed off on my skin"),
    },
}
