"""English customer-service messages (chat with the shop), by customer emotion and topic."""

from __future__ import annotations

__all__ = ["SLOTS", "TEMPLATES"]

SLOTS: dict[str, tuple[str, ...]] = {
    "hi": ("Hi", "Hello", "Hey", "Hi there", "Good morning", "Hello,"),
    "ask": ("I was wondering", "quick question:", "could you tell me", "can you check", "I'd like to know"),
    "urge": ("Hello??", "Is anyone there?", "Anyone??", "Hello? Still waiting", "???", "Can someone answer please"),
    "need": ("I need it by tomorrow", "it's a gift for this weekend", "I'm leaving on a trip Monday",
             "my kid needs it", "I need it this week"),
    "threat": ("I'm filing a complaint", "I'll leave a one-star review", "I'm disputing the charge with my bank",
               "I'll report this to the marketplace", "I'm going to post about this everywhere",
               "I'm contacting consumer protection"),
    "blame": ("this is unacceptable", "are you kidding me", "this is a scam", "what kind of service is this",
              "I'm sick of this", "this is ridiculous", "do you even care"),
    "wait": ("five days", "a week", "ten days", "two weeks", "several days"),
    "ack": ("ok", "okay", "sure", "got it", "thanks", "alright", "fine"),
}  # fmt: skip

_TOPIC: dict[str, dict[str, tuple[str, ...]]] = {
    "logistics": {
        "calm": (
            "{ask} where my order is",
            "{ask} when it will ship",
            "tracking hasn't updated in a while, can you check",
            "it says delivered but I don't see it, could you look into it",
        ),
        "anxious": (
            "why hasn't my order shipped yet",
            "tracking hasn't moved in {wait}, is it lost",
            "when will it arrive? {need}",
            "it says delivered but it's not here, I'm worried",
        ),
        "angry": (
            "it's been {wait} and it still hasn't shipped, {blame}",
            "my package is lost and nobody cares, {blame}",
            "it says delivered but I never got it, {blame}",
        ),
    },
    "quality": {
        "calm": (
            "the {product} I received has a small defect",
            "{ask} if this is normal, it looks different from the photos",
            "the {product} stopped working properly, what should I do",
        ),
        "anxious": (
            "I think the {product} is broken, what do I do",
            "is this authentic? I'm worried it's fake",
            "it stopped working after two uses, can I get a new one quickly? {need}",
        ),
        "angry": ("you sold me a fake, {blame}", "it broke in two days, {blame}", "it arrived broken, {blame}"),
    },
    "price": {
        "calm": (
            "the price dropped right after I ordered, can I get the difference",
            "my coupon isn't working",
            "{ask} if there's a member discount",
        ),
        "anxious": (
            "the price dropped, can I still get the difference? the window closes soon",
            "my coupon expires today and it won't apply",
        ),
        "angry": ("the price dropped the day after I bought it, {blame}", "you refuse to honor the price, {blame}"),
    },
    "service": {
        "calm": ("I asked a question earlier and never heard back", "can I talk to someone else"),
        "anxious": ("I've been waiting for a reply for ages", "nobody has followed up, I'm getting worried"),
        "angry": (
            "your last agent was rude, {blame}",
            "I've been ignored for {wait}, {blame}",
            "stop sending me bot replies, {blame}",
        ),
    },
    "packaging": {
        "calm": ("the box arrived a little crushed", "the outer packaging was torn, the item seems fine"),
        "anxious": ("the bottle leaked in the box, is it still safe to use", "the seal was open, was it used before?"),
        "angry": ("it arrived leaking everywhere, {blame}", "the seal was broken, you're selling used stuff? {blame}"),
    },
    "size": {
        "calm": (
            "{ask} which size I should get, I'm usually a medium",
            "can I exchange for a bigger size",
            "is the size chart accurate",
        ),
        "anxious": (
            "I ordered the wrong size, can you change it before it ships? {need}",
            "how long does an exchange take? {need}",
        ),
        "angry": ("your size chart is completely wrong, {blame}", "you want me to pay for the exchange? {blame}"),
    },
    "safety": {
        "calm": (
            "{ask} if this is safe during pregnancy",
            "{ask} if it's okay for babies",
            "does it contain alcohol or fragrance",
            "is it suitable for sensitive skin",
        ),
        "anxious": (
            "my son's face got red after using it, should I be worried",
            "it stings a little, is that normal?",
            "I'm pregnant and I've been using this, is that okay?",
            "I broke out in a rash, what should I do",
        ),
        "angry": (
            "your product gave my daughter a rash, {blame}",
            "I had an allergic reaction, {blame}",
            "the ingredients are not what you advertise, {blame}",
        ),
    },
    "after_sales": {
        "calm": (
            "how do I return this",
            "when will my refund be processed",
            "I shipped the return, can you check the status",
        ),
        "anxious": (
            "my refund still hasn't arrived after {wait}",
            "I sent the return back, why isn't it processed yet",
            "when will the replacement ship? {need}",
        ),
        "angry": (
            "my refund is {wait} late, {blame}",
            "you won't accept my return? {blame}",
            "you promised a replacement and nothing came, {blame}",
        ),
    },
}

TEMPLATES: dict[str, tuple[str, ...]] = {
    "c_pre:calm": ("{hi}, ", "{hi}! ", "", "{hi}, "),
    "c_pre:anxious": ("{urge} ", "{hi}, ", "Urgent: ", "{hi}?? "),
    "c_pre:angry": ("", "Seriously, ", "Listen, ", "{hi}. "),
    "c_post:calm": ("?", ". Thanks!", "", ". Thank you", "."),
    "c_post:anxious": ("!", "??", ". Please hurry", ". Please!", "!!"),
    "c_post:angry": ("! {threat}", ". {threat}!", ". {threat}", "!!!"),
    "c_follow:calm": ("ok, I'll wait", "when do you think it'll be sorted?", "do you need anything from me?",
                      "I sent you a photo", "thanks for checking", "sounds good"),
    "c_follow:anxious": ("{urge}", "how much longer?", "please hurry, {need}", "any update?", "I'm really worried",
                         "can you push them please", "still nothing?",
                         "what is going on?"),
    "c_follow:angry": ("{threat}", "don't apologize, fix it", "{blame}", "how many times do I have to say this",
                       "I want a refund NOW", "let me talk to your manager", "I've taken screenshots, {threat}",
                       "{urge}", "how much longer?"),
    "c_ack": ("{ack}", "ok fine", "alright then", "I see"),
    "c_bye:calm": ("thanks, have a nice day", "great, thank you", "perfect, thanks!", "thanks for your help"),
    "c_bye:anxious": ("ok, please be quick", "fine, but please hurry", "ok, I'll wait but it's urgent"),
    "c_bye:angry": ("fine, but if it's not fixed today {threat}", "last chance", "we'll see. {threat}"),
    "bot_greet": ("Hi! I'm the virtual assistant. How can I help?",
                  "Thanks for reaching out! An agent will be with you shortly."),
    "a_greet": ("Hi, thanks for reaching out! ", "Hello! ", "Hi there, ", "Thanks for contacting us. "),
    "a_sorry": ("I'm really sorry about this. ", "I apologize for the trouble. ",
                "I understand how frustrating this is. "),
    "a_follow": ("let me check that for you", "I've escalated this to our team", "could you send a photo of the item?",
                 "I've flagged it as urgent", "I'll update you as soon as I hear back", "would that work for you?"),
    "a_soothe": ("I understand. ", "I'm sorry. ", "You're right, that's on us. ", "I hear you. "),
    "a_close": ("Is there anything else I can help with?", "Have a great day!", "Thanks for your patience.",
                "Feel free to reach out anytime."),
}  # fmt: skip

_AGENT_TOPIC: dict[str, tuple[str, ...]] = {
    "logistics": (
        "let me look up the tracking",
        "I've contacted the carrier to speed it up",
        "it's in transit, should arrive in 1-2 days",
    ),
    "quality": (
        "could you send a photo so we can replace it",
        "I've arranged a replacement",
        "all our products are authentic",
    ),
    "price": ("I've applied a price adjustment", "the sale price was time-limited", "I can send you a new coupon"),
    "service": (
        "I'll take it from here",
        "sorry for the slow replies earlier",
        "I'll pass your feedback to my supervisor",
    ),
    "packaging": ("we'll send a replacement right away", "please send a photo and we'll reship"),
    "size": ("please check our size chart", "I can exchange it for a larger size", "we'll cover the exchange shipping"),
    "safety": (
        "it's fragrance-free and suitable for sensitive skin",
        "please stop using it, I'll refund you",
        "I've reported this to our quality team",
        "we recommend a patch test first",
    ),
    "after_sales": ("let me check your refund status", "refunds take 1-3 business days", "the replacement ships today"),
}

for _topic, _by_emotion in _TOPIC.items():
    for _emotion, _texts in _by_emotion.items():
        TEMPLATES[f"c_topic:{_topic}:{_emotion}"] = _texts
    TEMPLATES[f"a_topic:{_topic}"] = _AGENT_TOPIC[_topic]
